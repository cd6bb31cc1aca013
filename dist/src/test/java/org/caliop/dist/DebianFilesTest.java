package org.caliop.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.caliop.milter.config.Knob;
import org.caliop.milter.config.MilterConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebianFilesTest {
  @TempDir
  Path dir;

  @Test
  void thePackagesMilterCfShouldSetTheSocketThePolicyAndTheSpillDirectoryAndListTheRest() throws Exception {
    String cf = DebianFiles.milterCf();
    Path file = dir.resolve("milter.cf");
    Files.writeString(file, cf);

    MilterConfig config = MilterConfig.of(MilterConfig.readFile(file));

    assertThat(config.listen()).hasSize(1);
    assertThat(config.listen().get(0).toString()).contains("/var/spool/postfix/caliop/milter.sock");
    assertThat(config.policyFile()).contains(Path.of("/etc/caliop/policy.yaml"));
    assertThat(config.spillDirectory()).isEqualTo(Path.of("/var/lib/caliop"));
    for (Knob k : Knob.values()) {
      if (!DebianFiles.PACKAGE_SETTINGS.containsKey(k)) {
        assertThat(cf).as(k.key()).contains(("# " + k.key() + " = " + k.defaultValue()).trim() + "\n");
      }
    }
    // Uncommented, the defaults: nothing else is set behind the admin's back.
    Path all = dir.resolve("all.cf");
    Files.writeString(all, cf.replaceAll("(?m)^# (caliop_)", "$1"));
    assertThat(MilterConfig.readFile(all)).hasSize(Knob.values().length);
  }

  @Test
  void theDebianChangelogShouldBeInDpkgsFormat() {
    String c = DebianFiles.changelog("0.2.0", LocalDate.of(2026, 12, 3), "A <a@b.example>");

    assertThat(c).startsWith("caliop (0.2.0) unstable; urgency=medium\n\n  * ")
        .endsWith("\n\n -- A <a@b.example>  Thu, 03 Dec 2026 12:00:00 +0000\n");
    assertThat(c.lines()).allMatch(l -> l.length() <= 80);
  }
}
