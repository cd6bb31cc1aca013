package org.caliop.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.caliop.policy.PolicyFixtures.load;
import static org.caliop.policy.PolicyFixtures.problems;

import java.nio.file.Path;
import java.util.List;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.TrustedRelay;
import org.caliop.hop.IpAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trust.trusted_relays} and {@code trust.recipient_delimiter} in policy files. */
class TrustRelaysPolicyTest {
  @TempDir
  Path dir;

  @Test
  void trustedRelaysShouldBeReadWithTheirListeners() {
    CompiledPolicy p = load(dir,
        "trust:",
        "  trusted_relays:",
        "    - networks: [127.0.0.1]",
        "      listener: 127.0.0.1:10025",
        "    - networks: 127.0.0.1",
        "      daemon_name: dovecot-submission",
        "    - networks: [10.1.2.3, \"2001:db8::/64\"]");

    List<TrustedRelay> relays = p.trust().trustedRelays();
    assertThat(relays).hasSize(3);
    assertThat(relays.get(0).listenerPort()).isEqualTo(10025);
    assertThat(relays.get(0).listenerAddress()).contains(IpAddress.orNull("127.0.0.1"));
    assertThat(relays.get(1).daemonName()).contains("dovecot-submission");
    assertThat(relays.get(2).byNetworkAlone()).isTrue();
    assertThat(relays.get(2).networks()).hasSize(2);
  }

  @Test
  void aRelayShouldBeItsNetworkAndItsListenerTogether() {
    TrustedRelay reinject = TrustedRelay.of(List.of("127.0.0.0/8"), "127.0.0.1:10025", null);
    ConnectionFacts onReinjection = ConnectionFacts.builder().clientAddress("127.0.0.1").daemonAddress("127.0.0.1")
        .daemonPort("10025").build();
    ConnectionFacts onPort25 = ConnectionFacts.builder().clientAddress("127.0.0.1").daemonAddress("127.0.0.1")
        .daemonPort("25").build();
    ConnectionFacts remoteOnReinjection = ConnectionFacts.builder().clientAddress("192.0.2.1")
        .daemonAddress("127.0.0.1").daemonPort("10025").build();
    ConnectionFacts mappedOnReinjection = ConnectionFacts.builder().clientAddress("::ffff:127.0.0.1")
        .daemonAddress("::ffff:127.0.0.1").daemonPort("10025").build();

    assertThat(reinject.matches(onReinjection.clientAddress().get(), onReinjection.listener())).isTrue();
    assertThat(reinject.matches(onPort25.clientAddress().get(), onPort25.listener())).isFalse();
    assertThat(reinject.matches(remoteOnReinjection.clientAddress().get(), remoteOnReinjection.listener()))
        .isFalse();
    assertThat(reinject.matches(mappedOnReinjection.clientAddress().get(), mappedOnReinjection.listener())).isTrue();

    TrustedRelay byName = TrustedRelay.of(List.of("127.0.0.1"), null, "reinject");
    ConnectionFacts named = ConnectionFacts.builder().clientAddress("127.0.0.1").daemonName("REINJECT").build();
    ConnectionFacts unnamed = ConnectionFacts.builder().clientAddress("127.0.0.1").build();
    assertThat(byName.matches(named.clientAddress().get(), named.listener())).isTrue();
    assertThat(byName.matches(unnamed.clientAddress().get(), unnamed.listener())).isFalse();

    TrustedRelay anyAddress = TrustedRelay.of(List.of("127.0.0.1"), "*:10025", null);
    assertThat(anyAddress.matches(onReinjection.clientAddress().get(), onReinjection.listener())).isTrue();
    assertThat(anyAddress.matches(onPort25.clientAddress().get(), onPort25.listener())).isFalse();
  }

  @Test
  void checkShouldReportBadRelays() {
    assertThat(problems(dir,
        "trust:",
        "  trusted_relays:",
        "    - networks: [127.0.0.1]",
        "    - networks: [10.0.0.0/33]",
        "    - networks: [10.0.0.1]",
        "      listener: 10.0.0.1",
        "    - networks: [10.0.0.1]",
        "      listener: ::1:25",
        "    - listener: 127.0.0.1:25",
        "    - networks: [10.0.0.1]",
        "      listen: x",
        "    - 10.0.0.1"))
        .containsExactly(
            "policy.yaml:3:7: trusted relay 127.0.0.1 includes loopback, where every local process connects from"
                + " (a web form, a cron job): name its listener (listener: 127.0.0.1:10025 or daemon_name)",
            "policy.yaml:4:18: bad networks entry '10.0.0.0/33': prefix must be 0..32",
            "policy.yaml:5:7: bad listener '10.0.0.1': expected address:port, [ipv6]:port or *:port with a port from"
                + " 1 to 65535",
            "policy.yaml:7:7: bad listener '::1:25': write an IPv6 address in brackets, [::1]:10025",
            "policy.yaml:9:7: a trusted relay needs networks: the addresses it connects from",
            "policy.yaml:11:7: unknown key 'listen' in a trusted relay (did you mean 'listener'?)",
            "policy.yaml:12:7: a trusted relay is a mapping: networks, and listener or daemon_name, not '10.0.0.1'");
    assertThat(problems(dir, "trust:", "  trusted_relays:", "    networks: [10.0.0.1]")).containsExactly(
        "policy.yaml:3:5: trusted_relays must be a list of relays, each '- networks: [...]' with its listener");
  }

  @Test
  void recipientDelimiterShouldBeReadAndChecked() {
    assertThat(load(dir, "trust:", "  recipient_delimiter: \"+-\"").trust().recipientDelimiter()).isEqualTo("+-");
    assertThat(load(dir, "mode: enforce").trust().recipientDelimiter()).isEmpty();
    assertThat(problems(dir, "trust:", "  recipient_delimiter: \"@\"")).containsExactly(
        "policy.yaml:2:24: recipient_delimiter '@' must be printable ASCII characters other than @ \" \\ < > and"
            + " spaces");
  }
}
