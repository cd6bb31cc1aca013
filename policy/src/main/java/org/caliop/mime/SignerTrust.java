package org.caliop.mime;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.openpgp.PGPPublicKey;

/**
 * What anchors a signature, as the admin configured it: the S/MIME trust store ({@code trust.smime_trust_store}: CA
 * certificates a signer's chain must end in) and the OpenPGP keys of the key directory ({@code encryption.keys_dir},
 * {@code encryption.pgp_keyring}). Nothing configured anchors nothing: every signature is then unverified.
 * Immutable, shared by all threads.
 */
public final class SignerTrust {
  /** The OpenPGP keys a signature may be made with. */
  public interface PgpKeys {
    /**
     * The key (primary or subkey) with this key ID, in a key whose user IDs name {@code address}, usable to sign
     * at the clock's time (not revoked, not expired); empty otherwise.
     */
    Optional<PGPPublicKey> signingKey(long keyId, String address, Clock clock);

    /** Whether any key is there at all (so a failure can say "not configured" or "unknown key"). */
    boolean isEmpty();
  }

  private static final PgpKeys NO_KEYS = new PgpKeys() {
    @Override
    public Optional<PGPPublicKey> signingKey(long keyId, String address, Clock clock) {
      return Optional.empty();
    }

    @Override
    public boolean isEmpty() {
      return true;
    }
  };

  private static final SignerTrust NONE = new SignerTrust(List.of(), NO_KEYS, Clock.systemUTC());

  private final List<X509Certificate> smimeAnchors;
  private final PgpKeys pgpKeys;
  private final Clock clock;

  private SignerTrust(List<X509Certificate> smimeAnchors, PgpKeys pgpKeys, Clock clock) {
    this.smimeAnchors = List.copyOf(smimeAnchors);
    this.pgpKeys = Objects.requireNonNull(pgpKeys);
    this.clock = Objects.requireNonNull(clock);
  }

  /** Nothing anchors a signature. */
  public static SignerTrust none() {
    return NONE;
  }

  /**
   * @param smimeAnchors the certificates of the S/MIME trust store (trust anchors; a signer's chain must end in one)
   * @param pgpKeys the OpenPGP keys of the key directory, or null for none
   * @param clock the time at which certificates and keys must be valid
   */
  public static SignerTrust of(List<X509Certificate> smimeAnchors, PgpKeys pgpKeys, Clock clock) {
    return new SignerTrust(smimeAnchors, pgpKeys == null ? NO_KEYS : pgpKeys, clock);
  }

  public List<X509Certificate> smimeAnchors() {
    return smimeAnchors;
  }

  public PgpKeys pgpKeys() {
    return pgpKeys;
  }

  public Clock clock() {
    return clock;
  }
}
