package org.caliop.mime;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.caliop.address.EmailAddress;

/**
 * Mail addresses as signatures and keys name them, in the form every caliop lookup compares ({@link EmailAddress}):
 * the address of a {@code From:} field, of a certificate (subject emailAddress and rfc822Name SubjectAltNames), of a
 * bare or bracketed address.
 */
public final class MailAddresses {
  private MailAddresses() {
  }

  /** {@code a@b} or {@code <a@b>} in its {@link EmailAddress} form; empty when it is no address or has blanks. */
  public static Optional<String> normalize(String address) {
    String a = address.trim();
    if (a.indexOf(' ') >= 0 || a.indexOf('\t') >= 0) {
      return Optional.empty();
    }
    return EmailAddress.parse(a).filter(EmailAddress::hasDomain).map(EmailAddress::toString);
  }

  /**
   * The one address of a {@code From:} field value ({@code "Alice" <alice@example.org>}, {@code alice@example.org
   * (Alice)}); empty when there is none, or more than one (a list: which one signed would be a guess).
   */
  public static Optional<String> fromField(String value) {
    StringBuilder plain = new StringBuilder(value.length());
    int comment = 0;
    boolean quoted = false;
    int angleOpen = -1;
    String angled = null;
    int angles = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (quoted) {
        if (c == '\\' && i + 1 < value.length()) {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
        continue;
      }
      if (comment > 0) {
        if (c == '\\') {
          i++;
        } else if (c == '(') {
          comment++;
        } else if (c == ')') {
          comment--;
        }
        continue;
      }
      switch (c) {
        case '"':
          quoted = true;
          break;
        case '(':
          comment = 1;
          break;
        case ',':
        case ';':
          // A second mailbox, or a group.
          return Optional.empty();
        case '<':
          angleOpen = plain.length();
          break;
        case '>':
          if (angleOpen >= 0) {
            angled = plain.substring(angleOpen);
            angles++;
            angleOpen = -1;
          }
          break;
        case '\r':
        case '\n':
          break;
        default:
          plain.append(c);
          break;
      }
    }
    if (angles > 1 || quoted || comment > 0) {
      return Optional.empty();
    }
    return normalize(angled != null ? angled : plain.toString());
  }

  /** The addresses a certificate names: subject emailAddress and rfc822Name SubjectAltNames, in lower case. */
  public static Set<String> ofCertificate(X509Certificate cert) {
    Set<String> addresses = new LinkedHashSet<>();
    X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
    for (RDN rdn : subject.getRDNs(BCStyle.EmailAddress)) {
      ASN1Encodable value = rdn.getFirst().getValue();
      String text = value instanceof ASN1String ? ((ASN1String) value).getString() : value.toString();
      normalize(text).ifPresent(addresses::add);
    }
    try {
      Collection<List<?>> alt = cert.getSubjectAlternativeNames();
      if (alt != null) {
        for (List<?> entry : alt) {
          if (entry.size() >= 2 && Integer.valueOf(1).equals(entry.get(0)) && entry.get(1) instanceof String) {
            normalize((String) entry.get(1)).ifPresent(addresses::add);
          }
        }
      }
    } catch (CertificateParsingException e) {
      // An unreadable SubjectAltName names nobody.
    }
    return addresses;
  }
}
