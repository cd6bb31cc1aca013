package org.caliop.milter.seal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.caliop.facts.ConnectionFacts;
import org.junit.jupiter.api.Test;

class UnsealedTest {
  private static final FactsSeal SEAL = new FactsSeal(SealKeys.of(key(7)));
  private static final ConnectionFacts FRONT = ConnectionFacts.builder().clientAddress("198.51.100.7")
      .tlsVersion("TLSv1.3").receivedBy("mx.example.org").queueId("4F1A2B3C").build();
  private static final String FRONT_LINE = " from mail.partner.example (mail.partner.example [198.51.100.7])\n"
      + "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\n"
      + "\tby mx.example.org (Postfix) with ESMTPS id 4F1A2B3C\n\tfor <team@example.org>; Thu, 3 Dec 2026 21:07:46 +0000";
  private static final String OWN_LINE = " from mx.example.org (localhost [127.0.0.1])\n"
      + "\tby mx.example.org (Postfix) with ESMTP id 2FF4320C536;\n\tThu, 3 Dec 2026 21:07:47 +0000";

  private static byte[] key(int b) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) b);
    return k;
  }

  private static String sealed(String sender) {
    return SEAL.seal(SealedFacts.write(FRONT), sender);
  }

  @Test
  void oneSealForThisSenderAndItsLineShouldBeBelieved() {
    Unsealed u = Unsealed.open(SEAL, List.of(sealed("a@example.org")), List.of(FRONT_LINE), "<a@example.org>");

    assertThat(u.why()).isEmpty();
    assertThat(u.facts().orElseThrow().clientAddress().orElseThrow().toString()).isEqualTo("198.51.100.7");
    assertThat(u.ownHops()).isZero();
  }

  @Test
  void ourOwnReinjectionLinesAboveShouldBeCounted() {
    Unsealed u = Unsealed.open(SEAL, List.of(sealed("a@example.org")), List.of(OWN_LINE, OWN_LINE, FRONT_LINE),
        "a@example.org");

    assertThat(u.ownHops()).isEqualTo(2);
  }

  @Test
  void anythingElseShouldBeJudgedAsTheLoopbackClientItIs() {
    assertThat(Unsealed.open(SEAL, List.of(), List.of(FRONT_LINE), "a@example.org").why()).contains("none");
    assertThat(Unsealed.open(SEAL, List.of(sealed("a@example.org"), sealed("a@example.org")), List.of(FRONT_LINE),
        "a@example.org").why()).contains("several");
    assertThat(Unsealed.open(SEAL, List.of(sealed("a@example.org")), List.of(FRONT_LINE), "b@example.org").why())
        .contains("invalid");
    assertThat(Unsealed.open(SEAL, List.of("v=1,k=:AAAAAA==:,n=:AAAAAAAAAAAAAAAA:,c=:AAAA:"), List.of(FRONT_LINE),
        "a@example.org").why()).contains("invalid");
    assertThat(Unsealed.open(SEAL, List.of(sealed("a@example.org")), List.of(OWN_LINE), "a@example.org").why())
        .contains("unmatched");
    assertThat(Unsealed.open(SEAL, List.of(sealed("a@example.org")), List.of(OWN_LINE), "a@example.org").facts())
        .isEmpty();
  }
}
