package org.caliop.hop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TlsVersionTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "TLSv1.3|TLSv1.3", "TLS1_3|TLSv1.3", "TLSv1_3|TLSv1.3", "TLS 1.3|TLSv1.3", "tls1.3|TLSv1.3",
      "TLS1.3:TLS_AES_256_GCM_SHA384:256|TLSv1.3", "TLS13|TLSv1.3",
      "TLSv1.2|TLSv1.2", "TLS1_2|TLSv1.2", "TLS-1.2|TLSv1.2", "TLS1.2|TLSv1.2",
      "TLSv1.1|TLSv1.1", "TLS1_1|TLSv1.1",
      "TLSv1|TLSv1.0", "TLSv1.0|TLSv1.0", "TLS-1.0|TLSv1.0", "TLS1_0|TLSv1.0",
      "TLSv1:DES-CBC3-SHA:168|TLSv1.0",
      "SSLv3|SSLv3", "SSL3|SSLv3", "SSLv3.0|SSLv3"})
  void parseShouldReadEverySpellingMtasUse(String spelling, String canonical) {
    assertThat(TlsVersion.parse(spelling).map(TlsVersion::canonical)).contains(canonical);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "TLS", "TLSv2", "TLSv1.4", "SSLv2", "OTHER", "ESMTPS", "tls1.example.org",
      "TLS_AES_256_GCM_SHA384", "TLSv1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16"})
  void parseShouldNotGuessUnknownSpellings(String spelling) {
    assertThat(TlsVersion.parse(spelling)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1/SSLv3", "tlsv1/sslv3", " TLSv1/SSLv3 "})
  void cipherFamilyShouldNameNoVersion(String spelling) {
    // OpenSSL writes TLSv1/SSLv3 for a TLS 1.2 session too: TLS was on, which version is not said
    assertThat(TlsVersion.parse(spelling)).isEmpty();
    assertThat(TlsVersion.isCipherFamily(spelling)).isTrue();
  }

  @org.junit.jupiter.api.Test
  void parseShouldReturnEmptyForNull() {
    assertThat(TlsVersion.parse(null)).isEmpty();
  }
}
