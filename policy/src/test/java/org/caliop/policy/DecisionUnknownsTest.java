package org.caliop.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.caliop.policy.LocalHopsTest.lmtpUnixSocket;
import static org.caliop.policy.LocalHopsTest.reception;
import static org.caliop.policy.PolicyFixtures.facts;
import static org.caliop.policy.PolicyFixtures.goodScore;
import static org.caliop.policy.PolicyFixtures.load;

import java.nio.file.Path;
import org.caliop.hop.Hop;
import org.caliop.hop.TlsVersion;
import org.caliop.hop.Trust;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A decision says which of its reasons failed for want of a fact (replay counts them): a TLS version nobody wrote
 * down, no hop to check, no trusted authentication result. A fact that fails a requirement is not an unknown.
 */
class DecisionUnknownsTest {
  @TempDir
  Path dir;

  private CompiledPolicy policy() {
    return load(dir, "global:", "  min_tls_version: TLSv1.2", "  require_dkim_pass: true", "  action: reject");
  }

  @Test
  void aTlsVersionNobodyWroteDownShouldBeAnUnknown() {
    Hop esmtpsWithoutVersion = Hop.builder(Trust.INTERNAL).fromHost("mx.partner.example").fromIp("198.51.100.7")
        .byHost("mail.example.org").protocol("ESMTPS").build();
    Decision d = policy().decide(facts().stored().hop(lmtpUnixSocket()).hop(esmtpsWithoutVersion)
        .auth("pass", null).build(), goodScore());
    assertThat(d.reasons()).containsExactly("TLS version on our hop is unknown (need TLSv1.2)");
    assertThat(d.unknowns()).isEqualTo(d.reasons());
  }

  @Test
  void noHopToCheckAndNoAuthenticationResultShouldBeUnknowns() {
    Hop claimed = Hop.builder(Trust.CLAIMED).fromHost("mx.partner.example").fromIp("198.51.100.7")
        .byHost("mail.example.org").protocol("ESMTPS").tlsVersion(TlsVersion.TLSV1_3).build();
    Decision d = policy().decide(facts().stored().hop(claimed).build(), goodScore());
    assertThat(d.unknowns()).hasSize(2).isEqualTo(d.reasons());
  }

  @Test
  void factsThatFailShouldNotBeUnknowns() {
    Decision plain = policy().decide(facts().stored().hop(lmtpUnixSocket()).hop(reception(null))
        .auth("fail", null).build(), goodScore());
    assertThat(plain.reasons()).hasSize(2);
    assertThat(plain.unknowns()).isEmpty();
    Decision old = policy().decide(facts().tls("TLSv1.1").auth("pass", null).build(), goodScore());
    assertThat(old.reasons()).containsExactly("our hop used TLSv1.1, below TLSv1.2");
    assertThat(old.unknowns()).isEmpty();
  }
}
