package org.caliop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  private static final String MESSAGE = "From: a@example.org\r\nTo: b@example.org\r\nSubject: hi\r\n\r\nhello\r\n";

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String stdin, String... args) {
    return Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private List<String> outLines() {
    return Arrays.asList(out.toString(StandardCharsets.UTF_8).split("\n"));
  }

  @Test
  void runShouldReturn2WithoutCommand() {
    assertThat(run("")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("caliop: say a command: score, stamp, policy, keys, hold or version (caliop --help)\n");
  }

  @Test
  void scoreShouldReturn2WithoutPathOrWithUnknownOption() {
    assertThat(run("", "score")).isEqualTo(2);
    assertThat(run("", "score", "--jsn", "x")).isEqualTo(2);
    assertThat(run("", "score", "--policy")).isEqualTo(2);
    assertThat(run("", "frobnicate")).isEqualTo(2);
  }

  @Test
  void policyShouldBeDispatched() {
    assertThat(run("", "policy")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("caliop policy: say check, explain, replay or export (caliop policy --help)\n");
  }

  @Test
  void scoreShouldWriteOneJsonLinePerMessageWithNullsForAbsentFields() throws IOException {
    Path m = Files.writeString(dir.resolve("m.eml"), MESSAGE);
    assertThat(run("", "score", "--json", m.toString())).isZero();
    assertThat(outLines()).hasSize(1);
    String line = outLines().get(0);
    assertThat(line).startsWith("{\"file\": \"" + m + "\", \"hops\": [");
    assertThat(line).contains("\"auth\": {\"dkim\": null, \"spf\": null, \"dmarc\": null, \"arc\": null}");
    assertThat(line).contains("\"content\": {\"encrypted\": \"none\", \"signed\": \"none\", \"signature\": \"none\","
        + " \"label_without_ciphertext\": false}");
    assertThat(line).contains("\"grade\": \"E\", \"version\": \"2\", \"reasons\": [{\"code\": \"transport-unknown\"");
  }

  @Test
  void scoreShouldShowEachHopsCountryWithItsSourceAndTrust() throws IOException {
    Path db = Path.of("src/test/resources/geo/test-country.mmdb").toAbsolutePath();
    Path policy = Files.writeString(dir.resolve("p.yaml"), "trust:\n  internal_hosts: [mx.example.org]\n"
        + "  geoip_database: " + db + "\n");
    Path m = Files.writeString(dir.resolve("m.eml"), "Received: from relay.example ([192.0.2.7]) by "
        + "mx.example.org with ESMTPS id A; Mon, 1 Jan 2024 00:00:00 +0000\r\nReceived: from [198.51.100.4] by "
        + "relay.example with ESMTPS; Mon, 1 Jan 2024 00:00:00 +0000\r\n" + MESSAGE);

    assertThat(run("", "score", "--json", "--policy", policy.toString(), m.toString())).isZero();
    String json = outLines().get(0);
    assertThat(json).contains("\"country\": \"DE\", \"country_source\": \"Caliop-Test-Country ")
        .contains("\"country\": \"RU\"");
    out.reset();
    assertThat(run("", "score", "--policy", policy.toString(), m.toString())).isZero();
    assertThat(outLines()).anyMatch(l -> l.startsWith("    1. internal  relay.example") && l.contains(
        "registered in DE per Caliop-Test-Country ") && !l.contains("(claimed)"));
    assertThat(outLines()).anyMatch(l -> l.startsWith("    2. claimed  198.51.100.4") && l.endsWith("(claimed)")
        && l.contains("registered in RU per"));
  }

  @Test
  void scoreShouldReportUnreadablePathsAndGoOn() throws IOException {
    Path m = Files.writeString(dir.resolve("m.eml"), MESSAGE);
    Path missing = dir.resolve("missing.eml");
    assertThat(run("", "score", "--json", missing.toString(), m.toString())).isEqualTo(1);
    assertThat(outLines()).hasSize(2);
    assertThat(outLines().get(0))
        .isEqualTo("{\"file\": \"" + missing + "\", \"error\": \"no such file or directory\"}");
    assertThat(outLines().get(1)).contains("\"grade\": ");
  }

  @Test
  void scoreShouldWalkDirectoriesRecursivelyInNameOrderSkippingDocs() throws IOException {
    Files.createDirectories(dir.resolve("b/c"));
    Files.writeString(dir.resolve("b/c/2.eml"), MESSAGE);
    Files.writeString(dir.resolve("a.eml"), MESSAGE);
    Files.writeString(dir.resolve("README.md"), "# not a message");
    Files.writeString(dir.resolve("trust.yaml"), "version: 1\n");
    Files.writeString(dir.resolve(".hidden"), MESSAGE);
    assertThat(run("", "score", "--json", dir.toString())).isZero();
    assertThat(files()).containsExactly(dir.resolve("a.eml").toString(), dir.resolve("b/c/2.eml").toString());
  }

  @Test
  void scoreShouldReadMaildirCurAndNewButNotTmp() throws IOException {
    Path md = dir.resolve("Maildir");
    for (String sub : new String[] {"cur", "new", "tmp", ".Sent/cur", ".Sent/new", ".Sent/tmp"}) {
      Files.createDirectories(md.resolve(sub));
    }
    Files.writeString(md.resolve("cur/1.host:2,S"), MESSAGE);
    Files.writeString(md.resolve("new/2.host"), MESSAGE);
    Files.writeString(md.resolve("tmp/3.host"), MESSAGE);
    Files.writeString(md.resolve(".Sent/cur/4.host:2,S"), MESSAGE);
    assertThat(run("", "score", "--json", md.toString())).isZero();
    assertThat(files()).containsExactly(md.resolve("cur/1.host:2,S").toString(), md.resolve("new/2.host").toString(),
        md.resolve(".Sent/cur/4.host:2,S").toString());
  }

  @Test
  void scoreShouldSplitAnMboxFromAFileAndFromStdin() throws IOException {
    String mbox = "From a@example.org Mon Jan  1 00:00:00 2024\n" + MESSAGE.replace("\r\n", "\n") + "\n"
        + "From b@example.org Mon Jan  1 00:00:00 2024\n" + MESSAGE.replace("\r\n", "\n") + "\n";
    Path box = Files.writeString(dir.resolve("box.mbox"), mbox);
    assertThat(run(mbox, "score", "--json", box.toString(), "-")).isZero();
    assertThat(files()).containsExactly(box + "#1", box + "#2", "-#1", "-#2");
  }

  @Test
  void scoreShouldPrintOneHumanBlockPerMessage() throws IOException {
    Path m = Files.writeString(dir.resolve("m.eml"), MESSAGE);
    assertThat(run("", "score", m.toString(), m.toString())).isZero();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).contains(m + "\n  grade E  score 0/100  (formula v2)\n  hops: none\n");
    assertThat(text).contains("  reasons:\n    transport-unknown: ");
    assertThat(text.split("\n\n")).hasSize(2);
  }

  @Test
  void scoreShouldUseTheTrustSettingsOfAPolicyFile() throws IOException {
    Path sample = Path.of("../examples/messages/grade-A-local-authenticated-pgp-encrypted.eml");
    assertThat(run("", "score", "--json", sample.toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"grade\": \"C\"");
    out.reset();
    assertThat(run("", "score", "--json", "--policy", "../examples/messages/trust.yaml", sample.toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"grade\": \"A\"", "\"trust\": \"internal\"");
  }

  @Test
  void scoreShouldReturn2AndListErrorsWhenThePolicyFileIsBad() throws IOException {
    Path m = Files.writeString(dir.resolve("m.eml"), MESSAGE);
    Path bad = Files.writeString(dir.resolve("p.yaml"), "version: 1\nmode: enforce\nfrobnicate: 3\n");
    assertThat(run("", "score", "--policy", bad.toString(), m.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(bad + ":3:");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(run("", "score", "--policy", dir.resolve("none.yaml").toString(), m.toString())).isEqualTo(2);
  }

  private List<String> files() {
    return outLines().stream().map(l -> l.substring("{\"file\": \"".length(), l.indexOf("\", ")))
        .collect(Collectors.toList());
  }
}
