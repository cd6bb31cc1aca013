package org.caliop.mime;

import java.io.OutputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.operator.PGPContentVerifier;
import org.bouncycastle.openpgp.operator.PGPContentVerifierBuilder;
import org.bouncycastle.openpgp.operator.PGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyConverter;
import org.bouncycastle.util.BigIntegers;

/**
 * Checks an OpenPGP signature (a PGP/MIME {@code application/pgp-signature} part, or the signature block of a
 * cleartext signature) against the digest of the signed text computed while it streamed by: the signer's key must be
 * in the key directory under the {@code From:} address, usable to sign, and the signature must verify. Only version 4
 * (and 3) document signatures are checked: the content digest can be continued with the signature's trailer, which
 * Bouncy Castle hashes through our verifier; the public-key step is the JCA's on that digest. Never throws on content.
 */
final class PgpSignatureCheck {
  private static final int MAX_SIGNATURES = 8;

  private PgpSignatureCheck() {
  }

  /**
   * @param packets the decoded signature packets
   * @param contentDigest the running digest of the signed text for a JCA digest name, or empty when not computed
   * @param textOnly a cleartext signature: only a text signature (type 0x01) applies
   * @param from the {@code From:} address, empty when there is not exactly one
   */
  static SignatureOutcome check(byte[] packets, Function<String, Optional<MessageDigest>> contentDigest,
      boolean textOnly, Optional<String> from, SignerTrust trust) {
    List<PGPSignature> signatures = new ArrayList<>();
    try {
      PGPObjectFactory factory = new PGPObjectFactory(packets, new BcKeyFingerprintCalculator());
      Object o;
      while (signatures.size() < MAX_SIGNATURES && (o = factory.nextObject()) != null) {
        if (!(o instanceof PGPSignatureList)) {
          return SignatureOutcome.invalid("the OpenPGP signature part holds something else");
        }
        for (PGPSignature s : (PGPSignatureList) o) {
          signatures.add(s);
        }
      }
    } catch (Exception e) {
      return SignatureOutcome.invalid("the OpenPGP signature cannot be read");
    }
    List<SignatureOutcome> outcomes = new ArrayList<>();
    for (PGPSignature s : signatures) {
      outcomes.add(one(s, contentDigest, textOnly, from, trust));
    }
    return SignatureOutcome.best(outcomes, "the OpenPGP signature part holds no signature");
  }

  private static SignatureOutcome one(PGPSignature signature, Function<String, Optional<MessageDigest>> contentDigest,
      boolean textOnly, Optional<String> from, SignerTrust trust) {
    String keyId = String.format(Locale.ROOT, "0x%016X", signature.getKeyID());
    if (signature.getVersion() != 4 && signature.getVersion() != 3) {
      return SignatureOutcome.unverified("key " + keyId + ": version " + signature.getVersion()
          + " signatures are not checked");
    }
    int type = signature.getSignatureType();
    if (type != PGPSignature.CANONICAL_TEXT_DOCUMENT && (textOnly || type != PGPSignature.BINARY_DOCUMENT)) {
      return SignatureOutcome.invalid("key " + keyId + ": not a signature of a document");
    }
    String digestName = SignedDigests.nameOfPgp(signature.getHashAlgorithm());
    if (digestName == null) {
      return SignatureOutcome.unverified("key " + keyId + ": signed with a digest we do not accept");
    }
    Optional<MessageDigest> digest = contentDigest.apply(digestName);
    if (digest.isEmpty()) {
      return SignatureOutcome.unverified("key " + keyId + ": its digest algorithm is not the one announced");
    }
    if (from.isEmpty()) {
      return SignatureOutcome.unverified("key " + keyId + ", but the From: field names no single address");
    }
    Optional<PGPPublicKey> key = trust.pgpKeys().signingKey(signature.getKeyID(), from.get(), trust.clock());
    if (key.isEmpty()) {
      return SignatureOutcome.unverified(trust.pgpKeys().isEmpty()
          ? "key " + keyId + ", no OpenPGP key directory to anchor it"
          : "key " + keyId + " is not a usable key of " + from.get() + " in the key directory");
    }
    try {
      signature.init(precomputed(digest.get()), key.get());
      if (!signature.verify()) {
        return SignatureOutcome.invalid("key " + keyId + " of " + from.get() + ": the signature does not match");
      }
    } catch (Exception e) {
      return SignatureOutcome.invalid("key " + keyId + ": the signature cannot be checked ("
          + e.getClass().getSimpleName() + ")");
    }
    return SignatureOutcome.verified("signer " + from.get() + ", key " + keyId + " in the key directory");
  }

  /**
   * A verifier that goes on with the content's running digest (Bouncy Castle writes the signature trailer into it)
   * and checks the signature value on the finished digest.
   */
  private static PGPContentVerifierBuilderProvider precomputed(MessageDigest digest) {
    return (keyAlgorithm, hashAlgorithm) -> new PGPContentVerifierBuilder() {
      @Override
      public PGPContentVerifier build(PGPPublicKey key) throws PGPException {
        PublicKey jca = new JcaPGPKeyConverter().setProvider(SmimeSignatureCheck.BC).getPublicKey(key);
        return new PGPContentVerifier() {
          @Override
          public OutputStream getOutputStream() {
            return new OutputStream() {
              @Override
              public void write(int b) {
                digest.update((byte) b);
              }

              @Override
              public void write(byte[] b, int off, int len) {
                digest.update(b, off, len);
              }
            };
          }

          @Override
          public int getHashAlgorithm() {
            return hashAlgorithm;
          }

          @Override
          public int getKeyAlgorithm() {
            return keyAlgorithm;
          }

          @Override
          public long getKeyID() {
            return key.getKeyID();
          }

          @Override
          public boolean verify(byte[] expected) {
            return raw(keyAlgorithm, digest, jca, digest.digest(), expected);
          }
        };
      }
    };
  }

  /** The public-key step on a finished digest (RFC 9580 5.2.3): PKCS#1 v1.5 DigestInfo, (EC)DSA, EdDSA. */
  private static boolean raw(int keyAlgorithm, MessageDigest md, PublicKey key, byte[] digest, byte[] value) {
    try {
      java.security.Signature s;
      byte[] data = digest;
      byte[] sig = value;
      switch (keyAlgorithm) {
        case PublicKeyAlgorithmTags.RSA_GENERAL:
        case PublicKeyAlgorithmTags.RSA_SIGN:
          s = java.security.Signature.getInstance("NONEwithRSA", SmimeSignatureCheck.BC);
          data = new DigestInfo(new AlgorithmIdentifier(SignedDigests.oidOf(md.getAlgorithm()), DERNull.INSTANCE),
              digest).getEncoded("DER");
          int size = (((RSAPublicKey) key).getModulus().bitLength() + 7) / 8;
          sig = BigIntegers.asUnsignedByteArray(size, new BigInteger(1, value));
          break;
        case PublicKeyAlgorithmTags.DSA:
          s = java.security.Signature.getInstance("NONEwithDSA", SmimeSignatureCheck.BC);
          break;
        case PublicKeyAlgorithmTags.ECDSA:
          s = java.security.Signature.getInstance("NONEwithECDSA", SmimeSignatureCheck.BC);
          break;
        case PublicKeyAlgorithmTags.EDDSA_LEGACY:
        case PublicKeyAlgorithmTags.Ed25519:
          s = java.security.Signature.getInstance("Ed25519", SmimeSignatureCheck.BC);
          break;
        case PublicKeyAlgorithmTags.Ed448:
          s = java.security.Signature.getInstance("Ed448", SmimeSignatureCheck.BC);
          break;
        default:
          return false;
      }
      s.initVerify(key);
      s.update(data);
      return s.verify(sig);
    } catch (Exception e) {
      return false;
    }
  }
}
