package org.caliop.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.caliop.facts.Envelope;
import org.caliop.policy.Action;
import org.caliop.policy.Policy;
import org.caliop.policy.PolicyException;
import org.caliop.policy.PolicyLoader;
import org.caliop.score.Reason;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signatures through the real engine and a real policy file: {@code trust.smime_trust_store} and the key
 * directory anchor them, {@code require_signed} asks for a verified one, and only that earns the 5 points. A garbage
 * signature (issue 11: it used to earn +5 and meet require_signed) earns nothing and fails the rule.
 */
class SignatureScoreTest {
  private static final Path SMIME = Path.of("../../shared/fixtures/smime");
  private static final Path PGP = Path.of("../../shared/fixtures/pgp");

  @TempDir
  static Path dir;
  static Policy anchored;
  static Policy nothingConfigured;

  @BeforeAll
  static void policies() throws IOException, PolicyException {
    Path keys = Files.createDirectories(dir.resolve("keys"));
    Files.copy(PGP.resolve("alice-public.asc"), keys.resolve("alice-public.asc"));
    Files.copy(SMIME.resolve("TestCA.pem"), dir.resolve("ca.pem"));
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, String.join("\n", "version: 1", "trust:", "  smime_trust_store: ca.pem",
        "encryption:", "  keys_dir: keys", "global:", "  require_signed: true", "  action: reject", ""));
    anchored = PolicyLoader.load(file);
    Path bare = dir.resolve("bare.yaml");
    Files.writeString(bare, String.join("\n", "version: 1", "global:", "  require_signed: true", "  action: reject",
        ""));
    nothingConfigured = PolicyLoader.load(bare);
  }

  private static Verdict judge(Policy policy, byte[] message) throws IOException {
    return new Engine(() -> policy).evaluate(null, Envelope.empty(), MessageSource.of(message));
  }

  private static List<String> codes(Verdict v) {
    return v.score().reasons().stream().map(Reason::code).collect(Collectors.toList());
  }

  @Test
  void aVerifiedAnchoredSignatureShouldEarnItsPointsAndMeetRequireSigned() throws IOException {
    Verdict v = judge(anchored, Files.readAllBytes(SMIME.resolve("alice.dsig.SHA256.multipart.eml")));

    assertThat(codes(v)).contains("signed-smime");
    assertThat(v.score().value()).isEqualTo(5);
    assertThat(v.decision().action()).isEqualTo(Action.ACCEPT);
  }

  @Test
  void theSameSignatureWithNothingToAnchorItShouldEarnNothingAndFailRequireSigned() throws IOException {
    Verdict v = judge(nothingConfigured, Files.readAllBytes(SMIME.resolve("alice.dsig.SHA256.multipart.eml")));

    assertThat(codes(v)).contains("signed-unverified").doesNotContain("signed-smime");
    assertThat(v.score().value()).isZero();
    assertThat(v.decision().action()).isEqualTo(Action.REJECT);
    assertThat(v.decision().reasons()).singleElement().asString().startsWith("signature unverified");
  }

  @Test
  void aGarbageSignatureShouldEarnNothingAndFailRequireSigned() throws IOException {
    byte[] garbage = ("From: Alice@example.com\r\nTo: bob@example.com\r\nSubject: trust me\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256;"
        + " boundary=\"s\"\r\n\r\n--s\r\nContent-Type: text/plain\r\n\r\nPay the invoice.\r\n--s\r\n"
        + "Content-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + "R0FSQkFHRSBTSUdOQVRVUkU=\r\n--s--\r\n").getBytes(StandardCharsets.US_ASCII);

    Verdict v = judge(anchored, garbage);

    assertThat(codes(v)).contains("signed-invalid");
    assertThat(v.score().value()).isZero();
    assertThat(v.decision().action()).isEqualTo(Action.REJECT);
  }

  @Test
  void aSignatureByAnotherSenderThanFromShouldNotCount() throws IOException {
    String forged = Files.readString(SMIME.resolve("alice.dsig.SHA256.multipart.eml"), StandardCharsets.ISO_8859_1)
        .replace("From: Alice@example.com", "From: ceo@example.com");

    Verdict v = judge(anchored, forged.getBytes(StandardCharsets.ISO_8859_1));

    assertThat(codes(v)).contains("signed-unverified");
    assertThat(v.decision().action()).isEqualTo(Action.REJECT);
  }
}
