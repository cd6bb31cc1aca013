package org.caliop.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.caliop.policy.PolicyFixtures.facts;
import static org.caliop.policy.PolicyFixtures.goodScore;
import static org.caliop.policy.PolicyFixtures.load;
import static org.caliop.policy.PolicyFixtures.problems;

import java.nio.file.Path;
import org.caliop.facts.Direction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code name:} gives a rule an identity that survives edits of the file; {@code file:line} does not. */
class RuleNamesTest {
  @TempDir
  Path dir;

  private static final String[] POLICY = {
      "global:",
      "  name: baseline",
      "  min_grade: D",
      "  action: tag",
      "domains:",
      "  partner.example:",
      "    name: partner-tls",
      "    inbound:",
      "      min_tls_version: TLSv1.2",
      "      action: reject",
      "    outbound:",
      "      name: partner-out",
      "      min_tls_version: TLSv1.3",
      "      action: hold",
      "  other.example:",
      "    min_score: 90",
      "    action: reject"};

  @Test
  void aNamedRuleShouldBeIdentifiedByItsNameAndStillSayWhereItIs() {
    CompiledPolicy p = load(dir, POLICY);
    Decision d = p.decide(facts().tls(null).build(), goodScore());
    assertThat(d.rule()).contains("partner-tls");
    assertThat(d.ruleLocation()).contains("policy.yaml:8");
    assertThat(p.ruleLabel("partner-tls")).contains("domain partner.example, policy.yaml:6");
  }

  @Test
  void aDirectionBlockShouldCarryItsOwnNameOrElseItsEntrys() {
    CompiledPolicy p = load(dir, POLICY);
    Decision out = p.decide(facts().tls(null).direction(Direction.OUTBOUND).from("ceo@example.org")
        .to("alice@partner.example").build(), goodScore());
    assertThat(out.rule()).contains("partner-out");
    assertThat(out.ruleLocation()).contains("policy.yaml:11");
  }

  @Test
  void anUnnamedRuleShouldBeIdentifiedByFileAndLine() {
    Decision d = load(dir, POLICY).decide(facts().to("bob@other.example").build(), PolicyFixtures.score(50,
        org.caliop.score.Grade.C));
    assertThat(d.rule()).contains("policy.yaml:15");
    assertThat(d.ruleLocation()).contains("policy.yaml:15");
  }

  @Test
  void theNameShouldNotChangeWhenTheFileIsEdited() {
    String[] edited = new String[POLICY.length + 2];
    edited[0] = "# a comment added on top";
    edited[1] = "mode: enforce";
    System.arraycopy(POLICY, 0, edited, 2, POLICY.length);
    Decision before = load(dir, POLICY).decide(facts().tls(null).build(), goodScore());
    Decision after = load(dir, edited).decide(facts().tls(null).build(), goodScore());
    assertThat(after.rule()).isEqualTo(before.rule()).contains("partner-tls");
    assertThat(after.ruleLocation()).isNotEqualTo(before.ruleLocation());
  }

  @Test
  void explainShouldShowTheNames() {
    Explanation e = load(dir, POLICY).explain(facts().tls(null).build(), goodScore()).get(0);
    assertThat(e.layers()).containsExactly("global: global (policy.yaml:1, name baseline)",
        "sender's domain: domain partner.example (policy.yaml:6, name partner-tls)",
        "sender's domain, inbound: domain partner.example inbound (policy.yaml:8, name partner-tls)");
  }

  @Test
  void badAndDuplicateNamesShouldBeErrors() {
    assertThat(problems(dir,
        "global:",
        "  name: \"base line\"",
        "  min_grade: D",
        "domains:",
        "  a.example:",
        "    name: same",
        "    min_score: 1",
        "  b.example:",
        "    name: same",
        "    min_score: 2",
        "  c.example:",
        "    name: policy.yaml:3",
        "    min_score: 3"))
        .containsExactly(
            "policy.yaml:2:9: bad rule name 'base line': letters, digits, '.', '_' and '-', at most 64, starting with"
                + " a letter or digit (logs, headers and metric labels carry it)",
            "policy.yaml:9:11: rule name 'same' is already given at line 6: a name identifies one rule",
            "policy.yaml:12:11: bad rule name 'policy.yaml:3': letters, digits, '.', '_' and '-', at most 64, starting"
                + " with a letter or digit (logs, headers and metric labels carry it)");
  }
}
