package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * subject_prefix through a real Postfix: the Subject of the delivered file, changed in place by our chgheader,
 * carries our grade and none of the forged ones the client sent (encoded, folded, repeated). Loopback is not an
 * internal network here, so the test client's mail is inbound; carol's rule sets no prefix of her own but inherits
 * global's, which never fires for her (min_grade: E).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostfixSubjectPrefixTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern GRADE = Pattern.compile("(?m)^Caliop-Privacy: .*grade=([A-E])");

  @TempDir
  static Path dir;

  private CaliopMilter milter;
  private PrivatePostfix postfix;

  @BeforeAll
  void start() throws Exception {
    assumeTrue(PrivatePostfix.available(), "needs root, /usr/sbin/postfix and openssl (.ci/run installs them)");
    Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Path policyFile = dir.resolve("policy.yaml");
    Files.writeString(policyFile, String.join("\n",
        "trust:",
        "  internal_networks: [10.0.0.0/8]",
        "  local_domains: [example.net]",
        "global:",
        "  inbound:",
        "    min_grade: A",
        "    action: tag",
        "    subject_prefix: \"[privacy {grade}] \"",
        "users:",
        "  carol@example.net:",
        "    inbound:",
        "      min_grade: E",
        ""));
    milter = PolicyFileMilter.start(policyFile);
    postfix = PrivatePostfix.start(Files.createDirectories(dir.resolve("postfix")),
        Map.of("subject", PolicyFileMilter.address(milter)));
  }

  @AfterAll
  void stop() throws Exception {
    if (postfix != null) {
      postfix.close();
    }
    if (milter != null) {
      milter.close();
    }
  }

  @Test
  void theDeliveredSubjectShouldCarryOurGradeAndNoForgedOne() throws Exception {
    String marker = "m-" + UUID.randomUUID();
    String text = deliver("bob@example.net", marker,
        "=?UTF-8?Q?=5Bprivacy_A=5D?= [privacy\r\n B] " + marker + " [ PRIVACY a ]");

    Matcher grade = GRADE.matcher(text);
    assertThat(grade.find()).as(text).isTrue();
    assertThat(subjects(text)).containsExactly("[privacy " + grade.group(1) + "] " + marker);
    assertThat(grade.group(1)).isNotEqualTo("A");
  }

  @Test
  void aLongNonAsciiSubjectShouldArriveEncodedAndFoldedAsPostfixWritesIt() throws Exception {
    String marker = "m-" + UUID.randomUUID();
    String words = "Gr\u00fc\u00dfe aus Z\u00fcrich, ".repeat(6).strip();
    String text = deliver("bob@example.net", marker, "[privacy A] " + marker + " =?UTF-8?B?"
        + java.util.Base64.getEncoder().encodeToString(words.getBytes(StandardCharsets.UTF_8)) + "?=");

    Matcher grade = GRADE.matcher(text);
    assertThat(grade.find()).as(text).isTrue();
    assertThat(subjects(text)).containsExactly("[privacy " + grade.group(1) + "] " + marker + " " + words);
    String header = text.substring(0, text.indexOf("\n\n"));
    for (String line : header.split("\r?\n")) {
      assertThat(line).as("ASCII, folded").matches("\\p{ASCII}{0,998}");
    }
  }

  @Test
  void mailTheRuleDoesNotTagShouldStillLoseTheForgedGrade() throws Exception {
    String marker = "m-" + UUID.randomUUID();
    String text = deliver("carol@example.net", marker, "[privacy A] " + marker);

    assertThat(text).doesNotContain("Caliop-Policy:");
    assertThat(subjects(text)).containsExactly(marker);
  }

  private String deliver(String rcpt, String marker, String subject) throws Exception {
    String message = "From: <sender@x.test>\r\nTo: <" + rcpt + ">\r\nSubject: " + subject + "\r\nMessage-ID: <"
        + marker + "@x.test>\r\n\r\nHello, " + marker + ".\r\n";
    SmtpClient.Result r = SmtpClient.send(postfix.smtpPort("subject"), null, "sender@x.test", List.of(rcpt),
        message);
    assertThat(r.code()).as(r.reply()).isEqualTo(250);
    List<Path> files = postfix.awaitDelivered(marker, WAIT);
    assertThat(files).as("delivered %s\n%s", marker, postfix.maillog()).hasSize(1);
    return Files.readString(files.get(0), StandardCharsets.ISO_8859_1);
  }

  /** Every Subject of the delivered file's header, unfolded and decoded as a reader sees it. */
  private static List<String> subjects(String text) {
    String header = text.substring(0, text.indexOf("\n\n")).replaceAll("\r?\n[ \t]", " ");
    List<String> out = new java.util.ArrayList<>();
    for (String line : header.split("\r?\n")) {
      if (line.regionMatches(true, 0, "Subject:", 0, 8)) {
        String raw = new String(line.substring(8).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        out.add(DecoderUtil.decodeEncodedWords(raw, DecodeMonitor.SILENT).strip());
      }
    }
    return out;
  }
}
