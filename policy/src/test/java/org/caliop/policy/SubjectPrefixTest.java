package org.caliop.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.caliop.policy.PolicyFixtures.problems;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The subject_prefix template: what it renders, what shape it removes, and what the loader refuses, where. */
class SubjectPrefixTest {
  @TempDir
  Path dir;

  @Test
  void renderShouldFillGradeAndScoreWithoutTheOuterSpaces() {
    assertThat(SubjectPrefix.parse(" [privacy {grade}] ").render("C", 55)).isEqualTo("[privacy C]");
    assertThat(SubjectPrefix.parse("[privacy {grade} {score}/100]").render("A", 97)).isEqualTo("[privacy A 97/100]");
  }

  @Test
  void shapeShouldMatchAnyGradeAnySpacingAnyCase() {
    SubjectPrefix p = SubjectPrefix.parse("[privacy {grade}] ");
    for (String forged : new String[] {"[privacy A]", "[privacy e]", "[ PRIVACY   B ]", "[privacyC]",
        "[privacy\t D]"}) {
      assertThat(p.shape().matcher("x " + forged + " y").find()).as(forged).isTrue();
    }
    for (String other : new String[] {"[privacy F]", "[privacy]", "privacy A", "[priv acy A]"}) {
      assertThat(p.shape().matcher(other).find()).as(other).isFalse();
    }
  }

  @Test
  void scoreShapeShouldMatchAnyRunOfDigits() {
    SubjectPrefix p = SubjectPrefix.parse("(score {score})");
    assertThat(p.shape().matcher("(score 0042) hi").find()).isTrue();
    assertThat(p.shape().matcher("(score 100)").find()).isTrue();
    assertThat(p.shape().matcher("(score x)").find()).isFalse();
  }

  @Test
  void parseShouldRefuseUnknownPlaceholdersStrayBracesControlsAndTooShortOrLongTemplates() {
    assertThatThrownBy(() -> SubjectPrefix.parse("[privacy {grad}]")).hasMessageContaining(
        "unknown placeholder '{grad}' at character 10");
    assertThatThrownBy(() -> SubjectPrefix.parse("[privacy {grade]")).hasMessageContaining("unknown placeholder");
    assertThatThrownBy(() -> SubjectPrefix.parse("[privacy} {grade}]")).hasMessageContaining("'}' without its '{'");
    assertThatThrownBy(() -> SubjectPrefix.parse("[privacy\u0007{grade}]")).hasMessageContaining("U+0007");
    assertThatThrownBy(() -> SubjectPrefix.parse("[privacy\u200b{grade}]")).hasMessageContaining("U+200B");
    assertThatThrownBy(() -> SubjectPrefix.parse("[{grade}]")).hasMessageContaining("at least 3 characters");
    assertThatThrownBy(() -> SubjectPrefix.parse("   ")).hasMessageContaining("is empty");
    assertThat(SubjectPrefix.parse("x".repeat(SubjectPrefix.MAX_LENGTH)).template()).hasSize(64);
    assertThatThrownBy(() -> SubjectPrefix.parse("x".repeat(SubjectPrefix.MAX_LENGTH + 1)))
        .hasMessageContaining("longer than 64 characters");
  }

  @Test
  void nonAsciiTemplatesShouldBeAcceptedTheyAreWrittenAsEncodedWords() {
    assertThat(SubjectPrefix.parse("[Vertraulichkeit {grade}] ✉").render("B", 70)).isEqualTo(
        "[Vertraulichkeit B] ✉");
  }

  @Test
  void loaderShouldReportABadPrefixAtItsFileLineAndColumn() {
    assertThat(problems(dir, "global:", "  min_grade: B", "  subject_prefix: '[privacy {grad}] '")).containsExactly(
        "policy.yaml:3:19: subject_prefix has an unknown placeholder '{grad}' at character 10 (the placeholders are"
            + " {grade} and {score}; braces are only for placeholders)");
    assertThat(problems(dir, "global:", "  min_grade: B", "  subject_prefix: \"[privacy\\t{grade}] \"")).singleElement()
        .asString().startsWith("policy.yaml:3:19: subject_prefix must be one line of text without control characters");
    assertThat(problems(dir, "global:", "  min_grade: B", "  subject_prefix: [privacy]")).singleElement().asString()
        .contains("takes a single value, not a list");
  }

  @Test
  void loaderShouldWarnAboutAPrefixWhereMailIsNeverTagged() {
    assertThat(problems(dir, "global:", "  min_grade: B", "  outbound:", "    subject_prefix: '[privacy {grade}]'"))
        .singleElement().asString().contains("warning: subject_prefix in an outbound block is never used");
  }

  @Test
  void aPrefixAloneShouldLoadItStillRemovesForgedOnes() {
    assertThat(problems(dir, "users:", "  bob@example.org:", "    subject_prefix: '[privacy {grade}] '")).isEmpty();
  }
}
