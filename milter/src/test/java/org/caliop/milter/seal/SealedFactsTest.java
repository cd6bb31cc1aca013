package org.caliop.milter.seal;

import static org.assertj.core.api.Assertions.assertThat;

import org.caliop.facts.ConnectionFacts;
import org.junit.jupiter.api.Test;

class SealedFactsTest {
  @Test
  void everyFactShouldComeBackAsItWent() {
    ConnectionFacts c = ConnectionFacts.builder().clientAddress("::ffff:198.51.100.7").clientName("mx.partner.example")
        .helo("mx.partner.example").tlsVersion("TLSv1.3").cipher("TLS_AES_256_GCM_SHA384").cipherBits(256)
        .authType("PLAIN").authUser("alice").certSubject("CN=mx.partner.example").certIssuer("CN=Partner CA")
        .receivedBy("mx.example.org").queueId("4F1A2B3C").protocol("ESMTPSA").daemonName("smtp")
        .daemonAddress("192.0.2.25").daemonPort("25").build();

    ConnectionFacts back = SealedFacts.read(SealedFacts.write(c)).orElseThrow();

    assertThat(back.clientAddress()).isEqualTo(c.clientAddress());
    assertThat(back.clientAddress().orElseThrow().toString()).isEqualTo("198.51.100.7");
    assertThat(back.clientName()).contains("mx.partner.example");
    assertThat(back.helo()).contains("mx.partner.example");
    assertThat(back.tlsVersionRaw()).contains("TLSv1.3");
    assertThat(back.tlsVersion()).isEqualTo(c.tlsVersion());
    assertThat(back.cipher()).contains("TLS_AES_256_GCM_SHA384");
    assertThat(back.cipherBits()).contains(256);
    assertThat(back.authType()).contains("PLAIN");
    assertThat(back.authUser()).contains("alice");
    assertThat(back.certSubject()).contains("CN=mx.partner.example");
    assertThat(back.certIssuer()).contains("CN=Partner CA");
    assertThat(back.receivedBy()).contains("mx.example.org");
    assertThat(back.queueId()).contains("4F1A2B3C");
    assertThat(back.protocol()).isEqualTo(c.protocol());
    assertThat(back.listener()).isEqualTo(c.listener());
    assertThat(back.localSubmission()).isFalse();
    assertThat(back.tls()).isTrue();
  }

  @Test
  void aLocalSubmissionInClearShouldStayOne() {
    ConnectionFacts c = ConnectionFacts.builder().clientAddress("127.0.0.1").clientName("localhost")
        .receivedBy("mx.example.org").queueId("5B").localSubmission(true).build();

    ConnectionFacts back = SealedFacts.read(SealedFacts.write(c)).orElseThrow();

    assertThat(back.localSubmission()).isTrue();
    assertThat(back.tls()).isFalse();
    assertThat(back.authUser()).isEmpty();
    assertThat(back.helo()).isEmpty();
  }

  @Test
  void anythingElseShouldNotRead() {
    assertThat(SealedFacts.read("ip=\"198.51.100.7\"")).isEmpty();
    assertThat(SealedFacts.read("v=2, ip=\"198.51.100.7\"")).isEmpty();
    assertThat(SealedFacts.read("(((")).isEmpty();
  }
}
