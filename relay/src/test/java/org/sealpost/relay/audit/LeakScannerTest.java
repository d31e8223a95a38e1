package org.sealpost.relay.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeakScannerTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void findsEachPatternAtItsFirstOffsetAmongPatternsSharingAPrefix() {
    List<byte[]> patterns =
        List.of(bytes("abc"), bytes("abd"), bytes("ab"), bytes("x"), bytes("zz"), bytes("dzz"));
    int[] first = new FirstOccurrences(patterns).in(bytes("-abd-abc-abx-x-dz"));

    assertThat(first).containsExactly(5, 1, 1, 11, -1, -1);
  }

  @Test
  void aPatternEndingWithTheArtifactIsFoundAndOneLongerThanItIsNot() {
    int[] first =
        new FirstOccurrences(List.of(bytes("end"), bytes("the end!"))).in(bytes("the end"));

    assertThat(first).containsExactly(4, -1);
  }

  @Test
  void everyEncodingOfASecretIsFoundAndRawBytesOnlyOutsideTheStore() {
    byte[] id = new byte[32];
    for (int i = 0; i < id.length; i++) {
      id[i] = (byte) (0xF0 + i);
    }
    LeakScanner scanner = new LeakScanner().secret("id", id).text("address", "127.0.0.2");
    for (String encoded : LeakScanner.encodings(id).values()) {
      assertThat(scanner.scan(List.of(LeakScanner.Artifact.text("log", "x=" + encoded))))
          .extracting(LeakScanner.Finding::secret)
          .contains("id");
    }
    byte[] raw = new byte[40];
    System.arraycopy(id, 0, raw, 4, 32);
    List<LeakScanner.Finding> found =
        scanner.scan(
            List.of(
                new LeakScanner.Artifact("MANIFEST-000001", raw, false),
                new LeakScanner.Artifact("000004.log", raw, true),
                LeakScanner.Artifact.text("out", "from /127.0.0.2:40000")));

    assertThat(found)
        .extracting(LeakScanner.Finding::artifact, LeakScanner.Finding::encoding)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("MANIFEST-000001", "raw bytes"),
            org.assertj.core.groups.Tuple.tuple("out", "text"));
    assertThat(found.get(0).offset()).isEqualTo(4);
    assertThat(found.get(1).offset()).isEqualTo(6);
  }
}
