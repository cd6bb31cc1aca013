package org.caliop.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Base64;
import java.util.List;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;

/**
 * S/MIME (RFC 8551) enveloping: CMS EnvelopedData with AES-256-CBC, or AuthEnvelopedData with AES-256-GCM when
 * every recipient's algorithms say {@code aes-gcm}; RSA recipients get the key transport their algorithms say
 * (RSAES-OAEP with SHA-256, or RSAES-PKCS1-v1_5), each in his own RecipientInfo; EC recipients ephemeral-static
 * ECDH with the SHA-256 X9.63 KDF and AES-256 key wrap (RFC 5753). Streams: the CMS generators encrypt as they go
 * and the DER is base64-encoded on the fly. The CBC bulk cipher comes from the JDK's default provider (AES-NI
 * intrinsics); GCM, key transport and agreement from Bouncy Castle.
 */
final class SmimeEnveloper {
  static final String CONTENT_TYPE_ENVELOPED =
      "application/pkcs7-mime; smime-type=enveloped-data; name=\"smime.p7m\"";
  static final String CONTENT_TYPE_AUTH_ENVELOPED =
      "application/pkcs7-mime; smime-type=authEnveloped-data; name=\"smime.p7m\"";
  static final String CONTENT_DISPOSITION = "attachment; filename=\"smime.p7m\"";
  private static final byte[] CRLF = {'\r', '\n'};
  /** Size of the encrypted content's OCTET STRING chunks (BC's default is 1000 bytes). */
  private static final int CMS_CHUNK = 1 << 16;

  private final Provider bc;
  private final SecureRandom random;

  SmimeEnveloper(Provider bc, SecureRandom random) {
    this.bc = bc;
    this.random = random;
  }

  /** True when all recipients read AuthEnvelopedData (AES-GCM); a single one that does not means CBC for all. */
  static boolean useAuthEnveloped(List<SmimeRecipientKey> keys) {
    for (SmimeRecipientKey k : keys) {
      if (k.algorithms().contentCipher() != SmimeAlgorithms.ContentCipher.AES_GCM) {
        return false;
      }
    }
    return !keys.isEmpty();
  }

  /** Writes the base64 body of the {@code smime.p7m} part. */
  void write(HeaderSection headers, InnerEntity.Body body, List<SmimeRecipientKey> keys, OutputStream newBody)
      throws IOException {
    boolean gcm = useAuthEnveloped(keys);
    try {
      OutputStream base64 = Base64.getMimeEncoder().wrap(new NonClosingOutputStream(newBody));
      OutputStream plain;
      if (gcm) {
        CMSAuthEnvelopedDataStreamGenerator generator = new CMSAuthEnvelopedDataStreamGenerator();
        generator.setBufferSize(CMS_CHUNK);
        for (SmimeRecipientKey k : keys) {
          generator.addRecipientInfoGenerator(recipientInfo(k));
        }
        // The JDK has no KeyGenerator under the GCM object identifier that BC asks for: BC's own GCM here.
        OutputEncryptor encryptor = new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM).setProvider(bc)
            .setSecureRandom(random).build();
        plain = generator.open(base64, (OutputAEADEncryptor) encryptor);
      } else {
        CMSEnvelopedDataStreamGenerator generator = new CMSEnvelopedDataStreamGenerator();
        for (SmimeRecipientKey k : keys) {
          generator.addRecipientInfoGenerator(recipientInfo(k));
        }
        generator.setBufferSize(CMS_CHUNK);
        plain = generator.open(base64, new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC)
            .setSecureRandom(random).build());
      }
      InnerEntity.write(headers, body, plain);
      plain.close();
      base64.close();
      newBody.write(CRLF);
      newBody.flush();
    } catch (CMSException | GeneralSecurityException | RuntimeException e) {
      // A provider's runtime exception (an odd key, an unsupported parameter) is a failed encryption too.
      throw new EncryptionException("S/MIME encryption failed: " + KeyFile.describe(e), e);
    }
  }

  private RecipientInfoGenerator recipientInfo(SmimeRecipientKey key) throws GeneralSecurityException {
    if (key.isRsa() && key.algorithms().keyTransport() == SmimeAlgorithms.KeyTransport.RSA_PKCS1V15) {
      return new JceKeyTransRecipientInfoGenerator(key.certificate()).setProvider(bc);
    }
    if (key.isRsa()) {
      AlgorithmIdentifier oaep = new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(
          PKCSObjectIdentifiers.id_RSAES_OAEP,
          new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
      return new JceKeyTransRecipientInfoGenerator(key.certificate(), oaep).setProvider(bc);
    }
    if (key.isEc()) {
      // One ephemeral key per recipient: recipients may sit on different curves.
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", bc);
      generator.initialize(((ECPublicKey) key.certificate().getPublicKey()).getParams(), random);
      KeyPair ephemeral = generator.generateKeyPair();
      return new JceKeyAgreeRecipientInfoGenerator(CMSAlgorithm.ECDH_SHA256KDF, ephemeral.getPrivate(),
          ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP).setProvider(bc).setSecureRandom(random)
          .addRecipient(key.certificate());
    }
    throw new GeneralSecurityException("unsupported key algorithm " + key.certificate().getPublicKey().getAlgorithm());
  }
}
