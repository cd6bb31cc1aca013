package org.caliop.james.smtp;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.apache.james.core.Username;
import org.apache.james.protocols.smtp.SMTPSession;

/** Just enough of an SMTP session for the hooks: TLS state, HELO mode and user. */
public final class FakeSessions {
  private FakeSessions() {
  }

  public static SMTPSession session(String tlsProtocol, String cipher, String heloMode, String user) {
    SSLSession ssl = tlsProtocol == null ? null : (SSLSession) Proxy.newProxyInstance(
        FakeSessions.class.getClassLoader(), new Class<?>[] {SSLSession.class}, (p, m, a) -> {
          switch (m.getName()) {
            case "getProtocol":
              return tlsProtocol;
            case "getCipherSuite":
              return cipher;
            case "getPeerCertificates":
              throw new SSLPeerUnverifiedException("no client certificate");
            default:
              throw new UnsupportedOperationException(m.getName());
          }
        });
    return (SMTPSession) Proxy.newProxyInstance(FakeSessions.class.getClassLoader(),
        new Class<?>[] {SMTPSession.class}, (p, m, a) -> {
          switch (m.getName()) {
            case "isTLSStarted":
              return ssl != null;
            case "getSSLSession":
              return Optional.ofNullable(ssl);
            case "getAttachment":
              return a[0] == SMTPSession.CURRENT_HELO_MODE ? Optional.ofNullable(heloMode) : Optional.empty();
            case "getUsername":
              return user == null ? null : Username.of(user);
            case "getSessionID":
              return "S1";
            case "getConfiguration":
              return null;
            case "getLocalAddress":
              return new InetSocketAddress(InetAddress.getLoopbackAddress(), 10025);
            default:
              throw new UnsupportedOperationException(m.getName());
          }
        });
  }
}
