package org.caliop.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Envelope;
import org.caliop.hop.Hop;
import org.caliop.hop.Trust;
import org.caliop.policy.PolicyHolder;
import org.caliop.score.Grade;
import org.caliop.score.Reason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may write trusted {@code Received:} lines, through the engine: a client that is ours for direction (a web form
 * on 127.0.0.1) is first-hand only, whatever it writes; a declared relay on its own listener is believed.
 */
class TrustedRelayEngineTest {
  /** What a local web form would write to pass itself off as an authenticated TLS 1.3 submission. */
  private static final String FORGED = "Received: from [192.168.1.10] (client.example [198.51.100.7])\r\n"
      + "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\r\n"
      + "\t(Authenticated sender: ceo)\r\n"
      + "\tby mx.ours.example (Postfix) with ESMTPSA id 4FORGED1\r\n"
      + "\tfor <bob@example.org>; Mon, 1 Jan 2024 00:00:00 +0000\r\n";
  /** A PGP/MIME wrapper around clear text: what the content detector must not credit (and here cannot help). */
  private static final String FAKE_PGP_MIME = "From: ceo@example.org\r\nTo: bob@example.org\r\nSubject: pay\r\n"
      + "MIME-Version: 1.0\r\n"
      + "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"b\"\r\n\r\n"
      + "--b\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n"
      + "--b\r\nContent-Type: application/octet-stream\r\n\r\nPlease wire 50,000 EUR today.\r\n--b--\r\n";
  private static final Path REAL_PGP_MIME = Path.of("../../shared/fixtures/pgp/thunderbird_encrypted_signed.eml");

  @TempDir
  Path dir;
  private Engine engine;

  @BeforeEach
  void policy() throws Exception {
    Path file = Files.writeString(dir.resolve("policy.yaml"), String.join("\n",
        "trust:",
        "  local_domains: [example.org]",
        "  trusted_relays:",
        "    - networks: [127.0.0.1]",
        "      listener: 127.0.0.1:10025",
        "    - networks: [127.0.0.1]",
        "      daemon_name: dovecot-submission",
        ""));
    engine = new Engine(PolicyHolder.load(file));
  }

  private static ConnectionFacts loopback(String client, int port, String daemonName) {
    return ConnectionFacts.builder().clientAddress(client).helo("localhost").receivedBy("mx.ours.example")
        .daemonAddress(client).daemonPort(Integer.toString(port)).daemonName(daemonName).queueId("Q1").build();
  }

  private Assessment judge(ConnectionFacts c, byte[] message) throws IOException {
    return engine.assess(c, Envelope.of("ceo@example.org", List.of("bob@example.org")),
        new ByteArrayInputStream(message));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** The forged submission line on top of a real OpenPGP/MIME message (Thunderbird's). */
  private static byte[] forgedAboveRealEncryption() throws IOException {
    byte[] real = Files.readAllBytes(REAL_PGP_MIME);
    byte[] message = new byte[FORGED.length() + real.length];
    System.arraycopy(bytes(FORGED), 0, message, 0, FORGED.length());
    System.arraycopy(real, 0, message, FORGED.length(), real.length);
    return message;
  }

  private static List<Trust> trusts(Assessment v) {
    return v.facts().hops().stream().map(Hop::trust).collect(Collectors.toList());
  }

  private static List<String> codes(Assessment v) {
    return v.score().reasons().stream().map(Reason::code).collect(Collectors.toList());
  }

  @Test
  void aWebFormOnLoopbackShouldNotReachAWithForgedReceivedAndAFakeWrapper() throws IOException {
    Assessment v = judge(loopback("127.0.0.1", 25, null), bytes(FORGED + FAKE_PGP_MIME));

    assertThat(trusts(v)).containsExactly(Trust.FIRSTHAND, Trust.CLAIMED);
    assertThat(codes(v)).doesNotContain("sender-authenticated", "hop-internal-tls13").contains("transport-unknown");
    assertThat(v.score().grade()).isNotEqualTo(Grade.A).isNotEqualTo(Grade.B);
  }

  @Test
  void aWebFormOnLoopbackShouldNotReachAEvenWithRealEncryption() throws IOException {
    byte[] message = forgedAboveRealEncryption();

    for (ConnectionFacts webForm : List.of(loopback("127.0.0.1", 25, null), loopback("::ffff:127.0.0.1", 25, null),
        loopback("127.0.0.1", 10026, null), loopback("127.0.0.1", 25, "smtpd"))) {
      Assessment v = judge(webForm, message);
      assertThat(trusts(v)).as(webForm.listener().toString()).containsExactly(Trust.FIRSTHAND, Trust.CLAIMED);
      assertThat(v.score().value()).as("content only").isLessThanOrEqualTo(45);
    }
  }

  @Test
  void aDeclaredRelayOnItsListenerShouldBeBelieved() throws IOException {
    byte[] message = forgedAboveRealEncryption();

    for (ConnectionFacts relay : List.of(loopback("127.0.0.1", 10025, null),
        loopback("::ffff:127.0.0.1", 10025, null), loopback("127.0.0.1", 587, "dovecot-submission"))) {
      Assessment v = judge(relay, message);
      assertThat(trusts(v)).as(relay.listener().toString()).containsExactly(Trust.FIRSTHAND, Trust.INTERNAL);
      assertThat(codes(v)).contains("firsthand-local", "hop-internal-tls13", "sender-authenticated");
      assertThat(v.score().grade()).isEqualTo(Grade.A);
    }
  }

  @Test
  void theRelaysOwnClientShouldNotVouchForLinesBelowIt() throws IOException {
    // amavis re-injecting: its own line names its client 127.0.0.1, which any local process could have been
    String amavis = "Received: from mx.ours.example ([127.0.0.1])\r\n\tby localhost (amavisd-new, port 10024)\r\n"
        + "\twith ESMTP id abc123 for <bob@example.org>; Mon, 1 Jan 2024 00:00:01 +0000\r\n";
    Assessment v = judge(loopback("127.0.0.1", 10025, null), bytes(amavis + FORGED + FAKE_PGP_MIME));

    assertThat(trusts(v)).containsExactly(Trust.FIRSTHAND, Trust.INTERNAL, Trust.CLAIMED);
    assertThat(codes(v)).doesNotContain("sender-authenticated");
  }

  @Test
  void aHeloNamingOurHostShouldNotMakeAnAddresslessClientLocal() throws IOException {
    ConnectionFacts noAddress = ConnectionFacts.builder().helo("mx.ours.example").receivedBy("mx.ours.example")
        .queueId("Q2").build();
    Assessment v = judge(noAddress, bytes(FAKE_PGP_MIME));

    assertThat(codes(v)).contains("firsthand-no-address").doesNotContain("firsthand-local");
  }
}
