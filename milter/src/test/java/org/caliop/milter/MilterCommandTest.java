package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.caliop.engine.BuildInfo;
import org.caliop.milter.config.Knob;
import org.caliop.milter.config.MilterConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MilterCommandTest {
  @TempDir
  Path dir;

  record Run(int exit, String out, String err) {
  }

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = MilterCommand.commandLine("caliop-milter", new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static MilterConfig config(String... args) throws Exception {
    CommandLine cl = MilterCommand.commandLine("caliop-milter", System.out, System.err);
    return MilterCommand.config(cl.parseArgs(args));
  }

  @Test
  void helpShouldGoToStandardOutputWithEverySettingAndExitZero() {
    Run r = run("--help");

    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).startsWith("Usage: caliop-milter [-n] [-c FILE]");
    // Compared without white space: the help is wrapped to the terminal's width.
    String unwrapped = r.out().replaceAll("\\s+", "");
    for (Knob k : Knob.values()) {
      assertThat(unwrapped).contains(k.flag() + "=" + k.syntax()).contains(("Sets " + k.key() + " (default: "
          + (k.defaultValue().isEmpty() ? "empty" : k.defaultValue()) + ")").replace(" ", ""));
    }
  }

  @Test
  void versionShouldNameTheReleaseAndTheScoreFormula() {
    Run r = run("--version");

    assertThat(r.exit()).isZero();
    assertThat(r.out().trim()).isEqualTo(BuildInfo.current().describe());
  }

  @Test
  void anUnknownOptionShouldBeOneLineAndExitTwo() {
    Run r = run("--max-inspect-sise", "1m");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("caliop-milter: unknown option '--max-inspect-sise', did you mean"
        + " --max-inspect-size? (caliop-milter --help)" + System.lineSeparator());
  }

  @Test
  void aBadValueShouldBeOneLineNamingTheSettingAndExitTwo() {
    Run r = run("-n", "--max-inspect-size", "0x");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).hasLineCount(1)
        .startsWith("caliop-milter: caliop_max_inspect_size: expected a positive size in bytes");
  }

  @Test
  void aBadLineInTheConfigFileShouldBeOneLineNamingTheFileAndLine() throws Exception {
    Path cf = dir.resolve("milter.cf");
    Files.writeString(cf, "# caliop\ncaliop_workers = 2\ncaliop_wrokers = 3\n");

    Run r = run("-n", "--config", cf.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).hasLineCount(1).contains(cf + ":3: unknown setting 'caliop_wrokers' (did you mean"
        + " 'caliop_workers'?)");
  }

  @Test
  void anUnknownDashOSettingShouldGetTheNearestName() {
    Run r = run("-n", "-o", "caliop_polcy_file=/etc/caliop/policy.yaml");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).hasLineCount(1).contains("unknown setting 'caliop_polcy_file' (did you mean"
        + " 'caliop_policy_file'?)");
  }

  @Test
  void aBrokenPolicyAtStartShouldBeReportedOnceWithoutTalkOfKeepingAnother() throws Exception {
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, "global:\n  min_score: 50\n  action: rejct\n");
    PrintStream original = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Run r;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      r = run("-n", "--policy", policy.toString());
    } finally {
      System.setErr(original);
    }
    String all = r.err() + log.toString(StandardCharsets.UTF_8);

    assertThat(r.exit()).isNotZero();
    assertThat(all).contains(policy + ":3:11: unknown action 'rejct' (did you mean 'reject'?)")
        .doesNotContain("keeping").doesNotContain("reload failed").doesNotContain("built-in");
    assertThat(all.split("unknown action", -1)).hasSize(2);
  }

  @Test
  void theLaterOfTwoSettingsShouldWinWhateverTheirSpelling() throws Exception {
    Path cf = dir.resolve("milter.cf");
    Files.writeString(cf, "caliop_workers = 2\n");

    assertThat(config("--config", cf.toString()).workers()).isEqualTo(2);
    assertThat(config("--config", cf.toString(), "--workers", "3").workers()).isEqualTo(3);
    assertThat(config("--workers", "3", "-o", "caliop_workers=5").workers()).isEqualTo(5);
    assertThat(config("-o", "caliop_workers=5", "--workers=3").workers()).isEqualTo(3);
    assertThat(config("--workers", "3", "--workers", "4").workers()).isEqualTo(4);
  }

  @Test
  void policyAndPolicyFileShouldBothSetThePolicyFile() throws Exception {
    assertThat(config("--policy", "a.yaml").policyFile()).contains(Path.of("a.yaml"));
    assertThat(config("--policy-file", "b.yaml").policyFile()).contains(Path.of("b.yaml"));
  }

  @Test
  void checkShouldPrintConfigurationOk() {
    Run r = run("-n", "--listen", "inet:127.0.0.1:0");

    assertThat(r.exit()).as(r.err()).isZero();
  }
}
