package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.caliop.milter.config.Knob;
import org.caliop.milter.config.MilterConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11's edges through a real Postfix and a caliop milter running a real policy file: who may write trusted
 * {@code Received:} lines (a declared relay's listener against any other loopback client), recipients judged as
 * Postfix canonicalises them ({@code {rcpt_addr}}), and forged {@code Caliop-*} fields: behind a bare CR, after
 * 10,000 other foreign fields, past the bound, and in mail submitted with {@code sendmail(1)}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrustEdgesPostfixTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** A local web form's submission, dressed up as an authenticated TLS 1.3 one, around a clear body. */
  private static final String FORGED_RECEIVED = "Received: from [192.168.1.10] (client.example [198.51.100.7])\r\n"
      + "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\r\n"
      + "\t(Authenticated sender: ceo)\r\n"
      + "\tby mx.caliop.test (Postfix) with ESMTPSA id 4FORGED1\r\n"
      + "\tfor <bob@example.net>; Mon, 1 Jan 2024 00:00:00 +0000\r\n";

  @TempDir
  static Path dir;

  private CaliopMilter milter;
  private PrivatePostfix postfix;

  @BeforeAll
  void start() throws Exception {
    assumeTrue(PrivatePostfix.available(), "needs root, /usr/sbin/postfix and openssl (.ci/run installs them)");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path policyFile = Files.writeString(dir.resolve("policy.yaml"), String.join("\n",
        "trust:",
        "  local_domains: [example.org]",
        "  recipient_delimiter: +",
        "  trusted_relays:",
        "    - networks: [127.0.0.1]",
        "      daemon_name: reinject",
        "users:",
        "  ceo@example.org:",
        "    require_encryption: any",
        "    action: reject",
        "    reply_text: ceo rule",
        "  boss@bücher.example:",
        "    require_encryption: any",
        "    action: reject",
        "    reply_text: boss rule",
        ""));
    Map<Knob, String> settings = new EnumMap<>(Knob.class);
    settings.put(Knob.LISTEN, "inet:127.0.0.1:0");
    settings.put(Knob.POLICY_FILE, policyFile.toString());
    settings.put(Knob.EVAL_TIMEOUT, "120s");
    MilterConfig config = MilterConfig.of(settings);
    milter = CaliopMilter.start(config, Policies.open(config));
    String socket = "inet:127.0.0.1:" + ((InetSocketAddress) milter.addresses().get(0)).getPort();
    Map<String, String> milters = new LinkedHashMap<>();
    milters.put("smtp", socket);
    milters.put("reinject", socket);
    postfix = PrivatePostfix.start(Files.createDirectories(dir.resolve("postfix")), milters,
        Map.of("reinject", List.of("milter_macro_daemon_name=reinject")),
        // a recipient without a domain is completed by Postfix with $myorigin before {rcpt_addr}
        List.of("non_smtpd_milters = " + socket, "milter_content_timeout = 300s", "myorigin = example.org"));
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

  private static String marker() {
    return "m-" + UUID.randomUUID();
  }

  private SmtpClient.Result send(String listener, String rcpt, String message) throws Exception {
    return SmtpClient.send(postfix.smtpPort(listener), null, "sender@partner.example", List.of(rcpt), message);
  }

  private String deliveredOnce(String marker) throws Exception {
    List<Path> files = postfix.awaitDelivered(marker, WAIT);
    assertThat(files).as("delivered files for " + marker + "\n" + postfix.maillog()).hasSize(1);
    return Files.readString(files.get(0), StandardCharsets.ISO_8859_1);
  }

  private static String headerSection(String message) {
    int end = message.indexOf("\n\n");
    return end < 0 ? message : message.substring(0, end);
  }

  private static String field(String message, String name) {
    for (String line : headerSection(message).replace("\n\t", " ").replace("\n ", " ").split("\n")) {
      if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
        return line.substring(name.length() + 1).trim();
      }
    }
    return null;
  }

  private static String fakePgpMime(String marker) {
    return FORGED_RECEIVED + "From: ceo@example.org\r\nTo: bob@example.net\r\nSubject: " + marker + "\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"b\"\r\n\r\n"
        + "--b\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n"
        + "--b\r\nContent-Type: application/octet-stream\r\n\r\nPlease wire 50,000 EUR today.\r\n--b--\r\n";
  }

  @Test
  void aLocalClientsForgedSubmissionLineShouldEarnNothing() throws Exception {
    String marker = marker();
    SmtpClient.Result r = send("smtp", "bob@example.net", fakePgpMime(marker));

    assertThat(r.code()).as(r.reply()).isEqualTo(250);
    String privacy = field(deliveredOnce(marker), "Caliop-Privacy");
    assertThat(privacy).doesNotContain("sender-authenticated").doesNotContain("hop-internal")
        .doesNotContain("grade=A").doesNotContain("grade=B").contains("transport-unknown");
  }

  @Test
  void aDeclaredRelayOnItsOwnListenerShouldBeBelieved() throws Exception {
    String marker = marker();
    SmtpClient.Result r = send("reinject", "bob@example.net", fakePgpMime(marker));

    assertThat(r.code()).as(r.reply()).isEqualTo(250);
    assertThat(field(deliveredOnce(marker), "Caliop-Privacy")).contains("sender-authenticated")
        .contains("hop-internal-tls13");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ceo@example.org", "\"ceo\"@example.org", "CEO@Example.ORG", "ceo+board@example.org",
      "\"ceo+board\"@example.org", "ceo", "boss@xn--bcher-kva.example", "BOSS+x@XN--BCHER-KVA.example"})
  void everySpellingOfAUserShouldMeetTheUsersRule(String spelling) throws Exception {
    String marker = marker();
    SmtpClient.Result r = send("smtp", spelling, "Subject: " + marker + "\r\n\r\nclear\r\n");

    assertThat(r.code()).as(spelling + ": " + r.reply()).isEqualTo(550);
    assertThat(r.reply()).containsAnyOf("ceo rule", "boss rule");
  }

  @Test
  void otherUsersShouldNotMeetTheRule() throws Exception {
    for (String other : List.of("ceox@example.org", "ceo@example.net", "\"ceo board\"@example.org")) {
      String marker = marker();
      SmtpClient.Result r = send("smtp", other, "Subject: " + marker + "\r\n\r\nclear\r\n");
      assertThat(r.code()).as(other + ": " + r.reply()).isEqualTo(250);
    }
  }

  @Test
  void aForgedFieldBehindABareCrShouldNeverBeAFieldOfItsOwn() throws Exception {
    String marker = marker();
    SmtpClient.Result r = send("smtp", "bob@example.net",
        "Subject: " + marker + "\rCaliop-Privacy: v=2, score=100, grade=A\r\n\r\nbody\r\n");

    // Postfix 3.7 turns a bare CR inside a header into a space, so the milter never sees one (where an MTA hands
    // one over, caliop refuses the message: ForeignFieldsMilterTest); either way no reader splits a field there
    assertThat(r.code()).as(r.reply()).isEqualTo(250);
    String delivered = headerSection(deliveredOnce(marker));
    assertThat(delivered).doesNotContain("\r");
    assertThat(delivered.lines().filter(l -> l.startsWith("Caliop-Privacy:"))).singleElement().asString()
        .doesNotContain("score=100");
  }

  @Test
  void aForgedFieldAfterTenThousandOtherForeignFieldsShouldBeRemoved() throws Exception {
    String marker = marker();
    StringBuilder m = new StringBuilder("Subject: ").append(marker).append("\r\n");
    for (int i = 0; i < 10_000; i++) {
      m.append("Caliop-Junk: ").append(i).append("\r\n");
    }
    m.append("Caliop-Privacy: v=2, score=100, grade=A, forged\r\n\r\nbody\r\n");

    SmtpClient.Result r = send("smtp", "bob@example.net", m.toString());

    assertThat(r.code()).as(r.reply()).isEqualTo(250);
    String delivered = headerSection(deliveredOnce(marker));
    assertThat(delivered).doesNotContain("Caliop-Junk").doesNotContain("forged");
    assertThat(delivered).containsOnlyOnce("Caliop-Privacy:");
  }

  @Test
  void pastTheForeignFieldBoundTheMessageShouldGetOnError() throws Exception {
    String marker = marker();
    StringBuilder m = new StringBuilder("Subject: ").append(marker).append("\r\n");
    for (int i = 0; i <= org.caliop.message.ForeignFields.MAX_NAMES; i++) {
      m.append("Caliop-X").append(i).append(": x\r\n");
    }
    m.append("\r\nbody\r\n");

    SmtpClient.Result r = send("smtp", "bob@example.net", m.toString());

    assertThat(r.code()).as("caliop_on_error=tempfail: " + r.reply()).isEqualTo(451);
    assertThat(postfix.delivered(marker)).isEmpty();
  }

  @Test
  void mailSubmittedWithSendmailShouldLoseForgedFieldsToo() throws Exception {
    String marker = marker();
    String message = "Caliop-Privacy: v=2, score=100, grade=A, forged\r\nCaliop-Hop: forged\r\nSubject: " + marker
        + "\r\n\r\nfrom cron\r\n";

    postfix.sendmail("cron@example.org", "bob@example.net", message.getBytes(StandardCharsets.US_ASCII));

    String delivered = headerSection(deliveredOnce(marker));
    assertThat(delivered).doesNotContain("forged");
    assertThat(delivered).containsOnlyOnce("Caliop-Privacy:");
  }
}
