package org.caliop.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.Pfx;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;

/**
 * One file of the key directory, read by content whatever its name: OpenPGP public keys (armored or binary, one
 * key or a whole {@code gpg --export}), X.509 certificates (PEM, several allowed, or DER; CA certificates of a
 * chain are left out), or a problem that makes the whole file unused: secret key material, unreadable, broken.
 * A file named after an address ({@code alice@example.org.asc}) also speaks for that address. Immutable.
 */
final class KeyFile {
  /** Key files larger than this are refused unread (a whole keyring export is a few MiB). */
  static final long MAX_BYTES = 64L << 20;

  private final Path path;
  private final List<PgpKey> pgpKeys;
  private final List<SmimeCertificate> certificates;
  private final KeyProblem problem;

  private KeyFile(Path path, List<PgpKey> pgpKeys, List<SmimeCertificate> certificates, KeyProblem problem) {
    this.path = path;
    this.pgpKeys = List.copyOf(pgpKeys);
    this.certificates = List.copyOf(certificates);
    this.problem = problem;
  }

  Path path() {
    return path;
  }

  List<PgpKey> pgpKeys() {
    return pgpKeys;
  }

  List<SmimeCertificate> certificates() {
    return certificates;
  }

  /** What makes the file unused (an error) or not a key file (a warning); empty when keys were read. */
  Optional<KeyProblem> problem() {
    return Optional.ofNullable(problem);
  }

  /** The address the file is named after, if any. */
  Optional<String> nameAddress() {
    return RecipientAddresses.ofFileName(path);
  }

  /** Reads and checks one file; never throws. */
  static KeyFile read(Path file, Provider bc) {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_BYTES) {
        return failed(file, KeyProblem.Code.UNREADABLE, "larger than " + MAX_BYTES + " bytes");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException | RuntimeException e) {
      return failed(file, KeyProblem.Code.UNREADABLE, describe(e));
    }
    try {
      return parse(file, bytes, bc);
    } catch (IOException | RuntimeException | CertificateException e) {
      return failed(file, KeyProblem.Code.BROKEN, describe(e));
    }
  }

  private static KeyFile parse(Path file, byte[] bytes, Provider bc) throws IOException, CertificateException {
    if (bytes.length == 0) {
      return failed(file, KeyProblem.Code.BROKEN, "empty file");
    }
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    if (text.contains("-----BEGIN PGP PRIVATE KEY BLOCK-----")) {
      return secret(file, "an OpenPGP secret key");
    }
    if (text.contains("PRIVATE KEY-----")) {
      return secret(file, "a PEM private key");
    }
    if (bytes.length >= 12 && "KBXf".equals(new String(bytes, 8, 4, StandardCharsets.ISO_8859_1))) {
      return failed(file, KeyProblem.Code.BROKEN,
          "a GnuPG keybox (pubring.kbx) is not read: export it with gpg --export");
    }
    boolean armoredPgp = text.contains("-----BEGIN PGP PUBLIC KEY BLOCK-----");
    boolean pemCert = text.contains("-----BEGIN CERTIFICATE-----");
    boolean der = !armoredPgp && !pemCert && (bytes[0] & 0xff) == 0x30;
    boolean binaryPgp = !armoredPgp && !pemCert && !der && (bytes[0] & 0x80) != 0;
    if (!armoredPgp && !pemCert && !der && !binaryPgp) {
      return new KeyFile(file, List.of(), List.of(), KeyProblem.ofFile(KeyProblem.Code.NOT_A_KEY, file,
          "no public key or certificate found (ignored)"));
    }
    List<PgpKey> keys = new ArrayList<>();
    if (armoredPgp || binaryPgp) {
      Optional<String> secret = readPgp(bytes, keys);
      if (secret.isPresent()) {
        return secret(file, secret.get());
      }
    }
    List<SmimeCertificate> certificates = new ArrayList<>();
    if (pemCert || der) {
      try {
        readCertificates(bytes, bc, certificates);
      } catch (CertificateException | RuntimeException e) {
        if (der && holdsPrivateKey(bytes)) {
          return secret(file, "a PKCS#12 or PKCS#8 private key");
        }
        throw e;
      }
    }
    if (keys.isEmpty() && certificates.isEmpty()) {
      return failed(file, KeyProblem.Code.BROKEN, "no public key or end-entity certificate in it");
    }
    return new KeyFile(file, keys, certificates, null);
  }

  /** Reads every key ring; returns what secret material it met instead, if any. */
  private static Optional<String> readPgp(byte[] bytes, List<PgpKey> keys) throws IOException {
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes))) {
      BcPGPObjectFactory objects = new BcPGPObjectFactory(in);
      Object o;
      while ((o = objects.nextObject()) != null) {
        if (o instanceof PGPPublicKeyRing) {
          keys.add(PgpKeyVerifier.verify((PGPPublicKeyRing) o));
        } else if (o instanceof PGPSecretKeyRing) {
          return Optional.of("an OpenPGP secret key");
        } else if (!(o instanceof PGPMarker)) {
          throw new IOException("not a public key: " + o.getClass().getSimpleName());
        }
      }
    }
    return Optional.empty();
  }

  private static void readCertificates(byte[] bytes, Provider bc, List<SmimeCertificate> out)
      throws CertificateException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509", bc);
    Collection<? extends Certificate> certs = factory.generateCertificates(new ByteArrayInputStream(bytes));
    for (Certificate c : certs) {
      X509Certificate cert = (X509Certificate) c;
      if (cert.getBasicConstraints() >= 0) {
        continue; // a CA certificate travelling with the chain, not a recipient
      }
      out.add(SmimeCertificate.of(cert));
    }
  }

  /** A DER PKCS#12 bundle or PKCS#8 private key (what {@code openssl pkcs12}/{@code pkcs8} write). */
  private static boolean holdsPrivateKey(byte[] der) {
    ASN1Primitive asn1;
    try {
      asn1 = ASN1Primitive.fromByteArray(der);
    } catch (IOException | RuntimeException e) {
      return false;
    }
    try {
      Pfx.getInstance(asn1);
      return true;
    } catch (RuntimeException e) {
      // not PKCS#12
    }
    try {
      return PrivateKeyInfo.getInstance(asn1).getPrivateKeyAlgorithm() != null;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static KeyFile secret(Path file, String what) {
    return failed(file, KeyProblem.Code.SECRET_KEY, "holds " + what
        + ": only public keys and certificates belong in the key directory (file not used)");
  }

  private static KeyFile failed(Path file, KeyProblem.Code code, String message) {
    return new KeyFile(file, List.of(), List.of(), KeyProblem.ofFile(code, file, message));
  }

  static String describe(Exception e) {
    String m = e.getMessage();
    return (e.getClass().getSimpleName() + (m == null ? "" : ": " + m)).replace('"', '\'');
  }
}
