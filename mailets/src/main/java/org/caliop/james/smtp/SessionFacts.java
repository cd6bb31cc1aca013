package org.caliop.james.smtp;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.caliop.james.CaliopAttributes;

/**
 * Copies what the SMTP session knows and James 3.8.1 does not pass on (TLS, protocol name) into mail attributes;
 * and, for a hook at the end of DATA, the HELO name and authenticated user, which James itself writes into the mail
 * only after the message hooks ({@code AddDefaultAttributesMessageHook}, the same values): judged without them,
 * the hook would see every session as unauthenticated and nameless, and judge otherwise than the mailets.
 */
final class SessionFacts {
  private SessionFacts() {
  }

  static void record(SMTPSession session, Mail mail) {
    Optional<SSLSession> ssl = session.isTLSStarted() ? session.getSSLSession() : Optional.empty();
    ssl.ifPresent(s -> {
      put(mail, CaliopAttributes.TLS_PROTOCOL, s.getProtocol());
      put(mail, CaliopAttributes.TLS_CIPHER, s.getCipherSuite());
      peer(s).ifPresent(cert -> {
        put(mail, CaliopAttributes.TLS_PEER_SUBJECT, cert.getSubjectX500Principal().getName());
        put(mail, CaliopAttributes.TLS_PEER_ISSUER, cert.getIssuerX500Principal().getName());
      });
    });
    if (mail.getAttribute(Mail.SMTP_HELO).isEmpty()) {
      session.getAttachment(SMTPSession.CURRENT_HELO_NAME, ProtocolSession.State.Connection)
          .ifPresent(helo -> put(mail, Mail.SMTP_HELO, helo));
    }
    if (session.getUsername() != null && mail.getAttribute(Mail.SMTP_AUTH_USER).isEmpty()) {
      put(mail, Mail.SMTP_AUTH_USER, session.getUsername().asString());
    }
    boolean extended = session.getAttachment(SMTPSession.CURRENT_HELO_MODE, ProtocolSession.State.Connection)
        .map(mode -> mode.equalsIgnoreCase("EHLO")).orElse(true);
    boolean authenticated = session.getUsername() != null;
    // RFC 3848 protocol names, as Postfix writes them in Received: "with ESMTPSA". STARTTLS and AUTH need EHLO.
    String protocol = extended || ssl.isPresent() || authenticated
        ? "ESMTP" + (ssl.isPresent() ? "S" : "") + (authenticated ? "A" : "") : "SMTP";
    put(mail, CaliopAttributes.SMTP_PROTOCOL, protocol);
    if (session.getConfiguration() != null) {
      put(mail, CaliopAttributes.SMTP_BY, session.getConfiguration().getHelloName());
    }
  }

  private static Optional<X509Certificate> peer(SSLSession ssl) {
    try {
      Certificate[] chain = ssl.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate
          ? Optional.of((X509Certificate) chain[0]) : Optional.empty();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }

  private static void put(Mail mail, AttributeName name, String value) {
    if (value != null && !value.isEmpty() && !value.equals("NONE") && !value.equals("SSL_NULL_WITH_NULL_NULL")) {
      mail.setAttribute(new Attribute(name, AttributeValue.of(value)));
    }
  }
}
