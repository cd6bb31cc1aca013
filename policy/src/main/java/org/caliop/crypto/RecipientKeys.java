package org.caliop.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPPublicKeyRingCollection;
import org.caliop.facts.EmailAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recipients' public keys, indexed by lower-cased address: X.509 certificates (PEM or DER, addresses from the
 * subject's emailAddress and the rfc822Name SubjectAltNames) and OpenPGP public key rings (armored or binary, one
 * key or a whole {@code gpg --export}; addresses from the non-revoked user IDs). A file named after an address
 * ({@code alice@example.org.asc}) is also indexed under that address.
 *
 * <p>Validity (expiry, revocation, key usage, an encryption subkey) is judged at lookup time against the instant
 * the caller gives, so a key that expires while the server runs stops being used. Files that cannot be read are
 * logged and skipped: the other keys stay usable and the recipient of a broken file simply has no key.
 */
public final class RecipientKeys {
  /** Name of the optional list of addresses and {@code @domain}s whose clients read AuthEnvelopedData (AES-GCM). */
  public static final String AUTH_ENVELOPED_FILE = "smime-authenveloped.txt";

  private static final Logger LOG = LoggerFactory.getLogger(RecipientKeys.class);
  private static final long MAX_KEY_FILE_BYTES = 64L << 20;
  private static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
  private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

  private final Map<String, List<Sourced<PGPPublicKeyRing>>> pgp;
  private final Map<String, List<Sourced<X509Certificate>>> smime;
  private final Set<String> authEnveloped;

  private RecipientKeys(Map<String, List<Sourced<PGPPublicKeyRing>>> pgp,
      Map<String, List<Sourced<X509Certificate>>> smime, Set<String> authEnveloped) {
    this.pgp = copy(pgp);
    this.smime = copy(smime);
    this.authEnveloped = Collections.unmodifiableSet(new TreeSet<>(authEnveloped));
  }

  private static <T> Map<String, List<Sourced<T>>> copy(Map<String, List<Sourced<T>>> map) {
    Map<String, List<Sourced<T>>> copy = new HashMap<>();
    map.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return Collections.unmodifiableMap(copy);
  }

  /** No keys at all: every recipient is missing one. */
  public static RecipientKeys empty() {
    return new RecipientKeys(Map.of(), Map.of(), Set.of());
  }

  /**
   * Reads every regular, non-hidden file of {@code dir} (not its subdirectories), plus {@link #AUTH_ENVELOPED_FILE}.
   *
   * @throws IOException when the directory itself cannot be listed (a configuration error, fail fast)
   */
  public static RecipientKeys loadDirectory(Path dir, Provider bc) throws IOException {
    return load(dir, List.of(), bc);
  }

  /** As {@link #loadDirectory(Path, Provider)}, plus key files kept elsewhere (a GnuPG keyring export). */
  public static RecipientKeys loadDirectory(Path dir, List<Path> extraFiles, Provider bc) throws IOException {
    return load(dir, extraFiles, bc);
  }

  /**
   * The files of {@code dir} (when not null) as {@link #loadDirectory} reads them, then {@code extraFiles} (e.g. a
   * keyring export kept elsewhere).
   */
  public static RecipientKeys load(Path dir, List<Path> extraFiles, Provider bc) throws IOException {
    List<Path> files = new ArrayList<>();
    Set<String> authEnveloped = new LinkedHashSet<>();
    if (dir != null) {
      files.addAll(directoryFiles(dir));
      authEnveloped.addAll(authEnvelopedList(dir));
    }
    files.addAll(extraFiles);
    return loadFiles(files, authEnveloped, bc);
  }

  private static List<Path> directoryFiles(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir)) {
      for (Path p : listing) {
        String name = p.getFileName().toString();
        if (Files.isRegularFile(p) && !name.startsWith(".") && !name.equals(AUTH_ENVELOPED_FILE)) {
          files.add(p);
        }
      }
    }
    Collections.sort(files);
    return files;
  }

  private static Set<String> authEnvelopedList(Path dir) throws IOException {
    Set<String> authEnveloped = new LinkedHashSet<>();
    Path hints = dir.resolve(AUTH_ENVELOPED_FILE);
    if (Files.isRegularFile(hints)) {
      for (String line : Files.readAllLines(hints, StandardCharsets.UTF_8)) {
        String entry = line.replaceAll("#.*", "").trim().toLowerCase(Locale.ROOT);
        if (!entry.isEmpty()) {
          authEnveloped.add(entry);
        }
      }
    }
    return authEnveloped;
  }

  /** Reads the given key files (certificates, public keys, keyring exports), each on its own. */
  public static RecipientKeys loadFiles(List<Path> files, Set<String> authEnveloped, Provider bc) {
    Map<String, List<Sourced<PGPPublicKeyRing>>> pgp = new LinkedHashMap<>();
    Map<String, List<Sourced<X509Certificate>>> smime = new LinkedHashMap<>();
    for (Path file : files) {
      try {
        int found = loadFile(file, pgp, smime, bc);
        if (found == 0) {
          LOG.warn("caliop: keys file={} error=\"no public key or certificate found\"", file);
        }
      } catch (IOException | RuntimeException | PGPException | CertificateException e) {
        LOG.warn("caliop: keys file={} error=\"{}\" (skipped)", file, describe(e));
      }
    }
    Set<String> lowered = new LinkedHashSet<>();
    for (String a : authEnveloped) {
      lowered.add(a.trim().toLowerCase(Locale.ROOT));
    }
    LOG.info("caliop: keys loaded pgp_addresses={} smime_addresses={} files={}", pgp.size(), smime.size(),
        files.size());
    return new RecipientKeys(pgp, smime, lowered);
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    return (e.getClass().getSimpleName() + (m == null ? "" : ": " + m)).replace('"', '\'');
  }

  private static int loadFile(Path file, Map<String, List<Sourced<PGPPublicKeyRing>>> pgp,
      Map<String, List<Sourced<X509Certificate>>> smime, Provider bc)
      throws IOException, PGPException, CertificateException {
    long size = Files.size(file);
    if (size > MAX_KEY_FILE_BYTES) {
      throw new IOException("larger than " + MAX_KEY_FILE_BYTES + " bytes");
    }
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length == 0) {
      throw new IOException("empty file");
    }
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    if (text.contains("-----BEGIN PGP PRIVATE KEY BLOCK-----")) {
      throw new IOException("holds a secret key: only public keys belong in the key directory");
    }
    Optional<String> nameAddress = addressFromFileName(file);
    int found = 0;
    boolean armoredPgp = text.contains("-----BEGIN PGP PUBLIC KEY BLOCK-----");
    boolean pemCert = text.contains("-----BEGIN CERTIFICATE-----");
    boolean derCert = !armoredPgp && !pemCert && (bytes[0] & 0xff) == 0x30;
    boolean binaryPgp = !armoredPgp && !pemCert && !derCert && (bytes[0] & 0x80) != 0;
    if (armoredPgp || binaryPgp) {
      found += loadPgp(file, bytes, nameAddress, pgp);
    }
    if (pemCert || derCert) {
      found += loadCertificates(file, bytes, nameAddress, smime, bc);
    }
    return found;
  }

  private static int loadPgp(Path file, byte[] bytes, Optional<String> nameAddress,
      Map<String, List<Sourced<PGPPublicKeyRing>>> pgp) throws IOException, PGPException {
    int found = 0;
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes))) {
      BcPGPPublicKeyRingCollection rings = new BcPGPPublicKeyRingCollection(in);
      for (Iterator<PGPPublicKeyRing> it = rings.getKeyRings(); it.hasNext(); ) {
        PGPPublicKeyRing ring = it.next();
        Set<String> addresses = new LinkedHashSet<>(userIdAddresses(ring.getPublicKey()));
        nameAddress.ifPresent(addresses::add);
        for (String a : addresses) {
          pgp.computeIfAbsent(a, k -> new ArrayList<>()).add(new Sourced<>(ring, file));
        }
        found++;
      }
    }
    return found;
  }

  private static Set<String> userIdAddresses(PGPPublicKey primary) {
    Set<String> addresses = new LinkedHashSet<>();
    for (Iterator<String> ids = primary.getUserIDs(); ids.hasNext(); ) {
      String uid = ids.next();
      if (isRevoked(primary, uid)) {
        continue;
      }
      addressInUserId(uid).ifPresent(addresses::add);
    }
    return addresses;
  }

  private static boolean isRevoked(PGPPublicKey primary, String uid) {
    for (Iterator<PGPSignature> sigs = primary.getSignaturesForID(uid); sigs != null && sigs.hasNext(); ) {
      if (sigs.next().getSignatureType() == PGPSignature.CERTIFICATION_REVOCATION) {
        return true;
      }
    }
    return false;
  }

  /** {@code Name <a@b>} or a bare {@code a@b}. */
  static Optional<String> addressInUserId(String uid) {
    int lt = uid.lastIndexOf('<');
    int gt = uid.lastIndexOf('>');
    String candidate = lt >= 0 && gt > lt ? uid.substring(lt + 1, gt) : uid;
    return normalize(candidate);
  }

  /** The address as every lookup compares it ({@link EmailAddress}); empty without a domain or with spaces. */
  static Optional<String> normalize(String address) {
    if (address.trim().indexOf(' ') >= 0) {
      return Optional.empty();
    }
    return EmailAddress.parse(address).filter(EmailAddress::hasDomain).map(EmailAddress::toString);
  }

  private static Optional<String> addressFromFileName(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    if (dot > name.lastIndexOf('@')) {
      name = name.substring(0, dot);
    }
    return normalize(name);
  }

  private static int loadCertificates(Path file, byte[] bytes, Optional<String> nameAddress,
      Map<String, List<Sourced<X509Certificate>>> smime, Provider bc) throws CertificateException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509", bc);
    Collection<? extends java.security.cert.Certificate> certs =
        factory.generateCertificates(new ByteArrayInputStream(bytes));
    int found = 0;
    for (java.security.cert.Certificate c : certs) {
      X509Certificate cert = (X509Certificate) c;
      if (cert.getBasicConstraints() >= 0) {
        continue; // a CA certificate travelling with the chain, not a recipient
      }
      Set<String> addresses = new LinkedHashSet<>(certificateAddresses(cert));
      nameAddress.ifPresent(addresses::add);
      for (String a : addresses) {
        smime.computeIfAbsent(a, k -> new ArrayList<>()).add(new Sourced<>(cert, file));
      }
      found++;
    }
    return found;
  }

  private static Set<String> certificateAddresses(X509Certificate cert) {
    Set<String> addresses = new LinkedHashSet<>();
    X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
    for (RDN rdn : subject.getRDNs(BCStyle.EmailAddress)) {
      ASN1Encodable value = rdn.getFirst().getValue();
      String text = value instanceof ASN1String ? ((ASN1String) value).getString() : value.toString();
      normalize(text).ifPresent(addresses::add);
    }
    try {
      Collection<List<?>> alt = cert.getSubjectAlternativeNames();
      if (alt != null) {
        for (List<?> entry : alt) {
          if (entry.size() >= 2 && Integer.valueOf(1).equals(entry.get(0)) && entry.get(1) instanceof String) {
            normalize((String) entry.get(1)).ifPresent(addresses::add);
          }
        }
      }
    } catch (CertificateParsingException e) {
      LOG.debug("caliop: keys subjectAltName unreadable serial={}", cert.getSerialNumber(), e);
    }
    return addresses;
  }

  /** The newest usable OpenPGP encryption key for {@code address} at {@code now}; logs why others were skipped. */
  Optional<PgpRecipientKey> pgp(String address, Instant now) {
    PgpRecipientKey best = null;
    for (Sourced<PGPPublicKeyRing> candidate : pgp.getOrDefault(address, List.of())) {
      PGPPublicKey primary = candidate.value.getPublicKey();
      String why = primaryProblem(primary, now);
      if (why != null) {
        skipped(address, "pgp", PgpRecipientKey.hex(primary.getKeyID()), candidate.source, why);
        continue;
      }
      PGPPublicKey chosen = null;
      String subkeyWhy = "no-encryption-subkey";
      for (Iterator<PGPPublicKey> keys = candidate.value.getPublicKeys(); keys.hasNext(); ) {
        PGPPublicKey key = keys.next();
        if (!isEncryptionCapable(key)) {
          continue;
        }
        if (!key.isMasterKey() && key.hasRevocation()) {
          subkeyWhy = "encryption-subkey-revoked";
          continue;
        }
        if (isExpired(key, now)) {
          subkeyWhy = "encryption-subkey-expired";
          continue;
        }
        if (chosen == null || key.getCreationTime().after(chosen.getCreationTime())) {
          chosen = key;
        }
      }
      if (chosen == null) {
        skipped(address, "pgp", PgpRecipientKey.hex(primary.getKeyID()), candidate.source, subkeyWhy);
        continue;
      }
      PgpRecipientKey key = PgpRecipientKey.of(chosen, primary.getKeyID(), candidate.source);
      if (best == null || key.created().isAfter(best.created())) {
        best = key;
      }
    }
    return Optional.ofNullable(best);
  }

  private static String primaryProblem(PGPPublicKey primary, Instant now) {
    if (primary.hasRevocation()) {
      return "revoked";
    }
    if (isExpired(primary, now)) {
      return "expired";
    }
    if (primary.getCreationTime().toInstant().isAfter(now)) {
      return "not-yet-valid";
    }
    return null;
  }

  private static boolean isEncryptionCapable(PGPPublicKey key) {
    if (!key.isEncryptionKey()) {
      return false;
    }
    int flags = keyFlags(key);
    // Old RSA keys carry no key flags: the algorithm alone then says the key may encrypt.
    return flags == 0 || (flags & (KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE)) != 0;
  }

  /** Key flags from the newest self-signature (subkey binding for a subkey); 0 when none says. */
  private static int keyFlags(PGPPublicKey key) {
    int flags = 0;
    Date newest = null;
    for (Iterator<PGPSignature> sigs = key.getSignatures(); sigs.hasNext(); ) {
      PGPSignature sig = sigs.next();
      int type = sig.getSignatureType();
      boolean self = key.isMasterKey()
          ? sig.getKeyID() == key.getKeyID() && (sig.isCertification() || type == PGPSignature.DIRECT_KEY)
          : type == PGPSignature.SUBKEY_BINDING;
      if (!self || sig.getHashedSubPackets() == null) {
        continue;
      }
      int f = sig.getHashedSubPackets().getKeyFlags();
      if (f != 0 && (newest == null || sig.getCreationTime().after(newest))) {
        flags = f;
        newest = sig.getCreationTime();
      }
    }
    return flags;
  }

  private static boolean isExpired(PGPPublicKey key, Instant now) {
    long valid = key.getValidSeconds();
    return valid > 0 && !key.getCreationTime().toInstant().plusSeconds(valid).isAfter(now);
  }

  /** The usable certificate for {@code address} at {@code now} with the latest expiry; logs skipped ones. */
  Optional<SmimeRecipientKey> smime(String address, Instant now) {
    Sourced<X509Certificate> best = null;
    for (Sourced<X509Certificate> candidate : smime.getOrDefault(address, List.of())) {
      X509Certificate cert = candidate.value;
      String why = certificateProblem(cert, now);
      if (why != null) {
        skipped(address, "smime", "serial=0x" + cert.getSerialNumber().toString(16).toUpperCase(Locale.ROOT),
            candidate.source, why);
        continue;
      }
      if (best == null || cert.getNotAfter().after(best.value.getNotAfter())) {
        best = candidate;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    return Optional.of(SmimeRecipientKey.of(best.value, best.source).withAuthEnveloped(readsAuthEnveloped(address)));
  }

  private static String certificateProblem(X509Certificate cert, Instant now) {
    try {
      cert.checkValidity(Date.from(now));
    } catch (CertificateExpiredException e) {
      return "expired";
    } catch (CertificateNotYetValidException e) {
      return "not-yet-valid";
    }
    String algorithm = cert.getPublicKey().getAlgorithm();
    boolean rsa = "RSA".equalsIgnoreCase(algorithm);
    boolean ec = "EC".equalsIgnoreCase(algorithm) || "ECDSA".equalsIgnoreCase(algorithm);
    if (!rsa && !ec) {
      return "unsupported-key-algorithm-" + algorithm;
    }
    boolean[] usage = cert.getKeyUsage();
    if (usage != null) {
      // keyEncipherment (2) for RSA key transport, keyAgreement (4) for ECDH.
      if (rsa && !(usage.length > 2 && usage[2]) || ec && !(usage.length > 4 && usage[4])) {
        return "key-usage-forbids-encryption";
      }
    }
    try {
      List<String> eku = cert.getExtendedKeyUsage();
      if (eku != null && !eku.contains(EMAIL_PROTECTION) && !eku.contains(ANY_EXTENDED_KEY_USAGE)) {
        return "extended-key-usage-not-email";
      }
    } catch (CertificateParsingException e) {
      return "extended-key-usage-unreadable";
    }
    return null;
  }

  boolean readsAuthEnveloped(String address) {
    int at = address.lastIndexOf('@');
    return authEnveloped.contains(address) || at >= 0 && authEnveloped.contains(address.substring(at));
  }

  private static void skipped(String address, String format, String key, Path source, String why) {
    LOG.info("caliop: key skipped to=<{}> format={} key={} file={} reason={}", address, format, key,
        source.getFileName(), why);
  }

  /** Addresses with at least one OpenPGP key ring, usable or not. */
  public Set<String> pgpAddresses() {
    return Collections.unmodifiableSet(new TreeSet<>(pgp.keySet()));
  }

  /** Addresses with at least one certificate, usable or not. */
  public Set<String> smimeAddresses() {
    return Collections.unmodifiableSet(new TreeSet<>(smime.keySet()));
  }

  private static final class Sourced<T> {
    final T value;
    final Path source;

    Sourced(T value, Path source) {
      this.value = value;
      this.source = source;
    }
  }
}
