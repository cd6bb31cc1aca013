package org.caliop.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ForeignFieldsTest {
  private static final Predicate<String> CALIOP = n -> n.regionMatches(true, 0, "Caliop-", 0, 7);

  private static void field(ForeignFields f, String name, String value) {
    byte[] b = value.getBytes(StandardCharsets.ISO_8859_1);
    f.field(name, b, 0, b.length);
  }

  @Test
  void countsShouldBeOnePerNameWhateverTheCase() {
    ForeignFields f = ForeignFields.of(CALIOP, false);
    field(f, "Caliop-Privacy", " a");
    field(f, "Subject", " s");
    field(f, "CALIOP-PRIVACY", " b");
    field(f, "Caliop-Hop", " c");

    assertThat(f.counts()).containsExactly(entry("Caliop-Privacy", 2), entry("Caliop-Hop", 1));
    assertThat(f.count("caliop-privacy")).isEqualTo(2);
    assertThat(f.total()).isEqualTo(3);
    assertThat(f.names()).containsExactly("Caliop-Privacy", "Caliop-Hop");
    assertThat(f.overflow()).isEmpty();
  }

  @Test
  void aMillionFieldsOfOneNameShouldCostACounter() {
    ForeignFields f = ForeignFields.of(CALIOP, false);
    for (int i = 0; i < ForeignFields.MAX_FIELDS; i++) {
      field(f, "Caliop-Junk", " x");
    }
    assertThat(f.counts()).containsExactly(entry("Caliop-Junk", ForeignFields.MAX_FIELDS));
    assertThat(f.overflow()).isEmpty();

    field(f, "Caliop-Privacy", " forged");

    assertThat(f.overflow()).contains("more than 100000 header fields that only our servers may write");
  }

  @Test
  void manyDistinctNamesShouldOverflowRatherThanGrow() {
    ForeignFields f = ForeignFields.of(CALIOP, false);
    for (int i = 0; i < ForeignFields.MAX_NAMES; i++) {
      field(f, "Caliop-X" + i, " x");
    }
    assertThat(f.overflow()).isEmpty();

    field(f, "Caliop-Privacy", " forged");

    assertThat(f.overflow()).isPresent();
    assertThat(f.counts()).hasSize(ForeignFields.MAX_NAMES);
  }

  @Test
  void longNamesShouldOverflowOnTheirCharacters() {
    ForeignFields f = ForeignFields.of(CALIOP, false);
    for (int i = 0; i < 10; i++) {
      field(f, "Caliop-" + i + "x".repeat(10_000), " x");
    }
    assertThat(f.overflow()).isPresent();
  }

  @Test
  void aBareCrShouldEndALineForDetection() {
    ForeignFields f = ForeignFields.of(CALIOP, false);
    field(f, "X-Foo", " a\rCaliop-Privacy: score=100\rCaliop-Hop: x");
    field(f, "Subject", " folded\r\n\tline\rX-Other: y");
    field(f, "X-Bar", " a\r Caliop-Privacy: continuation, not a field");

    assertThat(f.counts()).containsExactly(entry("Caliop-Privacy", 1), entry("Caliop-Hop", 1));
    assertThat(f.smuggled()).contains("header field X-Foo hides a Caliop-Privacy field after a bare CR");
  }

  @Test
  void javaxLinesShouldBeReadTheSameWay() {
    ForeignFields f = ForeignFields.of(CALIOP, false);
    f.field("X-Foo", " a\rCaliop-Privacy: score=100");
    f.field("Caliop-Hop", " b\r\n\tfolded");

    assertThat(f.counts()).containsExactly(entry("Caliop-Privacy", 1), entry("Caliop-Hop", 1));
  }

  @Test
  void renameShouldKeepValuesInMessageOrderUpToItsBound() {
    ForeignFields f = ForeignFields.of(CALIOP, true);
    field(f, "Caliop-Privacy", " score=100,\r\n grade=A");
    field(f, "Caliop-Hop", " caf\u00c3\u00a9");

    assertThat(f.kept()).containsExactly(entry("Caliop-Privacy", "score=100, grade=A"),
        entry("Caliop-Hop", "caf\u00e9"));

    ForeignFields big = ForeignFields.of(CALIOP, true);
    String value = " " + "v".repeat(600_000);
    field(big, "Caliop-A", value);
    field(big, "Caliop-B", value);
    assertThat(big.overflow()).contains("more than 1048576 characters of header fields to keep renamed");
  }

  @Test
  void strippingShouldKeepNoValues() {
    ForeignFields f = ForeignFields.of(CALIOP, false);
    field(f, "Caliop-Privacy", " x");
    assertThat(f.kept()).isEmpty();
  }
}
