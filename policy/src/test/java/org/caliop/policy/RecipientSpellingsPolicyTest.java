package org.caliop.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.caliop.engine.Assessment;
import org.caliop.engine.Engine;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Direction;
import org.caliop.facts.Envelope;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A recipient cannot escape a user or domain rule by its spelling: quoted local parts, case, a trailing dot, an
 * address extension, Unicode or ASCII domains, a missing domain. Each spelling goes through the engine.
 */
class RecipientSpellingsPolicyTest {
  private static final String MESSAGE = "From: a@partner.example\r\nTo: ceo@example.org\r\nSubject: s\r\n\r\nhi\r\n";

  @TempDir
  Path dir;
  private Engine engine;

  @BeforeEach
  void policy() throws Exception {
    engine = new Engine(PolicyHolder.load(PolicyFixtures.write(dir, "policy.yaml",
        "trust:",
        "  local_domains: [example.org, bücher.example]",
        "  recipient_delimiter: \"+-\"",
        "users:",
        "  ceo@example.org:",
        "    require_encryption: any",
        "    action: reject",
        "    reply_text: ceo rule",
        "  '\"Boss\"@Bücher.Example.':",
        "    require_encryption: any",
        "    action: reject",
        "    reply_text: boss rule",
        "  ceo+press@example.org:",
        "    min_score: 0",
        "    require_encryption: none",
        "    action: accept",
        "domains:",
        "  xn--mnchen-3ya.example:",
        "    require_encryption: any",
        "    action: tempfail",
        "    reply_text: munich rule")));
  }

  private Assessment judge(String sender, String recipient) throws IOException {
    ConnectionFacts c = ConnectionFacts.builder().clientAddress("192.0.2.1").queueId("Q").build();
    return engine.assess(c, Envelope.of(sender, List.of(recipient)),
        new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.US_ASCII)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ceo@example.org", "<ceo@example.org>", "\"ceo\"@example.org", "CEO@EXAMPLE.ORG",
      "ceo@example.org.", "ceo+board@example.org", "ceo-board@example.org", "\"ceo+board\"@example.org",
      "<@relay.example:ceo@example.org>", "ceo"})
  void everySpellingOfTheCeoShouldMeetTheCeoRule(String spelling) throws IOException {
    Assessment v = judge("a@partner.example", spelling);
    assertThat(v.decision().action()).as(spelling).isEqualTo(Action.REJECT);
    assertThat(v.decision().replyText()).contains("ceo rule");
  }

  @Test
  void anExtensionWithARuleOfItsOwnShouldKeepIt() throws IOException {
    assertThat(judge("a@partner.example", "ceo+press@example.org").decision().action()).isEqualTo(Action.ACCEPT);
    assertThat(judge("a@partner.example", "\"CEO+Press\"@Example.org").decision().action())
        .isEqualTo(Action.ACCEPT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"boss@bücher.example", "BOSS@xn--bcher-kva.example", "\"boss\"@XN--BCHER-KVA.EXAMPLE.",
      "boss+x@bücher.example"})
  void unicodeAndAsciiDomainsShouldBeOneDomain(String spelling) throws IOException {
    assertThat(judge("a@partner.example", spelling).decision().replyText()).as(spelling).contains("boss rule");
  }

  @ParameterizedTest
  @ValueSource(strings = {"x@münchen.example", "x@XN--MNCHEN-3YA.example"})
  void aDomainRuleWrittenInAsciiShouldMatchUnicode(String spelling) throws IOException {
    Assessment v = judge("a@partner.example", spelling);
    assertThat(v.decision().action()).as(spelling).isEqualTo(Action.TEMPFAIL);
  }

  @Test
  void otherUsersShouldNotMeetTheCeoRule() throws IOException {
    for (String other : new String[] {"ceox@example.org", "ceo@example.net", "\"ceo board\"@example.org",
        "+ceo@example.org"}) {
      assertThat(judge("a@partner.example", other).decision().action()).as(other).isEqualTo(Action.ACCEPT);
    }
  }

  @Test
  void aRecipientWithoutDomainShouldTakeTheFirstLocalDomain() throws IOException {
    Assessment v = judge("a@partner.example", "ceo");
    assertThat(v.facts().envelope().recipients()).extracting(Object::toString).containsExactly("ceo@example.org");
  }

  @Test
  void directionShouldReadLocalDomainsInEitherForm() throws IOException {
    ConnectionFacts ours = ConnectionFacts.builder().clientAddress("127.0.0.1").queueId("Q").build();
    Assessment v = engine.assess(ours, Envelope.of("x@example.org", List.of("y@XN--BCHER-KVA.example")),
        new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.US_ASCII)));
    assertThat(v.facts().direction()).isEqualTo(Direction.INTERNAL);
  }

  @Test
  void theSendersSpellingShouldNotEscapeASenderRuleEither() throws Exception {
    Engine e = new Engine(PolicyHolder.load(PolicyFixtures.write(dir, "sender.yaml",
        "trust:",
        "  recipient_delimiter: +",
        "users:",
        "  ceo@example.org:",
        "    applies_to: sender",
        "    require_encryption: any",
        "    action: hold")));
    for (String spelling : new String[] {"\"ceo\"@example.org", "CEO+x@Example.org.", "<ceo@example.org>"}) {
      Assessment v = e.assess(null, Envelope.of(spelling, List.of("x@partner.example")),
          new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.US_ASCII)));
      assertThat(v.decision().action()).as(spelling).isEqualTo(Action.HOLD);
    }
  }
}
