package org.caliop.address;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DomainNameTest {
  @Test
  void oneFormForCaseTrailingDotAndUnicode() {
    assertThat(DomainName.canonical("Example.ORG.")).isEqualTo("example.org");
    assertThat(DomainName.canonical("bücher.example")).isEqualTo("xn--bcher-kva.example");
    assertThat(DomainName.canonical("XN--BCHER-KVA.example")).isEqualTo("xn--bcher-kva.example");
  }

  @Test
  void literalsEmptyAndOverlongAreNoDomain() {
    assertThat(DomainName.canonical(null)).isNull();
    assertThat(DomainName.canonical(" . ")).isNull();
    assertThat(DomainName.canonical("[192.0.2.1]")).isNull();
    assertThat(DomainName.canonical("a".repeat(64) + ".example")).isNull();
    assertThat(DomainName.canonical(("abcdefghi.").repeat(26) + "example")).isNull();
  }
}
