package org.caliop.crypto;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.bcpg.BCPGKey;
import org.bouncycastle.bcpg.ECPublicBCPGKey;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPPublicKey;

/**
 * Which keys are too weak to encrypt to (docs/encryption.md, "Weak keys"): RSA, DSA and ElGamal under 2048 bits,
 * elliptic curves outside {@link #CURVES}, algorithms nobody should use any more (ElGamal sign+encrypt, X9.42 DH).
 * The same rules apply to an OpenPGP primary key (it certifies the subkeys: a weak primary lets whoever breaks it
 * bind his own subkey) and to the subkey we encrypt to, and to S/MIME certificates.
 */
final class KeyStrength {
  /** RSA, DSA and ElGamal below this many bits are refused (NIST SP 800-57: 112-bit security). */
  static final int MIN_FINITE_FIELD_BITS = 2048;

  /**
   * The curves we encrypt to or accept certifications from, by object identifier: Curve25519 and Curve448 (as
   * GnuPG's {@code cv25519}/{@code ed25519} and RFC 9580's X25519/Ed25519), NIST P-256, P-384 and P-521, and the
   * Brainpool r1 curves of RFC 5639 (GnuPG offers them). Anything else (secp256k1, the binary curves, unknown OIDs)
   * is refused.
   */
  static final Map<String, String> CURVES = Map.ofEntries(
      Map.entry("1.3.6.1.4.1.3029.1.5.1", "curve25519"),
      Map.entry("1.3.6.1.4.1.11591.15.1", "ed25519"),
      Map.entry("1.3.101.110", "curve25519"),
      Map.entry("1.3.101.112", "ed25519"),
      Map.entry("1.3.101.111", "curve448"),
      Map.entry("1.3.101.113", "ed448"),
      Map.entry("1.2.840.10045.3.1.7", "nistp256"),
      Map.entry("1.3.132.0.34", "nistp384"),
      Map.entry("1.3.132.0.35", "nistp521"),
      Map.entry("1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1"),
      Map.entry("1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1"),
      Map.entry("1.3.36.3.3.2.8.1.1.13", "brainpoolP512r1"));

  private KeyStrength() {
  }

  /** Why an OpenPGP (sub)key is refused, as a skip reason ({@code weak-key-rsa-1024}), or empty when it is fine. */
  static Optional<String> pgp(PGPPublicKey key) {
    int algorithm = key.getAlgorithm();
    switch (algorithm) {
      case PublicKeyAlgorithmTags.RSA_GENERAL:
      case PublicKeyAlgorithmTags.RSA_ENCRYPT:
      case PublicKeyAlgorithmTags.RSA_SIGN:
        return finiteField("rsa", key.getBitStrength());
      case PublicKeyAlgorithmTags.DSA:
        return finiteField("dsa", key.getBitStrength());
      case PublicKeyAlgorithmTags.ELGAMAL_ENCRYPT:
        return finiteField("elgamal", key.getBitStrength());
      case PublicKeyAlgorithmTags.ECDH:
      case PublicKeyAlgorithmTags.ECDSA:
      case PublicKeyAlgorithmTags.EDDSA_LEGACY:
        return curve(key.getPublicKeyPacket().getKey());
      case PublicKeyAlgorithmTags.X25519:
      case PublicKeyAlgorithmTags.X448:
      case PublicKeyAlgorithmTags.Ed25519:
      case PublicKeyAlgorithmTags.Ed448:
        return Optional.empty();
      case PublicKeyAlgorithmTags.ELGAMAL_GENERAL:
        // Sign+encrypt ElGamal: withdrawn from OpenPGP after a practical attack on its signatures (2003).
        return Optional.of("weak-key-elgamal-sign-encrypt");
      default:
        return Optional.of("unsupported-key-algorithm-" + algorithm);
    }
  }

  private static Optional<String> curve(BCPGKey key) {
    if (!(key instanceof ECPublicBCPGKey)) {
      return Optional.of("unsupported-key-format");
    }
    ASN1ObjectIdentifier oid = ((ECPublicBCPGKey) key).getCurveOID();
    return CURVES.containsKey(oid.getId()) ? Optional.empty() : Optional.of("weak-key-curve-" + curveName(oid));
  }

  /** Why a certificate's public key is refused, or empty: RSA of 2048 bits or more, EC on a listed curve. */
  static Optional<String> x509(PublicKey key) {
    if (key instanceof RSAPublicKey) {
      return finiteField("rsa", ((RSAPublicKey) key).getModulus().bitLength());
    }
    if (key instanceof ECPublicKey) {
      SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(key.getEncoded());
      if (info.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier) {
        ASN1ObjectIdentifier oid = (ASN1ObjectIdentifier) info.getAlgorithm().getParameters();
        return CURVES.containsKey(oid.getId()) ? Optional.empty() : Optional.of("weak-key-curve-" + curveName(oid));
      }
      // Explicit curve parameters instead of a name: nobody issues those for mail, and they cannot be vetted.
      return Optional.of("weak-key-curve-explicit-parameters");
    }
    return Optional.of("unsupported-key-algorithm-" + key.getAlgorithm());
  }

  /**
   * Whether a self-signature's hash still counts. MD5 and the other broken or never-vetted hashes do not; SHA-1
   * does: forging a self-signature would take a second preimage (only the key owner signs), which SHA-1 still
   * resists, and refusing it would refuse most keys made before 2019.
   */
  static boolean acceptableSignatureHash(int hashAlgorithm) {
    switch (hashAlgorithm) {
      case HashAlgorithmTags.SHA1:
      case HashAlgorithmTags.RIPEMD160:
      case HashAlgorithmTags.SHA224:
      case HashAlgorithmTags.SHA256:
      case HashAlgorithmTags.SHA384:
      case HashAlgorithmTags.SHA512:
      case HashAlgorithmTags.SHA3_256:
      case HashAlgorithmTags.SHA3_512:
        return true;
      default:
        return false;
    }
  }

  private static Optional<String> finiteField(String name, int bits) {
    return bits < MIN_FINITE_FIELD_BITS ? Optional.of("weak-key-" + name + "-" + bits) : Optional.empty();
  }

  private static String curveName(ASN1ObjectIdentifier oid) {
    String known = CURVES.get(oid.getId());
    if (known != null) {
      return known;
    }
    String name = ECNamedCurveTable.getName(oid);
    return name != null ? name : oid.getId();
  }
}
