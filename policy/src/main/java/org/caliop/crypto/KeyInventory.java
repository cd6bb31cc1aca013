package org.caliop.crypto;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What is in the key sources a policy names, file by file, for the administrator's tools ({@code caliop keys list},
 * {@code caliop keys check}, and the key check of {@code caliop policy check} and {@code caliop milter -n}): per
 * file its keys (addresses, format, key id and fingerprint, expiry, usable or why not) or what is wrong with it, and
 * the {@link KeyProblem}s. Read with the same code the encryptor uses, judged at one instant. Immutable.
 *
 * <pre>{@code
 * KeyInventory inv = KeyInventory.read(policy.encryption(), clock.instant());
 * for (KeyProblem p : inv.problems(KeyInventory.DEFAULT_EXPIRY_WARNING)) System.err.println(p);
 * boolean ok = !inv.hasErrors();
 * }</pre>
 */
public final class KeyInventory {
  /** How far ahead the checks warn of a key's expiry unless asked otherwise. */
  public static final Duration DEFAULT_EXPIRY_WARNING = Duration.ofDays(30);

  /** The format of a key. */
  public enum Format {
    OPENPGP("pgp"), X509("smime");

    private final String token;

    Format(String token) {
      this.token = token;
    }

    /** {@code pgp} or {@code smime}, as in the policy's {@code encrypt.format} and the log lines. */
    public String token() {
      return token;
    }
  }

  private final Instant at;
  private final List<FileEntry> files;
  private final List<KeyProblem> sourceProblems;
  private final Map<String, List<KeyEntry>> chosenOrder;

  private KeyInventory(Instant at, List<FileEntry> files, List<KeyProblem> sourceProblems,
      Map<String, List<KeyEntry>> chosenOrder) {
    this.at = at;
    this.files = List.copyOf(files);
    this.sourceProblems = List.copyOf(sourceProblems);
    this.chosenOrder = Collections.unmodifiableMap(chosenOrder);
  }

  /**
   * Reads the key directory and keyring of a policy's {@code encryption:} section, judging validity at {@code now}.
   *
   * @throws IOException when the directory exists but cannot be listed
   */
  public static KeyInventory read(EncryptionSettings settings, Instant now) throws IOException {
    return of(KeySources.read(settings.keysDir().orElse(null),
        settings.pgpKeyring().map(List::of).orElse(List.of()), GatewayEncryptors.provider()), now);
  }

  static KeyInventory of(KeySources sources, Instant now) {
    // Judged as the encryptor judges: copies of one key ring in several files merged first.
    Map<String, RecipientKeys.Sourced<PgpKey>> merged = RecipientKeys.mergedPgp(sources.files());
    List<FileEntry> files = new ArrayList<>();
    Map<String, List<RecipientKeys.Sourced<PgpKey>>> pgp = new TreeMap<>();
    Map<String, List<RecipientKeys.Sourced<SmimeCertificate>>> smime = new TreeMap<>();
    Map<Object, KeyEntry> entryOf = new LinkedHashMap<>();
    for (KeyFile f : sources.files()) {
      List<KeyEntry> keys = new ArrayList<>();
      for (PgpKey copy : f.pgpKeys()) {
        RecipientKeys.Sourced<PgpKey> m = merged.get(copy.fingerprint());
        PgpKey k = m.value;
        Set<String> addresses = new TreeSet<>(k.addresses());
        f.nameAddress().ifPresent(addresses::add);
        KeyEntry e = new KeyEntry(f.path(), Format.OPENPGP, addresses, k.keyId(), k.fingerprint(), k.created(),
            k.usableUntil(now).or(k::expires).orElse(null), k.problemAt(now).orElse(null),
            k.encryptionKeyAt(now).map(s -> PgpKey.hex(s.key.getKeyID())).orElse(null), k.ignored());
        keys.add(e);
        entryOf.putIfAbsent(k, e);
        if (e.usable()) {
          for (String a : addresses) {
            List<RecipientKeys.Sourced<PgpKey>> list = pgp.computeIfAbsent(a, x -> new ArrayList<>());
            if (list.stream().noneMatch(s -> s.value == k)) {
              list.add(m);
            }
          }
        }
      }
      for (SmimeCertificate c : f.certificates()) {
        Set<String> addresses = new TreeSet<>(c.addresses());
        f.nameAddress().ifPresent(addresses::add);
        String why = c.problemAt(now).orElse(null);
        KeyEntry e = new KeyEntry(f.path(), Format.X509, addresses, c.keyId(), fingerprint(c), c.notBefore(),
            c.notAfter(), why, why == null ? c.keyId() : null, List.of());
        keys.add(e);
        entryOf.putIfAbsent(c, e);
        if (e.usable()) {
          for (String a : addresses) {
            List<RecipientKeys.Sourced<SmimeCertificate>> list = smime.computeIfAbsent(a, x -> new ArrayList<>());
            if (list.stream().noneMatch(s -> s.value.certificate().equals(c.certificate()))) {
              list.add(new RecipientKeys.Sourced<>(c, f.path(), List.of(f.path())));
            }
          }
        }
      }
      files.add(new FileEntry(f.path(), keys, f.problem().orElse(null)));
    }
    Map<String, List<KeyEntry>> order = new TreeMap<>();
    pgp.forEach((a, list) -> {
      list.sort(RecipientKeys.pgpOrder(now));
      order.put(Format.OPENPGP.token() + " " + a, entries(list, entryOf));
    });
    smime.forEach((a, list) -> {
      list.sort(RecipientKeys.SMIME_ORDER);
      order.put(Format.X509.token() + " " + a, entries(list, entryOf));
    });
    return new KeyInventory(now, files, sources.problems(), order);
  }

  private static <T> List<KeyEntry> entries(List<RecipientKeys.Sourced<T>> list, Map<Object, KeyEntry> entryOf) {
    List<KeyEntry> out = new ArrayList<>();
    for (RecipientKeys.Sourced<T> s : list) {
      out.add(entryOf.get(s.value));
    }
    return out;
  }

  private static String fingerprint(SmimeCertificate c) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(c.certificate().getEncoded());
      return org.bouncycastle.util.encoders.Hex.toHexString(digest).toUpperCase(java.util.Locale.ROOT);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is always there", e);
    }
  }

  /** The instant validity was judged at. */
  public Instant at() {
    return at;
  }

  /** Every file read, in directory order then the keyring. */
  public List<FileEntry> files() {
    return files;
  }

  /** Every key of every file. */
  public List<KeyEntry> keys() {
    List<KeyEntry> all = new ArrayList<>();
    for (FileEntry f : files) {
      all.addAll(f.keys());
    }
    return all;
  }

  /** The key the encryptor would use for {@code address} in {@code format} at {@link #at()}, if any. */
  public Optional<KeyEntry> chosen(Format format, String address) {
    List<KeyEntry> usable = chosenOrder.get(format.token() + " " + RecipientAddresses.normalize(address)
        .orElse(address));
    return usable == null || usable.isEmpty() ? Optional.empty() : Optional.of(usable.get(0));
  }

  /**
   * Errors (secret key material, unreadable or broken files) and warnings (files that hold no key, unusable keys,
   * parts of keys that do not count, several usable keys for one address, keys expiring within
   * {@code expiringWithin}), files first in order, then addresses.
   */
  public List<KeyProblem> problems(Duration expiringWithin) {
    List<KeyProblem> out = new ArrayList<>(sourceProblems);
    Instant horizon = at.plus(expiringWithin);
    for (FileEntry f : files) {
      f.problem().ifPresent(out::add);
      for (KeyEntry k : f.keys()) {
        String who = k.addresses().isEmpty() ? "" : " for " + String.join(", ", k.addresses());
        for (String part : k.ignored()) {
          out.add(KeyProblem.ofFile(KeyProblem.Code.IGNORED_PART, f.file(), k.format().token() + " key "
              + k.keyId() + who + ": " + part + " (ignored)"));
        }
        if (!k.usable()) {
          out.add(KeyProblem.ofFile(KeyProblem.Code.UNUSABLE, f.file(), k.format().token() + " key " + k.keyId()
              + who + " is not used: " + k.unusableReason().orElseThrow()));
        } else if (k.expires().isPresent() && k.expires().get().isBefore(horizon)) {
          out.add(KeyProblem.ofFile(KeyProblem.Code.EXPIRING, f.file(), k.format().token() + " key " + k.keyId()
              + who + " expires " + k.expires().get() + " (within " + expiringWithin.toDays() + " days)"));
        }
      }
    }
    chosenOrder.forEach((formatAndAddress, usable) -> {
      if (usable.size() > 1) {
        int space = formatAndAddress.indexOf(' ');
        String address = formatAndAddress.substring(space + 1);
        KeyEntry best = usable.get(0);
        List<String> others = new ArrayList<>();
        for (KeyEntry e : usable.subList(1, usable.size())) {
          others.add(e.keyId() + " (" + e.file().getFileName() + ")");
        }
        out.add(KeyProblem.ofAddress(KeyProblem.Code.SEVERAL_KEYS, null, address, usable.size() + " usable "
            + formatAndAddress.substring(0, space) + " keys; using " + best.keyId() + " ("
            + best.file().getFileName() + "), not " + String.join(", ", others)));
      }
    });
    return out;
  }

  /** Whether any file holds secret key material or cannot be read or parsed. */
  public boolean hasErrors() {
    for (FileEntry f : files) {
      if (f.problem().map(KeyProblem::isError).orElse(false)) {
        return true;
      }
    }
    return false;
  }

  /** One file: its keys, or what is wrong with it. */
  public static final class FileEntry {
    private final Path file;
    private final List<KeyEntry> keys;
    private final KeyProblem problem;

    FileEntry(Path file, List<KeyEntry> keys, KeyProblem problem) {
      this.file = Objects.requireNonNull(file);
      this.keys = List.copyOf(keys);
      this.problem = problem;
    }

    public Path file() { return file; }
    public List<KeyEntry> keys() { return keys; }
    /** Secret key material, unreadable, broken (errors), or no key in it (a warning); empty when keys were read. */
    public Optional<KeyProblem> problem() { return Optional.ofNullable(problem); }
  }

  /** One OpenPGP key ring or certificate, judged at the inventory's instant. */
  public static final class KeyEntry {
    private final Path file;
    private final Format format;
    private final Set<String> addresses;
    private final String keyId;
    private final String fingerprint;
    private final Instant created;
    private final Instant expires;
    private final String unusableReason;
    private final String encryptionKeyId;
    private final List<String> ignored;

    KeyEntry(Path file, Format format, Set<String> addresses, String keyId, String fingerprint, Instant created,
        Instant expires, String unusableReason, String encryptionKeyId, List<String> ignored) {
      this.file = file;
      this.format = format;
      this.addresses = Collections.unmodifiableSet(new TreeSet<>(addresses));
      this.keyId = keyId;
      this.fingerprint = fingerprint;
      this.created = created;
      this.expires = expires;
      this.unusableReason = unusableReason;
      this.encryptionKeyId = encryptionKeyId;
      this.ignored = List.copyOf(ignored);
    }

    public Path file() { return file; }
    public Format format() { return format; }
    /** The addresses the key is indexed under: verified user IDs or certificate addresses, and the file's name. */
    public Set<String> addresses() { return addresses; }
    /** OpenPGP: the primary key id ({@code 0x} and 16 hex digits); X.509: {@code serial=0x...}. */
    public String keyId() { return keyId; }
    /** OpenPGP: the v4 fingerprint; X.509: the SHA-256 of the certificate; upper-case hex. */
    public String fingerprint() { return fingerprint; }
    /** OpenPGP: the primary key's creation; X.509: notBefore. */
    public Instant created() { return created; }
    /**
     * When the key stops being usable: OpenPGP, the earlier of the primary key's and the chosen encryption subkey's
     * expiry (the primary key's alone when no subkey is usable); X.509, notAfter. Empty: never.
     */
    public Optional<Instant> expires() { return Optional.ofNullable(expires); }
    public boolean usable() { return unusableReason == null; }
    /** Why the encryptor will not use it ({@code expired}, {@code revoked}, {@code weak-key-rsa-1024}...). */
    public Optional<String> unusableReason() { return Optional.ofNullable(unusableReason); }
    /** OpenPGP: the subkey messages are encrypted to; X.509: the certificate's own id. Empty when unusable. */
    public Optional<String> encryptionKeyId() { return Optional.ofNullable(encryptionKeyId); }
    /** Parts left out because their signatures do not verify (a spliced subkey, an unsigned user ID). */
    public List<String> ignored() { return ignored; }
  }
}
