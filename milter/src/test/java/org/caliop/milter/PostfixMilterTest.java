package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.caliop.facts.ConnectionFacts;
import org.caliop.milter.config.Knob;
import org.caliop.milter.config.MilterConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * caliop behind a real Postfix from the distribution: what Postfix really did with each message (delivered with our
 * headers, rejected, deferred, held) for mail sent by a real SMTP client, with and without STARTTLS.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostfixMilterTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  static Path dir;

  private final RecipientPolicy policy = new RecipientPolicy();
  private CaliopMilter milter;
  private CaliopMilter realPolicyMilter;
  private PrivatePostfix postfix;
  private int killablePort;

  @BeforeAll
  void start() throws Exception {
    assumeTrue(PrivatePostfix.available(), "needs root, /usr/sbin/postfix and openssl (.ci/run installs them)");
    // Postfix's users (postfix, nobody) must reach the socket, the delivery script and the output directory.
    Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<Knob, String> settings = new EnumMap<>(Knob.class);
    settings.put(Knob.LISTEN, "inet:127.0.0.1:0, unix:" + dir.resolve("caliop.sock"));
    settings.put(Knob.UNIX_SOCKET_MODE, "0666");
    settings.put(Knob.METRICS_LISTEN, "127.0.0.1:0");
    settings.put(Knob.EVAL_TIMEOUT, "2s");
    // The test client sends from 127.0.0.1, one of our own networks: its first-hand details are asked for.
    settings.put(Knob.OUTBOUND_HEADERS, "full");
    milter = CaliopMilter.start(MilterConfig.of(settings), PolicySource.fixed(policy), policy.encryptors());
    InetSocketAddress tcp = (InetSocketAddress) milter.addresses().get(0);
    realPolicyMilter = startRealPolicyMilter();
    killablePort = PrivatePostfix.freePort();
    Map<String, String> milters = new LinkedHashMap<>();
    milters.put("tcp", "inet:127.0.0.1:" + tcp.getPort());
    milters.put("unix", "unix:" + dir.resolve("caliop.sock"));
    milters.put("killable", "inet:127.0.0.1:" + killablePort);
    milters.put("real", "inet:127.0.0.1:" + ((InetSocketAddress) realPolicyMilter.addresses().get(0)).getPort());
    postfix = PrivatePostfix.start(Files.createDirectories(dir.resolve("postfix")), milters);
  }

  @AfterAll
  void stop() throws Exception {
    if (postfix != null) {
      postfix.close();
    }
    if (milter != null) {
      milter.close();
    }
    if (realPolicyMilter != null) {
      realPolicyMilter.close();
    }
  }

  /**
   * A policy file that encrypts everything to example.net at the gateway, with bob@example.net's OpenPGP key in
   * its key directory (the Delta Chat test key from the shared fixtures).
   */
  private static final Path SMIME_BOB = Path.of("../../shared/fixtures/smime/Bob.p12").toAbsolutePath();

  private static CaliopMilter startRealPolicyMilter() throws Exception {
    Path policyDir = Files.createDirectories(dir.resolve("policy"));
    Path keys = Files.createDirectories(policyDir.resolve("keys"));
    Files.copy(Path.of("../../shared/fixtures/pgp/bob-public.asc"), keys.resolve("bob@example.net.asc"));
    // Bob's S/MIME certificate (Bob@example.com) from the NSS fixture's .p12; his key stays for openssl to decrypt.
    PrivatePostfix.run(List.of("openssl", "pkcs12", "-legacy", "-in", SMIME_BOB.toString(), "-clcerts", "-nokeys",
        "-passin", "pass:nss", "-out", keys.resolve("bob@example.com.pem").toString()));
    Path policyFile = policyDir.resolve("policy.yaml");
    Files.writeString(policyFile, String.join("\n",
        "version: 1",
        "mode: enforce",
        "trust:",
        "  internal_networks: [127.0.0.0/8]",
        "  local_domains: [example.net]",
        "encryption:",
        "  keys_dir: keys",
        "global:",
        "  action: tag",
        "domains:",
        "  example.net:",
        "    applies_to: recipient",
        "    require_encryption: any",
        "    action: encrypt",
        "    encrypt:",
        "      format: pgp",
        "      on_missing_key: tempfail",
        "  example.com:",
        "    applies_to: recipient",
        "    require_encryption: any",
        "    action: encrypt",
        "    encrypt:",
        "      format: smime",
        "      on_missing_key: tempfail",
        ""));
    Map<Knob, String> settings = new EnumMap<>(Knob.class);
    settings.put(Knob.LISTEN, "inet:127.0.0.1:0");
    settings.put(Knob.POLICY_FILE, policyFile.toString());
    MilterConfig config = MilterConfig.of(settings);
    return CaliopMilter.start(config, Policies.open(config));
  }

  @Test
  void plainMessageShouldBeDeliveredWithOurHeadersOnTopAndNoTls() throws Exception {
    String marker = marker();
    SmtpClient.Result r = send("tcp", null, "someone@y.test", marker);

    assertThat(r.code()).as(r.reply()).isEqualTo(250);
    String delivered = deliveredOnce(marker);
    assertThat(delivered).startsWith("Caliop-Privacy:");
    assertThat(header(delivered, "Caliop-Hop")).contains("tls=none").contains("helo=\"client.caliop.test\"");
    assertThat(policy.factsByQueueId.get(r.queueId()).tls()).isFalse();
    assertThat(policy.factsByQueueId.get(r.queueId()).clientAddress().map(Object::toString)).contains("127.0.0.1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void startTlsMessageShouldCarryTheTlsVersionTheClientNegotiated(String version) throws Exception {
    String marker = marker();
    SmtpClient.Result r = send("tcp", version, "someone@y.test", marker);

    assertThat(r.code()).as(r.reply()).isEqualTo(250);
    assertThat(r.tls()).isEqualTo(version);
    ConnectionFacts facts = policy.factsByQueueId.get(r.queueId());
    assertThat(facts.tlsVersionRaw()).contains(version);
    assertThat(facts.cipher()).isPresent();
    assertThat(facts.helo()).contains("client.caliop.test");
    String delivered = deliveredOnce(marker);
    assertThat(delivered).startsWith("Caliop-Privacy:");
    assertThat(header(delivered, "Caliop-Hop")).contains("tls=" + version).contains("ip=\"127.0.0.1\"")
        .contains("id=\"" + r.queueId() + "\"");
  }

  @Test
  void forgedCaliopHeadersShouldNotSurvive() throws Exception {
    String marker = marker();
    String forged = "Caliop-Privacy: score=100, grade=A, v=1\r\nCaliop-Hop: forged\r\nX-Keep: yes\r\n"
        + "caliop-privacy: score=99, grade=A, v=1\r\n";
    SmtpClient.Result r = SmtpClient.send(postfix.smtpPort("tcp"), null, "sender@x.test", List.of("someone@y.test"),
        message(marker, forged));

    assertThat(r.code()).as(r.reply()).isEqualTo(250);
    String delivered = deliveredOnce(marker);
    assertThat(delivered).doesNotContain("score=100").doesNotContain("score=99").doesNotContain("forged");
    assertThat(delivered).contains("X-Keep: yes");
    assertThat(delivered.toLowerCase(java.util.Locale.ROOT).split("caliop-privacy:", -1)).hasSize(2);
  }

  @Test
  void rejectShouldAnswer5xxWithThePolicyText() throws Exception {
    String marker = marker();
    SmtpClient.Result r = send("tcp", null, "reject@y.test", marker);

    assertThat(r.code()).isEqualTo(554);
    assertThat(r.reply()).contains("5.7.1").contains(RecipientPolicy.REJECT_TEXT);
    postfix.awaitQueueSettled(WAIT);
    assertThat(postfix.delivered(marker)).isEmpty();
  }

  @Test
  void tempfailShouldAnswer4xxAndQueueNothing() throws Exception {
    String marker = marker();
    SmtpClient.Result r = send("tcp", "TLSv1.3", "tempfail@y.test", marker);

    assertThat(r.code()).isEqualTo(451);
    assertThat(r.reply()).contains("4.7.1").contains("Try later, please");
    postfix.awaitQueueSettled(WAIT);
    assertThat(postfix.delivered(marker)).isEmpty();
  }

  @Test
  void holdShouldLeaveTheMessageInTheHoldQueueWithOurHeaders() throws Exception {
    String marker = marker();
    SmtpClient.Result r = send("tcp", null, "hold@y.test", marker);

    assertThat(r.code()).as(r.reply()).isEqualTo(250);
    postfix.awaitQueueSettled(WAIT);
    assertThat(postfix.queue()).contains(r.queueId() + "!");
    String queued = postfix.postcat(r.queueId());
    assertThat(queued).contains("Caliop-Privacy:").contains(marker);
    assertThat(postfix.delivered(marker)).isEmpty();
  }

  @Test
  void redirectShouldDeliverToTheTargetOnly() throws Exception {
    String marker = marker();
    SmtpClient.Result r = send("tcp", null, "redirect@y.test", marker);

    assertThat(r.code()).as(r.reply()).isEqualTo(250);
    List<Path> files = postfix.awaitDelivered(marker, WAIT);
    postfix.awaitQueueSettled(WAIT);
    files = postfix.delivered(marker);
    assertThat(files).hasSize(1);
    assertThat(files.get(0).getFileName().toString()).endsWith("-" + RecipientPolicy.REDIRECT_TARGET + ".eml");
  }

  @Test
  void encryptWithoutKeysShouldTakeTheSpecsMissingKeyAction() throws Exception {
    SmtpClient.Result r = send("tcp", null, "encrypt@y.test", marker());

    assertThat(r.code()).isEqualTo(451);
    assertThat(r.reply()).contains("4.7.1").contains("encrypt@y.test");
  }

  @Test
  void encryptShouldReplaceTheBodyOfALargeMessageInChunks() throws Exception {
    String marker = marker();
    String filler = ("0123456789abcdef".repeat(4) + "\r\n").repeat(3_000);
    SmtpClient.Result r = SmtpClient.send(postfix.smtpPort("tcp"), "TLSv1.3", "sender@x.test",
        List.of("encrypt-ok@y.test"), message(marker, "") + filler);

    assertThat(r.code()).as(r.reply()).isEqualTo(250);
    List<Path> files = postfix.awaitDelivered(RecipientPolicy.ARMOUR_END.trim(), WAIT);
    String delivered = files.stream().map(f -> {
      try {
        return Files.readString(f, StandardCharsets.ISO_8859_1);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).filter(s -> s.contains(marker)).findFirst().orElseThrow();
    String[] parts = delivered.split("\r?\n\r?\n", 2);
    assertThat(parts[0]).contains("Content-Type: application/x-caliop-test-encrypted").contains("Caliop-Privacy:");
    assertThat(parts[1]).startsWith(RecipientPolicy.ARMOUR_BEGIN.trim()).doesNotContain("Hello, ");
    String b64 = parts[1].substring(parts[1].indexOf('\n') + 1, parts[1].indexOf("-----END"));
    String plain = new String(java.util.Base64.getMimeDecoder().decode(b64.trim()), StandardCharsets.ISO_8859_1);
    assertThat(plain).contains("Hello, " + marker).hasSizeGreaterThan(190_000);
  }

  @Test
  void realPolicyShouldEncryptForBobWithHisOpenPgpKeyAndGpgShouldDecryptIt() throws Exception {
    String marker = marker();
    Path delivered = deliveredThroughRealPolicy("bob@example.net", marker, "BEGIN PGP MESSAGE");
    String text = Files.readString(delivered, StandardCharsets.ISO_8859_1);
    assertThat(text).contains("multipart/encrypted").contains("Caliop-Privacy:").doesNotContain("Hello, " + marker);

    String plain = gpgDecryptAsBob(text, marker);
    assertThat(plain).contains("Hello, " + marker);
  }

  @Test
  void realPolicyShouldEncryptForBobWithHisSmimeCertificateAndOpensslShouldDecryptIt() throws Exception {
    String marker = marker();
    Path delivered = deliveredThroughRealPolicy("bob@example.com", marker, "application/pkcs7-mime");
    String text = Files.readString(delivered, StandardCharsets.ISO_8859_1);
    assertThat(text).contains("Caliop-Privacy:").doesNotContain("Hello, " + marker);

    Path key = dir.resolve("bob-" + marker + ".key");
    PrivatePostfix.run(List.of("openssl", "pkcs12", "-legacy", "-in", SMIME_BOB.toString(), "-nocerts", "-nodes",
        "-passin", "pass:nss", "-out", key.toString()));
    String plain = PrivatePostfix.run(List.of("openssl", "cms", "-decrypt", "-in", delivered.toString(),
        "-inkey", key.toString()));
    assertThat(plain).contains("Hello, " + marker);
  }

  /**
   * Issue 11: a multipart/encrypted label (protocol and "Version: 1" right) around clear text is clear text. The
   * real policy's encrypt rule must encrypt it, not pass it as already protected, and gpg must read it back.
   */
  @Test
  void realPolicyShouldEncryptAMultipartEncryptedLabelAroundClearTextAndGpgShouldDecryptIt() throws Exception {
    String marker = marker();
    String label = "From: <sender@x.test>\r\nTo: <bob@example.net>\r\nSubject: " + marker + "\r\n"
        + "Message-ID: <" + marker + "@x.test>\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"lbl\"\r\n\r\n"
        + "--lbl\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n"
        + "--lbl\r\nContent-Type: application/octet-stream\r\n\r\nHello, " + marker + ", in clear.\r\n"
        + "--lbl--\r\n";
    SmtpClient.Result r = SmtpClient.send(postfix.smtpPort("real"), "TLSv1.3", "sender@x.test",
        List.of("bob@example.net"), label);
    assertThat(r.code()).as(r.reply()).isEqualTo(250);
    // The Subject stays outside the ciphertext: it carries the marker.
    Path delivered = postfix.awaitDelivered(marker, WAIT).stream()
        .filter(f -> f.getFileName().toString().startsWith(r.queueId() + "-")).findFirst().orElseThrow();
    String text = Files.readString(delivered, StandardCharsets.ISO_8859_1);
    assertThat(text).contains("BEGIN PGP MESSAGE").contains("e2e-label-without-ciphertext")
        .doesNotContain("Hello, " + marker);

    String plain = gpgDecryptAsBob(text, marker);
    assertThat(plain).contains("Hello, " + marker + ", in clear.").contains("multipart/encrypted");
  }

  @Test
  void realPolicyShouldTempfailWhenTheRecipientHasNoKey() throws Exception {
    SmtpClient.Result r = send("real", null, "carol@example.net", marker());

    assertThat(r.code()).as(r.reply()).isEqualTo(451);
  }

  @Test
  void slowJudgementShouldAnswerOnErrorTempfailAtTheTimeout() throws Exception {
    policy.slow = new CountDownLatch(1);
    try {
      // Larger than caliop_inline_judge_size, so a worker judges it, under caliop_eval_timeout.
      String marker = marker();
      String filler = ("x".repeat(76) + "\r\n").repeat(1000);
      SmtpClient.Result r = SmtpClient.send(postfix.smtpPort("tcp"), null, "sender@x.test", List.of("slow@y.test"),
          message(marker, "") + filler);
      assertThat(r.code()).isEqualTo(451);
      assertThat(r.reply()).contains("4.3.0");
    } finally {
      policy.slow.countDown();
    }
  }

  @Test
  void unixSocketMilterShouldStampToo() throws Exception {
    String marker = marker();
    SmtpClient.Result r = send("unix", "TLSv1.3", "someone@y.test", marker);

    assertThat(r.code()).as(r.reply()).isEqualTo(250);
    assertThat(deliveredOnce(marker)).startsWith("Caliop-Privacy:");
  }

  @Test
  void severalMessagesInOneSessionShouldEachBeJudgedWithTheirOwnQueueIdAndAnswer() throws Exception {
    String m1 = marker();
    String m2 = marker();
    String m3 = marker();
    List<SmtpClient.Result> r = SmtpClient.sendAll(postfix.smtpPort("tcp"), "TLSv1.3", "sender@x.test",
        List.of("someone@y.test"), List.of(message(m1, ""), message(m2, "Caliop-Privacy: forged\r\n"),
            message(m3, "")));

    assertThat(r).extracting(SmtpClient.Result::code).containsExactly(250, 250, 250);
    assertThat(r).extracting(SmtpClient.Result::queueId).doesNotHaveDuplicates();
    for (SmtpClient.Result each : r) {
      assertThat(policy.factsByQueueId.get(each.queueId()).tlsVersionRaw()).contains("TLSv1.3");
    }
    assertThat(deliveredOnce(m2)).doesNotContain("forged");
    assertThat(deliveredOnce(m3)).startsWith("Caliop-Privacy:");
  }

  @Test
  void metricsShouldCountMessagesAndActions() throws Exception {
    send("tcp", null, "someone@y.test", marker());
    HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:"
        + milter.metricsAddress().orElseThrow().getPort() + "/metrics").openConnection();
    String body = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(body).contains("caliop_messages_total ").contains("caliop_actions_total{action=\"accept\"}")
        .contains("caliop_eval_seconds_bucket{le=\"+Inf\"}");
  }

  /**
   * A milter daemon killed with SIGKILL while mail flows: every message the client saw accepted is delivered, every
   * other one got a 4xx (the client keeps it), and mail flows again once the daemon is back.
   */
  @Test
  void killingTheMilterMidRunShouldTempfailAndLoseNothing() throws Exception {
    Process daemon = startDaemon();
    List<String[]> outcomes = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger accepted = new AtomicInteger();
    AtomicBoolean killed = new AtomicBoolean();
    AtomicInteger afterKill = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        running.add(clients.submit(() -> {
          for (int i = 0; i < 200 && afterKill.get() < 12; i++) {
            String marker = marker();
            try {
              SmtpClient.Result r = send("killable", null, "someone@y.test", marker);
              outcomes.add(new String[] {marker, Integer.toString(r.code()), r.reply()});
              if (r.accepted() && accepted.incrementAndGet() == 10 && killed.compareAndSet(false, true)) {
                daemon.destroyForcibly();
              }
              if (killed.get()) {
                afterKill.incrementAndGet();
              }
            } catch (IOException e) {
              outcomes.add(new String[] {marker, "io", e.toString()});
            }
          }
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      clients.shutdownNow();
      daemon.destroyForcibly();
    }
    postfix.awaitQueueSettled(WAIT);

    assertThat(killed).isTrue();
    long tempfailed = 0;
    for (String[] o : outcomes) {
      assertThat(o[1]).as("every answer is 250 or 4xx: %s", o[2]).matches("250|4\\d\\d");
      if (o[1].equals("250")) {
        assertThat(postfix.awaitDelivered(o[0], WAIT)).as("accepted %s was delivered", o[0]).hasSize(1);
      } else {
        tempfailed++;
        assertThat(postfix.delivered(o[0])).as("tempfailed %s was not delivered", o[0]).isEmpty();
      }
    }
    assertThat(tempfailed).isPositive();
    assertThat(postfix.queue()).doesNotContain("someone@y.test");

    Process again = startDaemon();
    try {
      String marker = marker();
      SmtpClient.Result r = send("killable", null, "someone@y.test", marker);
      assertThat(r.code()).as(r.reply()).isEqualTo(250);
      String delivered = deliveredOnce(marker);
      assertThat(delivered).startsWith("Caliop-Privacy:");
      assertThat(header(delivered, "Caliop-Privacy")).matches("score=\\d+, grade=[A-E], v=.*");
      assertThat(header(delivered, "Caliop-Hop")).contains("tls=none");
    } finally {
      again.destroy();
      again.waitFor(20, TimeUnit.SECONDS);
    }
  }

  private Process startDaemon() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--listen", "inet:127.0.0.1:" + killablePort, "--policy", "../conf/default.yaml")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("daemon-" + UUID.randomUUID() + ".log").toFile())
        .start();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (Socket s = new Socket("127.0.0.1", killablePort)) {
        return p;
      } catch (IOException e) {
        if (!p.isAlive() || System.nanoTime() > end) {
          p.destroyForcibly();
          throw new IOException("milter daemon did not start", e);
        }
        Thread.sleep(50);
      }
    }
  }

  /**
   * Sends a message for {@code marker} to {@code rcpt} through the real policy's smtpd over TLSv1.3, checks that
   * Postfix accepted it, and returns the file it delivered for that queue id (waiting for one containing
   * {@code content}).
   */
  /** The armored block of a delivered message, decrypted by gpg with Bob's fixture secret key. */
  private static String gpgDecryptAsBob(String delivered, String marker) throws Exception {
    Path home = Files.createDirectories(dir.resolve("gnupg-" + marker));
    Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    PrivatePostfix.run(List.of("gpg", "--homedir", home.toString(), "--batch", "--import",
        Path.of("../../shared/fixtures/pgp/bob-secret.asc").toAbsolutePath().toString()));
    String armour = delivered.substring(delivered.indexOf("-----BEGIN PGP MESSAGE-----"),
        delivered.indexOf("-----END PGP MESSAGE-----") + "-----END PGP MESSAGE-----".length());
    Path enc = dir.resolve(marker + ".asc");
    Files.writeString(enc, armour);
    try {
      return PrivatePostfix.run(List.of("gpg", "--homedir", home.toString(), "--batch", "--quiet",
          "--decrypt", enc.toString()));
    } finally {
      stopAgent(home);
    }
  }

  /**
   * Stops the gpg-agent that gpg started for {@code home} and waits (bounded) until its sockets are gone: an agent
   * still removing them while JUnit deletes the temporary directory made the class fail its clean-up.
   */
  static void stopAgent(Path home) throws Exception {
    PrivatePostfix.run(List.of("gpgconf", "--homedir", home.toString(), "--kill", "gpg-agent"));
    for (int i = 0; i < 100 && hasSocket(home); i++) {
      Thread.sleep(50);
    }
  }

  private static boolean hasSocket(Path home) throws java.io.IOException {
    try (java.util.stream.Stream<Path> files = Files.list(home)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith("S.gpg-agent"));
    }
  }

  private Path deliveredThroughRealPolicy(String rcpt, String marker, String content) throws Exception {
    SmtpClient.Result r = SmtpClient.send(postfix.smtpPort("real"), "TLSv1.3", "sender@x.test", List.of(rcpt),
        message(marker, ""));
    assertThat(r.code()).as(r.reply()).isEqualTo(250);
    return postfix.awaitDelivered(content, WAIT).stream()
        .filter(f -> f.getFileName().toString().startsWith(r.queueId() + "-")).findFirst().orElseThrow();
  }

  private SmtpClient.Result send(String smtpd, String tls, String rcpt, String marker) throws IOException {
    return SmtpClient.send(postfix.smtpPort(smtpd), tls, "sender@x.test", List.of(rcpt), message(marker, ""));
  }

  private String deliveredOnce(String marker) throws IOException, InterruptedException {
    List<Path> files = postfix.awaitDelivered(marker, WAIT);
    assertThat(files).as("delivered %s\n%s", marker, postfix.maillog()).hasSize(1);
    return Files.readString(files.get(0), StandardCharsets.ISO_8859_1);
  }

  private static String message(String marker, String extraHeaders) {
    return "From: <sender@x.test>\r\nTo: <someone@y.test>\r\nSubject: " + marker + "\r\n" + extraHeaders
        + "Message-ID: <" + marker + "@x.test>\r\n\r\nHello, " + marker + ".\r\n";
  }

  private static String marker() {
    return "m-" + UUID.randomUUID();
  }

  /** The unfolded value of the first field called {@code name}, or null. */
  private static String header(String message, String name) {
    String head = message.split("\r?\n\r?\n", 2)[0];
    String unfolded = head.replaceAll("\r?\n[ \t]+", " ");
    for (String line : unfolded.split("\r?\n")) {
      if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
        return line.substring(name.length() + 1).trim();
      }
    }
    return null;
  }
}
