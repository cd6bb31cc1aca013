package org.caliop.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.caliop.policy.PolicyFixtures.problems;
import static org.caliop.policy.PolicyFixtures.write;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every validation error, with its line and column. */
class PolicyLoaderTest {
  @TempDir
  Path dir;

  @Test
  void loadShouldThrowWithEveryProblemAsFileLineColumn() {
    Path p = write(dir, "policy.yaml", "mode: enforce", "globl:", "  action: reject", "domains:",
        "  example.org:", "    action: explode");
    assertThatThrownBy(() -> PolicyLoader.load(p)).isInstanceOf(PolicyException.class)
        .satisfies(e -> assertThat(((PolicyException) e).errors()).extracting(Problem::toString).containsExactly(
            p + ":2:1: unknown key 'globl' at the top of a policy file (did you mean 'global'?)",
            p + ":6:13: unknown action 'explode' (expected accept, tag, reject, tempfail, hold (or quarantine),"
                + " redirect or encrypt)"));
  }

  @Test
  void checkShouldReportUnknownKeysEverywhere() {
    assertThat(problems(dir,
        "trust:",
        "  internal_network: [10.0.0.0/8]",
        "limits:",
        "  max_part: 3",
        "encryption:",
        "  key_dir: /x",
        "global:",
        "  min_tls: TLSv1.2",
        "  encrypt:",
        "    fromat: pgp"))
        .containsExactly(
            "policy.yaml:2:3: unknown key 'internal_network' in trust (did you mean 'internal_networks'?)",
            "policy.yaml:4:3: unknown key 'max_part' in limits (did you mean 'max_parts'?)",
            "policy.yaml:6:3: unknown key 'key_dir' in encryption (did you mean 'keys_dir'?)",
            "policy.yaml:8:3: unknown key 'min_tls' in a rule (did you mean 'min_tls_version'?)",
            "policy.yaml:10:5: unknown key 'fromat' in encrypt (did you mean 'format'?)");
  }

  @Test
  void checkShouldReportWrongTypes() {
    assertThat(problems(dir,
        "mode: fast",
        "global:",
        "  min_score: high",
        "  min_grade: F",
        "  min_tls_version: 1.2",
        "  require_signed: maybe",
        "  require_encryption: gpg",
        "  reply_code: 250",
        "  enhanced_code: 5.7",
        "  reply_text: [a, b]",
        "  action:",
        "    reject: true"))
        .containsExactly(
            "policy.yaml:1:7: mode must be 'enforce' or 'dry-run', not 'fast'",
            "policy.yaml:3:14: min_score must be a whole number from 0 to 100, not 'high'",
            "policy.yaml:4:14: min_grade must be A, B, C, D, E or none, not 'F'",
            "policy.yaml:5:20: min_tls_version must be TLSv1.0, TLSv1.1, TLSv1.2, TLSv1.3 or none, not '1.2'",
            "policy.yaml:6:19: require_signed must be true or false, not 'maybe'",
            "policy.yaml:7:23: require_encryption must be none, pgp, smime or any, not 'gpg'",
            "policy.yaml:8:15: reply_code must be an SMTP code from 400 to 599 (4xx for tempfail, 5xx for reject),"
                + " not '250'",
            "policy.yaml:9:18: enhanced_code must be an RFC 3463 status such as 5.7.1 or 4.7.1, not '5.7'",
            "policy.yaml:10:15: reply_text takes a single value, not a list",
            "policy.yaml:12:5: action takes a single value, not a mapping");
  }

  /**
   * The walk descends into nested messages on the Java stack (ScanLimits.MAX_NESTING_DEPTH says why), so an absurd
   * nesting limit is refused where it is written, not met as a StackOverflowError on a hostile message.
   */
  @Test
  void checkShouldRefuseANestingLimitAbove256() {
    assertThat(problems(dir, "limits:", "  max_nesting_depth: 257", "  max_parts: 100000")).containsExactly(
        "policy.yaml:2:22: max_nesting_depth must be a whole number from 1 to 256, not '257'");
    assertThat(problems(dir, "limits:", "  max_nesting_depth: 1000000000000")).containsExactly(
        "policy.yaml:2:22: max_nesting_depth must be a whole number from 1 to 256, not '1000000000000'");
    assertThat(problems(dir, "limits:", "  max_nesting_depth: 256")).isEmpty();
  }

  @Test
  void checkShouldReportSectionsOfTheWrongShape() {
    assertThat(problems(dir, "trust: yes", "global: [a]", "domains:", "  example.org: reject"))
        .containsExactly(
            "policy.yaml:1:8: trust must be a mapping of keys, not the value 'true'",
            "policy.yaml:2:9: global must be a mapping of keys, not a list",
            "policy.yaml:4:16: example.org must be a mapping of keys, not the value 'reject'");
  }

  @Test
  void checkShouldReportTheSameDomainTwice() {
    assertThat(problems(dir,
        "global:",
        "  min_score: 50",
        "domains:",
        "  example.org:",
        "    action: hold",
        "  Example.ORG.:",
        "    action: reject",
        "  example.org:",
        "    action: tag"))
        .containsExactly(
            "policy.yaml:8:3: duplicate key 'example.org' (first at line 4)");
    assertThat(problems(dir,
        "global:",
        "  min_score: 50",
        "domains:",
        "  example.org:",
        "    action: hold",
        "  Example.ORG.:",
        "    action: reject"))
        .containsExactly(
            "policy.yaml:6:3: conflicting rules: domain example.org is already defined at line 4");
  }

  @Test
  void checkShouldReportRedirectWithoutAddressAndEncryptWithoutKeys() {
    assertThat(problems(dir,
        "global:",
        "  min_score: 50",
        "domains:",
        "  a.example:",
        "    action: redirect",
        "  b.example:",
        "    outbound:",
        "      action: encrypt"))
        .containsExactly(
            "policy.yaml:5:13: action redirect needs redirect_to (the address to deliver to instead), for domain"
                + " a.example",
            "policy.yaml:8:15: action encrypt needs an 'encryption:' section with keys_dir (where the recipients'"
                + " certificates and public keys are), for domain b.example, outbound");
  }

  @Test
  void checkShouldReportReplyCodesThatDoNotFitTheAction() {
    assertThat(problems(dir,
        "global:",
        "  min_score: 50",
        "  action: tempfail",
        "  reply_code: 550",
        "  enhanced_code: 5.7.1"))
        .contains(
            "policy.yaml:4:15: reply_code 550 does not fit action tempfail (needs 4xx), for global",
            "policy.yaml:5:18: enhanced_code 5.7.1 does not fit action tempfail (needs 4.x.x), for global");
  }

  @Test
  void checkShouldReportARuleThatCanNeverFire() {
    assertThat(problems(dir,
        "domains:",
        "  example.org:",
        "    action: reject"))
        .containsExactly("policy.yaml:2:3: rule for domain example.org says what to do when a requirement fails, but"
            + " no requirement is set anywhere in the policy: the rule can never fire");
  }

  @Test
  void aMisspeltRequirementShouldBeTheOnlyErrorNotARuleThatCanNeverFireBeforeIt() {
    assertThat(problems(dir,
        "domains:",
        "  example.org:",
        "    min_tsl_version: TLSv1.2",
        "    action: reject"))
        .containsExactly("policy.yaml:3:5: unknown key 'min_tsl_version' in a rule (did you mean 'min_tls_version'?)");
    assertThat(problems(dir,
        "global:",
        "  min_grad: C",
        "domains:",
        "  example.org:",
        "    action: reject"))
        .containsExactly("policy.yaml:2:3: unknown key 'min_grad' in a rule (did you mean 'min_grade'?)");
  }

  @Test
  void aMisspeltEncryptionSectionShouldNotAlsoSayThereIsNone() {
    assertThat(problems(dir,
        "encryption:",
        "  key_dir: keys",
        "global:",
        "  require_encryption: any",
        "  action: encrypt"))
        .containsExactly("policy.yaml:2:3: unknown key 'key_dir' in encryption (did you mean 'keys_dir'?)");
  }

  @Test
  void unknownKeysShouldGetTheNearestSpellingOrWhereTheyBelong() {
    assertThat(problems(dir,
        "min_tls_version: TLSv1.2",
        "inbound:",
        "  action: reject",
        "internal_networks: [10.0.0.0/8]",
        "partner.example:",
        "  action: reject",
        "global:",
        "  tls-min-version: TLSv1.2",
        "  min_scor: 5",
        "  trust:",
        "    local_domains: [example.org]",
        "  local_domains: [example.org]",
        "  encrypt:",
        "    action: hold"))
        .containsExactly(
            "policy.yaml:1:1: unknown key 'min_tls_version' at the top of a policy file (min_tls_version is a rule"
                + " key: it goes under global:, a domain or a user entry)",
            "policy.yaml:2:1: unknown key 'inbound' at the top of a policy file (inbound blocks go inside global:,"
                + " a domain or a user entry)",
            "policy.yaml:4:1: unknown key 'internal_networks' at the top of a policy file (internal_networks"
                + " belongs in trust:)",
            "policy.yaml:5:1: unknown key 'partner.example' at the top of a policy file (a domain? domain entries go"
                + " under domains:)",
            "policy.yaml:8:3: unknown key 'tls-min-version' in a rule (did you mean 'min_tls_version'?)",
            "policy.yaml:9:3: unknown key 'min_scor' in a rule (did you mean 'min_score'?)",
            "policy.yaml:10:3: unknown key 'trust' in a rule (trust belongs at the top of the policy file)",
            "policy.yaml:12:3: unknown key 'local_domains' in a rule (local_domains belongs in trust:)",
            "policy.yaml:14:5: unknown key 'action' in encrypt (action is a rule key: it goes beside encrypt:, not"
                + " inside it)");
  }

  @Test
  void aWildcardDomainShouldGetTheLeadingDotHint() {
    assertThat(problems(dir,
        "domains:",
        "  \"*.partner.example\":",
        "    min_tls_version: TLSv1.2",
        "trust:",
        "  local_domains: [\"*.example.org\"]"))
        .containsExactly(
            "policy.yaml:2:3: bad domain '*.partner.example': wildcards are not written with '*': write"
                + " '.partner.example' (a leading dot matches every subdomain, as in Postfix tables; add"
                + " 'partner.example' too for the domain itself)",
            "policy.yaml:5:19: bad local_domains entry '*.example.org': wildcards are not written with '*': name the"
                + " host or domain itself ('example.org')");
  }

  @Test
  void quarantineShouldBeAnotherNameForHoldAndAMisspeltActionShouldGetTheNearest() {
    assertThat(problems(dir,
        "global:",
        "  min_grade: C",
        "  action: quarantine",
        "  encrypt:",
        "    on_missing_key: quarantine")).isEmpty();
    assertThat(problems(dir,
        "global:",
        "  min_grade: C",
        "  action: rejct"))
        .containsExactly("policy.yaml:3:11: unknown action 'rejct' (did you mean 'reject'?)");
  }

  @Test
  void checkShouldWarnAboutEmptyAndRedundantRules() {
    assertThat(problems(dir,
        "global:",
        "  min_score: 50",
        "domains:",
        "  a.example: {}",
        "  b.example:",
        "    min_score: 50",
        "  c.example:",
        "    inbound: {}"))
        .containsExactly(
            "policy.yaml:4:3: warning: empty rule for domain a.example: it changes nothing",
            "policy.yaml:5:3: warning: rule for domain b.example changes nothing: every key it sets has the value"
                + " it inherits from global",
            "policy.yaml:7:3: warning: rule for domain c.example changes nothing: every key it sets has the value"
                + " it inherits from global",
            "policy.yaml:8:5: warning: empty inbound block: it changes nothing");
  }

  @Test
  void checkShouldReportBadNamesAndNetworks() {
    assertThat(problems(dir,
        "trust:",
        "  internal_networks: [10.0.0.0/33, 300.1.2.3, 'fe80::zz', 10.0.0.0/8]",
        "  local_domains: [exa mple.org]",
        "global:",
        "  min_score: 1",
        "  action: redirect",
        "  redirect_to: nobody",
        "domains:",
        "  bob@example.org:",
        "    min_score: 2",
        "users:",
        "  example.org:",
        "    min_score: 3",
        "  bob@example.org:",
        "    applies_to: everybody",
        "    inbound:",
        "      outbound:",
        "        min_score: 4"))
        .containsExactly(
            "policy.yaml:2:23: bad internal_networks entry '10.0.0.0/33': prefix must be 0..32",
            "policy.yaml:2:36: bad internal_networks entry '300.1.2.3': \"300.1.2.3\" is not an IPv4 or IPv6"
                + " address",
            "policy.yaml:2:47: bad internal_networks entry 'fe80::zz': \"fe80::zz\" is not an IPv4 or IPv6 address",
            "policy.yaml:3:19: bad local_domains entry 'exa mple.org': bad label 'exa mple'",
            "policy.yaml:6:11: action redirect needs redirect_to (the address to deliver to instead), for global",
            "policy.yaml:7:16: redirect_to must be an address (user@domain): expected local@domain",
            "policy.yaml:9:3: bad domain 'bob@example.org': a domain, not an address (put addresses under users:)",
            "policy.yaml:12:3: bad address 'example.org': expected local@domain",
            "policy.yaml:15:17: applies_to must be recipient, sender or both, not 'everybody'",
            "policy.yaml:17:7: direction blocks do not nest: 'outbound' inside 'inbound'");
  }

  @Test
  void checkShouldReportYamlSyntaxErrorsWithPosition() {
    assertThat(problems(dir, "global:", "  min_score: 5", " action: [tag"))
        .hasSize(1).first().asString().startsWith("policy.yaml:3:");
    assertThat(problems(dir, "- a", "- b"))
        .containsExactly("policy.yaml:1:1: a policy file is a mapping of keys (mode, trust, global, domains,"
            + " users ...), not a list");
  }

  @Test
  void checkShouldRefuseAnchorsAndTags() {
    assertThat(problems(dir, "global: &g", "  min_score: 5", "users:", "  a@b.example: *g"))
        .containsExactly("policy.yaml:1:9: anchors and aliases (&g) are not supported in policy files: write each"
            + " rule out");
    assertThat(problems(dir, "global:", "  min_score: !!java.lang.Object 5"))
        .containsExactly("policy.yaml:2:14: YAML: Global tag is not allowed: tag:yaml.org,2002:java.lang.Object");
    assertThat(problems(dir, "global:", "  min_score: !local 5"))
        .containsExactly("policy.yaml:2:14: YAML tag !local is not supported in policy files");
  }

  @Test
  void checkShouldWarnWhenKeysDirIsMissingAndFailWhenItIsAFile() {
    assertThat(problems(dir, "encryption:", "  keys_dir: nowhere")).singleElement().asString()
        .startsWith("policy.yaml:2:13: warning: keys_dir ").endsWith("nowhere does not exist (yet)");
    write(dir, "afile", "x");
    assertThat(problems(dir, "encryption:", "  keys_dir: afile")).singleElement().asString()
        .startsWith("policy.yaml:2:13: keys_dir ").endsWith("afile is not a directory");
  }

  @Test
  void checkShouldRefuseAnUnknownVersion() {
    assertThat(problems(dir, "version: 2")).containsExactly(
        "policy.yaml:1:10: unsupported policy version '2': this caliop reads version 1");
  }

  @Test
  void checkShouldRefuseAReplyTextThatIsNotAscii() {
    assertThat(problems(dir, "global:", "  min_tls_version: TLSv1.2", "  action: reject",
        "  reply_text: 'Message refus\u00e9'"))
        .containsExactly("policy.yaml:4:15: reply_text must be printable ASCII: SMTP replies are ASCII (found"
            + " '\u00e9')");
  }

  @Test
  void checkShouldReadOnFailureAndRefuseAClearSend() {
    assertThat(problems(dir, "encryption:", "  keys_dir: .", "global:", "  require_encryption: any",
        "  action: encrypt", "  encrypt:", "    on_failure: tag"))
        .containsExactly("policy.yaml:7:17: on_failure must be tempfail, reject or hold (or quarantine; a failed"
            + " encryption never sends in clear), not 'tag'");
    CompiledPolicy p = PolicyFixtures.load(dir, "encryption:", "  keys_dir: .", "global:",
        "  require_encryption: any", "  action: encrypt", "  encrypt:", "    on_failure: reject");
    assertThat(p.decide(PolicyFixtures.facts().build(), PolicyFixtures.goodScore()).encrypt().orElseThrow()
        .onFailure()).isEqualTo(Action.REJECT);
  }

  @Test
  void checkShouldWarnThatTheMilterCannotSplitAMessage() {
    assertThat(problems(dir, "encryption:", "  keys_dir: .", "global:", "  require_encryption: any",
        "  action: encrypt", "  encrypt:", "    split_per_recipient: true"))
        .containsExactly("policy.yaml:7:26: warning: split_per_recipient: James sends one copy per recipient; the"
            + " milter cannot split a message and encrypts one copy to every recipient's key (OpenPGP: the key ids"
            + " of recipients not named in To or Cc hidden; S/MIME: every recipient's certificate listed)");
  }

  @Test
  void actionsShouldListWhatAMessageMayEndIn() {
    assertThat(PolicyFixtures.load(dir, "global:", "  min_tls_version: TLSv1.2").actions())
        .containsExactlyInAnyOrder(Action.ACCEPT, Action.TAG);
    assertThat(PolicyFixtures.load(dir, "encryption:", "  keys_dir: .", "domains:", "  example.net:",
        "    require_encryption: any", "    action: encrypt", "    encrypt:", "      on_missing_key: reject")
        .actions()).contains(Action.ENCRYPT, Action.REJECT, Action.HOLD, Action.TEMPFAIL)
        .doesNotContain(Action.REDIRECT);
    assertThat(Policy.builtIn().actions()).containsExactly(Action.ACCEPT);
  }
}
