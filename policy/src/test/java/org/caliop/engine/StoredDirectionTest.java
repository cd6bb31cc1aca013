package org.caliop.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.caliop.facts.Direction;
import org.caliop.facts.Envelope;
import org.caliop.policy.PolicyHolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stored mail (no connection facts: replay, explain {@code --stored}) is ours for direction only when the line our
 * server wrote on receiving it says so: SMTP AUTH, a client in the internal networks, a local submission. The same
 * remarks in a line the sender wrote, or slipped into ours through the recipient address, leave it inbound, so
 * nobody escapes the inbound rules by writing them.
 */
class StoredDirectionTest {
  /** Dovecot's LMTP delivery over a unix socket: a local hop, skipped. */
  private static final String LMTP = "Received: from mail.example.org\r\n\tby mail.example.org with LMTP\r\n"
      + "\tid 0qLhBq2\r\n\t(envelope-from <alice@example.org>)\r\n\tfor <bob@example.org>; Mon, 01 Jan 2024"
      + " 00:00:02 +0000\r\n";
  /** Postfix with smtpd_sasl_authenticated_header = yes, for a submission from a laptop somewhere. */
  private static final String SUBMISSION = "Received: from laptop (dyn-20.isp.example [198.51.100.20])\r\n"
      + "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\r\n"
      + "\t(Authenticated sender: alice)\r\n"
      + "\tby mail.example.org (Postfix) with ESMTPSA id 4SUB1\r\n\tfor <carol@partner.example>;"
      + " Mon, 01 Jan 2024 00:00:01 +0000\r\n";
  /** Postfix receiving from some server outside. */
  private static final String FROM_OUTSIDE = "Received: from mx.outside.example (mx.outside.example"
      + " [203.0.113.5])\r\n\tby mail.example.org (Postfix) with ESMTP id 4IN1\r\n\tfor <bob@example.org>;"
      + " Mon, 01 Jan 2024 00:00:01 +0000\r\n";
  private static final String BODY = "From: alice@example.org\r\nTo: carol@partner.example\r\nSubject: hi\r\n\r\nhi\r\n";

  @TempDir
  Path dir;
  private PolicyHolder holder;
  private Engine engine;

  @BeforeEach
  void policy() throws Exception {
    Path file = Files.writeString(dir.resolve("policy.yaml"), String.join("\n",
        "trust:",
        "  internal_hosts: [mail.example.org]",
        "  internal_networks: [10.0.0.0/8, 127.0.0.0/8]",
        "  local_domains: [example.org]",
        ""));
    holder = PolicyHolder.load(file);
    engine = Engine.builder(holder).storedDirection(true).build();
  }

  private Direction direction(String received, String... recipients) throws IOException {
    byte[] message = (received + BODY).getBytes(StandardCharsets.US_ASCII);
    return engine.assess(null, Envelope.of("alice@example.org", List.of(recipients)),
        new ByteArrayInputStream(message)).facts().direction();
  }

  @Test
  void aMessageOurServerRelayedForAnAuthenticatedSubmitterShouldBeOutbound() throws IOException {
    assertThat(direction(LMTP + SUBMISSION, "carol@partner.example")).isEqualTo(Direction.OUTBOUND);
    assertThat(direction(LMTP + SUBMISSION, "bob@example.org")).isEqualTo(Direction.INTERNAL);
    // SMTP AUTH said by the protocol alone (smtpd_sasl_authenticated_header = no), or by the remark alone
    assertThat(direction(LMTP + SUBMISSION.replace("\t(Authenticated sender: alice)\r\n", ""),
        "carol@partner.example")).isEqualTo(Direction.OUTBOUND);
    assertThat(direction(LMTP + SUBMISSION.replace("ESMTPSA", "ESMTPS"), "carol@partner.example"))
        .isEqualTo(Direction.OUTBOUND);
  }

  /** {@code caliop score} and {@code caliop stamp} read stored mail as its recipient does: inbound. */
  @Test
  void withoutStoredDirectionStoredMailShouldBeInbound() throws IOException {
    byte[] message = (LMTP + SUBMISSION + BODY).getBytes(StandardCharsets.US_ASCII);
    assertThat(new Engine(holder).assess(null, Envelope.of("alice@example.org", List.of("carol@partner.example")),
        new ByteArrayInputStream(message)).facts().direction()).isEqualTo(Direction.INBOUND);
  }

  @Test
  void aMessageFromOutsideShouldStayInbound() throws IOException {
    assertThat(direction(LMTP + FROM_OUTSIDE, "bob@example.org")).isEqualTo(Direction.INBOUND);
  }

  @Test
  void anAuthenticatedSubmissionClaimedBelowOurLineShouldNotMakeItOutbound() throws IOException {
    // the sender's own server wrote the submission line, even naming our host as its writer
    assertThat(direction(LMTP + FROM_OUTSIDE + SUBMISSION, "carol@partner.example")).isEqualTo(Direction.INBOUND);
    assertThat(direction(LMTP + FROM_OUTSIDE + SUBMISSION.replace("mail.example.org", "mx.outside.example"),
        "carol@partner.example")).isEqualTo(Direction.INBOUND);
  }

  @Test
  void aStoredFileWithoutALineOfOursShouldStayInbound() throws IOException {
    assertThat(direction(SUBMISSION.replace("mail.example.org", "smtp.elsewhere.example"), "carol@partner.example"))
        .isEqualTo(Direction.INBOUND);
  }

  @Test
  void anAuthenticationRemarkInTheRecipientAddressOfOurLineShouldNotMakeItOutbound() throws IOException {
    String forged = FROM_OUTSIDE.replace("for <bob@example.org>", "for <\"bob+" + "x".repeat(300)
        + " (Authenticated sender: bob)\"@example.org>");
    assertThat(direction(LMTP + forged, "carol@partner.example")).isEqualTo(Direction.INBOUND);
  }

  @Test
  void aClientInTheInternalNetworksShouldBeOursAsOnTheLiveConnection() throws IOException {
    String internal = FROM_OUTSIDE.replace("mx.outside.example [203.0.113.5]", "app.example.org [10.1.2.3]");
    assertThat(direction(LMTP + internal, "carol@partner.example")).isEqualTo(Direction.OUTBOUND);
  }

  @Test
  void aLocalSubmissionShouldBeOurs() throws IOException {
    String pickup = "Received: by mail.example.org (Postfix, from userid 1000)\r\n\tid 4PICK1; Mon, 01 Jan 2024"
        + " 00:00:01 +0000\r\n";
    assertThat(direction(LMTP + pickup, "carol@partner.example")).isEqualTo(Direction.OUTBOUND);
    // a pickup line forged below ours is a claim
    assertThat(direction(LMTP + FROM_OUTSIDE + pickup, "carol@partner.example")).isEqualTo(Direction.INBOUND);
  }

  @Test
  void aLoopbackReinjectionAboveClaimedLinesShouldNotMakeItOutbound() throws IOException {
    // amavis handing the message back to Postfix on 127.0.0.1 (an internal network here): the line below is
    // vouched for by nobody, so where the message came from is unknown
    String reinjection = "Received: from localhost (localhost [127.0.0.1])\r\n\tby mail.example.org (Postfix)"
        + " with ESMTP id 4RE1; Mon, 01 Jan 2024 00:00:01 +0000\r\n";
    assertThat(direction(LMTP + reinjection + FROM_OUTSIDE, "carol@partner.example")).isEqualTo(Direction.INBOUND);
  }
}
