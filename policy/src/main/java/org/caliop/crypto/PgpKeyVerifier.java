package org.caliop.crypto;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.bcpg.sig.RevocationKey;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Checks an OpenPGP key ring's self-signatures with Bouncy Castle before anything in it is used (RFC 4880 5.2.1,
 * 11.1), as GnuPG does on import:
 *
 * <ul>
 *   <li>a user ID counts when a self-certification (0x10-0x13) by the primary key verifies over it and no newer
 *       verified certification revocation (0x30) withdraws it; its address is then the key's;
 *   <li>a subkey counts when a subkey binding signature (0x18) by the primary key verifies over both; one that
 *       may sign also needs its embedded primary key binding signature (0x19, the "back-signature") made by the
 *       subkey itself, so nobody can claim another person's signing subkey. A subkey spliced from another key
 *       ring carries a binding made over a different primary key: it does not verify and is ignored;
 *   <li>key flags and expiry are read only from verified self-signatures (the newest one wins);
 *   <li>a key revocation (0x20) or subkey revocation (0x28) counts when made by the primary key and it verifies,
 *       or, without verification (we do not have his key), when made by a revoker the key itself designated;
 *   <li>signatures over MD5 and other broken hashes count for nothing (see {@link KeyStrength});
 *   <li>weak primary keys and subkeys are refused ({@link KeyStrength}).
 * </ul>
 *
 * <p>A key without any valid user ID is refused ({@code no-valid-user-id}, GnuPG's "no valid user IDs"). Nothing
 * here throws: a signature that cannot be checked (an unknown algorithm, a provider exception) counts as not
 * verified.
 */
final class PgpKeyVerifier {
  private static final BcPGPContentVerifierBuilderProvider VERIFIERS = new BcPGPContentVerifierBuilderProvider();
  private static final int ENCRYPT = KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE;

  private PgpKeyVerifier() {
  }

  static PgpKey verify(PGPPublicKeyRing ring) {
    PGPPublicKey primary = ring.getPublicKey();
    List<String> ignored = new ArrayList<>();
    // Version 3 keys (MD5 fingerprints) went out with RFC 4880; GnuPG 2.2 no longer imports them.
    String refusal = primary.getVersion() < 4 ? "unsupported-key-version-" + primary.getVersion()
        : KeyStrength.pgp(primary).orElse(null);

    PGPSignature newestDirect = null;
    List<PGPSignature> selfSignatures = new ArrayList<>();
    for (PGPSignature sig : list(primary.getKeySignatures())) {
      if (sig.getSignatureType() == PGPSignature.DIRECT_KEY && bySelf(sig, primary)
          && verifies(sig, primary, null, primary)) {
        selfSignatures.add(sig);
        newestDirect = newer(newestDirect, sig);
      }
    }

    Set<String> addresses = new LinkedHashSet<>();
    PGPSignature primaryUid = null;
    for (byte[] uid : list(primary.getRawUserIDs())) {
      PGPSignature certification = null;
      PGPSignature revocation = null;
      for (PGPSignature sig : list(primary.getSignaturesForID(uid))) {
        if (!bySelf(sig, primary)) {
          continue; // third-party certifications say nothing about the key's own claims
        }
        if (sig.isCertification() && verifies(sig, primary, uid, primary)) {
          certification = newer(certification, sig);
        } else if (sig.getSignatureType() == PGPSignature.CERTIFICATION_REVOCATION
            && verifies(sig, primary, uid, primary)) {
          revocation = newer(revocation, sig);
        }
      }
      String text = new String(uid, StandardCharsets.UTF_8);
      if (certification == null) {
        ignored.add("user ID \"" + printable(text) + "\" without a valid self-signature");
        continue;
      }
      selfSignatures.add(certification);
      if (revocation != null && !revocation.getCreationTime().before(certification.getCreationTime())) {
        continue;
      }
      RecipientAddresses.inUserId(text).ifPresent(addresses::add);
      primaryUid = preferred(primaryUid, certification);
    }
    if (refusal == null && primaryUid == null) {
      refusal = "no-valid-user-id";
    }
    if (refusal == null && revoked(primary, selfSignatures)) {
      refusal = "revoked";
    }

    PGPSignature keySelf = primaryUid != null ? primaryUid : newestDirect;
    Instant expires = keySelf == null ? null : expiry(primary, keySelf, newestDirect);
    List<PgpKey.Subkey> encryptionKeys = new ArrayList<>();
    List<PgpKey.Subkey> signingKeys = new ArrayList<>();
    int primaryFlags = flags(keySelf, newestDirect);
    if (mayEncrypt(primary, primaryFlags)) {
      encryptionKeys.add(new PgpKey.Subkey(primary, expires, false, null));
    }
    if (maySign(primary, primaryFlags)) {
      signingKeys.add(new PgpKey.Subkey(primary, expires, false, null));
    }
    for (PGPPublicKey sub : list(ring.getPublicKeys())) {
      if (sub.isMasterKey()) {
        continue;
      }
      PGPSignature binding = null;
      boolean revoked = false;
      for (PGPSignature sig : list(sub.getSignatures())) {
        if (!bySelf(sig, primary)) {
          continue;
        }
        if (sig.getSignatureType() == PGPSignature.SUBKEY_BINDING && verifies(sig, primary, null, sub)) {
          binding = newer(binding, sig);
        } else if (sig.getSignatureType() == PGPSignature.SUBKEY_REVOCATION && verifies(sig, primary, null, sub)) {
          revoked = true;
        }
      }
      if (binding == null) {
        ignored.add("subkey " + PgpKey.hex(sub.getKeyID()) + " without a valid binding signature");
        continue;
      }
      int flags = flags(binding, null);
      boolean signs = (flags & KeyFlags.SIGN_DATA) != 0;
      if (!mayEncrypt(sub, flags) && !signs) {
        continue;
      }
      String subRefusal = KeyStrength.pgp(sub).orElse(null);
      if (subRefusal == null && signs && !backSigned(binding, primary, sub)) {
        subRefusal = "without-back-signature";
        ignored.add("subkey " + PgpKey.hex(sub.getKeyID()) + " may sign but has no valid back-signature");
      }
      PgpKey.Subkey bound = new PgpKey.Subkey(sub, expiry(sub, binding, null), revoked, subRefusal);
      if (mayEncrypt(sub, flags)) {
        encryptionKeys.add(bound);
      }
      if (signs) {
        signingKeys.add(bound);
      }
    }
    return new PgpKey(ring, addresses, refusal, expires, encryptionKeys, signingKeys, ignored);
  }

  /** A key revocation by the key itself that verifies, or by a revoker one of its valid self-signatures names. */
  private static boolean revoked(PGPPublicKey primary, List<PGPSignature> selfSignatures) {
    Set<Long> designated = new LinkedHashSet<>();
    for (PGPSignature s : selfSignatures) {
      PGPSignatureSubpacketVector hashed = s.getHashedSubPackets();
      if (hashed != null) {
        for (RevocationKey r : hashed.getRevocationKeys()) {
          byte[] fpr = r.getFingerprint();
          if (fpr.length == 20) {
            designated.add(java.nio.ByteBuffer.wrap(Arrays.copyOfRange(fpr, 12, 20)).getLong());
          }
        }
      }
    }
    for (PGPSignature sig : list(primary.getKeySignatures())) {
      if (sig.getSignatureType() != PGPSignature.KEY_REVOCATION) {
        continue;
      }
      if (bySelf(sig, primary) && verifies(sig, primary, null, primary)) {
        return true;
      }
      if (designated.contains(sig.getKeyID())) {
        return true; // conservative: we cannot check the revoker's signature, and a wrong refusal only holds mail
      }
    }
    return false;
  }

  private static boolean backSigned(PGPSignature binding, PGPPublicKey primary, PGPPublicKey sub) {
    for (PGPSignatureSubpacketVector v : Arrays.asList(binding.getHashedSubPackets(),
        binding.getUnhashedSubPackets())) {
      if (v == null) {
        continue;
      }
      PGPSignatureList embedded;
      try {
        embedded = v.getEmbeddedSignatures();
      } catch (PGPException | RuntimeException e) {
        continue;
      }
      for (PGPSignature back : embedded) {
        if (back.getSignatureType() == PGPSignature.PRIMARYKEY_BINDING && verifies(back, sub, null, sub, primary)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Issued by the primary key, or with no issuer subpacket at all (verification then decides). */
  private static boolean bySelf(PGPSignature sig, PGPPublicKey primary) {
    return sig.getKeyID() == primary.getKeyID() || sig.getKeyID() == 0;
  }

  private static boolean verifies(PGPSignature sig, PGPPublicKey signer, byte[] uid, PGPPublicKey target) {
    return verifies(sig, signer, uid, target, null);
  }

  /**
   * Checks one signature: {@code uid} for certifications, {@code target} for a subkey binding or revocation (the
   * primary itself for direct-key and key revocations); for a back-signature {@code signer} is the subkey and
   * {@code backsigPrimary} the primary key.
   */
  private static boolean verifies(PGPSignature sig, PGPPublicKey signer, byte[] uid, PGPPublicKey target,
      PGPPublicKey backsigPrimary) {
    if (!KeyStrength.acceptableSignatureHash(sig.getHashAlgorithm())) {
      return false;
    }
    try {
      sig.init(VERIFIERS, signer);
      if (uid != null) {
        return sig.verifyCertification(uid, signer);
      }
      if (backsigPrimary != null) {
        return sig.verifyCertification(backsigPrimary, target);
      }
      if (target == signer) {
        return sig.verifyCertification(signer);
      }
      return sig.verifyCertification(signer, target);
    } catch (PGPException | RuntimeException e) {
      return false;
    }
  }

  private static PGPSignature newer(PGPSignature current, PGPSignature candidate) {
    return current == null || candidate.getCreationTime().after(current.getCreationTime()) ? candidate : current;
  }

  /** A self-certification marked primary user ID beats one that is not; otherwise the newest. */
  private static PGPSignature preferred(PGPSignature current, PGPSignature candidate) {
    if (current == null) {
      return candidate;
    }
    boolean c = isPrimaryUid(current);
    boolean n = isPrimaryUid(candidate);
    if (c != n) {
      return n ? candidate : current;
    }
    return newer(current, candidate);
  }

  private static boolean isPrimaryUid(PGPSignature sig) {
    return sig.getHashedSubPackets() != null && sig.getHashedSubPackets().isPrimaryUserID();
  }

  /** Key flags from the signature, else from the direct-key signature; 0 when neither says. */
  private static int flags(PGPSignature sig, PGPSignature direct) {
    for (PGPSignature s : Arrays.asList(sig, direct)) {
      if (s != null && s.getHashedSubPackets() != null && s.getHashedSubPackets().getKeyFlags() != 0) {
        return s.getHashedSubPackets().getKeyFlags();
      }
    }
    return 0;
  }

  /**
   * A primary key may sign data with key flags S, or with no key flags at all (old keys) when its algorithm signs:
   * what anchors an OpenPGP signature in the mail it checks (see {@code SignerTrust}).
   */
  private static boolean maySign(PGPPublicKey key, int flags) {
    if (flags != 0) {
      return (flags & KeyFlags.SIGN_DATA) != 0;
    }
    int a = key.getAlgorithm();
    return a == PublicKeyAlgorithmTags.RSA_GENERAL || a == PublicKeyAlgorithmTags.RSA_SIGN
        || a == PublicKeyAlgorithmTags.DSA || a == PublicKeyAlgorithmTags.ECDSA
        || a == PublicKeyAlgorithmTags.EDDSA_LEGACY || a == PublicKeyAlgorithmTags.Ed25519
        || a == PublicKeyAlgorithmTags.Ed448;
  }

  /** Old RSA keys carry no key flags: the algorithm alone then says whether the key may encrypt. */
  private static boolean mayEncrypt(PGPPublicKey key, int flags) {
    return key.isEncryptionKey() && (flags == 0 || (flags & ENCRYPT) != 0);
  }

  /**
   * The end of the key's validity: creation plus the key expiration time of the signature (or of the direct-key
   * signature when the signature has none), and never after the signature's own expiry.
   */
  private static Instant expiry(PGPPublicKey key, PGPSignature sig, PGPSignature direct) {
    Instant created = key.getCreationTime().toInstant();
    Instant until = null;
    for (PGPSignature s : Arrays.asList(sig, direct)) {
      if (s != null && s.getHashedSubPackets() != null && s.getHashedSubPackets().getKeyExpirationTime() > 0) {
        until = created.plusSeconds(s.getHashedSubPackets().getKeyExpirationTime());
        break;
      }
    }
    if (sig.getHashedSubPackets() != null && sig.getHashedSubPackets().getSignatureExpirationTime() > 0) {
      Instant sigEnd = sig.getCreationTime().toInstant()
          .plusSeconds(sig.getHashedSubPackets().getSignatureExpirationTime());
      if (until == null || sigEnd.isBefore(until)) {
        until = sigEnd;
      }
    }
    return until;
  }

  private static String printable(String s) {
    String t = s.replaceAll("[\\p{Cntrl}\"]", "?");
    return t.length() > 80 ? t.substring(0, 80) + "..." : t;
  }

  private static <T> List<T> list(Iterator<T> it) {
    List<T> out = new ArrayList<>();
    while (it != null && it.hasNext()) {
      out.add(it.next());
    }
    return out;
  }

  private static <T> List<T> list(Iterable<T> it) {
    List<T> out = new ArrayList<>();
    it.forEach(out::add);
    return out;
  }
}
