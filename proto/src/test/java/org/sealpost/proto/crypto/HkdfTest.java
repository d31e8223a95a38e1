package org.sealpost.proto.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealpost.proto.crypto.TestVectors.unhex;

import org.junit.jupiter.api.Test;

/** RFC 5869 Appendix A, test cases 1 to 3 (the SHA-256 ones). */
class HkdfTest {

  @Test
  void rfc5869TestCase1BasicSha256() {
    byte[] ikm = unhex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    byte[] salt = unhex("000102030405060708090a0b0c");
    byte[] info = unhex("f0f1f2f3f4f5f6f7f8f9");
    assertThat(Hkdf.extract(salt, ikm))
        .isEqualTo(unhex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"));
    assertThat(Hkdf.derive(salt, ikm, info, 42))
        .isEqualTo(
            unhex(
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                    + "34007208d5b887185865"));
  }

  @Test
  void rfc5869TestCase2LongInputsSha256() {
    byte[] ikm = range(0x00, 80);
    byte[] salt = range(0x60, 80);
    byte[] info = range(0xb0, 80);
    assertThat(Hkdf.extract(salt, ikm))
        .isEqualTo(unhex("06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244"));
    assertThat(Hkdf.derive(salt, ikm, info, 82))
        .isEqualTo(
            unhex(
                "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
                    + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
                    + "cc30c58179ec3e87c14c01d5c1f3434f1d87"));
  }

  @Test
  void rfc5869TestCase3EmptySaltAndInfoSha256() {
    byte[] ikm = unhex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    assertThat(Hkdf.extract(new byte[0], ikm))
        .isEqualTo(unhex("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04"));
    assertThat(Hkdf.derive(new byte[0], ikm, new byte[0], 42))
        .isEqualTo(
            unhex(
                "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
                    + "9d201395faa4b61a96c8"));
  }

  @Test
  void rejectsOutputLengthsBeyondTheRfcLimit() {
    assertThatThrownBy(() -> Hkdf.derive(new byte[0], new byte[32], new byte[0], 255 * 32 + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Hkdf.derive(new byte[0], new byte[32], new byte[0], 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] range(int start, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (start + i);
    }
    return b;
  }
}
