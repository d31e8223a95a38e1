package org.sealpost.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.sealpost.relay.config.Setting;
import org.sealpost.relay.metrics.RelayMetrics;

/** docs/operations.md documents every setting and every metric the code defines. */
class OperationsDocTest {
  private static String doc() throws IOException {
    return Files.readString(Path.of("..", "docs", "operations.md"));
  }

  @Test
  void everySettingIsDocumentedWithItsDefaultEnvironmentVariableAndFlag() throws IOException {
    String doc = doc();
    for (Setting s : Setting.values()) {
      String row =
          "| `"
              + s.key()
              + "` | "
              + (s.defaultValue().isEmpty() ? "(unset)" : "`" + s.defaultValue() + "`")
              + " | `"
              + s.envVar()
              + "` | `"
              + s.flag()
              + "` |";
      assertThat(doc).as("row for %s", s.key()).contains(row);
    }
  }

  @Test
  void everyMetricNameIsDocumented() throws IOException, IllegalAccessException {
    String doc = doc();
    for (Field f : RelayMetrics.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers())
          && f.getType() == String.class
          && !f.getName().startsWith("TAG_")) {
        assertThat(doc).as("metric %s", f.getName()).contains("`" + f.get(null) + "`");
      }
    }
  }
}
