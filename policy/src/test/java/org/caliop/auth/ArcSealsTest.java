package org.caliop.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which domain sealed the newest ARC set: read as a verifier reads the seal, or not at all. */
class ArcSealsTest {
  @Test
  void theNewestSealShouldNameItsSealer() {
    assertThat(ArcSeals.newestSealer(List.of("i=1; a=rsa-sha256; cv=none; d=lists.example; s=s1; b=x",
        "i=2; a=rsa-sha256; cv=pass; d=relay.example; s=s1; b=y"))).isEqualTo("relay.example");
  }

  /**
   * Tag names are case-sensitive: a verifier checks d=attacker.example and may honestly write arc=pass, so a D= (or
   * I=) beside it must not make the seal a trusted sealer's (second attacker pass, finding 03).
   */
  @Test
  void anUpperCaseTagShouldNotNameTheSealer() {
    assertThat(ArcSeals.newestSealer(List.of("i=1; a=rsa-sha256; cv=none; d=attacker.example; s=s1;"
        + " D=lists.trusted.example; b=x"))).isEqualTo("attacker.example");
    assertThat(ArcSeals.newestSealer(List.of("i=1; cv=none; d=lists.trusted.example; s=s1; b=x",
        "I=2; cv=pass; d=attacker.example; s=s1; b=y"))).isEqualTo("lists.trusted.example");
  }

  @Test
  void aTagGivenTwiceShouldNameNoSealer() {
    assertThat(ArcSeals.newestSealer(List.of("i=1; cv=none; d=attacker.example; d=lists.trusted.example; s=s1;"
        + " b=x"))).isNull();
  }
}
