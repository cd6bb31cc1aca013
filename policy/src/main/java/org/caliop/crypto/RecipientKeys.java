package org.caliop.crypto;

import java.io.IOException;
import java.nio.file.Path;
import java.security.Provider;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.caliop.mime.SignerTrust;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recipients' public keys by lower-cased address, and the choice of one key per address and format. Keys come from
 * {@link KeySources} ({@link KeyFile} reads a file, {@link PgpKeyVerifier} checks an OpenPGP key's signatures,
 * {@link SmimeCertificate} a certificate); this class only indexes and chooses.
 *
 * <p>Validity in time (expiry, not yet valid) is judged at lookup against the instant the caller gives, so a key
 * that expires while the server runs stops being used. Files that cannot be used are logged and skipped: the other
 * keys stay usable and the recipient of a broken file simply has no key.
 *
 * <p>Several usable keys for one address: OpenPGP takes the key ring whose primary key was created last, then the
 * one whose encryption subkey was created last, then the smallest fingerprint; S/MIME the certificate that expires
 * last, then the one valid from latest, then the smallest serial number. The same key ring in several files (an
 * {@code alice.asc} and a keyring export) is one key: the copies are merged as GnuPG merges an import, so a
 * revocation in either counts.
 */
public final class RecipientKeys {
  private static final Logger LOG = LoggerFactory.getLogger(RecipientKeys.class);

  /** Best first, at a given instant (see the class comment). */
  static Comparator<Sourced<PgpKey>> pgpOrder(Instant now) {
    return Comparator.comparing((Sourced<PgpKey> s) -> s.value.created()).reversed()
        .thenComparing(s -> s.value.encryptionKeyAt(now).map(k -> k.created).orElse(Instant.MIN),
            Comparator.reverseOrder())
        .thenComparing(s -> s.value.fingerprint());
  }

  static final Comparator<Sourced<SmimeCertificate>> SMIME_ORDER =
      Comparator.comparing((Sourced<SmimeCertificate> s) -> s.value.notAfter()).reversed()
          .thenComparing(s -> s.value.notBefore(), Comparator.reverseOrder())
          .thenComparing(s -> s.value.certificate().getSerialNumber());

  private final Map<String, List<Sourced<PgpKey>>> pgp;
  private final Map<String, List<Sourced<SmimeCertificate>>> smime;
  private final Set<String> failures;

  private RecipientKeys(Map<String, List<Sourced<PgpKey>>> pgp, Map<String, List<Sourced<SmimeCertificate>>> smime,
      Set<String> failures) {
    this.pgp = copy(pgp);
    this.smime = copy(smime);
    this.failures = Set.copyOf(failures);
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
   * Reads every regular, non-hidden file of {@code dir} (not its subdirectories).
   *
   * @throws IOException when the directory itself cannot be listed or does not exist (a configuration error, fail
   *     fast)
   */
  public static RecipientKeys loadDirectory(Path dir, Provider bc) throws IOException {
    if (!java.nio.file.Files.isDirectory(dir)) {
      throw new java.nio.file.NoSuchFileException(dir.toString(), null, "not a directory");
    }
    return load(dir, List.of(), bc);
  }

  /**
   * The files of {@code dir} (when not null) as {@link #loadDirectory} reads them, then {@code extraFiles} (e.g. a
   * keyring export kept elsewhere). A directory or file that does not exist is logged: its recipients have no key.
   */
  public static RecipientKeys load(Path dir, List<Path> extraFiles, Provider bc) throws IOException {
    return of(KeySources.read(dir, extraFiles, bc), Instant.now());
  }

  /** Reads the given key files (certificates, public keys, keyring exports), each on its own. */
  public static RecipientKeys loadFiles(List<Path> files, Provider bc) {
    try {
      return load(null, files, bc);
    } catch (IOException e) {
      throw new IllegalStateException("only a directory listing throws", e);
    }
  }

  /** Indexes what {@code sources} read, logging every problem; {@code now} only decides the load-time warnings. */
  static RecipientKeys of(KeySources sources, Instant now) {
    Set<String> failures = new TreeSet<>();
    for (KeyProblem p : sources.problems()) {
      LOG.warn("caliop: keys file={} error=\"{}\"", p.file().orElse(null), p.message());
      if (p.code() == KeyProblem.Code.MISSING) {
        failures.add(p.toString());
      }
    }
    Map<String, Sourced<PgpKey>> byFingerprint = mergedPgp(sources.files());
    Map<String, List<Sourced<PgpKey>>> pgp = new LinkedHashMap<>();
    Map<String, List<Sourced<SmimeCertificate>>> smime = new LinkedHashMap<>();
    int files = 0;
    for (KeyFile file : sources.files()) {
      files++;
      if (file.problem().isPresent()) {
        KeyProblem p = file.problem().get();
        LOG.warn("caliop: keys file={} error=\"{}\"{}", file.path(), p.message(), p.isError() ? " (skipped)" : "");
        if (p.isError()) {
          failures.add(p.toString());
        }
        continue;
      }
      for (SmimeCertificate cert : file.certificates()) {
        Set<String> addresses = new TreeSet<>(cert.addresses());
        file.nameAddress().ifPresent(addresses::add);
        for (String a : addresses) {
          List<Sourced<SmimeCertificate>> list = smime.computeIfAbsent(a, k -> new ArrayList<>());
          if (list.stream().noneMatch(s -> s.value.certificate().equals(cert.certificate()))) {
            list.add(new Sourced<>(cert, file.path(), List.of(file.path())));
          }
        }
      }
    }
    for (Sourced<PgpKey> key : byFingerprint.values()) {
      for (String note : key.value.ignored()) {
        LOG.warn("caliop: keys file={} key={} ignored=\"{}\"", key.source, key.value.keyId(), note);
      }
      Set<String> addresses = new TreeSet<>(key.value.addresses());
      for (Path f : key.files) {
        RecipientAddresses.ofFileName(f).ifPresent(addresses::add);
      }
      for (String a : addresses) {
        pgp.computeIfAbsent(a, k -> new ArrayList<>()).add(key);
      }
    }
    RecipientKeys keys = new RecipientKeys(pgp, smime, failures);
    keys.warnSeveral(now);
    LOG.info("caliop: keys loaded pgp_addresses={} smime_addresses={} files={}", pgp.size(), smime.size(), files);
    return keys;
  }

  /**
   * Every OpenPGP key of the usable files by fingerprint; the same key ring in several files is joined (and verified
   * again) as GnuPG merges an import.
   */
  static Map<String, Sourced<PgpKey>> mergedPgp(List<KeyFile> files) {
    Map<String, Sourced<PgpKey>> byFingerprint = new LinkedHashMap<>();
    for (KeyFile file : files) {
      for (PgpKey key : file.pgpKeys()) {
        byFingerprint.put(key.fingerprint(), merge(byFingerprint.get(key.fingerprint()), key, file.path()));
      }
    }
    return byFingerprint;
  }

  /** The same key ring from two files: joined (and verified again) as GnuPG merges an import. */
  private static Sourced<PgpKey> merge(Sourced<PgpKey> seen, PgpKey key, Path file) {
    if (seen == null) {
      return new Sourced<>(key, file, List.of(file));
    }
    List<Path> files = new ArrayList<>(seen.files);
    files.add(file);
    try {
      PGPPublicKeyRing joined = PGPPublicKeyRing.join(seen.value.ring(), key.ring());
      return new Sourced<>(PgpKeyVerifier.verify(joined), seen.source, files);
    } catch (PGPException | RuntimeException e) {
      LOG.warn("caliop: keys file={} key={} error=\"cannot merge with the copy in {}: {}\"", file, key.keyId(),
          seen.source, KeyFile.describe(e));
      return new Sourced<>(seen.value, seen.source, files);
    }
  }

  private void warnSeveral(Instant now) {
    pgp.forEach((address, keys) -> {
      List<Sourced<PgpKey>> usable = usablePgp(keys, now);
      if (usable.size() > 1) {
        LOG.warn("caliop: keys to=<{}> format=pgp usable_keys={} chosen={} (several keys for one address)", address,
            usable.size(), usable.get(0).value.keyId());
      }
    });
    smime.forEach((address, certs) -> {
      List<Sourced<SmimeCertificate>> usable = usableSmime(certs, now);
      if (usable.size() > 1) {
        LOG.warn("caliop: keys to=<{}> format=smime usable_keys={} chosen={} (several keys for one address)",
            address, usable.size(), usable.get(0).value.keyId());
      }
    });
  }

  static List<Sourced<PgpKey>> usablePgp(List<Sourced<PgpKey>> keys, Instant now) {
    return usable(keys, k -> k.problemAt(now).isEmpty(), pgpOrder(now));
  }

  static List<Sourced<SmimeCertificate>> usableSmime(List<Sourced<SmimeCertificate>> certs, Instant now) {
    return usable(certs, c -> c.problemAt(now).isEmpty(), SMIME_ORDER);
  }

  /** The keys {@code ok} accepts, best first. */
  private static <T> List<Sourced<T>> usable(List<Sourced<T>> keys, java.util.function.Predicate<T> ok,
      Comparator<Sourced<T>> best) {
    List<Sourced<T>> usable = new ArrayList<>();
    for (Sourced<T> k : keys) {
      if (ok.test(k.value)) {
        usable.add(k);
      }
    }
    usable.sort(best);
    return usable;
  }

  /** The OpenPGP key to encrypt to for {@code address} at {@code now} (see the class comment); logs the others. */
  Optional<PgpRecipientKey> pgp(String address, Instant now) {
    List<Sourced<PgpKey>> all = pgp.getOrDefault(address, List.of());
    for (Sourced<PgpKey> k : all) {
      k.value.problemAt(now).ifPresent(why -> skipped(address, "pgp", k.value.keyId(), k.source, why));
    }
    List<Sourced<PgpKey>> usable = usablePgp(all, now);
    if (usable.isEmpty()) {
      return Optional.empty();
    }
    Sourced<PgpKey> best = usable.get(0);
    PgpKey.Subkey sub = best.value.encryptionKeyAt(now).orElseThrow();
    return Optional.of(PgpRecipientKey.of(sub.key, best.value.primary().getKeyID(), best.source, usable.size()));
  }

  /** The certificate to encrypt to for {@code address} at {@code now} (see the class comment); logs the others. */
  Optional<SmimeRecipientKey> smime(String address, Instant now) {
    List<Sourced<SmimeCertificate>> all = smime.getOrDefault(address, List.of());
    for (Sourced<SmimeCertificate> c : all) {
      c.value.problemAt(now).ifPresent(why -> skipped(address, "smime", c.value.keyId(), c.source, why));
    }
    List<Sourced<SmimeCertificate>> usable = usableSmime(all, now);
    if (usable.isEmpty()) {
      return Optional.empty();
    }
    Sourced<SmimeCertificate> best = usable.get(0);
    return Optional.of(SmimeRecipientKey.of(best.value.certificate(), best.source, usable.size()));
  }

  /**
   * The OpenPGP key with {@code keyId} in a key ring indexed under {@code address} that may sign data at
   * {@code now}: the ring not refused, revoked, expired or from the future, the key the primary (key flags S, or
   * none) or a subkey bound with a back-signature, not revoked or expired (see {@link PgpKeyVerifier}).
   */
  Optional<PGPPublicKey> pgpSigningKey(String address, long keyId, Instant now) {
    for (Sourced<PgpKey> k : pgp.getOrDefault(address, List.of())) {
      Optional<PgpKey.Subkey> key = k.value.signingKeyAt(keyId, now);
      if (key.isPresent()) {
        return Optional.of(key.get().key);
      }
    }
    return Optional.empty();
  }

  /** These keys as what anchors an OpenPGP signature ({@link SignerTrust}). */
  /**
   * What this reading could not use, each as {@code file: error: message}: a key source that does not exist, a file
   * that is unreadable, broken or secret key material. {@link WatchedKeys} takes a new reading only when it brings
   * none that the keys in force did not have.
   */
  public Set<String> failures() {
    return failures;
  }

  public SignerTrust.PgpKeys signingKeys() {
    return new SignerTrust.PgpKeys() {
      @Override
      public Optional<PGPPublicKey> signingKey(long keyId, String address, Clock clock) {
        return pgpSigningKey(address, keyId, clock.instant());
      }

      @Override
      public boolean isEmpty() {
        return pgp.isEmpty();
      }
    };
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

  /** A key with the file it was read from (the first, when the same key sits in several files). */
  static final class Sourced<T> {
    final T value;
    final Path source;
    final List<Path> files;

    Sourced(T value, Path source, List<Path> files) {
      this.value = value;
      this.source = source;
      this.files = List.copyOf(files);
    }
  }
}
