package org.caliop.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.caliop.policy.PolicyFixtures.problems;
import static org.caliop.policy.PolicyFixtures.write;

import java.nio.file.Path;
import java.util.Set;
import org.caliop.auth.AuthMethod;
import org.caliop.facts.TrustSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** trust.authserv_upstream and trust.trusted_arc_sealers: read, checked, and refused when they make no sense. */
class AuthTrustKeysTest {
  @TempDir
  Path dir;

  @Test
  void loadShouldReadUpstreamMethodsAndArcSealers() throws Exception {
    Path p = write(dir, "policy.yaml", "trust:", "  trusted_authserv_ids: [mx.example.org]",
        "  authserv_upstream: [DKIM, dmarc]", "  trusted_arc_sealers: [Lists.Example.ORG, google.com]");

    TrustSettings t = PolicyLoader.load(p).trust();

    assertThat(t.authservUpstream()).containsExactlyInAnyOrder(AuthMethod.DKIM, AuthMethod.DMARC);
    assertThat(t.trustedArcSealers()).isEqualTo(Set.of("lists.example.org", "google.com"));
  }

  @Test
  void theDefaultsShouldBelieveNothingUpstreamAndNoSealer() throws Exception {
    TrustSettings t = PolicyLoader.load(write(dir, "policy.yaml", "version: 1")).trust();

    assertThat(t.authservUpstream()).isEmpty();
    assertThat(t.trustedArcSealers()).isEmpty();
  }

  @Test
  void checkShouldRefuseAMethodCaliopDoesNotRead() {
    assertThat(problems(dir, "trust:", "  trusted_authserv_ids: [mx.example.org]",
        "  authserv_upstream: [dkim, iprev]"))
        .containsExactly("policy.yaml:3:29: bad authserv_upstream entry 'iprev': is not a method caliop reads (dkim,"
            + " spf, dmarc, arc)");
  }

  @Test
  void checkShouldRefuseAnUpstreamVerifierWithoutOurAuthservIds() {
    assertThat(problems(dir, "trust:", "  authserv_upstream: [dkim]"))
        .singleElement().asString().contains("authserv_upstream needs trusted_authserv_ids");
  }

  @Test
  void checkShouldRefuseASealerThatIsNotADomain() {
    assertThat(problems(dir, "trust:", "  trusted_arc_sealers: [\"not a domain\"]")).singleElement().asString()
        .contains("trusted_arc_sealers");
  }
}
