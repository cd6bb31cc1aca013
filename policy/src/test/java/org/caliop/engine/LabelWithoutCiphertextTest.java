package org.caliop.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.caliop.facts.Envelope;
import org.caliop.facts.HeaderEdit;
import org.caliop.mime.AmbiguousMimeCases;
import org.caliop.mime.Encryption;
import org.caliop.mime.FreshLabelCases;
import org.caliop.mime.HtmlArmorCases;
import org.caliop.mime.LabelCases;
import org.caliop.mime.SignatureStatus;
import org.caliop.policy.Action;
import org.caliop.policy.Policy;
import org.caliop.policy.PolicyException;
import org.caliop.policy.PolicyLoader;
import org.caliop.score.Reason;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every label case of issue 11 through the real engine: no encryption points beyond what real ciphertext earns,
 * {@code require_encryption} not met, the reason {@code e2e-label-without-ciphertext} where the label was a lie,
 * and {@code encrypted=} in Caliop-Privacy saying so.
 */
class LabelWithoutCiphertextTest {
  @TempDir
  static Path dir;
  static Policy requireEncryption;

  @BeforeAll
  static void policy() throws IOException, PolicyException {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, String.join("\n", "version: 1", "global:", "  require_encryption: any",
        "  action: reject", ""));
    requireEncryption = PolicyLoader.load(file);
  }

  static Stream<Arguments> cases() {
    return LabelCases.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  static Stream<Arguments> htmlCases() {
    return HtmlArmorCases.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  static Stream<Arguments> freshCases() {
    return FreshLabelCases.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  static Stream<Arguments> ambiguousCases() {
    return AmbiguousMimeCases.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  private static Verdict judge(byte[] message) throws IOException {
    return new Engine(() -> requireEncryption).evaluate(null, Envelope.of("alice@example.org",
        List.of("bob@example.org")), MessageSource.of(message));
  }

  private static List<String> codes(Verdict v) {
    return v.score().reasons().stream().map(Reason::code).collect(Collectors.toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aLabelShouldEarnNoEncryptionAndFailRequireEncryption(String name, byte[] message) throws IOException {
    Verdict v = judge(message);

    Encryption e = v.facts().content().encrypted();
    assertThat(e).as(name).isIn(Encryption.NONE, Encryption.MIXED);
    assertThat(codes(v)).as(name).doesNotContain("e2e-pgp-mime", "e2e-smime", "e2e-pgp-inline");
    assertThat(v.decision().action()).as(name).isEqualTo(Action.REJECT);
    String privacy = v.headerEdits().stream().filter(h -> h.name().equals("Caliop-Privacy"))
        .map(HeaderEdit::value).findFirst().orElseThrow();
    assertThat(privacy).contains("encrypted=" + e.token());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aLabelAroundNothingButClearTextShouldBeNamedInTheReasons(String name, byte[] message) throws IOException {
    Verdict v = judge(message);
    boolean realCiphertextBeside = name.startsWith("a clear reply")
        || name.equals("clear attachments typed application/pgp-keys and application/pgp-signature");

    if (realCiphertextBeside) {
      // Real ciphertext with clear text beside it: partly encrypted, and the label itself was no lie.
      assertThat(v.facts().content().encrypted()).as(name).isEqualTo(Encryption.MIXED);
      assertThat(codes(v)).as(name).contains("e2e-mixed");
    } else {
      assertThat(v.facts().content().encrypted()).as(name).isEqualTo(Encryption.NONE);
      assertThat(codes(v)).as(name).containsSequence("e2e-none", "e2e-label-without-ciphertext");
      assertThat(v.score().value()).as(name).isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aLabelledMessageShouldScoreNoMoreThanPartlyEncryptedMail(String name, byte[] message) throws IOException {
    // Without transport or authentication facts, at most what clear text beside real ciphertext earns.
    String text = new String(message, StandardCharsets.US_ASCII);
    Verdict labelled = judge(message);

    assertThat(labelled.score().value()).as(name + ": " + text.length()).isLessThanOrEqualTo(15);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("freshCases")
  void aFreshLabelTrickShouldEarnNothing(String name, byte[] message) throws IOException {
    Verdict v = judge(message);

    assertThat(v.facts().content().encrypted()).as(name).isEqualTo(Encryption.NONE);
    assertThat(codes(v)).as(name).containsSequence("e2e-none", "e2e-label-without-ciphertext")
        .doesNotContain("e2e-pgp-mime", "e2e-smime", "e2e-pgp-inline", "e2e-mixed");
    assertThat(v.facts().content().signatureStatus()).as(name).isNotEqualTo(SignatureStatus.VERIFIED);
    assertThat(v.score().value()).as(name).isZero();
    assertThat(v.decision().action()).as(name).isEqualTo(Action.REJECT);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ambiguousCases")
  void anAmbiguousStructureShouldEarnNothingAndFailRequireEncryption(String name, byte[] message)
      throws IOException {
    Verdict v = judge(message);

    assertThat(v.facts().content().encrypted()).as(name).isIn(Encryption.NONE, Encryption.MIXED);
    assertThat(codes(v)).as(name).doesNotContain("e2e-pgp-mime", "e2e-smime", "e2e-pgp-inline");
    assertThat(v.facts().content().signatureStatus()).as(name).isNotEqualTo(SignatureStatus.VERIFIED);
    assertThat(v.decision().action()).as(name).isEqualTo(Action.REJECT);
    if (AmbiguousMimeCases.labels().contains(name)) {
      assertThat(codes(v)).as(name).containsSequence("e2e-none", "e2e-label-without-ciphertext");
      assertThat(v.score().value()).as(name).isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("htmlCases")
  void realArmorInHtmlOutsideTheSubsetShouldBeMixedAndFailRequireEncryption(String name, byte[] message)
      throws IOException {
    Verdict v = judge(message);

    assertThat(v.facts().content().encrypted()).as(name).isEqualTo(Encryption.MIXED);
    assertThat(codes(v)).as(name).contains("e2e-mixed").doesNotContain("e2e-pgp-inline");
    assertThat(v.facts().diagnostics()).as(name).contains("html-outside-subset");
    assertThat(v.score().value()).as(name).isLessThanOrEqualTo(15);
    assertThat(v.decision().action()).as(name).isEqualTo(Action.REJECT);
  }
}
