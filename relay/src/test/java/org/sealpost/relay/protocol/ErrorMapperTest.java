package org.sealpost.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sealpost.mailbox.MailboxException;
import org.sealpost.proto.codec.BlockError;
import org.sealpost.proto.codec.BlockException;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.relay.queue.QueueException;

class ErrorMapperTest {
  @Test
  void queueExceptionsKeepTheirCodeThroughCompletionWrappers() {
    assertThat(ErrorMapper.toErrorCode(new CompletionException(QueueException.auth())))
        .isEqualTo(ErrorCode.ERROR_CODE_AUTH);
  }

  @ParameterizedTest
  @EnumSource(MailboxException.Code.class)
  void everyStoreFailureHasAProtocolCode(MailboxException.Code code) {
    ErrorCode mapped = ErrorMapper.toErrorCode(new MailboxException(code, "op"));
    assertThat(mapped).isNotIn(ErrorCode.ERROR_CODE_UNSPECIFIED, ErrorCode.ERROR_CODE_INTERNAL);
  }

  @Test
  void quotaAndStorageFailuresMapAsDocumented() {
    assertThat(ErrorMapper.fromMailbox(MailboxException.Code.QUOTA_MESSAGES))
        .isEqualTo(ErrorCode.ERROR_CODE_QUOTA);
    assertThat(ErrorMapper.fromMailbox(MailboxException.Code.DISK_BUDGET))
        .isEqualTo(ErrorCode.ERROR_CODE_QUOTA);
    assertThat(ErrorMapper.fromMailbox(MailboxException.Code.STORAGE))
        .isEqualTo(ErrorCode.ERROR_CODE_STORE);
    assertThat(ErrorMapper.fromMailbox(MailboxException.Code.OVERLOAD))
        .isEqualTo(ErrorCode.ERROR_CODE_RATE);
    assertThat(ErrorMapper.fromMailbox(MailboxException.Code.NOT_FOUND))
        .isEqualTo(ErrorCode.ERROR_CODE_AUTH);
  }

  @Test
  void malformedRecipientCommandIsSyntax() {
    assertThat(ErrorMapper.toErrorCode(new BlockException(BlockError.MALFORMED_COMMAND, "bad")))
        .isEqualTo(ErrorCode.ERROR_CODE_SYNTAX);
  }

  @Test
  void anythingElseIsInternal() {
    assertThat(ErrorMapper.toErrorCode(new IllegalStateException("secret 0xdeadbeef")))
        .isEqualTo(ErrorCode.ERROR_CODE_INTERNAL);
  }
}
