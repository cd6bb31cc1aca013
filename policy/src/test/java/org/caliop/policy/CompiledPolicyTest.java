package org.caliop.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.caliop.policy.PolicyFixtures.facts;
import static org.caliop.policy.PolicyFixtures.goodScore;
import static org.caliop.policy.PolicyFixtures.load;
import static org.caliop.policy.PolicyFixtures.problems;
import static org.caliop.policy.PolicyFixtures.score;

import java.nio.file.Path;
import java.util.List;
import org.caliop.crypto.EncryptOptions;
import org.caliop.crypto.SmimeAlgorithms;
import org.caliop.facts.Direction;
import org.caliop.mime.Encryption;
import org.caliop.mime.Signature;
import org.caliop.mime.SignatureStatus;
import org.caliop.score.Grade;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompiledPolicyTest {
  @TempDir
  Path dir;

  @Test
  void decideShouldAcceptWhenEveryRequirementIsMet() {
    CompiledPolicy p = load(dir, "global:", "  min_tls_version: TLSv1.2", "  action: reject");
    Decision d = p.decide(facts().tls("TLSv1.3").build(), goodScore());
    assertThat(d.action()).isEqualTo(Action.ACCEPT);
    assertThat(d.rule()).isEmpty();
  }

  @Test
  void decideShouldRejectWithDefaultReplyWhenOurHopTlsIsTooOld() {
    CompiledPolicy p = load(dir, "global:", "  min_tls_version: TLSv1.2", "  action: reject");
    Decision d = p.decide(facts().tls("TLSv1.1").build(), goodScore());
    assertThat(d.action()).isEqualTo(Action.REJECT);
    assertThat(d.reply()).contains(SmtpReply.of(550, "5.7.1",
        "Message refused by policy: our hop used TLSv1.1, below TLSv1.2"));
    assertThat(d.reasons()).containsExactly("our hop used TLSv1.1, below TLSv1.2");
    assertThat(d.replyText()).isEmpty();
    assertThat(d.rule()).contains("policy.yaml:1");
  }

  @Test
  void decideShouldFailTlsRequirementWhenNoTls() {
    CompiledPolicy p = load(dir, "global:", "  min_tls_version: TLSv1.2");
    Decision d = p.decide(facts().tls(null).build(), goodScore());
    assertThat(d.action()).isEqualTo(Action.TAG);
    assertThat(d.reasons()).containsExactly("no TLS on our hop (need TLSv1.2)");
  }

  @Test
  void decideShouldUseCustomReplyCodeAndTextWithReasons() {
    CompiledPolicy p = load(dir, "global:", "  min_tls_version: TLSv1.2", "  action: tempfail", "  reply_code: 454",
        "  enhanced_code: 4.7.0", "  reply_text: 'TLS too old: {reasons}'");
    Decision d = p.decide(facts().tls("TLSv1.0").build(), goodScore());
    assertThat(d.action()).isEqualTo(Action.TEMPFAIL);
    assertThat(d.reply()).contains(SmtpReply.of(454, "4.7.0", "TLS too old: our hop used TLSv1.0, below TLSv1.2"));
    assertThat(d.replyText()).contains("TLS too old: our hop used TLSv1.0, below TLSv1.2");
  }

  @Test
  void decideShouldHoldRedirectAndTag() {
    CompiledPolicy hold = load(dir, "global:", "  min_score: 50", "  action: hold");
    assertThat(hold.decide(facts().build(), score(40, Grade.C)).action()).isEqualTo(Action.HOLD);
    CompiledPolicy redirect = load(dir, "global:", "  min_score: 50", "  action: redirect",
        "  redirect_to: Quarantine@Example.org");
    Decision r = redirect.decide(facts().build(), score(40, Grade.C));
    assertThat(r.action()).isEqualTo(Action.REDIRECT);
    assertThat(r.redirectTo()).contains("quarantine@example.org");
    CompiledPolicy tag = load(dir, "global:", "  min_grade: B");
    Decision t = tag.decide(facts().build(), score(60, Grade.C));
    assertThat(t.action()).isEqualTo(Action.TAG);
    assertThat(t.reasons()).containsExactly("privacy grade C is worse than B");
  }

  @Test
  void decideShouldAcceptExplicitlyWhenActionIsAcceptEvenIfRequirementFails() {
    CompiledPolicy p = load(dir, "global:", "  require_signed: true", "  action: accept");
    Decision d = p.decide(facts().build(), goodScore());
    assertThat(d.action()).isEqualTo(Action.ACCEPT);
    assertThat(d.reasons()).containsExactly("message is not signed end to end");
  }

  @Test
  void decideShouldEncryptWithSpecFromPolicy() {
    CompiledPolicy p = load(dir, "encryption:", "  keys_dir: .", "global:", "  require_encryption: any",
        "  action: encrypt", "  encrypt:", "    format: smime", "    on_missing_key: tempfail",
        "    split_per_recipient: true", "    outer_subject: '...'");
    Decision d = p.decide(facts().build(), goodScore());
    assertThat(d.action()).isEqualTo(Action.ENCRYPT);
    EncryptSpec spec = d.encrypt().orElseThrow();
    assertThat(spec.format()).isEqualTo(EncryptOptions.Format.SMIME);
    assertThat(spec.onMissingKey()).isEqualTo(Action.TEMPFAIL);
    assertThat(spec.splitPerRecipient()).isTrue();
    assertThat(spec.outerSubject()).contains("...");
    assertThat(p.encryption().keysDir()).contains(dir.toAbsolutePath().normalize());
    assertThat(p.usesEncryption()).isTrue();
    assertThat(p.decide(facts().encrypted(Encryption.PGP_MIME).build(), goodScore()).action())
        .isEqualTo(Action.ACCEPT);
  }

  @Test
  void decideShouldUseEncryptDefaultsWhenOptionsAreAbsent() {
    CompiledPolicy p = load(dir, "encryption:", "  keys_dir: .", "global:", "  require_encryption: pgp",
        "  action: encrypt");
    EncryptSpec spec = p.decide(facts().encrypted(Encryption.SMIME).build(), goodScore()).encrypt().orElseThrow();
    assertThat(spec.format()).isEqualTo(EncryptOptions.Format.PREFER_PGP);
    assertThat(spec.onMissingKey()).isEqualTo(Action.HOLD);
    assertThat(spec.splitPerRecipient()).isFalse();
    assertThat(spec.outerSubject()).isEmpty();
  }

  @Test
  void decideShouldGiveEachRecipientTheSmimeAlgorithmsOfHisOwnRule() {
    CompiledPolicy p = load(dir, "encryption:", "  keys_dir: .",
        "global:", "  require_encryption: any", "  action: encrypt",
        "domains:",
        "  legacy.example:", "    encrypt:", "      smime_key_transport: rsa-pkcs1v15",
        "  modern.example:", "    applies_to: recipient", "    encrypt:", "      smime_content: aes-gcm",
        "users:",
        "  Old@Modern.example:", "    encrypt:", "      smime_key_transport: RSA-PKCS1V15");
    Decision d = p.decide(facts().to("a@legacy.example", "b@modern.example", "old@modern.example",
        "c@other.example").build(), goodScore());

    EncryptOptions o = d.encrypt().orElseThrow().options();
    assertThat(o.smimeFor("A@Legacy.Example").toString()).isEqualTo("rsa-pkcs1v15+aes-cbc");
    assertThat(o.smimeFor("b@modern.example").toString()).isEqualTo("rsa-oaep+aes-gcm");
    assertThat(o.smimeFor("<old@modern.example>").toString()).isEqualTo("rsa-pkcs1v15+aes-gcm");
    assertThat(o.smimeFor("c@other.example")).isEqualTo(SmimeAlgorithms.DEFAULT);
    assertThat(SmimeAlgorithms.DEFAULT.toString()).isEqualTo("rsa-oaep+aes-cbc");
  }

  @Test
  void aRecipientWhoseRuleDoesNotEncryptShouldStillGetHisSmimeAlgorithms() {
    CompiledPolicy p = load(dir, "encryption:", "  keys_dir: .",
        "domains:",
        "  secret.example:", "    require_encryption: any", "    action: encrypt",
        "  legacy.example:", "    encrypt:", "      smime_key_transport: rsa-pkcs1v15");
    Decision d = p.decide(facts().to("a@secret.example", "b@legacy.example").build(), goodScore());

    assertThat(d.action()).isEqualTo(Action.ENCRYPT);
    assertThat(d.encrypt().orElseThrow().options().smimeFor("b@legacy.example").keyTransport())
        .isEqualTo(SmimeAlgorithms.KeyTransport.RSA_PKCS1V15);
  }

  @Test
  void oneRecipientShouldGetTheAlgorithmsOfHisRule() {
    CompiledPolicy p = load(dir, "encryption:", "  keys_dir: .", "global:", "  require_encryption: any",
        "  action: encrypt", "  encrypt:", "    smime_key_transport: rsa-pkcs1v15", "    smime_content: aes-cbc");
    EncryptOptions o = p.decide(facts().build(), goodScore()).encrypt().orElseThrow().options();
    assertThat(o.smimeFor("bob@example.org")).isEqualTo(SmimeAlgorithms.of(
        SmimeAlgorithms.KeyTransport.RSA_PKCS1V15, SmimeAlgorithms.ContentCipher.AES_CBC));
  }

  @Test
  void unknownSmimeAlgorithmsShouldBeErrorsNamingTheChoices() {
    assertThat(problems(dir, "encryption:", "  keys_dir: .", "global:", "  require_encryption: any",
        "  action: encrypt", "  encrypt:", "    smime_key_transport: rsa-pss", "    smime_content: aes-ccm"))
        .containsExactly(
            "policy.yaml:7:26: smime_key_transport must be rsa-oaep or rsa-pkcs1v15, not 'rsa-pss'",
            "policy.yaml:8:20: smime_content must be aes-cbc or aes-gcm, not 'aes-ccm'");
  }

  @Test
  void decideShouldCheckSignatureDkimDmarcAndTrustedHops() {
    CompiledPolicy p = load(dir, "global:", "  require_signed: true", "  require_dkim_pass: true",
        "  require_dmarc_pass: true", "  require_tls_on_trusted_hops: true");
    Decision bad = p.decide(facts().auth("fail", null).internalHop(false).build(), goodScore());
    assertThat(bad.reasons()).containsExactly("no TLS on internal hop 2 (received by mx.example.org)",
        "message is not signed end to end", "DKIM did not pass (fail)", "DMARC did not pass (no trusted result)");
    Decision good = p.decide(facts().auth("pass", "pass").internalHop(true).signed(Signature.SMIME).build(),
        goodScore());
    assertThat(good.action()).isEqualTo(Action.ACCEPT);
  }

  @Test
  void requireSignedShouldNotBeMetByAnUnverifiedOrInvalidSignature() {
    CompiledPolicy p = load(dir, "global:", "  require_signed: true", "  action: reject");
    Decision unverified = p.decide(facts().signed(Signature.SMIME, SignatureStatus.UNVERIFIED).build(), goodScore());
    Decision invalid = p.decide(facts().signed(Signature.PGP_MIME, SignatureStatus.INVALID).build(), goodScore());
    Decision verified = p.decide(facts().signed(Signature.PGP_MIME, SignatureStatus.VERIFIED).build(), goodScore());

    assertThat(unverified.action()).isEqualTo(Action.REJECT);
    assertThat(unverified.reasons()).containsExactly("signature unverified (test)");
    assertThat(invalid.action()).isEqualTo(Action.REJECT);
    assertThat(invalid.reasons()).containsExactly("signature invalid (test)");
    assertThat(verified.action()).isEqualTo(Action.ACCEPT);
  }

  @Test
  void domainShouldOverrideGlobalAndUserShouldOverrideDomain() {
    CompiledPolicy p = load(dir,
        "global:",
        "  min_tls_version: TLSv1.0",
        "  action: tag",
        "domains:",
        "  example.org:",
        "    min_tls_version: TLSv1.2",
        "    action: hold",
        "users:",
        "  bob@example.org:",
        "    action: reject");
    var facts = facts().from("x@elsewhere.example").tls("TLSv1.1");
    Decision other = p.decide(facts.to("carol@other.example").build(), goodScore());
    assertThat(other.action()).isEqualTo(Action.ACCEPT);
    Decision carol = p.decide(facts.to("carol@example.org").build(), goodScore());
    assertThat(carol.action()).isEqualTo(Action.HOLD);
    assertThat(carol.rule()).contains("policy.yaml:5");
    Decision bob = p.decide(facts.to("Bob@Example.ORG").build(), goodScore());
    assertThat(bob.action()).isEqualTo(Action.REJECT);
    assertThat(bob.rule()).contains("policy.yaml:9");
  }

  @Test
  void directionBlockShouldOverrideItsEntry() {
    CompiledPolicy p = load(dir,
        "domains:",
        "  partner.example:",
        "    min_tls_version: TLSv1.2",
        "    action: tag",
        "    outbound:",
        "      action: reject",
        "    internal:",
        "      min_tls_version: none");
    var f = facts().from("me@example.org").to("you@partner.example").tls("TLSv1.0");
    assertThat(p.decide(f.direction(Direction.INBOUND).build(), goodScore()).action()).isEqualTo(Action.TAG);
    Decision out = p.decide(f.direction(Direction.OUTBOUND).build(), goodScore());
    assertThat(out.action()).isEqualTo(Action.REJECT);
    assertThat(out.rule()).contains("policy.yaml:5");
    assertThat(p.decide(f.direction(Direction.INTERNAL).build(), goodScore()).action()).isEqualTo(Action.ACCEPT);
  }

  @Test
  void recipientDomainShouldOverrideSenderDomain() {
    CompiledPolicy p = load(dir,
        "domains:",
        "  sender.example:",
        "    min_score: 50",
        "    action: reject",
        "  rcpt.example:",
        "    action: hold");
    Decision d = p.decide(facts().from("a@sender.example").to("b@rcpt.example").build(), score(10, Grade.E));
    assertThat(d.action()).isEqualTo(Action.HOLD);
    assertThat(d.rule()).contains("policy.yaml:5");
  }

  @Test
  void appliesToShouldLimitAnEntryToOneSide() {
    CompiledPolicy p = load(dir,
        "domains:",
        "  partner.example:",
        "    applies_to: recipient",
        "    min_score: 50",
        "    action: reject");
    assertThat(p.decide(facts().from("a@partner.example").to("b@x.example").build(), score(10, Grade.E)).action())
        .isEqualTo(Action.ACCEPT);
    assertThat(p.decide(facts().from("b@x.example").to("a@partner.example").build(), score(10, Grade.E)).action())
        .isEqualTo(Action.REJECT);
  }

  @Test
  void dotDomainShouldMatchSubdomainsOnlyAndExactShouldWin() {
    CompiledPolicy p = load(dir,
        "global:",
        "  min_score: 50",
        "domains:",
        "  .bank.example:",
        "    action: reject",
        "  eu.bank.example:",
        "    action: hold");
    var f = facts().from("x@y.example");
    assertThat(p.decide(f.to("a@bank.example").build(), score(1, Grade.E)).action()).isEqualTo(Action.TAG);
    assertThat(p.decide(f.to("a@us.bank.example").build(), score(1, Grade.E)).action()).isEqualTo(Action.REJECT);
    assertThat(p.decide(f.to("a@x.us.bank.example").build(), score(1, Grade.E)).action())
        .isEqualTo(Action.REJECT);
    assertThat(p.decide(f.to("a@eu.bank.example").build(), score(1, Grade.E)).action()).isEqualTo(Action.HOLD);
  }

  @Test
  void severalRecipientsShouldGetTheMostSevereActionAndKeepEachDecision() {
    CompiledPolicy p = load(dir,
        "global:",
        "  min_score: 50",
        "domains:",
        "  a.example:",
        "    action: hold",
        "  b.example:",
        "    action: reject",
        "  c.example:",
        "    min_score: 0");
    var f = facts().from("x@y.example").to("1@c.example", "2@a.example", "3@b.example", "4@b.example").build();
    Decision d = p.decide(f, score(10, Grade.E));
    assertThat(d.action()).isEqualTo(Action.REJECT);
    assertThat(d.recipients()).containsExactly("3@b.example", "4@b.example");
    List<Decision> each = p.decideEach(f, score(10, Grade.E));
    assertThat(each).extracting(Decision::action).containsExactly(Action.ACCEPT, Action.HOLD, Action.REJECT,
        Action.REJECT);
  }

  @Test
  void severityOrderShouldBeDocumentedOrder() {
    assertThat(List.of(Action.REJECT, Action.TEMPFAIL, Action.HOLD, Action.ENCRYPT, Action.REDIRECT, Action.TAG,
        Action.ACCEPT)).extracting(Action::severity).isSortedAccordingTo((a, b) -> Integer.compare(b, a))
        .doesNotHaveDuplicates();
  }

  @Test
  void dryRunShouldTagWhileSayingWhatItWouldDo() {
    CompiledPolicy p = load(dir, "mode: dry-run", "global:", "  min_tls_version: TLSv1.2", "  action: reject");
    Decision d = p.decide(facts().tls("TLSv1.0").build(), goodScore());
    assertThat(d.dryRun()).isTrue();
    assertThat(d.action()).isEqualTo(Action.TAG);
    assertThat(d.policyAction()).isEqualTo(Action.REJECT);
    assertThat(d.rule()).contains("policy.yaml:2");
    assertThat(p.decide(facts().tls("TLSv1.3").build(), goodScore()).action()).isEqualTo(Action.ACCEPT);
  }

  @Test
  void explainShouldListLayersInOrderWithSources() {
    CompiledPolicy p = load(dir,
        "global:",
        "  min_tls_version: TLSv1.0",
        "  inbound:",
        "    action: tag",
        "domains:",
        "  example.org:",
        "    min_tls_version: TLSv1.2",
        "    inbound:",
        "      action: hold",
        "users:",
        "  bob@example.org:",
        "    reply_text: hi");
    Explanation e = p.explain(facts().tls("TLSv1.1").build(), goodScore()).get(0);
    assertThat(e.layers()).containsExactly("global: global (policy.yaml:1)",
        "global, inbound: global inbound (policy.yaml:3)",
        "recipient's domain: domain example.org (policy.yaml:6)",
        "recipient's domain, inbound: domain example.org inbound (policy.yaml:8)",
        "recipient: user bob@example.org (policy.yaml:11)");
    assertThat(e.effective()).contains("min_tls_version = TLSv1.2   (domain example.org, policy.yaml:6)",
        "action = hold   (domain example.org inbound, policy.yaml:8)");
    assertThat(e.failed()).containsExactly("our hop used TLSv1.1, below TLSv1.2");
    assertThat(e.decision().action()).isEqualTo(Action.HOLD);
  }

  @Test
  void emptyListShouldMeanNoneRatherThanTheDefault() {
    CompiledPolicy p = load(dir, "trust:", "  internal_networks: []");
    assertThat(p.trust().internalNetworks()).isEmpty();
    assertThat(PolicyFixtures.problems(dir, "trust:", "  internal_network: []")).containsExactly(
        "policy.yaml:2:3: unknown key 'internal_network' in trust (did you mean 'internal_networks'?)");
    assertThat(PolicyFixtures.problems(dir, "global:", "  action: []")).containsExactly(
        "policy.yaml:2:11: action takes a single value, not a list");
  }

  @Test
  void trustLimitsAndEncryptionSectionsShouldCompile() {
    CompiledPolicy p = load(dir,
        "trust:",
        "  internal_networks: [10.0.0.0/8, '2001:db8::/32', 192.0.2.7]",
        "  internal_hosts: [MX.example.org]",
        "  trusted_authserv_ids: [mx.example.org]",
        "  local_domains: [example.org]",
        "  strip_header_prefixes: [X-Caliop-]",
        "  strip_headers: [X-Spam-Status]",
        "  foreign_header_action: rename",
        "  rename_prefix: X-Foreign-",
        "limits:",
        "  max_parts: 10",
        "  max_inspect_bytes: unlimited",
        "  max_part_inspect_bytes: 65536");
    assertThat(p.trust().internalNetworks()).containsExactly("10.0.0.0/8", "2001:db8::/32", "192.0.2.7");
    assertThat(p.trust().internalHosts()).containsExactly("mx.example.org");
    assertThat(p.trust().isLocalDomain("EXAMPLE.org")).isTrue();
    assertThat(p.trust().stripHeaderPrefixes()).containsExactly("Caliop-", "X-Caliop-");
    assertThat(p.trust().isForeignHeaderName("x-spam-status")).isTrue();
    assertThat(p.trust().isForeignHeaderName("Caliop-Privacy")).isTrue();
    assertThat(p.trust().foreignHeaderAction()).isEqualTo(org.caliop.facts.TrustSettings.ForeignHeaderAction.RENAME);
    assertThat(p.trust().renamePrefix()).isEqualTo("X-Foreign-");
    assertThat(p.limits().maxParts()).isEqualTo(10);
    assertThat(p.limits().maxInspectBytes()).isEqualTo(Long.MAX_VALUE);
    assertThat(p.limits().maxNestingDepth()).isEqualTo(64);
    assertThat(p.limits().maxPartInspectBytes()).isEqualTo(65536);
  }

  @Test
  void smimeTrustStoreShouldReadABundleOrADirectoryRelativeToThePolicyFile() throws Exception {
    java.nio.file.Path ca = java.nio.file.Path.of("../../shared/fixtures/smime/TestCA.pem");
    java.nio.file.Files.copy(ca, dir.resolve("ca.pem"));
    java.nio.file.Path store = java.nio.file.Files.createDirectories(dir.resolve("store"));
    java.nio.file.Files.copy(ca, store.resolve("one.pem"));
    java.nio.file.Files.copy(ca, store.resolve("two.crt"));

    assertThat(load(dir, "trust:", "  smime_trust_store: ca.pem").trust().smimeTrustAnchors()).hasSize(1);
    assertThat(load(dir, "trust:", "  smime_trust_store: store").trust().smimeTrustAnchors()).hasSize(2);
    assertThat(load(dir, "trust:", "  smime_trust_store: store").signerTrust().smimeAnchors()).hasSize(2);
    assertThat(load(dir, "global:", "  action: tag").trust().smimeTrustAnchors()).isEmpty();
  }

  @Test
  void aSmimeTrustStoreThatCannotBeReadShouldBeAnError() throws Exception {
    java.nio.file.Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
    java.nio.file.Files.createDirectories(dir.resolve("empty"));

    assertThat(PolicyFixtures.problems(dir, "trust:", "  smime_trust_store: missing.pem")).singleElement().asString()
        .contains("smime_trust_store").contains("cannot be read: no such file");
    assertThat(PolicyFixtures.problems(dir, "trust:", "  smime_trust_store: junk.pem")).singleElement().asString()
        .contains("smime_trust_store").contains("cannot be read");
    assertThat(PolicyFixtures.problems(dir, "trust:", "  smime_trust_store: empty")).singleElement().asString()
        .contains("holds no certificate");
  }
}
