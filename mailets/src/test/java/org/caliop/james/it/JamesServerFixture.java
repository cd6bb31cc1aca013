package org.caliop.james.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.mail.Address;
import javax.mail.Flags;
import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Store;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.james.GuiceJamesServer;
import org.apache.james.MemoryJamesServerMain;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.modules.data.MemoryUsersRepositoryModule;
import org.apache.james.modules.protocols.ImapGuiceProbe;
import org.apache.james.modules.protocols.SmtpGuiceProbe;
import org.apache.james.server.core.configuration.Configuration;
import org.apache.james.utils.DataProbeImpl;
import org.apache.james.utils.GuiceProbe;
import org.apache.james.utils.MailRepositoryProbeImpl;
import org.apache.mailet.Mail;

import com.google.inject.multibindings.Multibinder;

/**
 * A real James 3.8.1 memory server, configured from {@code examples/james/}, with the packaged caliop jars in its
 * {@code extensions-jars} folder and none of our classes on the class path (failsafe excludes them): exactly what
 * an operator's James loads. One per test class.
 */
final class JamesServerFixture implements AutoCloseable {
  static final String DOMAIN = "caliop.test";
  static final String PASSWORD = "secret";
  static final String KEYSTORE_SECRET = "james72laBalle";
  static final Path EXAMPLES = Path.of("../examples/james");
  static final MailRepositoryUrl HOLD = MailRepositoryUrl.from("file://var/mail/caliop-hold/");
  /** CALIOP_ENCRYPT_POLICY_FILE: what the relay processor would send out (no Internet in a test). */
  static final MailRepositoryUrl RELAYED = MailRepositoryUrl.from("file://var/mail/relayed/");
  private static final List<String> TEST_CONF = List.of("dnsservice.xml", "domainlist.xml", "imapserver.xml",
      "mailrepositorystore.xml", "recipientrewritetable.xml", "usersrepository.xml");

  private final GuiceJamesServer server;
  private final Path workDir;

  private JamesServerFixture(GuiceJamesServer server, Path workDir) {
    this.server = server;
    this.workDir = workDir;
  }

  /** Which parts of the example configuration a server runs with. */
  enum Variant {
    /** examples/james as shipped, with the integration test's policy. */
    CALIOP_IT_POLICY,
    /** examples/james as shipped, with it-policy/caliop-policy.yaml as policyFile everywhere. */
    CALIOP_POLICY_FILE,
    /**
     * examples/james with it-policy/caliop-encrypt-policy.yaml, the OpenPGP keys of bob@caliop.test,
     * charlie@caliop.test and ext@partner.test, and the relay processor storing into {@link #RELAYED} instead of
     * sending out.
     */
    CALIOP_ENCRYPT_POLICY_FILE,
    /** examples/james as shipped, with the clients' proof policy (../clients/test/proof-policy.yaml). */
    CLIENTS_PROOF_POLICY_FILE,
    /** examples/james as shipped, with it-policy/caliop-geo-policy.yaml and the test country database beside it. */
    CALIOP_GEO_POLICY_FILE,
    /**
     * examples/james without StripForeignHeaders (CaliopScore alone removes forged fields), with
     * it-policy/caliop-edges-policy.yaml (a user rule, a recipient delimiter).
     */
    CALIOP_SCORE_ALONE,
    /** examples/james as shipped, built-in policy. */
    CALIOP,
    /** examples/james without CaliopSmtpPolicyHook: TLS hook and mailets only. */
    CALIOP_MAILETS_ONLY,
    /** As CALIOP_MAILETS_ONLY, with CaliopScore's applyHeaders=false: judged, message left unchanged. */
    CALIOP_NO_HEADER_EDITS,
    /** examples/james with every caliop part removed: James alone. */
    BARE
  }

  static JamesServerFixture start(Path workDir, String... users) throws Exception {
    return start(workDir, Variant.CALIOP_IT_POLICY, users);
  }

  static JamesServerFixture start(Path workDir, Variant variant, String... users) throws Exception {
    return start(workDir, variant, Path.of(System.getProperty("caliop.james.jar")),
        Path.of(System.getProperty("caliop.hooks.jar")), users);
  }

  /** With the plugin and hooks jars of another build (the throughput benchmark compares two). */
  static JamesServerFixture start(Path workDir, Variant variant, Path pluginJar, Path hooksJar, String... users)
      throws Exception {
    Path conf = Files.createDirectories(workDir.resolve("conf"));
    for (String name : TEST_CONF) {
      Files.copy(Path.of("src/test/resources/james-conf").resolve(name), conf.resolve(name));
    }
    String policyComment = "<!-- <policyFile>/root/conf/caliop-policy.yaml</policyFile> -->";
    String policy = policyComment;
    if (variant == Variant.CALIOP_IT_POLICY) {
      policy = "<policyClass>org.caliop.it.ItPolicy</policyClass>";
    } else if (variant == Variant.CALIOP_POLICY_FILE || variant == Variant.CALIOP_ENCRYPT_POLICY_FILE
        || variant == Variant.CALIOP_GEO_POLICY_FILE || variant == Variant.CALIOP_SCORE_ALONE) {
      String name = variant == Variant.CALIOP_POLICY_FILE ? "caliop-policy.yaml"
          : variant == Variant.CALIOP_ENCRYPT_POLICY_FILE ? "caliop-encrypt-policy.yaml"
          : variant == Variant.CALIOP_SCORE_ALONE ? "caliop-edges-policy.yaml" : "caliop-geo-policy.yaml";
      if (variant == Variant.CALIOP_GEO_POLICY_FILE) {
        Files.copy(Path.of("../policy/src/test/resources/geo/test-country.mmdb"), conf.resolve("test-country.mmdb"));
      }
      Path file = conf.resolve(name);
      Files.copy(Path.of("src/test/resources/it-policy").resolve(name), file);
      Path keys = Files.createDirectories(conf.resolve("keys"));
      Files.copy(Path.of("../../shared/fixtures/pgp/bob-public.asc"), keys.resolve("bob@" + DOMAIN + ".asc"));
      if (variant == Variant.CALIOP_ENCRYPT_POLICY_FILE) {
        Files.copy(Path.of("../../shared/fixtures/pgp/charlie-public.asc"), keys.resolve("charlie@" + DOMAIN + ".asc"));
        Files.copy(Path.of("../../shared/fixtures/pgp/dom-public.asc"), keys.resolve("ext@partner.test.asc"));
      }
      policy = "<policyFile>" + file.toAbsolutePath() + "</policyFile>";
    } else if (variant == Variant.CLIENTS_PROOF_POLICY_FILE) {
      Path file = conf.resolve("proof-policy.yaml");
      Files.copy(Path.of("../clients/test/proof-policy.yaml"), file);
      policy = "<policyFile>" + file.toAbsolutePath() + "</policyFile>";
    }
    String smtp = replacing(EXAMPLES.resolve("smtpserver.xml"), "<bind>0.0.0.0:25</bind>", 1,
        "<bind>127.0.0.1:0</bind>");
    smtp = replacing(smtp, policyComment, 1, policy);
    if (variant == Variant.CLIENTS_PROOF_POLICY_FILE) {
      // The name James writes in Received and caliop in by=: fixed, as the Postfix of the milter's half has it.
      smtp = replacing(smtp, "<bind>127.0.0.1:0</bind>", 1,
          "<bind>127.0.0.1:0</bind>\n        <helloName autodetect=\"false\">mx.caliop.test</helloName>");
    }
    String mailets = replacing(Files.readString(EXAMPLES.resolve("mailetcontainer.xml")), policyComment, 2, policy);
    if (variant == Variant.CALIOP_NO_HEADER_EDITS) {
      mailets = replacing(mailets, "<onError>error</onError>", 1,
          "<onError>error</onError>\n                <applyHeaders>false</applyHeaders>");
    }
    if (variant == Variant.CALIOP_MAILETS_ONLY || variant == Variant.CALIOP_NO_HEADER_EDITS
        || variant == Variant.BARE) {
      smtp = removing(smtp, "(?s)<!-- caliop: refuse[^>]*-->\\s*"
          + "<handler class=\"org.caliop.james.smtp.CaliopSmtpPolicyHook\">.*?</handler>");
    }
    if (variant == Variant.CALIOP_ENCRYPT_POLICY_FILE) {
      mailets = replacingAll(mailets, "(?s)<mailet match=\"All\" class=\"RemoteDelivery\">.*?</mailet>",
          "<mailet match=\"All\" class=\"ToRepository\"><repositoryPath>" + RELAYED.asString()
          + "</repositoryPath></mailet>");
    }
    if (variant == Variant.CALIOP_SCORE_ALONE) {
      mailets = removing(mailets, "<mailet match=\"All\" class=\"org.caliop.james.mailets.StripForeignHeaders\"/>");
    }
    if (variant == Variant.BARE) {
      smtp = removing(smtp, "<!-- caliop: record[^>]*-->\\s*"
          + "<handler class=\"org.caliop.james.smtp.CaliopTlsHook\"/>");
      mailets = removing(mailets, "(?s)<!-- caliop: begin -->.*<!-- caliop: end -->");
    }
    Files.writeString(conf.resolve("smtpserver.xml"), smtp);
    Files.writeString(conf.resolve("mailetcontainer.xml"), mailets);
    keystore(conf.resolve("keystore"));

    Path extensions = Files.createDirectories(workDir.resolve("extensions-jars"));
    Files.copy(pluginJar, extensions.resolve(pluginJar.getFileName()));
    Files.copy(hooksJar, extensions.resolve(hooksJar.getFileName()));
    compilePolicy(pluginJar, extensions.resolve("caliop-it-policy.jar"), workDir.resolve("it-policy"));
    return boot(workDir, users);
  }

  /**
   * Starts James again on a working directory that {@link #start} prepared (JamesKillIT: after a kill -9). The
   * memory app keeps users and domains in memory, so they are added again.
   */
  static JamesServerFixture boot(Path workDir, String... users) throws Exception {
    GuiceJamesServer server = GuiceJamesServer
        .forConfiguration(Configuration.builder().workingDirectory(workDir.toFile()).build())
        .combineWith(MemoryJamesServerMain.SMTP_AND_IMAP_MODULE, new MemoryUsersRepositoryModule())
        .overrideWith(binder -> {
          Multibinder<GuiceProbe> probes = Multibinder.newSetBinder(binder, GuiceProbe.class);
          probes.addBinding().to(MailRepositoryProbeImpl.class);
          probes.addBinding().to(InboxCountProbe.class);
          probes.addBinding().to(MetricsProbe.class);
        });
    server.start();
    DataProbeImpl data = server.getProbe(DataProbeImpl.class);
    if (!data.containsDomain(DOMAIN)) {
      data.addDomain(DOMAIN);
    }
    for (String user : users) {
      data.addUser(user + "@" + DOMAIN, PASSWORD);
    }
    return new JamesServerFixture(server, workDir);
  }

  int smtpPort() {
    return server.getProbe(SmtpGuiceProbe.class).getSmtpPort().getValue();
  }

  int imapPort() {
    return server.getProbe(ImapGuiceProbe.class).getImapPort();
  }

  /**
   * Makes {@code alias} (in a domain this James serves, added when it is not yet) an address mapping of {@code to}
   * in James's RecipientRewriteTable, as an admin does with {@code james-cli addaddressmapping}.
   */
  void addAlias(String alias, String to) throws Exception {
    DataProbeImpl data = server.getProbe(DataProbeImpl.class);
    String domain = alias.substring(alias.indexOf('@') + 1);
    if (!data.containsDomain(domain)) {
      data.addDomain(domain);
    }
    data.addAddressMapping(alias.substring(0, alias.indexOf('@')), domain, to);
  }

  long heldCount() throws Exception {
    return server.getProbe(MailRepositoryProbeImpl.class).getRepositoryMailCount(HOLD);
  }

  /** The Subject of each mail in caliop's hold repository, each read back from it. */
  List<String> heldSubjects() throws Exception {
    MailRepositoryProbeImpl probe = server.getProbe(MailRepositoryProbeImpl.class);
    List<String> out = new ArrayList<>();
    for (MailKey key : probe.listMailKeys(HOLD)) {
      Mail mail = probe.getMail(HOLD, key);
      try {
        out.add(mail.getMessage().getSubject());
      } finally {
        LifecycleUtil.dispose(mail);
      }
    }
    return out;
  }

  /** A user in another domain than {@link #DOMAIN} (added when this James does not serve it yet). */
  void addUserAt(String address) throws Exception {
    DataProbeImpl data = server.getProbe(DataProbeImpl.class);
    String domain = address.substring(address.indexOf('@') + 1);
    if (!data.containsDomain(domain)) {
      data.addDomain(domain);
    }
    data.addUser(address, PASSWORD);
  }

  /**
   * Waits for a mail with this Subject in a repository and returns its envelope recipients and raw message bytes,
   * or null past the timeout.
   */
  Map.Entry<List<String>, byte[]> awaitInRepository(MailRepositoryUrl url, String subject,
      Duration timeout) throws Exception {
    MailRepositoryProbeImpl probe = server.getProbe(MailRepositoryProbeImpl.class);
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      for (MailKey key : probe.listMailKeys(url)) {
        Mail mail = probe.getMail(url, key);
        if (mail != null && subject.equals(mail.getMessage().getSubject())) {
          List<String> to = new ArrayList<>();
          mail.getRecipients().forEach(r -> to.add(r.asString()));
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          mail.getMessage().writeTo(out);
          return Map.entry(to, out.toByteArray());
        }
      }
      if (Instant.now().isAfter(deadline)) {
        return null;
      }
      Thread.sleep(100);
    }
  }

  Path workDir() {
    return workDir;
  }

  /**
   * Sends raw message bytes over SMTP from 127.0.0.1, with or without STARTTLS (required when asked).
   *
   * @throws MessagingException with the server's reply when it refuses
   */
  void send(byte[] raw, String from, boolean startTls, String... to) throws MessagingException {
    send(smtpPort(), raw, from, startTls, to);
  }

  /** As {@link #send(byte[], String, boolean, String...)}, to a James on this port (JamesKillIT's child JVM). */
  static void send(int smtpPort, byte[] raw, String from, boolean startTls, String... to) throws MessagingException {
    Properties props = new Properties();
    props.put("mail.smtp.host", "127.0.0.1");
    props.put("mail.smtp.port", String.valueOf(smtpPort));
    props.put("mail.smtp.localhost", "client.caliop.test");
    props.put("mail.smtp.from", from);
    props.put("mail.smtp.starttls.enable", String.valueOf(startTls));
    props.put("mail.smtp.starttls.required", String.valueOf(startTls));
    props.put("mail.smtp.ssl.trust", "*");
    props.put("mail.smtp.ssl.checkserveridentity", "false");
    props.put("mail.smtp.connectiontimeout", "10000");
    props.put("mail.smtp.timeout", "30000");
    Session session = Session.getInstance(props);
    MimeMessage message = new MimeMessage(session, new java.io.ByteArrayInputStream(raw));
    Address[] recipients = new Address[to.length];
    for (int i = 0; i < to.length; i++) {
      recipients[i] = new InternetAddress(to[i]);
    }
    try (Transport transport = session.getTransport("smtp")) {
      transport.connect();
      transport.sendMessage(message, recipients);
    }
  }

  /**
   * Sends the bytes as they are (no client library parsing them first, which would split a bare CR) in one plain
   * SMTP session from 127.0.0.1; returns the server's reply to the end of data, or to the first command it refused
   * ({@code 550 5.7.1 ...}).
   */
  String sendRaw(byte[] data, String from, String... to) throws IOException {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", smtpPort())) {
      socket.setSoTimeout(60_000);
      java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          StandardCharsets.ISO_8859_1));
      OutputStream out = socket.getOutputStream();
      String reply = reply(in);
      List<String> commands = new ArrayList<>();
      commands.add("EHLO client.caliop.test");
      commands.add("MAIL FROM:<" + from + ">");
      for (String rcpt : to) {
        commands.add("RCPT TO:<" + rcpt + ">");
      }
      commands.add("DATA");
      for (String command : commands) {
        out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        reply = reply(in);
        if (!reply.startsWith("2") && !reply.startsWith("3")) {
          return reply;
        }
      }
      ByteArrayOutputStream stuffed = new ByteArrayOutputStream(data.length + 64);
      boolean lineStart = true;
      for (byte b : data) {
        if (lineStart && b == '.') {
          stuffed.write('.');
        }
        stuffed.write(b);
        lineStart = b == '\n';
      }
      stuffed.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
      out.write(stuffed.toByteArray());
      out.flush();
      reply = reply(in);
      out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return reply;
    }
  }

  private static String reply(java.io.BufferedReader in) throws IOException {
    StringBuilder text = new StringBuilder();
    String line;
    while ((line = in.readLine()) != null) {
      text.append(line).append('\n');
      if (line.length() < 4 || line.charAt(3) != '-') {
        return text.toString().trim();
      }
    }
    throw new IOException("connection closed after: " + text);
  }

  /** Waits for a message with this Subject in the user's INBOX and returns its raw bytes. */
  byte[] awaitMessage(String user, String subject, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      byte[] found;
      try {
        found = fetch(user, subject);
      } catch (MessagingException e) {
        // James's memory mailbox answers "BAD FETCH failed. Invalid messageset" when a delivery lands between the
        // SELECT and the FETCH (seen under load): the mailbox is fine, ask again.
        found = null;
        if (Instant.now().isAfter(deadline)) {
          throw e;
        }
      }
      if (found != null) {
        return found;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("no message '" + subject + "' for " + user + " within " + timeout);
      }
      Thread.sleep(100);
    }
  }

  /** How many messages the user's INBOX holds, counted inside the server (no IMAP login: the benchmark). */
  long deliveredCount(String user) throws Exception {
    return server.getProbe(InboxCountProbe.class).count(user + "@" + DOMAIN);
  }

  /** Deletes every message of the user's INBOX (the benchmark, between batches). */
  void emptyInbox(String user) throws Exception {
    server.getProbe(InboxCountProbe.class).empty(user + "@" + DOMAIN);
  }

  /** An SMTP session kept open to send many messages (the benchmark). */
  Transport openTransport() throws MessagingException {
    Properties props = new Properties();
    props.put("mail.smtp.host", "127.0.0.1");
    props.put("mail.smtp.port", String.valueOf(smtpPort()));
    props.put("mail.smtp.localhost", "client.caliop.test");
    Transport transport = Session.getInstance(props).getTransport("smtp");
    transport.connect();
    return transport;
  }

  /** The message with this Subject in the user's INBOX (a name in {@link #DOMAIN}, or an address), or null. */
  byte[] fetch(String user, String subject) throws Exception {
    Properties props = new Properties();
    props.put("mail.imap.connectiontimeout", "10000");
    props.put("mail.imap.timeout", "30000");
    Store store = Session.getInstance(props).getStore("imap");
    store.connect("127.0.0.1", imapPort(), user.contains("@") ? user : user + "@" + DOMAIN, PASSWORD);
    try {
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      try {
        for (Message message : inbox.getMessages()) {
          if (subject.equals(message.getSubject()) && !message.isSet(Flags.Flag.DELETED)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return out.toByteArray();
          }
        }
        return null;
      } finally {
        inbox.close(false);
      }
    } finally {
      store.close();
    }
  }

  /** A counter of James's metric registry (-1: none of that name). */
  long counter(String name) {
    return server.getProbe(MetricsProbe.class).counter(name);
  }

  /** How many times a timer of James's metric registry was published (-1: none of that name). */
  long timerCount(String name) {
    return server.getProbe(MetricsProbe.class).timerCount(name);
  }

  @Override
  public void close() {
    server.stop();
  }

  private static String replacing(Path file, String target, int expected, String replacement) throws IOException {
    return replacing(Files.readString(file, StandardCharsets.UTF_8), target, expected, replacement);
  }

  /** Replaces a marker of the example files, failing loudly when the examples no longer carry it. */
  private static String replacing(String text, String target, int expected, String replacement) {
    int count = text.split(java.util.regex.Pattern.quote(target), -1).length - 1;
    if (count != expected) {
      throw new IllegalStateException("examples/james: expected " + expected + " of " + target + ", found " + count);
    }
    return text.replace(target, replacement);
  }

  private static String removing(String text, String regex) {
    return replacingAll(text, regex, "");
  }

  private static String replacingAll(String text, String regex, String replacement) {
    String out = text.replaceAll(regex, replacement);
    if (out.equals(text)) {
      throw new IllegalStateException("examples/james: nothing matches " + regex);
    }
    return out;
  }

  private static void keystore(Path file) throws IOException, InterruptedException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "james", "-keyalg", "RSA",
        "-keysize", "2048", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", KEYSTORE_SECRET,
        "-keypass", KEYSTORE_SECRET, "-dname", "CN=localhost", "-validity", "2").redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
  }

  /** Compiles the test policy against the packaged plugin jar, into its own jar for extensions-jars. */
  private static void compilePolicy(Path pluginJar, Path targetJar, Path classes) throws IOException {
    Path source = Path.of("src/test/resources/it-policy/org/caliop/it/ItPolicy.java");
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc = javac.run(null, errors, errors, "--release", "11", "-cp", pluginJar.toString(), "-d",
        classes.toString(), source.toString());
    if (rc != 0) {
      throw new IllegalStateException("cannot compile " + source + ": " + errors);
    }
    try (OutputStream out = Files.newOutputStream(targetJar); JarOutputStream jar = new JarOutputStream(out)) {
      String entry = "org/caliop/it/ItPolicy.class";
      jar.putNextEntry(new JarEntry(entry));
      jar.write(Files.readAllBytes(classes.resolve(entry)));
      jar.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
