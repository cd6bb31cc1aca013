package org.caliop.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;

/**
 * OpenPGP keys made with Bouncy Castle for the tests, including the malformed ones GnuPG itself will not make: a
 * subkey spliced from another key, a binding signature that claims the wrong issuer, a signing subkey without its
 * back-signature, a user ID certified by someone else.
 */
final class TestKeys {
  static final int ENCRYPT = KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE;

  private TestKeys() {
  }

  static PGPKeyPair rsa(int bits, Instant created) {
    return pair("RSA", null, bits, PublicKeyAlgorithmTags.RSA_GENERAL, created);
  }

  static PGPKeyPair ed25519(Instant created) {
    return pair("Ed25519", null, 0, PublicKeyAlgorithmTags.EDDSA_LEGACY, created);
  }

  static PGPKeyPair x25519(Instant created) {
    return pair("X25519", null, 0, PublicKeyAlgorithmTags.ECDH, created);
  }

  /** ECDH on a named curve Bouncy Castle's OpenPGP knows ({@code P-256}, {@code brainpoolP256r1}...). */
  static PGPKeyPair ecdh(String curve, Instant created) {
    return pair("EC", curve, 0, PublicKeyAlgorithmTags.ECDH, created);
  }

  /**
   * An ECDH encryption subkey on any named curve, bound to {@code ring}'s primary key by a valid signature: the
   * packet is built by hand, since Bouncy Castle's OpenPGP will not generate keys on curves such as secp256k1.
   */
  static PGPPublicKeyRing withEcdhSubkeyOn(PGPPublicKeyRing ring, PGPKeyPair primary, String curve,
      Instant created) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC", GatewayEncryptors.provider());
      g.initialize(new ECGenParameterSpec(curve));
      java.security.interfaces.ECPublicKey ec = (java.security.interfaces.ECPublicKey) g.generateKeyPair()
          .getPublic();
      org.bouncycastle.asn1.ASN1ObjectIdentifier oid = org.bouncycastle.asn1.x9.ECNamedCurveTable.getOID(curve);
      java.math.BigInteger point = new java.math.BigInteger(1,
          ((org.bouncycastle.jce.interfaces.ECPublicKey) ec).getQ().getEncoded(false));
      org.bouncycastle.bcpg.ECDHPublicBCPGKey key = new org.bouncycastle.bcpg.ECDHPublicBCPGKey(oid, point,
          HashAlgorithmTags.SHA256, org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags.AES_128);
      PGPPublicKey sub = new PGPPublicKey(new org.bouncycastle.bcpg.PublicSubkeyPacket(
          PublicKeyAlgorithmTags.ECDH, Date.from(created), key),
          new org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator());
      PGPSignatureGenerator sig = new PGPSignatureGenerator(signer(primary));
      sig.init(PGPSignature.SUBKEY_BINDING, primary.getPrivateKey());
      PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
      hashed.setKeyFlags(false, ENCRYPT);
      hashed.setSignatureCreationTime(false, Date.from(created));
      sig.setHashedSubpackets(hashed.generate());
      PGPSignature binding = sig.generateCertification(ring.getPublicKey(), sub);
      return PGPPublicKeyRing.insertPublicKey(ring, PGPPublicKey.addCertification(sub, binding));
    } catch (GeneralSecurityException | PGPException e) {
      throw new IllegalStateException(e);
    }
  }

  private static PGPKeyPair pair(String algorithm, String curve, int bits, int pgpAlgorithm, Instant created) {
    try {
      // RSA from the JDK: Bouncy Castle's generator takes minutes for an odd size such as 2047 bits.
      KeyPairGenerator g = algorithm.equals("RSA") ? KeyPairGenerator.getInstance("RSA")
          : KeyPairGenerator.getInstance(algorithm, GatewayEncryptors.provider());
      if (curve != null) {
        g.initialize(new ECGenParameterSpec(curve));
      } else if (bits > 0) {
        g.initialize(bits);
      }
      return new JcaPGPKeyPair(pgpAlgorithm, g.generateKeyPair(), Date.from(created));
    } catch (GeneralSecurityException | PGPException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A key ring under construction: a primary key with one user ID, then subkeys. */
  static final class Ring {
    private final PGPKeyRingGenerator generator;
    private final PGPKeyPair primary;

    Ring(PGPKeyPair primary, String uid) {
      this.primary = primary;
      try {
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
        hashed.setSignatureCreationTime(false, primary.getPublicKey().getCreationTime());
        generator = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, primary, uid,
            new JcaPGPDigestCalculatorProviderBuilder().build().get(HashAlgorithmTags.SHA1), hashed.generate(),
            null, signer(primary), null);
      } catch (PGPException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Adds an encryption subkey. */
    Ring encryptionSubkey(PGPKeyPair sub) {
      return subkey(sub, ENCRYPT, false);
    }

    /** Adds a subkey with {@code flags}; {@code backSign} embeds the subkey's primary key binding signature. */
    Ring subkey(PGPKeyPair sub, int flags, boolean backSign) {
      try {
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setKeyFlags(false, flags);
        hashed.setSignatureCreationTime(false, sub.getPublicKey().getCreationTime());
        if (backSign) {
          generator.addSubKey(sub, hashed.generate(), null, signer(sub));
        } else {
          generator.addSubKey(sub, hashed.generate(), null);
        }
        return this;
      } catch (PGPException e) {
        throw new IllegalStateException(e);
      }
    }

    PGPKeyPair primary() {
      return primary;
    }

    PGPPublicKeyRing publicRing() {
      return generator.generatePublicKeyRing();
    }

    PGPSecretKeyRing secretRing() {
      return generator.generateSecretKeyRing();
    }
  }

  static JcaPGPContentSignerBuilder signer(PGPKeyPair key) {
    return new JcaPGPContentSignerBuilder(key.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256)
        .setProvider(GatewayEncryptors.provider());
  }

  /** {@code victim} with every subkey of {@code donor} inserted, binding signatures and all (a splice). */
  static PGPPublicKeyRing splice(PGPPublicKeyRing victim, PGPPublicKeyRing donor) {
    PGPPublicKeyRing out = victim;
    for (PGPPublicKey k : donor) {
      if (!k.isMasterKey()) {
        out = PGPPublicKeyRing.insertPublicKey(out, k);
      }
    }
    return out;
  }

  /**
   * {@code victim} with {@code attacker}'s encryption subkey bound by a signature the attacker made over the victim's
   * primary key and his subkey, claiming the victim's key id as issuer: only verification can tell.
   */
  static PGPPublicKeyRing forgedBinding(PGPPublicKeyRing victim, PGPKeyPair attackerPrimary, PGPKeyPair attackerSub) {
    try {
      Ring donor = new Ring(attackerPrimary, "Mallory <mallory@evil.example>").encryptionSubkey(attackerSub);
      PGPPublicKey sub = null;
      for (PGPPublicKey k : donor.publicRing()) {
        if (!k.isMasterKey()) {
          sub = k;
        }
      }
      for (PGPSignature s : list(sub.getSignatures())) {
        sub = PGPPublicKey.removeCertification(sub, s);
      }
      PGPSignatureGenerator g = new PGPSignatureGenerator(signer(attackerPrimary));
      g.init(PGPSignature.SUBKEY_BINDING, attackerPrimary.getPrivateKey());
      PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
      hashed.setKeyFlags(false, ENCRYPT);
      hashed.setSignatureCreationTime(false, attackerSub.getPublicKey().getCreationTime());
      PGPSignatureSubpacketGenerator unhashed = new PGPSignatureSubpacketGenerator();
      unhashed.setIssuerKeyID(false, victim.getPublicKey().getKeyID());
      g.setHashedSubpackets(hashed.generate());
      g.setUnhashedSubpackets(unhashed.generate());
      PGPSignature forged = g.generateCertification(victim.getPublicKey(), sub);
      return PGPPublicKeyRing.insertPublicKey(victim, PGPPublicKey.addCertification(sub, forged));
    } catch (PGPException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code victim} with an extra user ID certified by {@code attacker} while claiming the victim's key id. */
  static PGPPublicKeyRing forgedUserId(PGPPublicKeyRing victim, PGPKeyPair attacker, String uid) {
    try {
      PGPSignatureGenerator g = new PGPSignatureGenerator(signer(attacker));
      g.init(PGPSignature.POSITIVE_CERTIFICATION, attacker.getPrivateKey());
      PGPSignatureSubpacketGenerator unhashed = new PGPSignatureSubpacketGenerator();
      unhashed.setIssuerKeyID(false, victim.getPublicKey().getKeyID());
      g.setUnhashedSubpackets(unhashed.generate());
      PGPSignature forged = g.generateCertification(uid, victim.getPublicKey());
      PGPPublicKey primary = PGPPublicKey.addCertification(victim.getPublicKey(), uid, forged);
      List<PGPPublicKey> keys = new ArrayList<>();
      keys.add(primary);
      for (PGPPublicKey k : victim) {
        if (!k.isMasterKey()) {
          keys.add(k);
        }
      }
      return new PGPPublicKeyRing(keys);
    } catch (PGPException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] armored(PGPPublicKeyRing ring) {
    return armor(out -> ring.encode(out, true));
  }

  static byte[] armored(PGPSecretKeyRing ring) {
    return armor(ring::encode);
  }

  /** As {@code gpg --export-secret-keys} writes it without {@code --armor}. */
  static byte[] binary(PGPSecretKeyRing ring) {
    try {
      return ring.getEncoded();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private interface Encoder {
    void encode(OutputStream out) throws IOException;
  }

  private static byte[] armor(Encoder e) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ArmoredOutputStream armor = new ArmoredOutputStream(bytes)) {
        e.encode(armor);
      }
      return bytes.toByteArray();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  static <T> List<T> list(java.util.Iterator<T> it) {
    List<T> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
