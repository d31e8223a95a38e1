package org.sealpost.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sealpost.relay.RelayMain;

/** Both systemd units restart a failed relay, except after a configuration error. */
class SystemdUnitTest {
  private static final Path OPS = Path.of(System.getProperty("ops.dir", "../ops"));

  @Test
  void aConfigurationErrorIsNotRestartedButOtherFailuresAre() throws Exception {
    for (Path unit :
        List.of(
            OPS.resolve("systemd/sealpost-relay.service"),
            Path.of("src/deb/files/sealpost-relay.service"))) {
      List<String> lines = Files.readAllLines(unit);
      assertThat(lines).as(unit.toString()).contains("Restart=on-failure");
      assertThat(lines)
          .as(unit.toString())
          .filteredOn(l -> l.startsWith("RestartPreventExitStatus="))
          .singleElement()
          .satisfies(
              l ->
                  assertThat(l.substring(l.indexOf('=') + 1).split("\\s+"))
                      .contains(Integer.toString(RelayMain.EXIT_CONFIG))
                      .doesNotContain(Integer.toString(RelayMain.EXIT_START)));
    }
  }
}
