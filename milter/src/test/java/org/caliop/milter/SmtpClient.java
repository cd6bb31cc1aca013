package org.caliop.milter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A small real SMTP client: EHLO, optional STARTTLS (with the TLS version we ask for), one transaction. Tells what
 * the server answered at the end of DATA (or at the step that failed) and which TLS version was negotiated.
 */
final class SmtpClient {
  /** The last reply: code and full text; tls is the negotiated protocol or null. */
  record Result(int code, String reply, String tls) {
    boolean accepted() {
      return code == 250;
    }

    /** {@code 250 2.0.0 Ok: queued as 4ABC} to {@code 4ABC}. */
    String queueId() {
      int i = reply.indexOf("queued as ");
      return i < 0 ? null : reply.substring(i + 10).trim().split("\\s")[0];
    }
  }

  private SmtpClient() {
  }

  static Result send(int port, String tlsVersion, String from, List<String> to, String message) throws IOException {
    return sendAll(port, tlsVersion, from, to, List.of(message)).get(0);
  }

  /** Several transactions in one SMTP session; one result per message (stops at the first failure). */
  static List<Result> sendAll(int port, String tlsVersion, String from, List<String> to, List<String> messages)
      throws IOException {
    List<Result> results = new java.util.ArrayList<>();
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(60_000);
    String tls = null;
    try {
      Conversation c = new Conversation(socket);
      Result r = c.expect(220, null);
      if (r != null) {
        return List.of(r);
      }
      c.command("EHLO client.caliop.test");
      if ((r = c.expect(250, null)) != null) {
        return List.of(r);
      }
      if (tlsVersion != null) {
        c.command("STARTTLS");
        if ((r = c.expect(220, null)) != null) {
          return List.of(r);
        }
        SSLSocket ssl = (SSLSocket) trustAll().getSocketFactory().createSocket(socket, "mx.caliop.test", port, true);
        ssl.setEnabledProtocols(new String[] {tlsVersion});
        ssl.startHandshake();
        tls = ssl.getSession().getProtocol();
        socket = ssl;
        c = new Conversation(ssl);
        c.command("EHLO client.caliop.test");
        if ((r = c.expect(250, tls)) != null) {
          return List.of(r);
        }
      }
      for (String message : messages) {
        Result end = transaction(c, tls, from, to, message);
        results.add(end);
        if (!end.accepted()) {
          break;
        }
      }
      c.command("QUIT");
      return results;
    } finally {
      socket.close();
    }
  }

  private static Result transaction(Conversation c, String tls, String from, List<String> to, String message)
      throws IOException {
    {
      Result r;
      c.command("MAIL FROM:<" + from + ">");
      if ((r = c.expect(250, tls)) != null) {
        return r;
      }
      for (String rcpt : to) {
        c.command("RCPT TO:<" + rcpt + ">");
        if ((r = c.expect(250, tls)) != null) {
          return r;
        }
      }
      c.command("DATA");
      if ((r = c.expect(354, tls)) != null) {
        return r;
      }
      StringBuilder data = new StringBuilder();
      for (String line : message.replace("\r\n", "\n").split("\n", -1)) {
        data.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
      }
      data.append(".\r\n");
      c.out.write(data.toString().getBytes(StandardCharsets.UTF_8));
      c.out.flush();
      return c.read(tls);
    }
  }

  private static final class Conversation {
    final BufferedReader in;
    final OutputStream out;

    Conversation(Socket s) throws IOException {
      in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      out = s.getOutputStream();
    }

    void command(String line) throws IOException {
      out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    Result read(String tls) throws IOException {
      StringBuilder text = new StringBuilder();
      String line;
      while ((line = in.readLine()) != null) {
        text.append(line).append('\n');
        if (line.length() < 4 || line.charAt(3) != '-') {
          return new Result(Integer.parseInt(line.substring(0, 3)), text.toString().trim(), tls);
        }
      }
      throw new IOException("connection closed after: " + text);
    }

    /** Null when the reply has the expected code, else the reply. */
    Result expect(int code, String tls) throws IOException {
      Result r = read(tls);
      return r.code() == code ? null : r;
    }
  }

  private static SSLContext trustAll() throws IOException {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
          // the test server's certificate was made a moment ago
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, new SecureRandom());
      return ctx;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }
}
