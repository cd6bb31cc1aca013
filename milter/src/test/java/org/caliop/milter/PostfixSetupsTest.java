package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.caliop.milter.config.Knob;
import org.caliop.milter.config.MilterConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two-stage set-up of examples/postfix (main.cf, master.cf, caliop_hold), run as shipped on a real Postfix with
 * real OpenDKIM instances and caliop's three listeners (issue 12 "Paths around the milter", issue 15 "Held mail" and
 * "Milter order for both directions"). Only what a test needs is changed: loopback ports instead of 25 and 587, no
 * chroot, no SASL on submission (the test client relays as a member of mynetworks), the table paths.
 *
 * <p>The policy does not count loopback as ours, so the test's SMTP client on port 25 plays an outside sender;
 * submission and sendmail(1) are ours. Recipients in encrypt.example must be encrypted (OpenPGP, held without key);
 * partner.example only outbound. example.org has aliases (virtual_alias_maps) onto encrypt.example. Every delivered
 * copy is read: the clear text must never be in one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostfixSetupsTest {
  static final Duration WAIT = Duration.ofSeconds(40);
  static final String SECRET = "The launch code is 0000.";
  static final String PUBLIC = "Nothing to hide.";
  static final Path FIXTURES = Path.of("../../shared/fixtures/pgp");
  static final Path EXAMPLES = Path.of("../examples/postfix");

  @TempDir
  static Path dir;

  private final List<AutoCloseable> running = new ArrayList<>();
  private CaliopMilter milter;
  private PrivatePostfix postfix;
  private Path keys;
  private Path gnupg;
  private Path conf;
  private int inPort;
  private int outPort;

  @BeforeAll
  void start() throws Exception {
    assumeTrue(PrivatePostfix.available() && PrivateOpenDkim.available(),
        "needs root, Postfix, openssl, gpg and OpenDKIM (.ci/run installs them)");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    keys = Files.createDirectories(dir.resolve("keys"));
    Files.copy(FIXTURES.resolve("bob-public.asc"), keys.resolve("bob@encrypt.example.asc"));
    Files.copy(FIXTURES.resolve("bob-public.asc"), keys.resolve("bob@partner.example.asc"));
    gnupg = Files.createDirectories(dir.resolve("gnupg"));
    Files.setPosixFilePermissions(gnupg, PosixFilePermissions.fromString("rwx------"));
    run(List.of("gpg", "--homedir", gnupg.toString(), "--batch", "--import",
        FIXTURES.resolve("bob-secret.asc").toAbsolutePath().toString()));
    Path policy = Files.writeString(dir.resolve("policy.yaml"), String.join("\n",
        "trust:",
        "  local_domains: [example.org]",
        "  internal_networks: [10.255.0.0/16]",
        "  trusted_authserv_ids: [mx.caliop.test]",
        "  authserv_upstream: [dkim]",
        "encryption:",
        "  keys_dir: keys",
        "domains:",
        "  encrypt.example:",
        "    applies_to: recipient",
        "    require_encryption: any",
        "    action: encrypt",
        "    encrypt:",
        "      format: pgp",
        "      on_missing_key: hold",
        "  partner.example:",
        "    applies_to: recipient",
        "    outbound:",
        "      require_encryption: any",
        "      action: encrypt",
        "      encrypt:",
        "        format: pgp",
        "        on_missing_key: hold",
        ""));

    PrivateOpenDkim verifier = PrivateOpenDkim.start(dir.resolve("opendkim-verify"), "mx.caliop.test",
        List.of("sender.example"));
    running.add(verifier);
    PrivateOpenDkim signer = PrivateOpenDkim.startSigner(dir.resolve("opendkim-sign"), "example.org");
    running.add(signer);
    PrivateOpenDkim secondHop = PrivateOpenDkim.startVerifier(dir.resolve("opendkim-hop2"), "hop2.caliop.test",
        signer);
    running.add(secondHop);

    Map<Knob, String> settings = new EnumMap<>(Knob.class);
    settings.put(Knob.LISTEN, "inet:127.0.0.1:0");
    settings.put(Knob.LOCAL_LISTEN, "inet:127.0.0.1:0");
    settings.put(Knob.REINJECT_LISTEN, "inet:127.0.0.1:0");
    settings.put(Knob.SEAL_KEY_FILE, dir.resolve("lib/seal.key").toString());
    settings.put(Knob.POLICY_FILE, policy.toString());
    settings.put(Knob.EVAL_TIMEOUT, "120s");
    MilterConfig config = MilterConfig.of(settings);
    milter = CaliopMilter.start(config, Policies.open(config));

    inPort = PrivatePostfix.freePort();
    outPort = PrivatePostfix.freePort();
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("smtp", PrivatePostfix.freePort());
    ports.put("submission", PrivatePostfix.freePort());
    ports.put("caliop-in", inPort);
    ports.put("caliop-out", outPort);
    ports.put("single", PrivatePostfix.freePort());
    ports.put("hop2", PrivatePostfix.freePort());
    conf = dir.resolve("postfix/conf");
    Map<String, String> swap = new LinkedHashMap<>();
    swap.put("inet:127.0.0.1:8891", socket(ListenRole.SMTP));
    swap.put("inet:127.0.0.1:8893", socket(ListenRole.LOCAL));
    swap.put("inet:127.0.0.1:8894", socket(ListenRole.REINJECT));
    swap.put("inet:127.0.0.1:8892", verifier.milter());
    swap.put("inet:127.0.0.1:8895", signer.milter());
    swap.put(":10025", ":" + inPort);
    swap.put(":10026", ":" + outPort);
    swap.put("/etc/postfix/caliop_hold", conf.resolve("caliop_hold").toString());

    String master = example("master.cf", swap);
    master = replace(master, "smtp      inet  n       -       y       -       -       smtpd",
        "127.0.0.1:" + ports.get("smtp") + " inet n - n - - smtpd");
    master = replace(master, "submission inet n       -       y       -       -       smtpd",
        "127.0.0.1:" + ports.get("submission") + " inet n - n - - smtpd");
    master = replace(master, "pickup    unix  n       -       y       60      1       pickup",
        "pickup    unix  n       -       n       60      1       pickup");
    // No SASL in the test: the submission client relays as a member of mynetworks (and is ours by listener only
    // for the test's sake: the policy does not count loopback as internal).
    master = replace(master, "  -o smtpd_sasl_auth_enable=yes\n", "");
    master = replace(master, "smtpd_client_restrictions=permit_sasl_authenticated,reject",
        "smtpd_client_restrictions=permit_mynetworks,reject");
    master += String.join("\n",
        "# the one-stage set-up, for comparison: caliop on the SMTP listener only",
        "127.0.0.1:" + ports.get("single") + " inet n - n - - smtpd -o syslog_name=postfix/single"
            + " -o smtpd_milters=" + socket(ListenRole.SMTP) + " -o content_filter=",
        "# a second hop that verifies DKIM signatures",
        "127.0.0.1:" + ports.get("hop2") + " inet n - n - - smtpd -o syslog_name=postfix/hop2"
            + " -o smtpd_milters=" + secondHop.milter() + " -o content_filter=",
        "");
    Path postfixDir = Files.createDirectories(dir.resolve("postfix"));
    Files.createDirectories(conf);
    Files.writeString(conf.resolve("caliop_hold"), example("caliop_hold", swap));
    Files.writeString(conf.resolve("virtual"), String.join("\n",
        "team@example.org bob@encrypt.example",
        "crew@example.org dave@encrypt.example",
        "partners@example.org bob@partner.example",
        ""));
    List<String> mainCf = new ArrayList<>(List.of(example("main.cf", swap).split("\n")));
    mainCf.add("virtual_alias_domains = example.org");
    mainCf.add("virtual_alias_maps = texthash:" + conf.resolve("virtual"));
    mainCf.add("myorigin = example.org");
    postfix = PrivatePostfix.start(postfixDir, master, ports, mainCf);
  }

  @AfterAll
  void stop() throws Exception {
    if (postfix != null) {
      postfix.close();
    }
    if (milter != null) {
      milter.close();
    }
    for (AutoCloseable r : running) {
      r.close();
    }
    if (gnupg != null) {
      PostfixMilterTest.stopAgent(gnupg);
    }
  }

  private String socket(ListenRole role) {
    SocketAddress a = milter.addresses(role).get(0);
    return "inet:127.0.0.1:" + ((InetSocketAddress) a).getPort();
  }

  private static String example(String name, Map<String, String> swap) throws Exception {
    String text = Files.readString(EXAMPLES.resolve(name), StandardCharsets.UTF_8);
    for (Map.Entry<String, String> e : swap.entrySet()) {
      text = text.replace(e.getKey(), e.getValue());
    }
    return text;
  }

  /** Replaces text that must be there: the example changed if it is not. */
  private static String replace(String text, String what, String with) {
    assertThat(text).as("examples/postfix/master.cf").contains(what);
    return text.replace(what, with);
  }

  static String marker() {
    return "m-" + UUID.randomUUID();
  }

  static String message(String from, String to, String subject) {
    return message(from, to, subject, SECRET);
  }

  /** For mail that may leave in clear (no rule encrypts it): a text the never-in-clear checks do not look for. */
  static String harmless(String from, String to, String subject) {
    return message(from, to, subject, PUBLIC);
  }

  static String message(String from, String to, String subject, String body) {
    return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject
        + "\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\nMessage-ID: <" + subject
        + "@test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" + body + "\r\n";
  }

  /** The one copy delivered to {@code recipient} with the marker, waiting for it. */
  String deliveredTo(String recipient, String marker) throws Exception {
    long end = System.nanoTime() + WAIT.toNanos();
    while (true) {
      for (Path f : postfix.delivered(marker)) {
        if (f.getFileName().toString().endsWith("-" + recipient + ".eml")) {
          return Files.readString(f, StandardCharsets.ISO_8859_1);
        }
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("nothing delivered to " + recipient + " for " + marker + "\n" + postfix.queue()
            + "\n" + postfix.maillog());
      }
      Thread.sleep(100);
    }
  }

  /** No copy anywhere carries the clear text. */
  void neverInClear() throws Exception {
    for (Path f : postfix.delivered(SECRET)) {
      throw new AssertionError("delivered in clear: " + f + "\n" + Files.readString(f, StandardCharsets.ISO_8859_1));
    }
  }

  String decrypt(String delivered) throws Exception {
    int from = delivered.indexOf("-----BEGIN PGP MESSAGE-----");
    int to = delivered.indexOf("-----END PGP MESSAGE-----");
    assertThat(from).as("an OpenPGP message in\n" + delivered).isNotNegative();
    Path in = Files.writeString(dir.resolve("msg-" + UUID.randomUUID() + ".asc"),
        delivered.substring(from, to + "-----END PGP MESSAGE-----".length()), StandardCharsets.US_ASCII);
    return run(List.of("gpg", "--homedir", gnupg.toString(), "--batch", "--quiet", "--decrypt", in.toString()));
  }

  static String headerSection(String message) {
    int end = message.indexOf("\n\n");
    return end < 0 ? message : message.substring(0, end);
  }

  static String field(String message, String name) {
    for (String line : headerSection(message).replace("\r", "").replace("\n\t", " ").replace("\n ", " ")
        .split("\n")) {
      if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
        return line.substring(name.length() + 1).trim();
      }
    }
    return null;
  }

  SmtpClient.Result smtp(String listener, String tls, String from, String to, String message) throws Exception {
    return SmtpClient.send(postfix.smtpPort(listener), tls, from, List.of(to), message);
  }

  /** {@code caliop ...} in process; standard output, or the failure with both streams. */
  String caliop(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = org.caliop.cli.Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String o = out.toString(StandardCharsets.UTF_8);
    if (status != 0) {
      throw new AssertionError("caliop " + String.join(" ", args) + " exited " + status + "\n" + o
          + err.toString(StandardCharsets.UTF_8));
    }
    return o;
  }

  static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(command + ": " + new String(out, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------------------------------------ aliases

  @Test
  void anAliasOfARecipientWhoseRuleEncryptsShouldLeaveEncrypted() throws Exception {
    String marker = marker();
    SmtpClient.Result r = smtp("smtp", "TLSv1.3", "alice@sender.example", "team@example.org",
        message("alice@sender.example", "team@example.org", marker));

    assertThat(r.code()).as(r.reply()).isEqualTo(250);
    String delivered = deliveredTo("bob@encrypt.example", marker);
    assertThat(delivered).doesNotContain(SECRET).contains("-----BEGIN PGP MESSAGE-----");
    assertThat(decrypt(delivered)).contains(SECRET);
    // judged on the re-injection listener with the facts sealed on port 25: TLS 1.3 and the client's HELO, not
    // Postfix's own loopback hand-over in clear
    String hop = field(delivered, "Caliop-Hop");
    assertThat(hop).contains("tls=TLSv1.3").contains("helo=\"client.caliop.test\"");
    assertThat(headerSection(delivered)).doesNotContain("Caliop-Facts").doesNotContain("Caliop-Hold");
    neverInClear();
  }

  @Test
  void withOneStageOnlyTheSameAliasWouldLeaveInClear() throws Exception {
    String marker = marker();
    SmtpClient.Result r = smtp("single", null, "alice@sender.example", "team@example.org",
        harmless("alice@sender.example", "team@example.org", marker));

    assertThat(r.code()).as(r.reply()).isEqualTo(250);
    // what the two-stage set-up is for: caliop on the SMTP listener saw team@example.org, which no rule names
    String delivered = deliveredTo("bob@encrypt.example", marker);
    assertThat(delivered).contains(PUBLIC).doesNotContain("-----BEGIN PGP MESSAGE-----");
  }

  // ------------------------------------------------------------------------------------------------ sendmail(1)

  @Test
  void mailSubmittedWithSendmailShouldLeaveEncrypted() throws Exception {
    String direct = marker();
    String alias = marker();

    postfix.sendmail("cron@example.org", "bob@encrypt.example",
        message("cron@example.org", "bob@encrypt.example", direct).getBytes(StandardCharsets.US_ASCII));
    postfix.sendmail("cron@example.org", "team@example.org",
        message("cron@example.org", "team@example.org", alias).getBytes(StandardCharsets.US_ASCII));

    for (String marker : List.of(direct, alias)) {
      String delivered = deliveredTo("bob@encrypt.example", marker);
      assertThat(decrypt(delivered)).contains(SECRET);
    }
    neverInClear();
  }

  @Test
  void aLocalSubmissionShouldMeetAnOutboundRuleAndALoopbackClientNot() throws Exception {
    String local = marker();
    String loopback = marker();

    postfix.sendmail("cron@example.org", "bob@partner.example",
        message("cron@example.org", "bob@partner.example", local).getBytes(StandardCharsets.US_ASCII));
    SmtpClient.Result r = smtp("smtp", null, "x@sender.example", "bob@partner.example",
        harmless("x@sender.example", "bob@partner.example", loopback));

    assertThat(decrypt(deliveredTo("bob@partner.example", local))).contains(SECRET);
    assertThat(r.code()).as(r.reply()).isEqualTo(250);
    // the same loopback address over SMTP is an outside client here (the policy's internal_networks): inbound
    String plain = deliveredTo("bob@partner.example", loopback);
    assertThat(plain).contains(PUBLIC).doesNotContain("-----BEGIN PGP MESSAGE-----");
  }

  // ------------------------------------------------------------------------------------------------ the seal

  @Test
  void fieldsASenderWritesShouldNeitherBeBelievedNorRouteAnything() throws Exception {
    String marker = marker();
    String forged = "Caliop-Hold: direction=outbound, reason=\"forged\"\r\n"
        + "Caliop-Facts: v=1,k=:AAAAAA==:,n=:AAAAAAAAAAAAAAAA:,c=:AAAA:\r\n";

    SmtpClient.Result r = smtp("smtp", null, "x@sender.example", "carol@example.net",
        forged + harmless("x@sender.example", "carol@example.net", marker));

    assertThat(r.code()).as(r.reply()).isEqualTo(250);
    String delivered = deliveredTo("carol@example.net", marker);
    assertThat(headerSection(delivered)).doesNotContain("Caliop-Hold").doesNotContain("Caliop-Facts")
        .doesNotContain("forged");
  }

  @Test
  void aLocalProcessTalkingToTheReinjectionListenerShouldBeJudgedAsTheLoopbackClientItIs() throws Exception {
    String marker = marker();
    // a seal made for another sender: it does not open for this one
    String other = heldSealOf("mallory@sender.example");
    SmtpClient.Result r = SmtpClient.send(inPort, null, "x@sender.example", List.of("bob@encrypt.example"),
        "Caliop-Facts: " + other.replace("\n", "\r\n") + "\r\n"
            + message("x@sender.example", "bob@encrypt.example", marker));

    assertThat(r.code()).as(r.reply()).isEqualTo(250);
    String delivered = deliveredTo("bob@encrypt.example", marker);
    assertThat(field(delivered, "Caliop-Hop")).contains("helo=\"client.caliop.test\"").contains("tls=none");
    assertThat(decrypt(delivered)).contains(SECRET);
  }

  /** The sealed facts of a message held now for want of a key (a real seal caliop wrote). */
  private String heldSealOf(String sender) throws Exception {
    String marker = marker();
    smtp("smtp", null, sender, "zoe@encrypt.example", message(sender, "zoe@encrypt.example", marker));
    String id = awaitHeld(marker);
    String seal = field(postfix.postcat(id).replaceAll("(?s).*\\*\\*\\* MESSAGE CONTENTS[^\n]*\n", ""),
        "Caliop-Facts");
    caliop("hold", "delete", "-c", conf.toString(), id);
    return seal;
  }

  // ------------------------------------------------------------------------------------------------ held mail

  /** The queue id of the held message whose subject is {@code marker}. */
  String awaitHeld(String marker) throws Exception {
    long end = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < end) {
      postfix.awaitQueueSettled(Duration.ofSeconds(5));
      for (String line : caliop("hold", "list", "-c", conf.toString(), "--json").split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        String id = line.replaceAll(".*\"queue_id\": \"([^\"]+)\".*", "$1");
        if (postfix.postcat(id).contains(marker)) {
          return id;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("not held: " + marker + "\n" + postfix.queue() + "\n" + postfix.maillog());
  }

  /** The list's JSON line for {@code id}. */
  String listed(String id) {
    for (String line : caliop("hold", "list", "-c", conf.toString(), "--json").split("\n")) {
      if (line.contains("\"queue_id\": \"" + id + "\"")) {
        return line;
      }
    }
    return null;
  }

  /** Held again under a new queue id after a release: the new id. */
  String awaitHeldAgain(String marker, String before) throws Exception {
    long end = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < end) {
      String id = awaitHeld(marker);
      if (!id.equals(before)) {
        return id;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("not held again: " + marker);
  }

  @Test
  void heldForWantOfAKeyThenReleasedOnceItIsThereShouldLeaveEncryptedNeverInClear() throws Exception {
    String marker = marker();
    SmtpClient.Result r = smtp("smtp", "TLSv1.3", "alice@sender.example", "crew@example.org",
        message("alice@sender.example", "crew@example.org", marker));
    assertThat(r.code()).as(r.reply()).isEqualTo(250);

    String id = awaitHeld(marker);
    String line = listed(id);
    assertThat(line).contains("\"held_by\": \"caliop\"").contains("\"without_key\": [\"dave@encrypt.example\"]")
        .contains("\"direction\": \"inbound\"").contains("\"release_route\": \"caliop-in:[127.0.0.1]:" + inPort);
    String held = postfix.postcat(id);
    assertThat(held).contains("Caliop-Facts:").contains("Caliop-Hold: direction=inbound,")
        .contains("content_filter: caliop-in:[127.0.0.1]:" + inPort);

    // released before the key exists: judged again, held again, never delivered
    assertThat(caliop("hold", "release", "-c", conf.toString(), id)).contains(id + ": released");
    String again = awaitHeldAgain(marker, id);
    assertThat(postfix.delivered(marker)).isEmpty();

    // the key arrives; the release is judged with the facts sealed on port 25, two passes ago
    Files.copy(FIXTURES.resolve("bob-public.asc"), keys.resolve("dave@encrypt.example.asc"));
    milter.reload();
    caliop("hold", "release", "-c", conf.toString(), again);

    String delivered = deliveredTo("dave@encrypt.example", marker);
    assertThat(decrypt(delivered)).contains(SECRET);
    assertThat(field(delivered, "Caliop-Hop")).contains("tls=TLSv1.3").contains("helo=\"client.caliop.test\"");
    assertThat(headerSection(delivered)).doesNotContain("Caliop-Hold").doesNotContain("Caliop-Facts");
    assertThat(listed(again)).isNull();
    neverInClear();
  }

  @Test
  void plainPostsuperReleaseShouldBeHarmless() throws Exception {
    String marker = marker();
    smtp("smtp", null, "alice@sender.example", "erin@encrypt.example",
        message("alice@sender.example", "erin@encrypt.example", marker));
    String id = awaitHeld(marker);

    PrivatePostfix.run(List.of("postsuper", "-c", conf.toString(), "-H", id));
    PrivatePostfix.run(List.of("postqueue", "-c", conf.toString(), "-i", id));

    String again = awaitHeldAgain(marker, id);
    assertThat(postfix.delivered(marker)).isEmpty();
    caliop("hold", "delete", "-c", conf.toString(), again);
    neverInClear();
  }

  @Test
  void deleteShouldTakeAHeldMessageOutOfTheQueue() throws Exception {
    String marker = marker();
    smtp("smtp", null, "alice@sender.example", "frank@encrypt.example",
        message("alice@sender.example", "frank@encrypt.example", marker));
    String id = awaitHeld(marker);

    assertThat(caliop("hold", "delete", "-c", conf.toString(), id)).contains(id + ": deleted");

    assertThat(listed(id)).isNull();
    assertThat(postfix.queue()).doesNotContain(id);
  }

  // ------------------------------------------------------------------------------------------------ milter order

  @Test
  void aMessageEncryptedOnSubmissionShouldCarryADkimSignatureThatVerifiesOnTheNextHop() throws Exception {
    String marker = marker();
    SmtpClient.Result r = smtp("submission", "TLSv1.3", "alice@example.org", "bob@encrypt.example",
        message("alice@example.org", "bob@encrypt.example", marker));
    assertThat(r.code()).as(r.reply()).isEqualTo(250);

    String delivered = deliveredTo("bob@encrypt.example", marker);
    assertThat(decrypt(delivered)).contains(SECRET);
    assertThat(field(delivered, "DKIM-Signature")).contains("d=example.org");

    // the next hop: a verifier that knows example.org's key reads the signature over the encrypted body
    SmtpClient.Result hop = SmtpClient.send(postfix.smtpPort("hop2"), null, "alice@example.org",
        List.of("check@hop2.example"), delivered.replace("\r\n", "\n").replace("\n", "\r\n"));
    assertThat(hop.code()).as(hop.reply()).isEqualTo(250);
    String verified = deliveredTo("check@hop2.example", marker);
    assertThat(field(verified, "Authentication-Results")).startsWith("hop2.caliop.test").contains("dkim=pass")
        .contains("header.d=example.org");
    neverInClear();
  }

  @Test
  void onPort25TheVerifierShouldRunBeforeCaliopAndItsResultReachTheMailbox() throws Exception {
    String marker = marker();
    PrivateOpenDkim verifier = (PrivateOpenDkim) running.get(0);
    String signed = verifier.sign(harmless("alice@sender.example", "carol@example.net", marker), "sender.example");

    SmtpClient.Result r = smtp("smtp", "TLSv1.3", "alice@sender.example", "carol@example.net", signed);

    assertThat(r.code()).as(r.reply()).isEqualTo(250);
    String delivered = deliveredTo("carol@example.net", marker);
    assertThat(field(delivered, "Authentication-Results")).startsWith("mx.caliop.test").contains("dkim=pass");
  }
}
