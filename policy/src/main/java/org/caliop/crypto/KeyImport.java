package org.caliop.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.Pfx;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.util.encoders.Hex;

/**
 * Takes a key or certificate file from a correspondent into the key directory ({@code caliop keys import}): only
 * the public part is stored (an OpenPGP secret key ring gives its public keys, a PEM bundle its certificates, a
 * private key is left behind), each key in a file named after its fingerprint ({@code pgp-<FINGERPRINT>.asc},
 * {@code smime-<SHA-256>.pem}), so a file name never adds an address: a key is used only for the addresses it
 * certifies itself (the user IDs its self-signatures verify, the certificate's e-mail addresses). A key that
 * certifies none, or that cannot be used now, is refused. Written to a hidden temporary file in the directory and
 * renamed, so a watcher never reads half a key. Immutable once read.
 */
public final class KeyImport {
  private static final Pattern PEM_CERTIFICATE = Pattern.compile(
      "-----BEGIN CERTIFICATE-----\\s*([A-Za-z0-9+/=\\s]+?)-----END CERTIFICATE-----");

  private final Path source;
  private final List<Candidate> candidates;
  private final List<String> notes;
  private final String refusal;

  private KeyImport(Path source, List<Candidate> candidates, List<String> notes, String refusal) {
    this.source = source;
    this.candidates = List.copyOf(candidates);
    this.notes = List.copyOf(notes);
    this.refusal = refusal;
  }

  /** One key found in the file, with its public material and whether it will be stored. */
  public static final class Candidate {
    private final KeyInventory.Format format;
    private final String keyId;
    private final String fingerprint;
    private final Set<String> addresses;
    private final Instant expires;
    private final String refusal;
    private final byte[] publicMaterial;
    private final PGPPublicKeyRing ring;

    Candidate(KeyInventory.Format format, String keyId, String fingerprint, Set<String> addresses, Instant expires,
        String refusal, byte[] publicMaterial, PGPPublicKeyRing ring) {
      this.format = format;
      this.keyId = keyId;
      this.fingerprint = fingerprint;
      this.addresses = Set.copyOf(addresses);
      this.expires = expires;
      this.refusal = refusal;
      this.publicMaterial = publicMaterial;
      this.ring = ring;
    }

    public KeyInventory.Format format() { return format; }
    public String keyId() { return keyId; }
    public String fingerprint() { return fingerprint; }
    /** The addresses the key certifies itself, sorted. */
    public Set<String> addresses() { return new java.util.TreeSet<>(addresses); }
    public Optional<Instant> expires() { return Optional.ofNullable(expires); }
    /** Why it is not stored ({@code certifies no address}, {@code expired} ...); empty when it is. */
    public Optional<String> refusal() { return Optional.ofNullable(refusal); }

    /** The file name in the key directory: the format and the fingerprint, never an address. */
    public String fileName() {
      return format == KeyInventory.Format.OPENPGP ? "pgp-" + fingerprint + ".asc" : "smime-" + fingerprint + ".pem";
    }
  }

  /**
   * Reads {@code file} and judges each key at {@code now}. A file that is no key at all, a PKCS#12 bundle (which
   * needs its password: extract the certificate first) or a broken one gives a {@link #refusal()}.
   *
   * @throws IOException when the file cannot be read
   */
  public static KeyImport read(Path file, Instant now) throws IOException {
    if (Files.size(file) > KeyFile.MAX_BYTES) {
      return refused(file, "larger than " + KeyFile.MAX_BYTES + " bytes");
    }
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length == 0) {
      return refused(file, "empty file");
    }
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    List<Candidate> found = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    try {
      if (text.contains("-----BEGIN PGP ") || (bytes[0] & 0x80) != 0) {
        readPgp(bytes, now, found, notes);
      } else if (text.contains("-----BEGIN CERTIFICATE-----")) {
        if (text.contains("PRIVATE KEY-----")) {
          notes.add("a private key in the file was left out");
        }
        Matcher m = PEM_CERTIFICATE.matcher(text);
        while (m.find()) {
          byte[] der = Base64.getMimeDecoder().decode(m.group(1));
          certificate(der, now, found, notes);
        }
      } else if ((bytes[0] & 0xff) == 0x30) {
        if (isPkcs12(bytes)) {
          return refused(file, "a PKCS#12 bundle holds a private key and needs its password: extract the"
              + " certificate first (openssl pkcs12 -in FILE -nokeys -clcerts -out cert.pem) and import that");
        }
        certificate(bytes, now, found, notes);
      } else if (text.contains("PRIVATE KEY-----")) {
        return refused(file, "only a private key, no certificate or public key in it");
      } else {
        return refused(file, "no OpenPGP key or X.509 certificate in it");
      }
    } catch (IOException | CertificateException | PGPException | RuntimeException e) {
      return refused(file, "cannot be read as a key: " + KeyFile.describe(e));
    }
    if (found.isEmpty()) {
      return refused(file, "no public key or end-entity certificate in it");
    }
    return new KeyImport(file, found, notes, null);
  }

  private static KeyImport refused(Path file, String why) {
    return new KeyImport(file, List.of(), List.of(), why);
  }

  private static void readPgp(byte[] bytes, Instant now, List<Candidate> found, List<String> notes)
      throws IOException, PGPException {
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes))) {
      BcPGPObjectFactory objects = new BcPGPObjectFactory(in);
      Object o;
      while ((o = objects.nextObject()) != null) {
        PGPPublicKeyRing ring;
        if (o instanceof PGPPublicKeyRing) {
          ring = (PGPPublicKeyRing) o;
        } else if (o instanceof PGPSecretKeyRing) {
          // The public half of every key in the secret ring; the secret parts are never written anywhere.
          List<PGPPublicKey> keys = new ArrayList<>();
          for (Iterator<PGPPublicKey> it = ((PGPSecretKeyRing) o).getPublicKeys(); it.hasNext(); ) {
            keys.add(it.next());
          }
          ring = new PGPPublicKeyRing(keys);
          notes.add("secret key " + PgpKey.hex(ring.getPublicKey().getKeyID())
              + ": only its public part is stored; the secret key stays where it was");
        } else if (o instanceof PGPMarker) {
          continue;
        } else {
          throw new IOException("not a key: " + o.getClass().getSimpleName());
        }
        found.add(pgp(ring, now));
      }
    }
  }

  static Candidate pgp(PGPPublicKeyRing ring, Instant now) throws IOException {
    PgpKey key = PgpKeyVerifier.verify(ring);
    String refusal = key.addresses().isEmpty() ? "certifies no address (no user ID with a valid self-signature)"
        : key.problemAt(now).orElse(null);
    return new Candidate(KeyInventory.Format.OPENPGP, key.keyId(), key.fingerprint(), key.addresses(),
        key.usableUntil(now).or(key::expires).orElse(null), refusal, armor(ring), ring);
  }

  private static void certificate(byte[] der, Instant now, List<Candidate> found, List<String> notes)
      throws CertificateException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509", GatewayEncryptors.provider());
    X509Certificate cert = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
    if (cert.getBasicConstraints() >= 0) {
      notes.add("CA certificate " + cert.getSubjectX500Principal().getName() + " left out (not a recipient)");
      return;
    }
    SmimeCertificate c = SmimeCertificate.of(cert);
    String refusal = c.addresses().isEmpty() ? "certifies no address (no emailAddress, no rfc822Name)"
        : c.problemAt(now).orElse(null);
    byte[] encoded = cert.getEncoded();
    String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
        .encodeToString(encoded) + "\n-----END CERTIFICATE-----\n";
    found.add(new Candidate(KeyInventory.Format.X509, c.keyId(), sha256(encoded), c.addresses(), c.notAfter(),
        refusal, pem.getBytes(StandardCharsets.US_ASCII), null));
  }

  private static boolean isPkcs12(byte[] der) {
    try {
      Pfx.getInstance(ASN1Primitive.fromByteArray(der));
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static byte[] armor(PGPPublicKeyRing ring) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ArmoredOutputStream armored = ArmoredOutputStream.builder().clearHeaders().build(bytes)) {
      ring.encode(armored, true);
    }
    return bytes.toByteArray();
  }

  private static String sha256(byte[] der) {
    try {
      return Hex.toHexString(MessageDigest.getInstance("SHA-256").digest(der)).toUpperCase(Locale.ROOT);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is always there", e);
    }
  }

  public Path source() { return source; }

  /** Every key found, stored or not. */
  public List<Candidate> candidates() { return candidates; }

  /** What was left out of the file on the way (secret parts, CA certificates). */
  public List<String> notes() { return notes; }

  /** Why nothing in the file can be imported; empty when keys were found. */
  public Optional<String> refusal() { return Optional.ofNullable(refusal); }

  /**
   * Writes {@code c} into {@code keysDir} (created when missing): a new file, or, when the same OpenPGP key is
   * there already, the two copies joined as GnuPG merges an import, so a revocation already stored stays.
   *
   * @return the file written
   * @throws IOException when it cannot be written
   * @throws IllegalArgumentException when {@code c} is refused
   */
  public static Path store(Candidate c, Path keysDir) throws IOException {
    if (c.refusal().isPresent()) {
      throw new IllegalArgumentException("refused: " + c.refusal().get());
    }
    Files.createDirectories(keysDir);
    Path target = keysDir.resolve(c.fileName());
    byte[] content = c.publicMaterial;
    if (c.ring != null && Files.exists(target)) {
      content = armor(joined(target, c.ring));
    }
    Path tmp = Files.createTempFile(keysDir, ".caliop-import-", ".tmp");
    try {
      Files.write(tmp, content);
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: its default permissions stay
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return target;
  }

  private static PGPPublicKeyRing joined(Path existing, PGPPublicKeyRing ring) throws IOException {
    try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(existing))) {
      Object o = new BcPGPObjectFactory(in).nextObject();
      if (o instanceof PGPPublicKeyRing && ((PGPPublicKeyRing) o).getPublicKey().getKeyID()
          == ring.getPublicKey().getKeyID()) {
        return PGPPublicKeyRing.join((PGPPublicKeyRing) o, ring);
      }
      return ring;
    } catch (PGPException | RuntimeException e) {
      // The stored copy is broken: the new one replaces it.
      return ring;
    }
  }

  @Override
  public String toString() {
    return "KeyImport[" + source + " " + candidates.size() + " key(s)" + (refusal == null ? "" : " " + refusal)
        + "]";
  }

  /** For tests: the bytes that {@link #store} writes for a new file. */
  static byte[] publicMaterial(Candidate c) {
    return Objects.requireNonNull(c.publicMaterial).clone();
  }
}
