package org.caliop.milter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The receiving server of a delivery test: a small SMTP server on a loopback port that offers STARTTLS or not, as
 * the test says, and records each message with the TLS protocol it arrived over. One connection at a time, bounded
 * reads, a 30 s timeout per read.
 */
final class SmtpSink implements AutoCloseable {
  /** One message received: its text and the TLS protocol of the connection, or null in clear. */
  record Received(String text, String tlsProtocol) {
  }

  private final ServerSocket server;
  private final SSLContext tls;
  private volatile boolean offerStartTls;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Thread thread;

  private SmtpSink(SSLContext tls) throws IOException {
    this.server = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
    this.tls = tls;
    this.thread = new Thread(this::serve, "smtp-sink");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * A sink whose STARTTLS uses this certificate and key (PEM, as {@link PrivatePostfix} makes them), turned into a
   * PKCS#12 store by openssl.
   */
  static SmtpSink start(Path certificate, Path key, Path workDir) throws Exception {
    Path p12 = workDir.resolve("sink.p12");
    PrivatePostfix.run(List.of("openssl", "pkcs12", "-export", "-in", certificate.toString(), "-inkey",
        key.toString(), "-out", p12.toString(), "-passout", "pass:sink"));
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = java.nio.file.Files.newInputStream(p12)) {
      store.load(in, "sink".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "sink".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return new SmtpSink(ctx);
  }

  int port() {
    return server.getLocalPort();
  }

  void offerStartTls(boolean offer) {
    offerStartTls = offer;
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  /** Waits up to {@code seconds} for at least {@code n} messages. */
  List<Received> await(int n, int seconds) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (received.size() < n && System.nanoTime() < end) {
      Thread.sleep(50);
    }
    return received();
  }

  private void serve() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        s.setSoTimeout(30_000);
        session(s);
      } catch (IOException e) {
        // a client gone mid-session, or the server closed: next connection
      }
    }
  }

  private void session(Socket plain) throws IOException {
    Socket s = plain;
    String protocol = null;
    BufferedReader in = reader(s);
    OutputStream out = s.getOutputStream();
    write(out, "220 sink.caliop.test ESMTP test sink");
    while (true) {
      String line;
      try {
        line = in.readLine();
      } catch (SocketTimeoutException e) {
        return;
      }
      if (line == null) {
        return;
      }
      String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line;
      switch (verb) {
        case "EHLO" -> write(out, "250-sink.caliop.test\r\n" + (offerStartTls && protocol == null ? "250-STARTTLS\r\n"
            : "") + "250 8BITMIME");
        case "HELO" -> write(out, "250 sink.caliop.test");
        case "STAR" -> {
          if (!offerStartTls || protocol != null) {
            write(out, "502 5.5.1 no STARTTLS here");
            break;
          }
          write(out, "220 2.0.0 ready to start TLS");
          SSLSocket t = (SSLSocket) tls.getSocketFactory().createSocket(s, "127.0.0.1", s.getPort(), true);
          t.setUseClientMode(false);
          t.startHandshake();
          protocol = t.getSession().getProtocol();
          s = t;
          in = reader(s);
          out = s.getOutputStream();
        }
        case "DATA" -> {
          write(out, "354 go ahead");
          StringBuilder text = new StringBuilder();
          for (String l = in.readLine(); l != null && !l.equals("."); l = in.readLine()) {
            if (text.length() > (4 << 20)) {
              throw new IOException("message over 4 MiB");
            }
            text.append(l.startsWith("..") ? l.substring(1) : l).append("\r\n");
          }
          received.add(new Received(text.toString(), protocol));
          write(out, "250 2.0.0 queued");
        }
        case "QUIT" -> {
          write(out, "221 2.0.0 bye");
          return;
        }
        default -> write(out, "250 2.0.0 ok");
      }
    }
  }

  private static BufferedReader reader(Socket s) throws IOException {
    return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1), 1024);
  }

  private static void write(OutputStream out, String reply) throws IOException {
    out.write((reply + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    server.close();
    thread.join(5000);
  }
}
