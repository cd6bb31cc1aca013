package org.caliop.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyEncryptorBuilder;
import org.caliop.crypto.GatewayEncryptors;

/**
 * OpenPGP public keys made for a test, with properly self-signed user id and encryption subkey: one that expired
 * long ago, one that is too short. Made once per JVM (RSA key generation takes a while).
 */
public final class TestKeys {
  private static final Map<String, byte[]> MADE = new ConcurrentHashMap<>();

  private TestKeys() {
  }

  /** An RSA key ring for {@code <address>}, created at {@code created}, valid {@code validSeconds} (0: forever). */
  public static byte[] rsa(String address, int bits, Instant created, long validSeconds) {
    return MADE.computeIfAbsent(address + "/" + bits + "/" + created + "/" + validSeconds, k -> {
      try {
        return make(address, bits, Date.from(created), validSeconds);
      } catch (GeneralSecurityException | PGPException e) {
        throw new IllegalStateException(e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static byte[] make(String address, int bits, Date created, long validSeconds)
      throws GeneralSecurityException, PGPException, IOException {
    Provider bc = GatewayEncryptors.provider();
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA", bc);
    rsa.initialize(bits);
    PGPKeyPair primary = new JcaPGPKeyPair(PGPPublicKey.RSA_GENERAL, rsa.generateKeyPair(), created);
    KeyPair subkey = rsa.generateKeyPair();
    PGPKeyPair encryption = new JcaPGPKeyPair(PGPPublicKey.RSA_GENERAL, subkey, created);
    PGPDigestCalculator sha1 = new JcaPGPDigestCalculatorProviderBuilder().setProvider(bc).build()
        .get(HashAlgorithmTags.SHA1);
    PGPSignatureSubpacketGenerator certification = new PGPSignatureSubpacketGenerator();
    certification.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
    certification.setSignatureCreationTime(false, created);
    if (validSeconds > 0) {
      certification.setKeyExpirationTime(false, validSeconds);
    }
    PGPKeyRingGenerator rings = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, primary,
        "<" + address + ">", sha1, certification.generate(), null,
        new JcaPGPContentSignerBuilder(PGPPublicKey.RSA_GENERAL, HashAlgorithmTags.SHA256).setProvider(bc),
        new JcePBESecretKeyEncryptorBuilder(PGPEncryptedData.AES_256, sha1).setProvider(bc).build(new char[0]));
    PGPSignatureSubpacketGenerator binding = new PGPSignatureSubpacketGenerator();
    binding.setKeyFlags(false, KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE);
    binding.setSignatureCreationTime(false, created);
    if (validSeconds > 0) {
      binding.setKeyExpirationTime(false, validSeconds);
    }
    rings.addSubKey(encryption, binding.generate(), null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ArmoredOutputStream armor = new ArmoredOutputStream(out)) {
      rings.generatePublicKeyRing().encode(armor);
    }
    return out.toByteArray();
  }
}
