package org.caliop.crypto;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.caliop.mime.MailAddresses;

/**
 * A recipient's X.509 certificate with what settles once (addresses, key algorithm and strength, key usage) and
 * its validity period, judged per message. No chain validation: the administrator vouches for what he puts in the
 * key directory. Immutable.
 */
final class SmimeCertificate {
  private static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
  private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

  private final X509Certificate certificate;
  private final Set<String> addresses;
  private final String refusal;

  private SmimeCertificate(X509Certificate certificate, Set<String> addresses, String refusal) {
    this.certificate = certificate;
    this.addresses = Collections.unmodifiableSet(new TreeSet<>(addresses));
    this.refusal = refusal;
  }

  static SmimeCertificate of(X509Certificate certificate) {
    Objects.requireNonNull(certificate);
    return new SmimeCertificate(certificate, addresses(certificate), staticProblem(certificate));
  }

  X509Certificate certificate() {
    return certificate;
  }

  /** The subject's emailAddress and every rfc822Name SubjectAltName, in lower case. */
  Set<String> addresses() {
    return addresses;
  }

  /** Issuer serial, short enough for a log line. */
  String keyId() {
    return "serial=0x" + certificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
  }

  Instant notBefore() {
    return certificate.getNotBefore().toInstant();
  }

  Instant notAfter() {
    return certificate.getNotAfter().toInstant();
  }

  /** Why the certificate cannot be used at {@code now}; empty when it can. */
  Optional<String> problemAt(Instant now) {
    if (refusal != null) {
      return Optional.of(refusal);
    }
    if (now.isBefore(notBefore())) {
      return Optional.of("not-yet-valid");
    }
    if (now.isAfter(notAfter())) {
      return Optional.of("expired");
    }
    return Optional.empty();
  }

  private static String staticProblem(X509Certificate cert) {
    String algorithm = cert.getPublicKey().getAlgorithm();
    boolean rsa = "RSA".equalsIgnoreCase(algorithm);
    boolean ec = "EC".equalsIgnoreCase(algorithm) || "ECDSA".equalsIgnoreCase(algorithm);
    if (!rsa && !ec) {
      return "unsupported-key-algorithm-" + algorithm;
    }
    Optional<String> weak = KeyStrength.x509(cert.getPublicKey());
    if (weak.isPresent()) {
      return weak.get();
    }
    boolean[] usage = cert.getKeyUsage();
    if (usage != null) {
      // keyEncipherment (2) for RSA key transport, keyAgreement (4) for ECDH.
      if (rsa && !(usage.length > 2 && usage[2]) || ec && !(usage.length > 4 && usage[4])) {
        return "key-usage-forbids-encryption";
      }
    }
    try {
      List<String> eku = cert.getExtendedKeyUsage();
      if (eku != null && !eku.contains(EMAIL_PROTECTION) && !eku.contains(ANY_EXTENDED_KEY_USAGE)) {
        return "extended-key-usage-not-email";
      }
    } catch (CertificateParsingException e) {
      return "extended-key-usage-unreadable";
    }
    return null;
  }

  private static Set<String> addresses(X509Certificate cert) {
    return MailAddresses.ofCertificate(cert);
  }
}
