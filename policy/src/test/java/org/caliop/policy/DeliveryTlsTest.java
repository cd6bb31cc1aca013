package org.caliop.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a policy asks of the delivery of outbound mail, per destination, as Postfix's TLS policy table says it. */
class DeliveryTlsTest {
  @TempDir
  Path dir;

  private DeliveryTls of(String... lines) {
    return DeliveryTls.of(PolicyFixtures.load(dir, lines));
  }

  private static String lines(DeliveryTls t) {
    return t.destinations().stream().map(DeliveryTls.Destination::postfixLine).collect(Collectors.joining("\n"));
  }

  @Test
  void requireTls12ToAPartnerShouldBeOneEncryptLineWithTheMinimumProtocol() {
    DeliveryTls t = of(
        "domains:",
        "  partner.example:",
        "    outbound:",
        "      min_tls_version: TLSv1.2",
        "      action: reject",
        "  .subs.example:",
        "    applies_to: recipient",
        "    min_tls_version: TLSv1.0",
        "    action: hold");
    assertThat(lines(t)).isEqualTo(".subs.example encrypt protocols=>=TLSv1\n"
        + "partner.example encrypt protocols=>=TLSv1.2");
    assertThat(t.destinations().get(1).rule()).isEqualTo("domain partner.example outbound (policy.yaml:3)");
    assertThat(t.notes()).isEmpty();
  }

  @Test
  void aVerifiedCertificateShouldBeSecureOrDaneOnly() {
    DeliveryTls t = of(
        "domains:",
        "  bank.example:",
        "    outbound:",
        "      min_tls_version: TLSv1.3",
        "      verify_delivery_certificate: ca",
        "      action: tempfail",
        "  dane.example:",
        "    verify_delivery_certificate: dane");
    assertThat(lines(t)).isEqualTo("bank.example secure protocols=>=TLSv1.3\ndane.example dane-only");
  }

  @Test
  void inboundRequirementsAndRulesThatOnlyTagShouldNotBeExported() {
    DeliveryTls t = of(
        "domains:",
        "  partner.example:",
        "    inbound:",
        "      min_tls_version: TLSv1.2",
        "      action: reject",
        "  tagged.example:",
        "    outbound:",
        "      min_tls_version: TLSv1.2",
        "      action: tag");
    assertThat(t.destinations()).isEmpty();
    assertThat(t.notes()).containsExactly("domain tagged.example outbound (policy.yaml:7): min_tls_version TLSv1.2"
        + " with action tag is not exported: Postfix can only defer a delivery, not tag it");
  }

  @Test
  void aGlobalRequirementShouldBeANoteForMainCfAndEntriesThatSwitchItOffMay() {
    DeliveryTls t = of(
        "global:",
        "  outbound:",
        "    min_tls_version: TLSv1.2",
        "    action: reject",
        "domains:",
        "  legacy.example:",
        "    outbound:",
        "      min_tls_version: none",
        "  partner.example:",
        "    outbound:",
        "      min_tls_version: TLSv1.3",
        "users:",
        "  ceo@example.org:",
        "    outbound:",
        "      min_tls_version: TLSv1.3",
        "  bob@example.org:",
        "    applies_to: sender",
        "    min_grade: C");
    assertThat(lines(t)).isEqualTo("legacy.example may\npartner.example encrypt protocols=>=TLSv1.3");
    assertThat(t.globalMinVersion().map(v -> v.canonical())).contains("TLSv1.2");
    assertThat(t.notes()).containsExactly(
        "global outbound (policy.yaml:2) asks every destination for TLS TLSv1.2 or better: say it in main.cf"
            + " (smtp_tls_security_level = encrypt, smtp_tls_mandatory_protocols = >=TLSv1.2); the table below lists"
            + " the domain entries",
        "user ceo@example.org outbound (policy.yaml:14) is not exported: Postfix chooses delivery TLS per"
            + " destination domain, not per address");
  }

  @Test
  void senderSideEntriesShouldBeANoteOnly() {
    DeliveryTls t = of(
        "domains:",
        "  example.org:",
        "    applies_to: sender",
        "    outbound:",
        "      min_tls_version: TLSv1.2",
        "      action: reject");
    assertThat(t.destinations()).isEmpty();
    assertThat(t.notes()).containsExactly("domain example.org outbound (policy.yaml:4) applies to senders only:"
        + " delivery TLS is chosen per destination, not exported");
  }

  @Test
  void theKeyShouldBeCheckedAndWarnedAboutOutsideOutbound() {
    assertThat(PolicyFixtures.problems(dir,
        "domains:",
        "  a.example:",
        "    verify_delivery_certificate: pkix",
        "  b.example:",
        "    inbound:",
        "      verify_delivery_certificate: ca"))
        .containsExactly(
            "policy.yaml:3:34: verify_delivery_certificate must be none, ca or dane, not 'pkix'",
            "policy.yaml:6:36: warning: verify_delivery_certificate in an inbound block is never used: it is about"
                + " delivery of outbound mail (caliop policy export postfix-tls)");
  }
}
