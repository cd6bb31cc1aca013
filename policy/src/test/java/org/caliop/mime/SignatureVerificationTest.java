package org.caliop.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.caliop.crypto.GatewayEncryptors;
import org.caliop.crypto.RecipientKeys;
import org.caliop.crypto.Tools;
import org.caliop.message.MessageScanner;
import org.caliop.message.ScanLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signatures count only when verified over the whole message, by the From: address, and anchored in what the admin
 * configured: the NSS S/MIME fixtures with their test CA as the trust store, and fresh signatures made by the real
 * {@code gpg} and {@code openssl} (self-signed, tampered, garbage, partial, by someone else).
 */
class SignatureVerificationTest {
  /** The fixtures' certificates are valid from 2026-01-26 to 2031-01-26. */
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);
  private static final String HEAD = "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: signed\r\n"
      + "Date: Thu, 03 Dec 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n";
  private static final String TEXT_PART = "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
      + "Hello Bob,\r\nthe meeting moves to Thursday.\r\n-- \r\nAlice\r\n";

  @TempDir
  static Path tmp;
  static Path gpgHome;
  static List<X509Certificate> testCa;
  static SignerTrust.PgpKeys aliceKey;

  @BeforeAll
  static void keys() throws IOException {
    testCa = TrustStoreFiles.read(Tools.SMIME_FIXTURES.resolve("TestCA.pem"));
    aliceKey = RecipientKeys.loadFiles(List.of(Tools.PGP_FIXTURES.resolve("alice-public.asc")),
        GatewayEncryptors.provider()).signingKeys();
    gpgHome = Tools.gpgHome(tmp, "alice-secret.asc");
  }

  @AfterAll
  static void stopAgent() {
    Tools.stopAgent(gpgHome);
  }

  private static ContentProtection scan(byte[] message, SignerTrust trust) {
    try {
      return MessageScanner.scan(new ByteArrayInputStream(message), ScanLimits.defaults(), n -> false, trust)
          .content();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ContentProtection scan(String message, SignerTrust trust) {
    return scan(message.getBytes(StandardCharsets.ISO_8859_1), trust);
  }

  private static ContentProtection fixture(String name, SignerTrust trust) throws IOException {
    try (InputStream in = Files.newInputStream(Tools.SMIME_FIXTURES.resolve(name))) {
      return MessageScanner.scan(in, ScanLimits.defaults(), n -> false, trust).content();
    }
  }

  private static String fixtureText(String name) throws IOException {
    return Files.readString(Tools.SMIME_FIXTURES.resolve(name), StandardCharsets.ISO_8859_1);
  }

  private static SignerTrust anchoredIn(List<X509Certificate> anchors) {
    return SignerTrust.of(anchors, aliceKey, CLOCK);
  }

  // ---- S/MIME ----

  @Test
  void smimeDetachedAndOpaqueSignaturesShouldBeVerifiedWhenTheTestCaIsTheTrustStore() throws IOException {
    for (String name : List.of("alice.dsig.SHA256.multipart.eml", "alice.dsig.SHA512.multipart.eml",
        "alice.sig.SHA256.opaque.eml", "alice.html.sig.SHA384.opaque.eml", "alice.env.sig.SHA256.opaque.eml")) {
      ContentProtection c = fixture(name, anchoredIn(testCa));
      assertThat(c.signatureStatus()).as("%s: %s", name, c).isEqualTo(SignatureStatus.VERIFIED);
      assertThat(c.signatureDetail()).contains("alice@example.com");
    }
  }

  @Test
  void smimeSignaturesShouldStayUnverifiedWithoutATrustStore() throws IOException {
    ContentProtection c = fixture("alice.dsig.SHA256.multipart.eml", SignerTrust.none());

    assertThat(c.signed()).isEqualTo(Signature.SMIME);
    assertThat(c.signatureStatus()).isEqualTo(SignatureStatus.UNVERIFIED);
    assertThat(c.signatureDetail()).contains("no trust.smime_trust_store");
  }

  @Test
  void smimeSignatureOverChangedContentShouldBeInvalid() throws IOException {
    ContentProtection c = fixture("alice.dsig.SHA256.multipart.bad.eml", anchoredIn(testCa));

    assertThat(c.signatureStatus()).isEqualTo(SignatureStatus.INVALID);
  }

  @Test
  void sha1SignaturesShouldNotBeVerified() throws IOException {
    for (String name : List.of("alice.dsig.SHA1.multipart.eml", "alice.sig.SHA1.opaque.eml")) {
      assertThat(fixture(name, anchoredIn(testCa)).signatureStatus()).as(name)
          .isEqualTo(SignatureStatus.UNVERIFIED);
    }
  }

  @Test
  void aSignatureByAnotherAddressThanFromShouldNotBeVerified() throws IOException {
    String forged = fixtureText("alice.dsig.SHA256.multipart.eml")
        .replace("From: Alice@example.com", "From: Boss <boss@example.com>");
    String twoFroms = fixtureText("alice.dsig.SHA256.multipart.eml")
        .replace("From: Alice@example.com", "From: Alice@example.com\r\nFrom: boss@example.com");

    ContentProtection c = scan(forged, anchoredIn(testCa));
    assertThat(c.signatureStatus()).isEqualTo(SignatureStatus.UNVERIFIED);
    assertThat(c.signatureDetail()).contains("is not the From: address boss@example.com");
    assertThat(scan(twoFroms, anchoredIn(testCa)).signatureStatus()).isEqualTo(SignatureStatus.UNVERIFIED);
  }

  @Test
  void aMicalgThatDoesNotNameTheSignaturesDigestShouldLeaveItUnverified() throws IOException {
    String lying = fixtureText("alice.dsig.SHA256.multipart.eml").replace("micalg=sha-256", "micalg=sha-512");

    assertThat(scan(lying, anchoredIn(testCa)).signatureStatus()).isEqualTo(SignatureStatus.UNVERIFIED);
  }

  @Test
  void aSignatureOverOnlyPartOfTheMessageShouldNotBeVerified() throws IOException {
    String signed = fixtureText("alice.dsig.SHA256.multipart.eml");
    int body = signed.indexOf("\r\n\r\n") + 4;
    String contentType = signed.substring(signed.indexOf("Content-Type: multipart/signed"), signed.indexOf("\r\n\r\n"));
    String partial = signed.substring(0, signed.indexOf("Content-Type: multipart/signed"))
        + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n--outer\r\n" + contentType + "\r\n\r\n"
        + signed.substring(body) + "\r\n--outer\r\nContent-Type: text/plain\r\n\r\nPay the invoice today.\r\n"
        + "--outer--\r\n";

    ContentProtection c = scan(partial, anchoredIn(testCa));
    assertThat(c.signed()).isEqualTo(Signature.SMIME);
    assertThat(c.signatureStatus()).isEqualTo(SignatureStatus.UNVERIFIED);
    assertThat(c.signatureDetail()).contains("only part");
  }

  @Test
  void aGarbageSignaturePartShouldBeInvalid() {
    String garbage = HEAD + "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\";"
        + " micalg=sha-256; boundary=\"s\"\r\n\r\n--s\r\n" + TEXT_PART + "\r\n--s\r\n"
        + "Content-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + "MIAGCSqGSIb3DQEHAqCAMIACAQExDzANBglghkgBZQMEAgEFADCABgkqhkiG9w0BBwEAAA==\r\n--s--\r\n";

    ContentProtection c = scan(garbage, anchoredIn(testCa));
    assertThat(c.signed()).isEqualTo(Signature.SMIME);
    assertThat(c.signatureStatus()).isIn(SignatureStatus.INVALID, SignatureStatus.UNVERIFIED);
    assertThat(c.isSignatureVerified()).isFalse();
  }

  @Test
  void aSelfSignedSignerShouldBeUnverifiedUnlessTheAdminTrustsThatVeryCertificate() throws IOException {
    Path key = tmp.resolve("self.key");
    Path cert = tmp.resolve("self.crt");
    Tools.ok(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
        "-out", cert.toString(), "-days", "3650", "-subj", "/CN=Alice/emailAddress=alice@example.org",
        "-addext", "keyUsage=digitalSignature", "-addext", "extendedKeyUsage=emailProtection"), Map.of(), null);
    byte[] signed = opensslSign(cert, key);

    ContentProtection unanchored = scan(signed, anchoredIn(testCa));
    ContentProtection trusted = scan(signed, SignerTrust.of(TrustStoreFiles.read(cert), null, Clock.systemUTC()));

    assertThat(unanchored.signatureStatus()).isEqualTo(SignatureStatus.UNVERIFIED);
    assertThat(unanchored.signatureDetail()).contains("not anchored");
    assertThat(trusted.signatureStatus()).isEqualTo(SignatureStatus.VERIFIED);
  }

  @Test
  void opensslSignedMailByACertificateOfTheTrustStoresCaShouldBeVerified() {
    Path[] alice = Tools.p12("Alice", tmp);
    String signed = new String(opensslSign(alice[0], alice[1]), StandardCharsets.ISO_8859_1)
        .replace("From: Alice <alice@example.org>", "From: Alice@example.com");

    assertThat(scan(signed, anchoredIn(testCa)).signatureStatus()).isEqualTo(SignatureStatus.VERIFIED);
  }

  /** {@code openssl cms -sign} of a text part, as multipart/signed, under our header. */
  private static byte[] opensslSign(Path cert, Path key) {
    byte[] smime = Tools.ok(List.of("openssl", "cms", "-sign", "-md", "sha256", "-signer", cert.toString(),
        "-inkey", key.toString(), "-crlfeol"), Map.of(),
        TEXT_PART.getBytes(StandardCharsets.US_ASCII)).out;
    String s = new String(smime, StandardCharsets.ISO_8859_1);
    // openssl writes MIME-Version and the multipart/signed Content-Type; our header goes on top.
    return (HEAD.replace("MIME-Version: 1.0\r\n", "") + s).getBytes(StandardCharsets.ISO_8859_1);
  }

  // ---- OpenPGP ----

  private static String pgpMimeSigned(String part) {
    byte[] sig = Tools.ok(List.of("gpg", "--batch", "--armor", "--detach-sign", "--digest-algo", "SHA256",
        "--local-user", "alice@example.org"), Tools.gpgEnv(gpgHome), part.getBytes(StandardCharsets.US_ASCII)).out;
    return HEAD + "Content-Type: multipart/signed; micalg=pgp-sha256; protocol=\"application/pgp-signature\";"
        + " boundary=\"s\"\r\n\r\n--s\r\n" + part + "\r\n--s\r\n"
        + "Content-Type: application/pgp-signature; name=\"signature.asc\"\r\n\r\n"
        + new String(sig, StandardCharsets.US_ASCII).replace("\n", "\r\n") + "\r\n--s--\r\n";
  }

  @Test
  void pgpMimeSignedByAKeyOfTheKeyDirectoryShouldBeVerified() {
    ContentProtection c = scan(pgpMimeSigned(TEXT_PART), anchoredIn(List.of()));

    assertThat(c.signed()).isEqualTo(Signature.PGP_MIME);
    assertThat(c.signatureStatus()).as("%s", c).isEqualTo(SignatureStatus.VERIFIED);
    assertThat(c.signatureDetail()).contains("alice@example.org");
  }

  @Test
  void pgpMimeSignedMailWithBareLineFeedsShouldStillVerify() {
    String lf = pgpMimeSigned(TEXT_PART).replace("\r\n", "\n");

    assertThat(scan(lf, anchoredIn(List.of())).signatureStatus()).isEqualTo(SignatureStatus.VERIFIED);
  }

  @Test
  void pgpMimeSignaturesShouldBeUnverifiedWithoutTheKeyOrForAnotherFrom() {
    String signed = pgpMimeSigned(TEXT_PART);

    ContentProtection noKeys = scan(signed, SignerTrust.none());
    ContentProtection otherFrom = scan(signed.replace("From: Alice <alice@example.org>", "From: bob@example.org"),
        anchoredIn(List.of()));

    assertThat(noKeys.signatureStatus()).isEqualTo(SignatureStatus.UNVERIFIED);
    assertThat(noKeys.signatureDetail()).contains("no OpenPGP key directory");
    assertThat(otherFrom.signatureStatus()).isEqualTo(SignatureStatus.UNVERIFIED);
  }

  @Test
  void pgpMimeSignatureOverChangedContentShouldBeInvalid() {
    String tampered = pgpMimeSigned(TEXT_PART).replace("Thursday", "Friday!!");

    assertThat(scan(tampered, anchoredIn(List.of())).signatureStatus()).isEqualTo(SignatureStatus.INVALID);
  }

  @Test
  void cleartextSignedByAKeyOfTheKeyDirectoryShouldBeVerified() {
    String text = "Hello Bob,   \n- dashes at the start\nthe meeting moves to Thursday.\t\n";
    byte[] clear = Tools.ok(List.of("gpg", "--batch", "--clearsign", "--digest-algo", "SHA512", "--local-user",
        "alice@example.org"), Tools.gpgEnv(gpgHome), text.getBytes(StandardCharsets.US_ASCII)).out;
    String body = new String(clear, StandardCharsets.US_ASCII).replace("\n", "\r\n");
    String message = HEAD + "Content-Type: text/plain; charset=us-ascii\r\n\r\n" + body;

    ContentProtection c = scan(message, anchoredIn(List.of()));
    ContentProtection tampered = scan(message.replace("Thursday", "Friday"), anchoredIn(List.of()));
    ContentProtection withFooter = scan(message + "\r\n-- \r\nsent via the list\r\n", anchoredIn(List.of()));

    assertThat(c.signed()).isEqualTo(Signature.PGP_INLINE);
    assertThat(c.signatureStatus()).as("%s", c).isEqualTo(SignatureStatus.VERIFIED);
    assertThat(tampered.signatureStatus()).isEqualTo(SignatureStatus.INVALID);
    assertThat(withFooter.signatureStatus()).isEqualTo(SignatureStatus.UNVERIFIED);
    assertThat(withFooter.signatureDetail()).contains("only part");
  }

  @Test
  void aListFooterBesideAPgpMimeSignatureShouldLeaveItUnverified() throws IOException {
    ContentProtection c;
    try (InputStream in = Files.newInputStream(Tools.PGP_FIXTURES.resolve(
        "mailinglist_with_mimepart_footer_signed.eml"))) {
      c = MessageScanner.scan(in, ScanLimits.defaults(), n -> false, anchoredIn(List.of())).content();
    }

    assertThat(c.signatureStatus()).isEqualTo(SignatureStatus.UNVERIFIED);
    assertThat(c.signatureDetail()).contains("only part");
  }
}
