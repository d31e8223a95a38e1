package org.sealpost.proto.crypto;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

final class CryptoAssertions {
  private CryptoAssertions() {}

  static void assertFails(CryptoException.Reason reason, ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(CryptoException.class)
        .extracting(e -> ((CryptoException) e).reason())
        .isEqualTo(reason);
  }
}
