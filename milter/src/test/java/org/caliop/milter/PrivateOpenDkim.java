package org.caliop.milter;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenDKIM of its own from the distribution's binaries ({@code opendkim}, {@code opendkim-genkey},
 * {@code opendkim-testmsg}; .ci/run installs them) on a free loopback port: a verifier ({@link #start}) or a signer
 * ({@link #startSigner}). Public keys come from a file ({@code TestPublicKeys}), never from DNS, so the tests need no
 * network; a verifier can be given a signer's keys ({@link #startVerifier}). Signs test messages with
 * {@code opendkim-testmsg}, which writes rsa-sha1 signatures: the published keys carry no {@code h=} restriction
 * so OpenDKIM accepts them.
 */
final class PrivateOpenDkim implements AutoCloseable {
  static final Path OPENDKIM = Path.of("/usr/sbin/opendkim");
  static final Path GENKEY = Path.of("/usr/sbin/opendkim-genkey");
  static final Path TESTMSG = Path.of("/usr/sbin/opendkim-testmsg");
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

  private final Path dir;
  private final Process process;
  private final int port;
  /** {@code sel._domainkey.DOMAIN RECORD} lines: the keys this instance made, as a verifier finds them. */
  private final String published;

  private PrivateOpenDkim(Path dir, Process process, int port, String published) {
    this.dir = dir;
    this.process = process;
    this.port = port;
    this.published = published;
  }

  static boolean available() {
    return Files.isExecutable(OPENDKIM) && Files.isExecutable(GENKEY) && Files.isExecutable(TESTMSG);
  }

  /**
   * Makes a key per signing domain (selector {@code sel}), publishes them in the test key file and starts the
   * verifier.
   *
   * @param authservId the authserv-id OpenDKIM writes into its {@code Authentication-Results}
   * @param domains the domains whose keys the verifier can find
   */
  static PrivateOpenDkim start(Path dir, String authservId, List<String> domains)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    String published = makeKeys(dir, domains, 1024);
    return launch(dir, published, List.of("Mode v", "AuthservID " + authservId, "AlwaysAddARHeader yes"));
  }

  /**
   * A verifier that finds the keys of {@code signers} (and of no other domain).
   *
   * @param authservId the authserv-id of its {@code Authentication-Results}
   */
  static PrivateOpenDkim startVerifier(Path dir, String authservId, PrivateOpenDkim... signers)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    StringBuilder published = new StringBuilder();
    for (PrivateOpenDkim s : signers) {
      published.append(s.published);
    }
    return launch(dir, published.toString(), List.of("Mode v", "AuthservID " + authservId, "AlwaysAddARHeader yes"));
  }

  /**
   * A signer for {@code domain} (selector {@code sel}, a 2048-bit key, rsa-sha256, relaxed/relaxed), signing what
   * comes from 127.0.0.1 with a {@code From:} in that domain, as OpenDKIM does by default ({@code InternalHosts}).
   */
  static PrivateOpenDkim startSigner(Path dir, String domain) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    String published = makeKeys(dir, List.of(domain), 2048);
    // RequireSafeKeys off: the key lies under the test's temporary directory, below a world-writable /tmp
    return launch(dir, published, List.of("Mode s", "Domain " + domain, "Selector sel",
        "KeyFile " + dir.resolve(domain).resolve("sel.private"), "Canonicalization relaxed/relaxed",
        "RequireSafeKeys no"));
  }

  private static String makeKeys(Path dir, List<String> domains, int bits) throws IOException, InterruptedException {
    StringBuilder published = new StringBuilder();
    for (String domain : domains) {
      Path keys = Files.createDirectories(dir.resolve(domain));
      PrivatePostfix.run(List.of(GENKEY.toString(), "-D", keys.toString(), "-d", domain, "-s", "sel", "-b",
          Integer.toString(bits)));
      published.append("sel._domainkey.").append(domain).append(' ').append(publicRecord(keys.resolve("sel.txt")))
          .append('\n');
    }
    return published.toString();
  }

  private static PrivateOpenDkim launch(Path dir, String published, List<String> settings)
      throws IOException, InterruptedException {
    Path keyFile = dir.resolve("public-keys.txt");
    Files.writeString(keyFile, published);
    Path conf = dir.resolve("opendkim.conf");
    List<String> lines = new ArrayList<>(settings);
    lines.addAll(List.of("Syslog no", "TestPublicKeys " + keyFile, "PidFile " + dir.resolve("opendkim.pid"), ""));
    Files.writeString(conf, String.join("\n", lines));
    int port = PrivatePostfix.freePort();
    Process p = new ProcessBuilder(OPENDKIM.toString(), "-f", "-x", conf.toString(), "-p",
        "inet:" + port + "@127.0.0.1")
        .redirectErrorStream(true).redirectOutput(dir.resolve("opendkim.log").toFile()).start();
    PrivateOpenDkim d = new PrivateOpenDkim(dir, p, port, published);
    d.awaitListening();
    return d;
  }

  /** The {@code smtpd_milters} entry. */
  String milter() {
    return "inet:127.0.0.1:" + port;
  }

  /** The message with a DKIM-Signature of {@code domain} (selector sel) on top. */
  String sign(String message, String domain) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(TESTMSG.toString(), "-d", domain, "-s", "sel", "-k",
        dir.resolve(domain).resolve("sel.private").toString(), "-t", dir.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    p.getOutputStream().write(message.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String signed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || !signed.startsWith("DKIM-Signature:")) {
      throw new IOException("opendkim-testmsg could not sign for " + domain + ": " + signed);
    }
    return signed.replace("\n", "\r\n");
  }

  String log() throws IOException {
    Path log = dir.resolve("opendkim.log");
    return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  /** The TXT record genkey wrote, without {@code h=sha256}, so the rsa-sha1 signatures of testmsg verify. */
  private static String publicRecord(Path txt) throws IOException {
    Matcher m = QUOTED.matcher(Files.readString(txt));
    List<String> parts = new ArrayList<>();
    while (m.find()) {
      parts.add(m.group(1));
    }
    return String.join("", parts).replace(" h=sha256;", "");
  }

  private void awaitListening() throws IOException, InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        if (!process.isAlive() || System.nanoTime() > end) {
          throw new IOException("opendkim did not listen on " + port + ": " + log());
        }
        Thread.sleep(50);
      }
    }
  }
}
