package org.sealpost.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.relay.config.Setting;

/**
 * The Debian package the build made, read with dpkg-deb: its metadata and files, the wrapper run
 * from an unpacked root with the system JDK, and maintainer scripts that keep the relay's data.
 */
class DebPackageIT {
  private static final Path DEB = Path.of(System.getProperty("deb.file", "target/sealpost.deb"));

  @TempDir Path root;

  @Test
  void metadataNamesThePackageItsJavaAndTheConffile() throws Exception {
    String info = run(List.of("dpkg-deb", "--info", DEB.toString()));
    assertThat(info)
        .contains("Package: sealpost")
        .contains("Depends: default-jre-headless")
        .contains("postinst", "postrm", "conffiles");
    assertThat(run(List.of("dpkg-deb", "--field", DEB.toString(), "Version"))).startsWith("0.1.0");
  }

  @Test
  void installsTheCommandJarUnitAndConfiguration() throws Exception {
    String contents = run(List.of("dpkg-deb", "--contents", DEB.toString()));
    assertThat(contents)
        .contains("-rwxr-xr-x root/root", "./usr/bin/sealpost")
        .contains("./usr/share/sealpost/sealpost.jar")
        .contains("./lib/systemd/system/sealpost-relay.service")
        .contains("-rw-r----- root/root", "./etc/sealpost/relay.properties");
  }

  @Test
  void theUnpackedWrapperRunsTheCommandWithTheSystemJdk() throws Exception {
    run(List.of("dpkg-deb", "-x", DEB.toString(), root.toString()));
    String help = run(List.of(root.resolve("usr/bin/sealpost").toString(), "--help"));
    assertThat(help).contains("Usage: sealpost").contains("relay");
    // issue 12: the shipped configuration passes the relay's own check
    String check =
        run(
            List.of(
                root.resolve("usr/bin/sealpost").toString(),
                "relay",
                "--check",
                "--config",
                root.resolve("etc/sealpost/relay.properties").toString(),
                "--data-dir",
                root.resolve("var/lib/sealpost-new").toString()));
    assertThat(check).contains("configuration: ok", "ok: the relay would start");
  }

  @Test
  void theConfigurationListsEverySettingAndPointsAtTheDataDirectory() throws Exception {
    run(List.of("dpkg-deb", "-x", DEB.toString(), root.toString()));
    String conf = Files.readString(root.resolve("etc/sealpost/relay.properties"));
    for (Setting s : Setting.values()) {
      assertThat(conf).as(s.key()).containsPattern("(?m)^#?" + s.key().replace(".", "\\.") + " =");
    }
    assertThat(conf).containsPattern("(?m)^data-dir = /var/lib/sealpost$");
    String unit = Files.readString(root.resolve("lib/systemd/system/sealpost-relay.service"));
    assertThat(unit)
        .contains("User=sealpost")
        .contains("ExecStart=/usr/bin/sealpost relay --config /etc/sealpost/relay.properties")
        .contains("StateDirectoryMode=0700");
  }

  @Test
  void maintainerScriptsCreateTheDataDirectoryAndNeverDeleteIt() throws Exception {
    Path control = root.resolve("DEBIAN");
    run(List.of("dpkg-deb", "-e", DEB.toString(), control.toString()));
    String postinst = Files.readString(control.resolve("postinst"));
    assertThat(postinst).contains("chmod 0700 /var/lib/sealpost").contains("adduser --system");
    for (String script : List.of("preinst", "postinst", "prerm", "postrm")) {
      Path p = control.resolve(script);
      if (Files.exists(p)) {
        assertThat(Files.readAllLines(p))
            .as(script)
            .noneMatch(l -> l.matches("^\\s*rm\\b.*") && l.contains("/var/lib/sealpost"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
            .startsWith("rwx");
        run(List.of("sh", "-n", p.toString()));
      }
    }
    assertThat(Files.readString(control.resolve("postrm"))).contains("kept /var/lib/sealpost");
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    assertThat(p.exitValue()).as("%s exit code; output:%n%s", command, out).isZero();
    return out;
  }
}
