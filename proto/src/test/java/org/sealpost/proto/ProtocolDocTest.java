package org.sealpost.proto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Frame;

/** docs/protocol.md, the normative spec, names what the schema defines with the same numbers. */
class ProtocolDocTest {
  private static String spec() throws IOException {
    return Files.readString(Path.of("..", "docs", "protocol.md"));
  }

  @Test
  void theErrorTableListsEveryCodeWithItsValue() throws IOException {
    String spec = spec();
    for (ErrorCode code : ErrorCode.values()) {
      if (code == ErrorCode.UNRECOGNIZED) {
        continue;
      }
      Matcher row =
          Pattern.compile("^\\| `" + code.name() + "` \\| (\\d+) \\|", Pattern.MULTILINE)
              .matcher(spec);
      assertThat(row.find()).as("§4.9 has a row for %s", code).isTrue();
      assertThat(Integer.parseInt(row.group(1))).as(code.name()).isEqualTo(code.getNumber());
    }
  }

  @Test
  void theFrameTableListsEveryBodyWithItsFieldNumber() throws IOException {
    String spec = spec();
    for (var field : Frame.getDescriptor().getOneofs().get(0).getFields()) {
      Matcher row =
          Pattern.compile("^\\| `" + field.getName() + "` \\| (\\d+) \\|", Pattern.MULTILINE)
              .matcher(spec);
      assertThat(row.find()).as("§4.1 has a row for %s", field.getName()).isTrue();
      assertThat(Integer.parseInt(row.group(1))).as(field.getName()).isEqualTo(field.getNumber());
    }
  }

  @Test
  void theCompactFrameRuleNamesTheBodyFieldNumbersOfTheSchema() throws IOException {
    StringBuilder numbers = new StringBuilder();
    int first = -1;
    int last = -1;
    for (var field : Frame.getDescriptor().getOneofs().get(0).getFields()) {
      int n = field.getNumber();
      if (first < 0) {
        first = n;
      } else if (n != last + 1) {
        numbers.append(first).append('–').append(last).append(" and ");
        first = n;
      }
      last = n;
    }
    numbers.append(first).append('–').append(last);
    assertThat(spec().replaceAll("\\s+", " ")).contains("(" + numbers + ", §4.1)");
  }
}
