package org.caliop.mime;

import java.io.ByteArrayInputStream;
import java.security.Provider;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.CMSVerifierCertificateNotValidException;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.util.Store;

/**
 * Checks an S/MIME signature (CMS SignedData, RFC 5652 and 8551) against content digests computed while the content
 * streamed by: the signature verifies with Bouncy Castle, the signer's certificate names the {@code From:} address,
 * may sign mail, and its chain ends in the admin's trust store ({@code trust.smime_trust_store}, PKIX, at the
 * {@link SignerTrust} clock, without revocation checks). Never throws on content.
 */
final class SmimeSignatureCheck {
  /** Kept as an instance, never registered: inside James another copy may be registered already. */
  static final Provider BC = new BouncyCastleProvider();
  private static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
  private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

  private SmimeSignatureCheck() {
  }

  /**
   * @param signedData a DER or BER ContentInfo holding SignedData; its content, if any, is ignored
   * @param digests the content's digests by algorithm OID
   * @param from the {@code From:} address, empty when there is not exactly one
   */
  static SignatureOutcome check(byte[] signedData, Map<ASN1ObjectIdentifier, byte[]> digests, Optional<String> from,
      SignerTrust trust) {
    if (digests.isEmpty()) {
      return SignatureOutcome.unverified("it announces no digest we accept (SHA-2 or SHA-3)");
    }
    CMSSignedData cms;
    Collection<SignerInformation> signers;
    try {
      cms = new CMSSignedData(digests, signedData);
      signers = cms.getSignerInfos().getSigners();
    } catch (Exception e) {
      // BC says CMSException for what it understands; hostile bytes can raise anything it did not foresee.
      return SignatureOutcome.invalid("the S/MIME signature cannot be read");
    }
    List<SignatureOutcome> outcomes = new ArrayList<>();
    for (SignerInformation signer : signers) {
      outcomes.add(signer(signer, cms.getCertificates(), digests, from, trust));
    }
    return SignatureOutcome.best(outcomes, "the S/MIME signature has no signer");
  }

  private static SignatureOutcome signer(SignerInformation signer, Store<X509CertificateHolder> certificates,
      Map<ASN1ObjectIdentifier, byte[]> digests, Optional<String> from, SignerTrust trust) {
    ASN1ObjectIdentifier digest = signer.getDigestAlgorithmID().getAlgorithm();
    if (!digests.containsKey(digest)) {
      return SignatureOutcome.unverified(SignedDigests.nameOf(digest) == null
          ? "signed with " + weakName(digest) + ", a digest we do not accept"
          : "its digest algorithm is not the one micalg named");
    }
    X509Certificate cert;
    try {
      @SuppressWarnings("unchecked")
      Collection<X509CertificateHolder> matches = certificates.getMatches(signer.getSID());
      if (matches.isEmpty()) {
        return SignatureOutcome.unverified("the signer's certificate is not in the signature");
      }
      X509CertificateHolder holder = matches.iterator().next();
      cert = x509(holder.getEncoded());
      if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(holder))) {
        return SignatureOutcome.invalid("the S/MIME signature does not match the content");
      }
    } catch (CMSSignerDigestMismatchException e) {
      return SignatureOutcome.invalid("the content does not match the S/MIME signature");
    } catch (CMSVerifierCertificateNotValidException e) {
      return SignatureOutcome.unverified("the signer's certificate was not valid when it signed");
    } catch (Exception e) {
      return SignatureOutcome.invalid("the S/MIME signature cannot be checked: " + e.getClass().getSimpleName());
    }
    java.util.Set<String> addresses = MailAddresses.ofCertificate(cert);
    String signerName = addresses.isEmpty() ? cert.getSubjectX500Principal().getName() : addresses.iterator().next();
    if (from.isEmpty()) {
      return SignatureOutcome.unverified("signer " + signerName + ", but the From: field names no single address");
    }
    if (!addresses.contains(from.get())) {
      return SignatureOutcome.unverified("signer " + signerName + " is not the From: address " + from.get());
    }
    String usage = usageProblem(cert);
    if (usage != null) {
      return SignatureOutcome.unverified("signer " + signerName + ": " + usage);
    }
    if (trust.smimeAnchors().isEmpty()) {
      return SignatureOutcome.unverified("signer " + signerName + ", no trust.smime_trust_store to anchor it");
    }
    if (!anchored(cert, certificates, trust)) {
      return SignatureOutcome.unverified("signer " + signerName + ", not anchored in trust.smime_trust_store");
    }
    return SignatureOutcome.verified("signer " + signerName + ", anchored in trust.smime_trust_store");
  }

  private static String weakName(ASN1ObjectIdentifier digest) {
    switch (digest.getId()) {
      case "1.3.14.3.2.26":
        return "SHA-1";
      case "1.2.840.113549.2.5":
        return "MD5";
      default:
        return digest.getId();
    }
  }

  /** digitalSignature or nonRepudiation, when key usage is there; e-mail protection, when extended key usage is. */
  private static String usageProblem(X509Certificate cert) {
    boolean[] usage = cert.getKeyUsage();
    if (usage != null && !(usage.length > 0 && usage[0]) && !(usage.length > 1 && usage[1])) {
      return "its certificate may not sign";
    }
    try {
      List<String> eku = cert.getExtendedKeyUsage();
      if (eku != null && !eku.contains(EMAIL_PROTECTION) && !eku.contains(ANY_EXTENDED_KEY_USAGE)) {
        return "its certificate is not for e-mail";
      }
    } catch (java.security.cert.CertificateParsingException e) {
      return "its certificate's extended key usage cannot be read";
    }
    return null;
  }

  /** A PKIX path from the signer to a trust anchor, with the signature's certificates as intermediates. */
  private static boolean anchored(X509Certificate cert, Store<X509CertificateHolder> certificates, SignerTrust trust) {
    for (X509Certificate anchor : trust.smimeAnchors()) {
      if (anchor.equals(cert)) {
        // The admin trusts this very certificate.
        return isValidAt(cert, trust);
      }
    }
    try {
      Set<TrustAnchor> anchors = new HashSet<>();
      for (X509Certificate a : trust.smimeAnchors()) {
        anchors.add(new TrustAnchor(a, null));
      }
      X509CertSelector target = new X509CertSelector();
      target.setCertificate(cert);
      PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(trust.clock().instant()));
      List<X509Certificate> pool = new ArrayList<>();
      pool.add(cert);
      @SuppressWarnings("unchecked")
      Collection<X509CertificateHolder> all = certificates.getMatches(null);
      for (X509CertificateHolder h : all) {
        pool.add(x509(h.getEncoded()));
      }
      parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
      CertPathBuilder.getInstance("PKIX").build(parameters);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean isValidAt(X509Certificate cert, SignerTrust trust) {
    try {
      cert.checkValidity(Date.from(trust.clock().instant()));
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** The JDK's own certificate object, which the JDK's PKIX builder expects. */
  static X509Certificate x509(byte[] der) throws java.security.cert.CertificateException {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }
}
