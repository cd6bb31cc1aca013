package org.caliop.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.caliop.engine.Engine;
import org.caliop.engine.MessageSource;
import org.caliop.engine.Verdict;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Envelope;
import org.caliop.facts.HeaderEdit;
import org.caliop.hop.Hop;
import org.caliop.hop.Trust;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * require_jurisdictions / deny_jurisdictions through the real engine, with the test database (documentation ranges:
 * 192.0.2.0/24 DE, 198.51.100.0/24 RU, 203.0.113.0/24 US, 127.0.0.1 NL).
 */
class JurisdictionPolicyTest {
  private static final Path DB = Paths.get("src/test/resources/geo/test-country.mmdb").toAbsolutePath();

  @TempDir
  Path dir;

  private String trust;

  @BeforeEach
  void trust() {
    trust = "trust:\n  local_domains: [example.org]\n  geoip_database: " + DB + "\n";
  }

  private Verdict judge(String client, String message, String policy) throws IOException, PolicyException {
    Files.writeString(dir.resolve("policy.yaml"), trust + policy);
    PolicyHolder holder = PolicyHolder.load(dir.resolve("policy.yaml"));
    ConnectionFacts c = ConnectionFacts.builder().clientAddress(client).helo("mx.partner.example")
        .tlsVersion("TLSv1.3").queueId("4ABC").protocol("ESMTPS").receivedBy("mx.example.org").build();
    return new Engine(holder).evaluate(c, Envelope.of("alice@partner.example", List.of("bob@example.org")),
        MessageSource.of(message.getBytes(StandardCharsets.US_ASCII)));
  }

  private static String message(String... received) {
    StringBuilder b = new StringBuilder();
    for (String r : received) {
      b.append("Received: ").append(r).append("\r\n");
    }
    return b.append("From: alice@partner.example\r\nTo: bob@example.org\r\nSubject: hi\r\n\r\nhi\r\n").toString();
  }

  private static String header(Verdict v, String name) {
    return v.headerEdits().stream().filter(e -> e.kind() == HeaderEdit.Kind.ADD && e.name().equals(name))
        .map(HeaderEdit::value).findFirst().orElse("");
  }

  @Test
  void denyShouldRejectAFirsthandClientRegisteredInADeniedCountry() throws Exception {
    Verdict v = judge("198.51.100.7", message(), "global:\n  inbound:\n    deny_jurisdictions: [RU]\n"
        + "    action: reject\n");

    assertThat(v.decision().action()).isEqualTo(Action.REJECT);
    assertThat(v.decision().reasons()).singleElement().asString()
        .startsWith("firsthand hop 1 (")
        .contains("is registered in RU per Caliop-Test-Country ")
        .endsWith(", in deny_jurisdictions (RU)");
  }

  @Test
  void requireShouldAcceptEuAndRefuseOthers() throws Exception {
    String policy = "global:\n  inbound:\n    require_jurisdictions: [EU]\n    action: reject\n";

    assertThat(judge("192.0.2.9", message(), policy).decision().action()).isEqualTo(Action.ACCEPT);
    Verdict us = judge("203.0.113.5", message(), policy);
    assertThat(us.decision().action()).isEqualTo(Action.REJECT);
    assertThat(us.decision().reasons()).singleElement().asString()
        .contains("is registered in US per Caliop-Test-Country").endsWith("not in require_jurisdictions (EU)");
  }

  @Test
  void requireShouldFailAGlobalAddressWithoutACountryButSkipPrivateOnes() throws Exception {
    String policy = "global:\n  inbound:\n    require_jurisdictions: [EU]\n    action: reject\n";
    trust = "trust:\n  local_domains: [example.org]\n  internal_networks: [127.0.0.0/8, 10.0.0.0/8]\n"
        + "  geoip_database: " + DB + "\n";
    // our relay 10.0.0.2 received from the EU client: the private hop has no country and is skipped
    String viaRelay = message("from mx.partner.example (mx.partner.example [192.0.2.9]) by relay.example.org "
        + "(Postfix) with ESMTPS id R1; Mon, 1 Jan 2024 00:00:00 +0000");
    assertThat(judge("10.0.0.2", viaRelay, policy).decision().action()).isEqualTo(Action.ACCEPT);
    // an address the database does not map is unknown, and unknown is no proof
    Verdict unmapped = judge("8.8.8.8", message(), policy);
    assertThat(unmapped.decision().action()).isEqualTo(Action.REJECT);
    assertThat(unmapped.decision().reasons()).singleElement().asString().contains("at 8.8.8.8 has no country in");
  }

  @Test
  void aSenderCannotClaimItsWayIntoAnAllowedJurisdiction() throws Exception {
    // the client in US writes a Received header naming a German relay below, and a Caliop-Hop of its own
    String forged = "Caliop-Hop: ip=\"192.0.2.1\", cc=DE\r\n" + message(
        "from mx.partner.example ([192.0.2.1]) by mx.example.org with ESMTPS id 4ABC; Mon, 1 Jan 2024 00:00:00 +0000",
        "from [192.0.2.2] by relay.partner.example with ESMTPS; Mon, 1 Jan 2024 00:00:00 +0000");
    Verdict v = judge("203.0.113.5", forged, "global:\n  inbound:\n    require_jurisdictions: [EU]\n"
        + "    action: reject\n");

    assertThat(v.decision().action()).isEqualTo(Action.REJECT);
    List<Hop> hops = v.facts().hops();
    assertThat(hops.get(0).country()).contains("US");
    // the claimed hop's country is shown, labelled by its hop's trust, and decides nothing
    assertThat(hops.get(hops.size() - 1).trust()).isEqualTo(Trust.CLAIMED);
    assertThat(hops.get(hops.size() - 1).country()).contains("DE");
    assertThat(header(v, "Caliop-Hop")).contains("cc=US").doesNotContain("cc=DE");
  }

  @Test
  void aClaimedHopInADeniedCountryDoesNotFireDeny() throws Exception {
    String claimed = message("from x ([198.51.100.3]) by relay.partner.example with ESMTPS; "
        + "Mon, 1 Jan 2024 00:00:00 +0000");
    Verdict v = judge("192.0.2.9", claimed, "global:\n  deny_jurisdictions: [RU]\n  action: reject\n");

    assertThat(v.decision().action()).isEqualTo(Action.ACCEPT);
  }

  @Test
  void jurisdictionsShouldNotBeCheckedOnOutboundMail() throws Exception {
    trust = "trust:\n  local_domains: [example.org]\n  internal_networks: [127.0.0.0/8, 198.51.100.0/24]\n"
        + "  geoip_database: " + DB + "\n";
    Files.writeString(dir.resolve("policy.yaml"), trust + "global:\n  deny_jurisdictions: [RU]\n  action: reject\n");
    PolicyHolder holder = PolicyHolder.load(dir.resolve("policy.yaml"));
    ConnectionFacts c = ConnectionFacts.builder().clientAddress("198.51.100.7").authUser("bob").build();
    Verdict v = new Engine(holder).evaluate(c, Envelope.of("bob@example.org", List.of("carol@elsewhere.example")),
        MessageSource.of(message().getBytes(StandardCharsets.US_ASCII)));

    assertThat(v.decision().action()).isEqualTo(Action.ACCEPT);
    // outbound mail carries no country of its submitter
    assertThat(header(v, "Caliop-Hop")).doesNotContain("cc=");
  }

  @Test
  void caliopHopShouldCarryTheCountryOfInboundMail() throws Exception {
    // loopback is not ours here, so the test client on 127.0.0.1 sends inbound mail
    trust = "trust:\n  local_domains: [example.org]\n  internal_networks: [10.0.0.0/8]\n  geoip_database: " + DB
        + "\n";
    Verdict v = judge("127.0.0.1", message(), "global:\n  min_score: 0\n");

    assertThat(header(v, "Caliop-Hop")).contains("ip=\"127.0.0.1\", cc=NL, ccdb=\"Caliop-Test-Country ");
  }

  @Test
  void explainShouldSayWhichHopFailed() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), trust + "global:\n  inbound:\n    deny_jurisdictions: [EEA]\n"
        + "    action: reject\n");
    CompiledPolicy p = PolicyLoader.load(dir.resolve("policy.yaml"));
    Verdict v = judge("192.0.2.9", message(), "global:\n  inbound:\n    deny_jurisdictions: [EEA]\n"
        + "    action: reject\n");

    Explanation e = p.explain(v.facts(), v.score()).get(0);
    assertThat(e.failed()).singleElement().asString().contains("firsthand hop 1").contains("registered in DE")
        .contains("EEA");
    Verdict fine = judge("203.0.113.5", message(), "global:\n  inbound:\n    deny_jurisdictions: [EEA]\n"
        + "    action: reject\n");
    assertThat(p.explain(fine.facts(), fine.score()).get(0).met())
        .anyMatch(m -> m.startsWith("no trusted hop's address is registered in EEA per Caliop-Test-Country"));
  }

  @Test
  void policyShouldWarnOfJurisdictionsInAnOutboundBlock() throws Exception {
    assertThat(PolicyFixtures.problems(dir, "trust:", "  geoip_database: " + DB, "global:", "  outbound:",
        "    deny_jurisdictions: [RU]", "    action: hold"))
        .containsExactly("policy.yaml:5:25: warning: deny_jurisdictions in an outbound block is never checked:"
            + " jurisdictions are checked on inbound mail only");
  }

  @Test
  void reloadShouldReadTheDatabaseAgainOnlyWhenItChanged() throws Exception {
    Path db = dir.resolve("countries.mmdb");
    Files.copy(DB, db);
    Files.writeString(dir.resolve("policy.yaml"), "trust:\n  geoip_database: countries.mmdb\n");
    PolicyHolder holder = PolicyHolder.load(dir.resolve("policy.yaml"));
    org.caliop.geo.CountryDatabase first = holder.get().trust().countryDatabase().orElseThrow();

    assertThat(holder.reload().reloaded()).isTrue();
    assertThat(holder.get().trust().countryDatabase()).containsSame(first);

    Files.copy(Paths.get("src/test/resources/geo/test-country-flat.mmdb"), db,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(db, java.nio.file.attribute.FileTime.fromMillis(
        Files.getLastModifiedTime(db).toMillis() + 2000));
    assertThat(holder.reload().reloaded()).isTrue();
    assertThat(holder.get().trust().countryDatabase().orElseThrow().type()).isEqualTo("Caliop-Test-Country-Flat");
  }

  @Test
  void policyShouldRefuseJurisdictionsItCannotCheck() throws Exception {
    assertThat(PolicyFixtures.problems(dir, "global:", "  deny_jurisdictions: [RU]"))
        .anyMatch(p -> p.contains("deny_jurisdictions needs trust.geoip_database"));
    assertThat(PolicyFixtures.problems(dir, "trust:", "  geoip_database: " + DB, "global:",
        "  require_jurisdictions: [EU, Europe]"))
        .anyMatch(p -> p.contains("bad require_jurisdictions entry 'Europe': not a two-letter ISO 3166-1 country"
            + " code nor a group (EEA, EU)"));
    assertThat(PolicyFixtures.problems(dir, "trust:", "  geoip_database: missing.mmdb"))
        .anyMatch(p -> p.contains("geoip_database " + dir.resolve("missing.mmdb") + " cannot be read: no such file"));
    assertThat(PolicyFixtures.problems(dir, "trust:", "  geoip_database: " + DB, "global:",
        "  require_jurisdictions: [EU]", "  action: tag", "domains:", "  partner.example:",
        "    require_jurisdictions: none")).noneMatch(p -> !p.contains("warning"));
  }
}
