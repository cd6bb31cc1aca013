package org.caliop.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.caliop.engine.Engine;
import org.caliop.engine.MessageSource;
import org.caliop.engine.Verdict;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Envelope;
import org.caliop.facts.HeaderEdit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A policy file loaded by the holder, used by the real engine on a real message. */
class EnginePolicyTest {
  private static final String MESSAGE = "Received: from mx.partner.example (mx.partner.example [192.0.2.1])\r\n"
      + "\tby mx.example.org (Postfix) with ESMTP id 4ABC\r\n\tfor <bob@example.org>; Mon, 1 Jan 2024 00:00:00 +0000\r\n"
      + "From: alice@partner.example\r\nTo: bob@example.org\r\nSubject: hello\r\n\r\nhello\r\n";

  @TempDir
  Path dir;

  private Verdict judge(String tls, String... policy) throws IOException, PolicyException {
    PolicyHolder holder = PolicyHolder.load(PolicyFixtures.write(dir, "policy.yaml", policy));
    ConnectionFacts c = ConnectionFacts.builder().clientAddress("192.0.2.1").helo("mx.partner.example")
        .tlsVersion(tls).queueId("4ABC").protocol(tls == null ? "ESMTP" : "ESMTPS").build();
    return new Engine(holder).evaluate(c, Envelope.of("alice@partner.example", List.of("bob@example.org")),
        MessageSource.of(MESSAGE.getBytes(StandardCharsets.US_ASCII)));
  }

  private static String policyHeader(Verdict v) {
    return v.headerEdits().stream().filter(e -> e.kind() == HeaderEdit.Kind.ADD && e.name().equals("Caliop-Policy"))
        .map(HeaderEdit::value).findFirst().orElse("");
  }

  @Test
  void engineShouldRejectClearMailFromPartnerWhenEnforcing() throws Exception {
    Verdict v = judge(null, "trust:", "  local_domains: [example.org]", "domains:", "  partner.example:",
        "    min_tls_version: TLSv1.2", "    action: reject");
    assertThat(v.decision().action()).isEqualTo(Action.REJECT);
    assertThat(v.decision().reasons()).containsExactly("no TLS on our hop (need TLSv1.2)");
    assertThat(v.decision().rule()).contains("policy.yaml:4");
  }

  @Test
  void engineShouldOnlyTagInDryRunAndSayWhatItWouldDo() throws Exception {
    Verdict v = judge(null, "mode: dry-run", "domains:", "  partner.example:", "    min_tls_version: TLSv1.2",
        "    action: reject");
    assertThat(v.decision().action()).isEqualTo(Action.TAG);
    assertThat(v.decision().policyAction()).isEqualTo(Action.REJECT);
    assertThat(policyHeader(v)).contains("action=reject").contains("dry-run").contains("policy.yaml:3");
  }

  @Test
  void engineShouldAcceptWhenTheRequirementIsMet() throws Exception {
    Verdict v = judge("TLSv1.3", "domains:", "  partner.example:", "    min_tls_version: TLSv1.2",
        "    action: reject");
    assertThat(v.decision().action()).isEqualTo(Action.ACCEPT);
  }
}
