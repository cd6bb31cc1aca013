package org.caliop.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Envelope;
import org.caliop.facts.HeaderEdit;
import org.caliop.policy.CompiledPolicy;
import org.caliop.policy.PolicyLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * subject_prefix through the engine: our prefix on tagged inbound mail, every forged prefix of its shape removed
 * first (plain, spaced, encoded, folded, repeated, hidden behind invisible or look-alike characters), and no edit in
 * dry-run or on outbound mail.
 */
class SubjectPrefixEngineTest {
  /** Inbound from a stranger in clear: grade below A, so a rule asking for A fires. */
  private static final String TAG_BELOW_A = String.join("\n", "version: 1", "trust:",
      "  local_domains: [example.org]", "global:", "  inbound:", "    min_grade: A", "    action: tag",
      "    subject_prefix: '[privacy {grade}] '", "");

  @TempDir
  Path dir;

  private Verdict judge(String policy, ConnectionFacts client, String sender, String headers) throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, policy, StandardCharsets.UTF_8);
    CompiledPolicy p = PolicyLoader.load(file);
    String message = "From: " + sender + "\r\nTo: bob@example.org\r\n" + headers
        + "Date: Thu, 03 Dec 2026 10:00:00 +0000\r\n\r\nhello\r\n";
    return new Engine(() -> p).evaluate(client, Envelope.of(sender, List.of("bob@example.org")),
        MessageSource.of(message.getBytes(StandardCharsets.UTF_8)));
  }

  private static ConnectionFacts stranger() {
    return ConnectionFacts.builder().clientAddress("192.0.2.1").helo("mx.partner.example").queueId("4ABC")
        .protocol("ESMTP").build();
  }

  private Verdict inbound(String policy, String headers) throws Exception {
    return judge(policy, stranger(), "alice@partner.example", headers);
  }

  private static List<HeaderEdit> subjectEdits(Verdict v) {
    return v.headerEdits().stream().filter(e -> e.name().equalsIgnoreCase("Subject")).collect(Collectors.toList());
  }

  /** What a reader sees in the first Subject after the edits: unfolded and decoded. */
  private static Optional<String> seen(Verdict v) {
    return subjectEdits(v).stream().filter(e -> e.occurrence() <= 1).findFirst()
        .map(e -> DecoderUtil.decodeEncodedWords(e.value().replace("\r\n", ""), DecodeMonitor.SILENT));
  }

  private String grade(Verdict v) {
    return v.score().grade().name();
  }

  @Test
  void aTaggedInboundMessageShouldGetOurPrefix() throws Exception {
    Verdict v = inbound(TAG_BELOW_A, "Subject: hello\r\n");
    assertThat(v.decision().action().token()).isEqualTo("tag");
    assertThat(subjectEdits(v)).containsExactly(HeaderEdit.replace("Subject", 1, "[privacy " + grade(v) + "] hello"));
  }

  @Test
  void theScorePlaceholderShouldGiveTheScore() throws Exception {
    Verdict v = inbound(TAG_BELOW_A.replace("[privacy {grade}] ", "[privacy {grade} {score}]"), "Subject: hi\r\n");
    assertThat(seen(v)).contains("[privacy " + grade(v) + " " + v.score().value() + "] hi");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "[privacy A] hello",
      "[privacy a] hello",
      "[ PRIVACY   B ]hello",
      "[privacy A] [privacy B] hello",
      "Re: [privacy A] hello",
      "=?UTF-8?B?W3ByaXZhY3kgQV0=?= hello",
      "=?utf-8?q?=5Bprivacy?= =?utf-8?q?_A=5D?= hello",
      "[privacy\r\n A] hello",
      "[privacy\r\n\tA]\r\n hello",
      "[privacy\u00a0A] hello",
      "[priv\u200bacy A] hello",
      "\uff3bprivacy \uff21\uff3d hello",
      "[priv[privacy A]acy B] hello",
      "=?ISO-8859-1?Q?[privacy_C]?= hello",
      "=?utf-8*en?q?=5Bprivacy_A=5D?= hello",
      "=?utf-7?q?+AFs-privacy_A+AF0-?= hello",
      "=?UTF-7?B?K0FGcy1wcml2YWN5IEErQUYwLQ==?= hello"})
  void aForgedPrefixShouldBeRemovedBeforeOursIsAdded(String forged) throws Exception {
    Verdict v = inbound(TAG_BELOW_A, "Subject: " + forged + "\r\n");
    String expected = forged.startsWith("Re:") ? "Re: hello" : "hello";
    assertThat(seen(v)).contains("[privacy " + grade(v) + "] " + expected);
  }

  @Test
  void aForgedPrefixShouldBeRemovedFromAMessageTheRuleDoesNotTag() throws Exception {
    String acceptAll = TAG_BELOW_A.replace("min_grade: A", "min_grade: E");
    Verdict v = inbound(acceptAll, "Subject: [privacy A] hello [privacy B]\r\n");
    assertThat(v.decision().action().token()).isEqualTo("accept");
    assertThat(subjectEdits(v)).containsExactly(HeaderEdit.replace("Subject", 1, "hello"));
  }

  @Test
  void anUntouchedSubjectShouldKeepItsEncodedWordsAndGetOnlyOurPrefix() throws Exception {
    Verdict v = inbound(TAG_BELOW_A, "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n");
    assertThat(subjectEdits(v)).containsExactly(
        HeaderEdit.replace("Subject", 1, "[privacy " + grade(v) + "] =?UTF-8?Q?Gr=C3=BC=C3=9Fe?="));
  }

  @Test
  void aChangedNonAsciiSubjectShouldBeWrittenAsEncodedWordsAfterOurPlainPrefix() throws Exception {
    Verdict v = inbound(TAG_BELOW_A, "Subject: [privacy A] Gr\u00fc\u00dfe aus Z\u00fcrich\r\n");
    String value = subjectEdits(v).get(0).value();
    assertThat(value).startsWith("[privacy " + grade(v) + "] =?UTF-8?").matches("\\p{ASCII}*");
    assertThat(seen(v)).contains("[privacy " + grade(v) + "] Gr\u00fc\u00dfe aus Z\u00fcrich");
  }

  @Test
  void aLongSubjectShouldBeFoldedAtSpaces() throws Exception {
    String words = "word ".repeat(40).trim();
    Verdict v = inbound(TAG_BELOW_A, "Subject: [privacy A] " + words + "\r\n");
    String value = subjectEdits(v).get(0).value();
    assertThat(value).contains("\r\n ");
    for (String line : value.split("\r\n")) {
      assertThat(line.length()).isLessThanOrEqualTo(78);
    }
    assertThat(seen(v)).contains("[privacy " + grade(v) + "] " + words);
  }

  @Test
  void everySubjectFieldShouldBeCleanedAndTagged() throws Exception {
    Verdict v = inbound(TAG_BELOW_A, "Subject: [privacy A] one\r\nSubject: two\r\n");
    assertThat(subjectEdits(v)).containsExactly(HeaderEdit.replace("Subject", 1, "[privacy " + grade(v) + "] one"),
        HeaderEdit.replace("Subject", 2, "[privacy " + grade(v) + "] two"));
  }

  @Test
  void aTaggedMessageWithoutSubjectShouldGetOne() throws Exception {
    Verdict v = inbound(TAG_BELOW_A, "");
    assertThat(subjectEdits(v)).containsExactly(HeaderEdit.add("Subject", "[privacy " + grade(v) + "]"));
  }

  @Test
  void aSubjectOfNothingButForgedPrefixesShouldBecomeOurPrefixAlone() throws Exception {
    Verdict v = inbound(TAG_BELOW_A, "Subject: [privacy A]\r\n");
    assertThat(subjectEdits(v)).containsExactly(HeaderEdit.replace("Subject", 1, "[privacy " + grade(v) + "]"));
  }

  @Test
  void dryRunShouldNeverEditTheSubject() throws Exception {
    Verdict v = inbound(TAG_BELOW_A.replace("version: 1", "version: 1\nmode: dry-run"),
        "Subject: [privacy A] hello\r\n");
    assertThat(v.decision().dryRun()).isTrue();
    assertThat(subjectEdits(v)).isEmpty();
  }

  @Test
  void outboundMailShouldNeverBeTaggedNorCleaned() throws Exception {
    String everywhere = String.join("\n", "version: 1", "trust:", "  local_domains: [example.org]", "global:",
        "  min_grade: A", "  action: tag", "  subject_prefix: '[privacy {grade}] '", "");
    ConnectionFacts submission = ConnectionFacts.builder().clientAddress("198.51.100.7").helo("laptop")
        .authUser("bob").queueId("4ABD").protocol("ESMTPSA").tlsVersion("TLSv1.3").build();
    Verdict v = judge(everywhere, submission, "bob@example.org",
        "Subject: [privacy A] hello\r\n");
    assertThat(v.facts().direction().token()).isNotEqualTo("inbound");
    assertThat(subjectEdits(v)).isEmpty();
  }

  @Test
  void noPrefixConfiguredShouldLeaveTheSubjectAlone() throws Exception {
    Verdict v = inbound(TAG_BELOW_A.replace("    subject_prefix: '[privacy {grade}] '\n", ""),
        "Subject: [privacy A] hello\r\n");
    assertThat(subjectEdits(v)).isEmpty();
  }

  @Test
  void prefixesNestedInsideEachOtherShouldAllGo() throws Exception {
    String nest = "[priv".repeat(5) + "[privacy A]" + "acy B]".repeat(5);
    Verdict v = inbound(TAG_BELOW_A, "Subject: " + nest + " hello\r\n");
    assertThat(seen(v)).contains("[privacy " + grade(v) + "] hello");
  }

  @Test
  void aNestDeeperThanTheRoundsShouldLoseItsTextRatherThanKeepAForgedGrade() throws Exception {
    String nest = "[priv".repeat(20) + "[privacy A]" + "acy B]".repeat(20);
    Verdict v = inbound(TAG_BELOW_A, "Subject: " + nest + " hello\r\n");
    assertThat(seen(v)).contains("[privacy " + grade(v) + "]");
  }
}
