package org.caliop.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.caliop.crypto.EncryptOptions;
import org.caliop.crypto.EncryptionResult;
import org.caliop.crypto.GatewayEncryptor;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Envelope;
import org.caliop.facts.HeaderEdit;
import org.caliop.facts.MessageFacts;
import org.caliop.policy.Action;
import org.caliop.policy.Decision;
import org.caliop.policy.EncryptSpec;
import org.caliop.policy.Policy;
import org.caliop.policy.SmtpReply;
import org.caliop.score.Score;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's own part of the outcome: what the conformance table does not show from outside. */
class EngineOutcomeTest {
  private static final byte[] MESSAGE = ("From: a@example.org\r\nTo: b@example.net\r\nSubject: s\r\n\r\nbody\r\n")
      .getBytes(StandardCharsets.US_ASCII);
  private static final Envelope ENVELOPE = Envelope.of("a@example.org", List.of("b@example.net"));

  @TempDir
  Path dir;

  /** A policy that always decides {@code decision}. */
  private static Policy deciding(Decision decision) {
    return new Policy() {
      @Override
      public String source() {
        return "test";
      }

      @Override
      public Decision decide(MessageFacts facts, Score score) {
        return decision;
      }
    };
  }

  private static ConnectionFacts submission() {
    return ConnectionFacts.builder().clientAddress("198.51.100.7").clientName("laptop.home.example")
        .helo("alices-laptop").authUser("alice").tlsVersion("TLSv1.3").receivedBy("mx.example.org").queueId("Q1")
        .build();
  }

  private static String added(Verdict v, String name) {
    return v.headerEdits().stream().filter(e -> e.kind() == HeaderEdit.Kind.ADD && e.name().equals(name))
        .map(HeaderEdit::value).findFirst().orElse("");
  }

  @Test
  void submittedMailShouldNotCarryTheSubmittersAddressHeloOrTheRuleLocation() throws IOException {
    Policy p = deciding(Decision.builder(Action.TAG).rule("policy.yaml:12").build());

    try (Verdict v = new Engine(() -> p).evaluate(submission(), ENVELOPE, MessageSource.of(MESSAGE))) {
      assertThat(added(v, "Caliop-Hop")).doesNotContain("198.51.100.7").doesNotContain("alices-laptop")
          .doesNotContain("laptop.home.example").contains("tls=TLSv1.3").contains("auth").contains("mx.example.org");
      assertThat(added(v, "Caliop-Policy")).doesNotContain("policy.yaml").contains("action=tag");
    }
  }

  @Test
  void submittedMailShouldCarryEverythingWhenTheAdminAsks() throws IOException {
    Policy p = deciding(Decision.builder(Action.TAG).rule("policy.yaml:12").build());
    Engine engine = Engine.builder(() -> p).fullOutboundHeaders(true).build();

    try (Verdict v = engine.evaluate(submission(), ENVELOPE, MessageSource.of(MESSAGE))) {
      assertThat(added(v, "Caliop-Hop")).contains("ip=\"198.51.100.7\"").contains("helo=\"alices-laptop\"");
      assertThat(added(v, "Caliop-Policy")).contains("rule=\"policy.yaml:12\"");
    }
  }

  @Test
  void inboundMailShouldCarryTheClientsDetails() throws IOException {
    Policy p = deciding(Decision.builder(Action.TAG).rule("policy.yaml:12").build());
    ConnectionFacts outside = ConnectionFacts.builder().clientAddress("192.0.2.25").helo("mx.partner.example")
        .build();

    try (Verdict v = new Engine(() -> p).evaluate(outside, ENVELOPE, MessageSource.of(MESSAGE))) {
      assertThat(added(v, "Caliop-Hop")).contains("ip=\"192.0.2.25\"").contains("helo=\"mx.partner.example\"");
      assertThat(added(v, "Caliop-Policy")).contains("rule=\"policy.yaml:12\"");
    }
  }

  @Test
  void dryRunShouldAcceptAndSayWhatEnforcingWouldDoUnlessTheEngineEnforces() throws IOException {
    Policy p = deciding(Decision.builder(Action.REJECT).dryRun(true).build());

    try (Verdict v = new Engine(() -> p).evaluate(null, ENVELOPE, MessageSource.of(MESSAGE))) {
      assertThat(v.disposition().kind()).isEqualTo(Disposition.Kind.ACCEPT);
      assertThat(v.disposition().detail()).isEqualTo("dry_run=reject");
    }
    try (Verdict v = Engine.builder(() -> p).enforcing(true).build().evaluate(null, ENVELOPE,
        MessageSource.of(MESSAGE))) {
      assertThat(v.disposition().reply()).contains(SmtpReply.of(550, "5.7.1", SmtpReply.POLICY_REJECT_TEXT));
    }
  }

  @Test
  void assessmentShouldSayWhetherConcludingEncrypts() throws IOException {
    Engine enforcing = new Engine(() -> deciding(Decision.builder(Action.ENCRYPT).build()));
    Engine dryRun = new Engine(() -> deciding(Decision.builder(Action.ENCRYPT).dryRun(true).build()));

    assertThat(enforcing.assess(null, ENVELOPE, MessageSource.of(MESSAGE).open()).encrypts()).isTrue();
    assertThat(dryRun.assess(null, ENVELOPE, MessageSource.of(MESSAGE).open()).encrypts()).isFalse();
  }

  @Test
  void aPolicyThatNamesNoKeysShouldEndInItsFailureAction() throws IOException {
    Policy p = deciding(Decision.builder(Action.ENCRYPT).rule("r:1")
        .encrypt(EncryptSpec.of(EncryptOptions.Format.PGP, Action.HOLD, Action.HOLD, false, null)).build());

    try (Verdict v = new Engine(() -> p).evaluate(null, ENVELOPE, MessageSource.of(MESSAGE))) {
      assertThat(v.disposition().holdReason()).hasValueSatisfying(r -> assertThat(r)
          .startsWith("caliop: encryption failed: no encryptor: EncryptionException: the policy names no keys"));
      assertThat(v.disposition().detail()).contains("on_failure=hold").contains("wanted_by=r:1");
    }
  }

  @Test
  void aMessageOnlyPartlyKeptShouldNotBeEncrypted() {
    Policy p = deciding(Decision.builder(Action.ENCRYPT).build());
    AtomicInteger calls = new AtomicInteger();
    Engine engine = Engine.builder(() -> p).encryptors(policy -> counting(calls)).build();
    MessageSource partly = new MessageSource() {
      @Override
      public InputStream open() {
        return new java.io.ByteArrayInputStream(MESSAGE);
      }

      @Override
      public long size() {
        return MESSAGE.length;
      }

      @Override
      public boolean truncated() {
        return true;
      }
    };

    try (Verdict v = engine.conclude(assess(engine), partly)) {
      assertThat(v.disposition().kind()).isEqualTo(Disposition.Kind.TEMPFAIL);
      assertThat(v.disposition().reply()).contains(SmtpReply.of(451, "4.7.1", SmtpReply.ENCRYPT_FAILED_LATER_TEXT));
    }
    assertThat(calls).hasValue(0);
  }

  @Test
  void theEncryptorShouldBeOpenedOncePerPolicyGeneration() throws IOException {
    AtomicInteger opened = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    Policy[] current = {deciding(Decision.builder(Action.ENCRYPT).build())};
    Engine engine = Engine.builder(() -> current[0]).encryptors(policy -> {
      opened.incrementAndGet();
      return counting(calls);
    }).spill(1024, dir).build();

    for (int i = 0; i < 3; i++) {
      try (Verdict v = engine.evaluate(null, ENVELOPE, MessageSource.of(MESSAGE))) {
        assertThat(v.disposition().kind()).isEqualTo(Disposition.Kind.ENCRYPTED);
      }
    }
    current[0] = deciding(Decision.builder(Action.ENCRYPT).build());
    engine.evaluate(null, ENVELOPE, MessageSource.of(MESSAGE)).close();

    assertThat(opened).hasValue(2);
    assertThat(calls).hasValue(4);
  }

  @Test
  void aHoldForWantOfKeysShouldNameTheRecipientsWithoutOneAndNoOtherHoldAny() throws IOException {
    Policy p = deciding(Decision.builder(Action.ENCRYPT).rule("r:1").build());
    Engine engine = Engine.builder(() -> p).encryptors(policy -> (message, recipients, options, newBody) -> {
      message.readAllBytes();
      return EncryptionResult.missingKeys(List.of("b@example.net"));
    }).spill(1024, dir).build();

    try (Verdict v = engine.evaluate(null, ENVELOPE, MessageSource.of(MESSAGE))) {
      assertThat(v.disposition().kind()).isEqualTo(Disposition.Kind.HOLD);
      // what the milter writes into the held copy (Caliop-Hold missing=), so caliop hold list can show it
      assertThat(v.disposition().recipientsWithoutKey()).containsExactly("b@example.net");
    }
    try (Verdict v = new Engine(() -> deciding(Decision.builder(Action.HOLD).build())).evaluate(null, ENVELOPE,
        MessageSource.of(MESSAGE))) {
      assertThat(v.disposition().recipientsWithoutKey()).isEmpty();
    }
  }

  @Test
  void aRedirectWithoutAnAddressShouldHoldNotDrop() throws IOException {
    try (Verdict v = new Engine(() -> deciding(Decision.builder(Action.REDIRECT).build())).evaluate(null, ENVELOPE,
        MessageSource.of(MESSAGE))) {
      assertThat(v.disposition().holdReason()).contains("caliop: redirect without an address");
    }
  }

  @Test
  void aHoldReasonShouldBeOneLineOfAscii() throws IOException {
    Policy p = deciding(Decision.builder(Action.HOLD).replyText("r\u00e9vision\r\nplease").build());

    try (Verdict v = new Engine(() -> p).evaluate(null, ENVELOPE, MessageSource.of(MESSAGE))) {
      assertThat(v.disposition().holdReason()).contains("caliop: r?vision please");
    }
  }

  private static Assessment assess(Engine engine) {
    try {
      return engine.assess(null, ENVELOPE, MessageSource.of(MESSAGE).open());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Encrypts to a marker, counting its calls. */
  private static GatewayEncryptor counting(AtomicInteger calls) {
    return (message, recipients, options, newBody) -> {
      calls.incrementAndGet();
      message.readAllBytes();
      newBody.write("-----BEGIN PGP MESSAGE-----\r\n".getBytes(StandardCharsets.US_ASCII));
      return EncryptionResult.encrypted("pgp-mime", List.of(HeaderEdit.add("Content-Type", "multipart/encrypted")));
    };
  }
}
