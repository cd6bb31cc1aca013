package org.caliop.crypto;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.util.encoders.Hex;

/**
 * An OpenPGP key ring as {@link PgpKeyVerifier} found it: only what its self-signatures prove counts (the user IDs
 * whose self-certification verifies, the subkeys whose binding signature verifies, revocations the key made itself).
 * What does not depend on the time is settled here once; expiry is judged per message with {@link #problemAt} and
 * {@link #encryptionKeyAt}. Immutable.
 */
final class PgpKey {
  private final PGPPublicKeyRing ring;
  private final Set<String> addresses;
  private final String refusal;
  private final Instant expires;
  private final List<Subkey> encryptionKeys;
  private final List<Subkey> signingKeys;
  private final List<String> ignored;

  PgpKey(PGPPublicKeyRing ring, Set<String> addresses, String refusal, Instant expires, List<Subkey> encryptionKeys,
      List<String> ignored) {
    this(ring, addresses, refusal, expires, encryptionKeys, List.of(), ignored);
  }

  PgpKey(PGPPublicKeyRing ring, Set<String> addresses, String refusal, Instant expires, List<Subkey> encryptionKeys,
      List<Subkey> signingKeys, List<String> ignored) {
    this.ring = Objects.requireNonNull(ring);
    this.addresses = Collections.unmodifiableSet(new TreeSet<>(addresses));
    this.refusal = refusal;
    this.expires = expires;
    List<Subkey> sorted = new ArrayList<>(encryptionKeys);
    // Newest first; equal creation times by key id, so the choice never depends on the order in the file.
    sorted.sort(Comparator.comparing((Subkey s) -> s.created).reversed().thenComparing(s -> hex(s.key.getKeyID())));
    this.encryptionKeys = List.copyOf(sorted);
    this.signingKeys = List.copyOf(signingKeys);
    this.ignored = List.copyOf(ignored);
  }

  PGPPublicKeyRing ring() {
    return ring;
  }

  PGPPublicKey primary() {
    return ring.getPublicKey();
  }

  /** The addresses of the user IDs whose self-certification verifies and that are not revoked. */
  Set<String> addresses() {
    return addresses;
  }

  /** The primary key's v4 fingerprint in upper-case hex, as {@code gpg --fingerprint} prints it without spaces. */
  String fingerprint() {
    return Hex.toHexString(primary().getFingerprint()).toUpperCase(Locale.ROOT);
  }

  String keyId() {
    return hex(primary().getKeyID());
  }

  Instant created() {
    return primary().getCreationTime().toInstant();
  }

  /** When the primary key expires, by its newest valid self-signature; empty when it does not. */
  Optional<Instant> expires() {
    return Optional.ofNullable(expires);
  }

  /** Subkeys (and user IDs) left out because their signatures do not verify, e.g. a spliced subkey, for the log. */
  List<String> ignored() {
    return ignored;
  }

  /** Why no key of this ring can be used at {@code now}; empty when {@link #encryptionKeyAt} has one. */
  Optional<String> problemAt(Instant now) {
    if (refusal != null) {
      return Optional.of(refusal);
    }
    if (created().isAfter(now)) {
      return Optional.of("not-yet-valid");
    }
    if (expires != null && !expires.isAfter(now)) {
      return Optional.of("expired");
    }
    Subkey newest = null;
    for (Subkey s : encryptionKeys) {
      if (s.usableAt(now)) {
        return Optional.empty();
      }
      if (newest == null) {
        newest = s;
      }
    }
    return Optional.of(newest == null ? "no-encryption-subkey" : newest.problemAt(now));
  }

  /** The newest encryption key usable at {@code now} (a subkey, or an old RSA primary that may encrypt). */
  Optional<Subkey> encryptionKeyAt(Instant now) {
    if (problemAt(now).isPresent()) {
      return Optional.empty();
    }
    return encryptionKeys.stream().filter(s -> s.usableAt(now)).findFirst();
  }

  /**
   * The key with {@code keyId} that may sign data (the primary with key flags S or none, or a subkey bound with a
   * back-signature), usable at {@code now}, in a ring that is not refused, expired or from the future: what an
   * OpenPGP signature by this key is checked with.
   */
  Optional<Subkey> signingKeyAt(long keyId, Instant now) {
    if (refusal != null || created().isAfter(now) || expires != null && !expires.isAfter(now)) {
      return Optional.empty();
    }
    return signingKeys.stream().filter(s -> s.key.getKeyID() == keyId && s.usableAt(now)).findFirst();
  }

  /** When what {@link #encryptionKeyAt} chooses stops being usable: the earlier of the key's and the subkey's expiry. */
  Optional<Instant> usableUntil(Instant now) {
    Optional<Subkey> s = encryptionKeyAt(now);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    Instant until = expires;
    if (s.get().expires != null && (until == null || s.get().expires.isBefore(until))) {
      until = s.get().expires;
    }
    return Optional.ofNullable(until);
  }

  static String hex(long id) {
    return String.format(Locale.ROOT, "0x%016X", id);
  }

  /** A key that may encrypt (key flags E, or none on an RSA key) and is bound by a verified signature. */
  static final class Subkey {
    final PGPPublicKey key;
    final Instant created;
    final Instant expires;
    final boolean revoked;
    /** A reason that does not depend on the time (weak key, missing back-signature), or null. */
    final String refusal;

    Subkey(PGPPublicKey key, Instant expires, boolean revoked, String refusal) {
      this.key = Objects.requireNonNull(key);
      this.created = key.getCreationTime().toInstant();
      this.expires = expires;
      this.revoked = revoked;
      this.refusal = refusal;
    }

    boolean usableAt(Instant now) {
      return refusal == null && !revoked && !created.isAfter(now) && (expires == null || expires.isAfter(now));
    }

    String problemAt(Instant now) {
      if (refusal != null) {
        return "encryption-subkey-" + refusal;
      }
      if (revoked) {
        return "encryption-subkey-revoked";
      }
      if (created.isAfter(now)) {
        return "encryption-subkey-not-yet-valid";
      }
      return "encryption-subkey-expired";
    }
  }
}
