package org.sealpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.relay.EmbeddedRelay;

/**
 * {@code send --file} and {@code receive --save DIR} against a real relay: files arrive byte for
 * byte in new 0600 files named by the receiver, acknowledged once saved, and the lines printed
 * about them carry nothing from the sender that could drive the terminal.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReceiveSaveIT {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  private Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--keystore";
    all[args.length + 1] = dir.resolve("keystore.json").toString();
    int code = SealpostCli.execute(all, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  private String mailbox(EmbeddedRelay relay) {
    Result created = run("mailbox", "create", relay.address().format());
    assertThat(created.code()).as(created.err()).isZero();
    return run("mailbox", "address").out().strip();
  }

  private static List<Path> files(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return new ArrayList<>(s.sorted().toList());
    }
  }

  @Test
  void filesSentWithSendFileAreSavedUnderSafeNewNamesWithMode0600() throws Exception {
    try (EmbeddedRelay relay = EmbeddedRelay.start(dir.resolve("relay"), false, Map.of())) {
      String to = mailbox(relay);
      byte[] binary = new byte[5000];
      for (int i = 0; i < binary.length; i++) {
        binary[i] = (byte) (i * 31);
      }
      Path one = dir.resolve("one.bin");
      Files.write(one, binary);
      Path two = dir.resolve("two.txt");
      Files.writeString(two, "\u001b[2Jsecond\n");
      assertThat(run("send", to, "--file", one.toString()).code()).isZero();
      assertThat(run("send", to, "--file", two.toString()).code()).isZero();

      Path saved = dir.resolve("saved");
      Result received = run("receive", "--save", saved.toString());
      assertThat(received.code()).as(received.err()).isZero();
      assertThat(received.err()).contains("2 messages");

      List<Path> written = files(saved);
      assertThat(written).hasSize(2);
      assertThat(written)
          .allSatisfy(
              f -> {
                assertThat(f.getParent()).isEqualTo(saved.toAbsolutePath().normalize());
                assertThat(f.getFileName().toString()).matches("inbox-\\d{8}-\\d{6}-[0-9a-f]{8}");
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                    .isEqualTo("rw-------");
              });
      List<byte[]> contents = new ArrayList<>();
      for (Path f : written) {
        contents.add(Files.readAllBytes(f));
      }
      assertThat(contents)
          .anySatisfy(c -> assertThat(c).isEqualTo(binary))
          .anySatisfy(
              c -> assertThat(c).isEqualTo("\u001b[2Jsecond\n".getBytes(StandardCharsets.UTF_8)));
      Matcher printed = Pattern.compile("saved (\\d+) bytes to (.+)").matcher(received.out());
      assertThat(printed.find()).isTrue();
      assertThat(received.out()).doesNotContain("\u001b");

      // taken and acknowledged: nothing left
      assertThat(run("receive").err()).contains("0 messages");
    }
  }
}
