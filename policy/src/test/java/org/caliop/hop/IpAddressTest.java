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
    assertThat(IpAddress.canonical("::ffff:61.99.99.67")).isEqualTo("::ffff:61.99.99.67");
    assertThat(IpAddress.canonical("64:ff9b::192.0.2.33")).isEqualTo("64:ff9b::c000:221");
  }

  @Test
  void parseShouldRejectWhatIsNotAnAddress() {
    assertThat(IpAddress.parse("1.2.3")).isNull();
    assertThat(IpAddress.parse("1.2.3.256")).isNull();
    assertThat(IpAddress.parse("10.0.8.6.13219")).isNull();
    assertThat(IpAddress.parse("1::2::3")).isNull();
    assertThat(IpAddress.parse("1:2:3:4:5:6:7:8:9")).isNull();
    assertThat(IpAddress.parse("12345::")).isNull();
    assertThat(IpAddress.parse(":1:2:3:4:5:6:7")).isNull();
    assertThat(IpAddress.parse("mail.example.org")).isNull();
    assertThat(IpAddress.parse("")).isNull();
    assertThat(IpAddress.parse(null)).isNull();
  }

  @Test
  void parseShouldReadFullAndEmbeddedForms() {
    assertThat(IpAddress.parse("1:2:3:4:5:6:7:8")).hasSize(16);
    assertThat(IpAddress.parse("1:2:3:4:5:6:1.2.3.4")).hasSize(16);
    assertThat(IpAddress.parse("1:2:3:4:5:6:7::")).hasSize(16);
    assertThat(IpAddress.parse("0.0.0.0")).containsExactly(0, 0, 0, 0);
  }
}
