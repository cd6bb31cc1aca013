package org.caliop.hop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpAddressTest {
  @Test
  void canonicalShouldWriteIpv6InRfc5952Form() {
    assertThat(IpAddress.canonical("2001:DB8:0:0:0:0:0:1")).isEqualTo("2001:db8::1");
    assertThat(IpAddress.canonical("2401:db00:1110:50e8:face:0000:002f:0000")).isEqualTo("2401:db00:1110:50e8:face:0:2f:0");
    assertThat(IpAddress.canonical("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
    assertThat(IpAddress.canonical("IPv6:::1")).isEqualTo("::1");
    assertThat(IpAddress.canonical("::")).isEqualTo("::");
    assertThat(IpAddress.canonical("fe80::19bd:c588:dd17:5226%6")).isEqualTo("fe80::19bd:c588:dd17:5226");
    assertThat(IpAddress.canonical("64:ff9b::192.0.2.33")).isEqualTo("64:ff9b::c000:221");
  }

  @Test
  void anIpv4MappedAddressShouldBeItsIpv4Address() {
    // "::ffff:a.b.c.d" is how a dual-stack listener reports an IPv4 client: one address, whichever spelling
    assertThat(IpAddress.canonical("::ffff:61.99.99.67")).isEqualTo("61.99.99.67");
    assertThat(IpAddress.canonical("::FFFF:3d63:6343")).isEqualTo("61.99.99.67");
    assertThat(IpAddress.canonical("IPv6:::ffff:61.99.99.67")).isEqualTo("61.99.99.67");
    assertThat(IpAddress.parse("::ffff:127.0.0.1")).isEqualTo(IpAddress.parse("127.0.0.1"));
    assertThat(IpAddress.orNull("[IPv6:::ffff:127.0.0.1]").isLoopback()).isTrue();
    assertThat(IpAddress.orNull("::ffff:10.1.2.3").isV4()).isTrue();
    assertThat(IpAddress.orNull("::ffff:10.1.2.3").bytes()).containsExactly(10, 1, 2, 3);
    // the IPv4-compatible and NAT64 forms are other addresses
    assertThat(IpAddress.orNull("::10.1.2.3").isV4()).isFalse();
    assertThat(IpAddress.orNull("64:ff9b::10.1.2.3").isV4()).isFalse();
  }

  @Test
  void parseShouldReadWhatMtasWrite() {
    assertThat(IpAddress.parse(" 192.0.2.1 ")).map(Object::toString).contains("192.0.2.1");
    assertThat(IpAddress.parse("[192.0.2.1]")).map(Object::toString).contains("192.0.2.1");
    assertThat(IpAddress.parse("[IPv6:2001:DB8::1]")).map(Object::toString).contains("2001:db8::1");
    assertThat(IpAddress.parse("IPv6:2001:db8::1")).map(Object::toString).contains("2001:db8::1");
  }

  @Test
  void isLoopbackShouldBeTrueForLoopbackOnly() {
    assertThat(IpAddress.orNull("127.0.0.1").isLoopback()).isTrue();
    assertThat(IpAddress.orNull("127.255.0.9").isLoopback()).isTrue();
    assertThat(IpAddress.orNull("::1").isLoopback()).isTrue();
    assertThat(IpAddress.orNull("0:0:0:0:0:0:0:1").isLoopback()).isTrue();
    assertThat(IpAddress.orNull("128.0.0.1").isLoopback()).isFalse();
    assertThat(IpAddress.orNull("::2").isLoopback()).isFalse();
    assertThat(IpAddress.orNull("1::1").isLoopback()).isFalse();
  }

  @Test
  void equalAddressesShouldBeEqualValues() {
    assertThat(IpAddress.orNull("2001:db8:0:0:0:0:0:1")).isEqualTo(IpAddress.orNull("2001:DB8::1"))
        .hasSameHashCodeAs(IpAddress.orNull("2001:db8::1"));
    assertThat(IpAddress.orNull("192.0.2.1")).isNotEqualTo(IpAddress.orNull("192.0.2.2"));
  }

  @Test
  void parseShouldRejectWhatIsNotAnAddress() {
    for (String bad : new String[] {"1.2.3", "1.2.3.256", "10.0.8.6.13219", "1::2::3", "1:2:3:4:5:6:7:8:9",
        "12345::", ":1:2:3:4:5:6:7", "mail.example.org", "", "unknown", "[]", "[1.2.3.4"}) {
      assertThat(IpAddress.parse(bad)).as(bad).isEmpty();
      assertThat(IpAddress.bytes(bad)).as(bad).isNull();
    }
    assertThat(IpAddress.parse(null)).isEmpty();
  }

  @Test
  void bytesShouldReadFullAndEmbeddedForms() {
    assertThat(IpAddress.bytes("1:2:3:4:5:6:7:8")).hasSize(16);
    assertThat(IpAddress.bytes("1:2:3:4:5:6:1.2.3.4")).hasSize(16);
    assertThat(IpAddress.bytes("1:2:3:4:5:6:7::")).hasSize(16);
    assertThat(IpAddress.bytes("0.0.0.0")).containsExactly(0, 0, 0, 0);
  }
}
