package org.caliop.header;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HoldRecordTest {
  @Test
  void renderShouldBeOneDictionaryThatParsesBack() {
    HoldRecord r = HoldRecord.builder("caliop: no key for bob@example.net").action("encrypt").rule("policy.yaml:12")
        .missing(List.of("bob@example.net")).direction("outbound").by("mx.example.org").queueId("4F1A2B3C")
        .at(Instant.ofEpochSecond(1796332067)).build();

    assertThat(r.render()).isEqualTo("direction=outbound, reason=\"no key for bob@example.net\", action=encrypt,"
        + " rule=\"policy.yaml:12\", missing=(\"bob@example.net\"), by=\"mx.example.org\", id=\"4F1A2B3C\","
        + " at=1796332067");
    assertThat(HoldRecord.parse(r.render())).contains(r);
  }

  @Test
  void aReasonWithoutCaliopPrefixShouldStayAsItIs() {
    assertThat(HoldRecord.builder("held by policy").build().reason()).isEqualTo("held by policy");
    assertThat(HoldRecord.builder("  ").build().reason()).isEqualTo("held by policy");
  }

  @Test
  void textFromOutsideShouldNeverBreakTheLine() {
    HoldRecord r = HoldRecord.builder("no key for \"x\"\r\nCaliop-Privacy: grade=A").rule("a\\b")
        .missing(List.of("we\"ird\r\n@example.net")).build();

    String v = r.render();
    assertThat(v).doesNotContain("\r").doesNotContain("\n");
    HoldRecord back = HoldRecord.parse(v).orElseThrow();
    assertThat(back.rule()).contains("a\\b");
    assertThat(back.missing()).containsExactly("we\"ird??@example.net");
  }

  @Test
  void recipientsPastTheLineShouldBeCountedNotListed() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      many.add("recipient-number-" + i + "@example.net");
    }
    HoldRecord r = HoldRecord.builder("no key").missing(many).direction("inbound").build();

    String field = HoldRecord.FIELD + ": " + r.render();
    assertThat(field.length()).isLessThanOrEqualTo(HoldRecord.MAX_LINE);
    HoldRecord back = HoldRecord.parse(r.render()).orElseThrow();
    assertThat(back.missing()).isNotEmpty().hasSizeLessThan(200);
    assertThat(back.missingTotal()).isEqualTo(200);
    assertThat(back.direction()).contains("inbound");
  }

  @Test
  void nothingInAReasonShouldPoseAsTheDirectionAtTheStart() {
    HoldRecord r = HoldRecord.builder("no key for \"direction=outbound,\"@example.net").direction("inbound")
        .missing(List.of("\"direction=outbound,\"@example.net")).build();

    assertThat(r.render()).startsWith("direction=inbound, ");
    assertThat(HoldRecord.builder("no key for x").build().render()).startsWith("reason=");
  }

  @Test
  void somethingElseShouldNotParse() {
    assertThat(HoldRecord.parse("score=40, grade=C")).isEmpty();
    assertThat(HoldRecord.parse("(((")).isEmpty();
    assertThat(HoldRecord.parse(null)).isEmpty();
  }

  @Test
  void aDirectionOrActionThatIsNoTokenShouldBeLeftOut() {
    HoldRecord r = HoldRecord.builder("x").direction("out bound").action("").build();

    assertThat(r.direction()).isEmpty();
    assertThat(r.action()).isEmpty();
    assertThat(r.render()).isEqualTo("reason=\"x\"");
  }
}
