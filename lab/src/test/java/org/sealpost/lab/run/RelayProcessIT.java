package org.sealpost.lab.run;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayProcessIT {
  @Test
  void aDefenceTheRelayDoesNotHaveFailsLoudlyWithTheRelaysOwnWords(@TempDir Path dir) {
    assertThatThrownBy(
            () ->
                RelayProcess.start(
                    dir.resolve("data"),
                    dir.resolve("operator.tsv"),
                    List.of("--lab-no-such-defence", "1s")))
        .isInstanceOf(LabException.class)
        .hasMessageContaining("this relay does not have that defence")
        .hasMessageContaining("unknown flag --lab-no-such-defence");
  }
}
