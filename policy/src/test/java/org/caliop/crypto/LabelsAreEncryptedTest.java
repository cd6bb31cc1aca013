package org.caliop.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.caliop.crypto.EncryptOptions.Format;
import org.caliop.crypto.EncryptionResult.Status;
import org.caliop.mime.AmbiguousMimeCases;
import org.caliop.mime.FreshLabelCases;
import org.caliop.mime.HtmlArmorCases;
import org.caliop.mime.LabelCases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A label around clear text is clear text: the gateway encrypts every label case of issue 11 instead of answering
 * "already protected", and gpg gives back the clear original.
 */
class LabelsAreEncryptedTest {
  @TempDir
  static Path tmp;
  static GatewayEncryptor encryptor;
  static Path gpgHome;

  @BeforeAll
  static void keys() throws IOException {
    Path keys = Files.createDirectories(tmp.resolve("keys"));
    Files.copy(Tools.PGP_FIXTURES.resolve("bob-public.asc"), keys.resolve("bob-public.asc"));
    encryptor = GatewayEncryptors.fromDirectory(keys, GatewayEncryptorTest.NOW);
    gpgHome = Tools.gpgHome(tmp, "bob-secret.asc");
  }

  @AfterAll
  static void stopAgent() {
    Tools.stopAgent(gpgHome);
  }

  static Stream<Arguments> cases() {
    // The cases of the issue, the tricks tried after them, clear text in HTML beside real armor, and MIME that
    // parsers read differently.
    return Stream.of(LabelCases.all(), FreshLabelCases.all(), HtmlArmorCases.all(), AmbiguousMimeCases.all())
        .flatMap(m -> m.entrySet().stream()).map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  private static EncryptionResult encrypt(byte[] message, List<String> to, ByteArrayOutputStream out)
      throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(message);
    EncryptionResult r = encryptor.encrypt(in, to, EncryptOptions.of(Format.PGP, null), out);
    assertThat(in.available()).as("read to the end").isZero();
    return r;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aLabelAroundClearTextShouldBeEncryptedAndGpgShouldReadItBack(String name, byte[] message)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EncryptionResult r = encrypt(message, List.of("bob@example.net"), out);

    assertThat(r.status()).as(name).isEqualTo(Status.ENCRYPTED);
    assertThat(new String(out.toByteArray(), StandardCharsets.US_ASCII)).doesNotContain("safe code");
    Tools.Result clear = Tools.gpgDecrypt(gpgHome, Tools.armoredPart(out.toByteArray()));
    assertThat(clear.exit).as(clear.err).isZero();
    String original = new String(message, StandardCharsets.US_ASCII);
    String body = original.substring(original.indexOf("\r\n\r\n") + 4);
    assertThat(new String(clear.out, StandardCharsets.US_ASCII)).endsWith(body);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aLabelAroundClearTextShouldReportMissingKeysNotAlreadyProtected(String name, byte[] message)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EncryptionResult r = encrypt(message, List.of("nobody@example.net"), out);

    assertThat(r.status()).as(name).isEqualTo(Status.MISSING_KEYS);
    assertThat(out.size()).isZero();
  }

  @Test
  void realCiphertextWithoutAKeyForTheRecipientShouldStillPassAsAlreadyProtected() throws IOException {
    byte[] m = Files.readAllBytes(Tools.PGP_FIXTURES.resolve("thunderbird_encrypted_unsigned.eml"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    assertThat(encrypt(m, List.of("nobody@example.net"), out).status()).isEqualTo(Status.ALREADY_PROTECTED);
  }

  @Test
  void everyLabelCaseShouldBeHere() {
    Map<String, byte[]> all = LabelCases.all();
    assertThat(all).hasSize(9);
    assertThat(FreshLabelCases.all()).hasSize(26);
    assertThat(HtmlArmorCases.all()).hasSize(15);
    assertThat(AmbiguousMimeCases.all()).hasSize(12);
  }
}
