package org.caliop.milter;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Postfix instance of its own, from the distribution's binaries: config, queue and data directories under one
 * temporary directory, smtpd on free loopback ports (one per milter socket under test), STARTTLS with a certificate
 * made now, and every message delivered by a {@code pipe} transport into a directory the test reads. Touches
 * nothing of the system Postfix. Needs root (as CI runs).
 */
final class PrivatePostfix implements AutoCloseable {
  static final Path POSTFIX = Path.of("/usr/sbin/postfix");

  private final Path dir;
  private final Path conf;
  private final Path out;
  private final Map<String, Integer> smtpPorts;

  private PrivatePostfix(Path dir, Map<String, Integer> smtpPorts) {
    this.dir = dir;
    this.conf = dir.resolve("conf");
    this.out = dir.resolve("out");
    this.smtpPorts = smtpPorts;
  }

  static boolean available() {
    return Files.isExecutable(POSTFIX) && Files.isExecutable(Path.of("/usr/bin/openssl"))
        && "root".equals(System.getProperty("user.name"));
  }

  /**
   * @param milters smtpd name to its {@code smtpd_milters} value; each gets its own smtpd on a free port
   */
  static PrivatePostfix start(Path dir, Map<String, String> milters) throws IOException, InterruptedException {
    return start(dir, milters, Map.of(), List.of());
  }

  /**
   * @param milters smtpd name to its {@code smtpd_milters} value; each gets its own smtpd on a free port
   * @param options smtpd name to more {@code -o name=value} options of its {@code master.cf} line
   * @param mainCf more {@code main.cf} lines (e.g. {@code non_smtpd_milters = ...})
   */
  static PrivatePostfix start(Path dir, Map<String, String> milters, Map<String, List<String>> options,
      List<String> mainCf) throws IOException, InterruptedException {
    Map<String, Integer> ports = new java.util.LinkedHashMap<>();
    StringBuilder master = new StringBuilder();
    for (Map.Entry<String, String> e : milters.entrySet()) {
      int port = freePort();
      ports.put(e.getKey(), port);
      master.append("127.0.0.1:").append(port).append(" inet n - n - - smtpd -o smtpd_milters=")
          .append(e.getValue()).append(" -o syslog_name=postfix/").append(e.getKey());
      for (String o : options.getOrDefault(e.getKey(), List.of())) {
        master.append(" -o ").append(o);
      }
      master.append('\n');
    }
    return start(dir, master.toString(), ports, mainCf);
  }

  /**
   * A Postfix with these {@code master.cf} services (a fragment in master.cf syntax, comments and continuation
   * lines allowed; a service it defines, such as {@code pickup}, replaces the one this class would define) and these
   * {@code main.cf} lines, after the ones this class writes.
   *
   * @param ports name to port of each loopback SMTP listener the fragment defines, for {@link #smtpPort}; each is
   *     awaited before this returns
   */
  static PrivatePostfix start(Path dir, String masterFragment, Map<String, Integer> ports, List<String> mainCf)
      throws IOException, InterruptedException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Path queue = Files.createDirectories(dir.resolve("queue"));
    Path data = Files.createDirectories(dir.resolve("data"));
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
    run(List.of("chown", "postfix", data.toString()));
    Path deliver = dir.resolve("deliver.sh");
    // One file per recipient, written under a temporary name and renamed, so the test never reads half a file.
    Files.writeString(deliver, "#!/bin/sh\nf=\"$1/$2-$3.eml\"\ncat > \"$f.tmp\" && mv \"$f.tmp\" \"$f\"\n");
    Files.setPosixFilePermissions(deliver, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path dynamicMaps = Path.of("/etc/postfix/dynamicmaps.cf");
    if (Files.exists(dynamicMaps)) {
      Files.copy(dynamicMaps, conf.resolve("dynamicmaps.cf"));
    }
    run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-days", "2", "-subj", "/CN=mx.caliop.test", "-keyout", dir.resolve("key.pem").toString(), "-out",
        dir.resolve("cert.pem").toString()));
    Files.setPosixFilePermissions(dir.resolve("key.pem"), PosixFilePermissions.fromString("rw-r--r--"));

    String main = String.join("\n",
        "compatibility_level = 3.6",
        "queue_directory = " + queue,
        "data_directory = " + data,
        "mail_owner = postfix",
        "default_privs = nobody",
        "setgid_group = postdrop",
        "myhostname = mx.caliop.test",
        "mydomain = caliop.test",
        "mydestination =",
        "inet_interfaces = 127.0.0.1",
        "inet_protocols = ipv4",
        "mynetworks = 127.0.0.0/8",
        "relay_domains =",
        "smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination",
        "alias_maps =",
        "alias_database =",
        "default_transport = deliver",
        "local_transport = deliver",
        "relay_transport = deliver",
        "deliver_destination_recipient_limit = 1",
        "maillog_file = " + dir.resolve("maillog"),
        "maillog_file_prefixes = " + dir,
        "smtpd_tls_security_level = may",
        "smtpd_tls_cert_file = " + dir.resolve("cert.pem"),
        "smtpd_tls_key_file = " + dir.resolve("key.pem"),
        "milter_protocol = 6",
        "milter_default_action = tempfail",
        // What docs/milter.md asks for; caliop also requests them itself during negotiation.
        "milter_connect_macros = j {daemon_name} {daemon_addr} {daemon_port} {client_addr} {client_name}"
            + " {client_ptr} _ v",
        "milter_helo_macros = {tls_version} {cipher} {cipher_bits} {cert_subject} {cert_issuer}",
        "milter_mail_macros = i {auth_type} {auth_authen} {auth_author} {mail_addr}",
        "milter_end_of_data_macros = i",
        String.join("\n", mainCf),
        "");
    Files.writeString(conf.resolve("main.cf"), main);

    java.util.Set<String> defined = services(masterFragment);
    StringBuilder master = new StringBuilder(masterFragment).append('\n');
    for (String base : List.of(
        "pickup    unix n - n 60 1 pickup",
        "cleanup   unix n - n - 0 cleanup",
        "qmgr      unix n - n 300 1 qmgr",
        "tlsmgr    unix - - n 1000? 1 tlsmgr",
        "rewrite   unix - - n - - trivial-rewrite",
        "bounce    unix - - n - 0 bounce",
        "defer     unix - - n - 0 bounce",
        "trace     unix - - n - 0 bounce",
        "verify    unix - - n - 1 verify",
        "flush     unix n - n 1000? 0 flush",
        "proxymap  unix - - n - - proxymap",
        "smtp      unix - - n - - smtp",
        "relay     unix - - n - - smtp",
        "showq     unix n - n - - showq",
        "error     unix - - n - - error",
        "retry     unix - - n - - error",
        "discard   unix - - n - - discard",
        "anvil     unix - - n - 1 anvil",
        "scache    unix - - n - 1 scache",
        "postlog   unix-dgram n - n - 1 postlogd",
        "deliver   unix - n n - - pipe flags=q user=nobody argv=" + dir.resolve("deliver.sh") + " "
            + dir.resolve("out") + " ${queue_id} ${recipient}")) {
      if (!defined.containsAll(services(base))) {
        master.append(base).append('\n');
      }
    }
    Files.writeString(conf.resolve("master.cf"), master.toString());
    PrivatePostfix p = new PrivatePostfix(dir, Map.copyOf(ports));
    p.postfix("start");
    p.awaitListening();
    return p;
  }

  /** {@code name/type} of every service a master.cf text defines. */
  private static java.util.Set<String> services(String masterText) {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (String line : masterText.split("\n")) {
      if (line.isBlank() || line.startsWith("#") || Character.isWhitespace(line.charAt(0))) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      if (f.length > 1) {
        out.add(f[0] + "/" + f[1]);
      }
    }
    return out;
  }

  int smtpPort(String name) {
    return smtpPorts.get(name);
  }

  Path deliveredDirectory() {
    return out;
  }

  /** Delivered files whose content contains {@code marker}, waiting up to {@code timeout} for at least one. */
  List<Path> awaitDelivered(String marker, Duration timeout) throws IOException, InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Path> found = delivered(marker);
      if (!found.isEmpty() || System.nanoTime() > end) {
        return found;
      }
      Thread.sleep(50);
    }
  }

  List<Path> delivered(String marker) throws IOException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".eml")).toList()) {
        if (Files.readString(f, StandardCharsets.ISO_8859_1).contains(marker)) {
          found.add(f);
        }
      }
    }
    return found;
  }

  /**
   * Submits a message locally with this instance's {@code sendmail(1)} (postdrop, then pickup and cleanup, where
   * {@code non_smtpd_milters} apply), as a web application or cron job would.
   */
  void sendmail(String from, String to, byte[] message) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("/usr/sbin/sendmail", "-C", conf.toString(), "-i", "-f", from, to)
        .redirectErrorStream(true).start();
    try (java.io.OutputStream in = p.getOutputStream()) {
      in.write(message);
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("sendmail failed: " + output);
    }
  }

  /** {@code postconf -e NAME=VALUE ...} on this instance's main.cf, then {@code postfix reload}. */
  void postconf(String... settings) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("postconf", "-c", conf.toString(), "-e"));
    command.addAll(List.of(settings));
    run(command);
    postfix("reload");
  }

  /** The configuration directory ({@code postconf -c} takes it). */
  Path configDirectory() {
    return conf;
  }

  /** {@code postqueue -f}: deliver what is deferred now. */
  void flush() throws IOException, InterruptedException {
    run(List.of("postqueue", "-c", conf.toString(), "-f"));
  }

  /** The certificate and key made at start (PEM), for a test's own TLS server. */
  Path certificate() {
    return dir.resolve("cert.pem");
  }

  Path privateKey() {
    return dir.resolve("key.pem");
  }

  /** {@code postqueue -p}. */
  String queue() throws IOException, InterruptedException {
    return run(List.of("postqueue", "-c", conf.toString(), "-p"));
  }

  /** {@code postcat -q ID}: envelope, headers and body of a queued message. */
  String postcat(String queueId) throws IOException, InterruptedException {
    return run(List.of("postcat", "-c", conf.toString(), "-q", queueId));
  }

  /** Waits until the active and incoming queues are empty (everything delivered, deferred or held). */
  void awaitQueueSettled(Duration timeout) throws IOException, InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    Path queue = dir.resolve("queue");
    while (System.nanoTime() < end) {
      if (empty(queue.resolve("incoming")) && empty(queue.resolve("active"))) {
        return;
      }
      Thread.sleep(50);
    }
  }

  String maillog() throws IOException {
    Path log = dir.resolve("maillog");
    return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
  }

  @Override
  public void close() throws IOException, InterruptedException {
    Path pidFile = dir.resolve("queue/pid/master.pid");
    String pid = Files.exists(pidFile) ? Files.readString(pidFile).trim() : "";
    try {
      postfix("stop");
    } catch (IOException e) {
      postfix("abort");
    }
    // postfix stop signals the master and returns; wait for it so the directory can be deleted.
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!pid.isEmpty() && Files.exists(Path.of("/proc", pid)) && System.nanoTime() < end) {
      Thread.sleep(50);
    }
  }

  private void postfix(String command) throws IOException, InterruptedException {
    run(List.of(POSTFIX.toString(), "-c", conf.toString(), command));
  }

  private void awaitListening() throws IOException, InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (int port : smtpPorts.values()) {
      while (true) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
          break;
        } catch (IOException e) {
          if (System.nanoTime() > end) {
            throw new IOException("postfix did not listen on " + port + "\n" + maillog());
          }
          Thread.sleep(50);
        }
      }
    }
  }

  private static boolean empty(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return true;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.noneMatch(Files::isRegularFile);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(command + " did not finish");
    }
    if (p.exitValue() != 0) {
      throw new IOException(command + " exited " + p.exitValue() + ": " + output);
    }
    return output;
  }

}
