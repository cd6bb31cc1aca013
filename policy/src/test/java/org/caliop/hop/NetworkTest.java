package org.caliop.hop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NetworkTest {
  @Test
  void containsShouldRespectPrefixBoundariesInIpv4() {
    Network n = Network.parse("192.168.4.0/22");

    assertThat(n.contains("192.168.4.0")).isTrue();
    assertThat(n.contains("192.168.7.255")).isTrue();
    assertThat(n.contains("192.168.3.255")).isFalse();
    assertThat(n.contains("192.168.8.0")).isFalse();
  }

  @Test
  void containsShouldRespectPrefixBoundariesInIpv6AcrossThe64BitHalf() {
    Network n = Network.parse("2001:db8:0:0:8000::/65");

    assertThat(n.contains("2001:db8::8000:0:0:1")).isTrue();
    assertThat(n.contains("2001:db8::7fff:ffff:ffff:ffff")).isFalse();
  }

  @Test
  void parseShouldAcceptZeroPrefixAndBareAddresses() {
    assertThat(Network.parse("0.0.0.0/0").contains("203.0.113.9")).isTrue();
    assertThat(Network.parse("0.0.0.0/0").contains("2001:db8::1")).isFalse();
    assertThat(Network.parse("::/0").contains("2001:db8::1")).isTrue();
    assertThat(Network.parse("::1").contains("::1")).isTrue();
    assertThat(Network.parse("::1").contains("::2")).isFalse();
    assertThat(Network.parse("::ffff:10.0.0.0/104").contains("10.9.9.9")).isTrue();
  }

  @Test
  void anIpv4MappedAddressShouldMatchItsIpv4Block() {
    Network loopback = Network.parse("127.0.0.0/8");

    assertThat(loopback.contains("::ffff:127.0.0.1")).isTrue();
    assertThat(loopback.contains(IpAddress.orNull("[IPv6:::ffff:127.0.0.1]"))).isTrue();
    assertThat(Network.parse("::ffff:127.0.0.1").contains("127.0.0.1")).isTrue();
    assertThat(Network.parse("::/0").contains("::ffff:127.0.0.1")).as("an IPv4 address, not in an IPv6 block")
        .isFalse();
  }

  @Test
  void parseShouldRejectBadBlocksWithTheirText() {
    assertThatThrownBy(() -> Network.parse("2001:db8::/129")).hasMessageContaining("prefix must be 0..128");
    assertThatThrownBy(() -> Network.parse("10.0.0.0/x")).hasMessageContaining("\"x\" is not a number");
    assertThatThrownBy(() -> Network.parse("example.org/24")).hasMessageContaining("not an IPv4 or IPv6 address");
    assertThatThrownBy(() -> Network.parse(" ")).hasMessageContaining("empty");
  }
}
