package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.caliop.engine.Engine;
import org.caliop.engine.Assessment;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Envelope;
import org.caliop.facts.HeaderEdit;
import org.caliop.header.CaliopHeaders;
import org.caliop.header.StructuredFields;
import org.caliop.milter.config.Knob;
import org.caliop.milter.config.MilterConfig;
import org.caliop.policy.Policy;
import org.caliop.policy.PolicyLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One engine (issue 6): every sample message of {@code examples/messages}, sent through a real Postfix and the caliop
 * milter (in clear and over STARTTLS), is delivered with the score, grade and reasons the engine gives when called
 * directly on the bytes the milter saw, with the first-hand facts the milter had and the same policy file. The James
 * side of the same promise is {@code CaliopJamesIT.jamesPathShouldScoreLikeTheEngineCalledDirectly}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MilterScoresLikeEngineTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Path SAMPLES = Path.of("../examples/messages");
  private static final Path POLICY = SAMPLES.resolve("trust.yaml");
  private static final String SENDER = "alice@example.org";
  private static final String RECIPIENT = "bob@example.org";
  /** Fields the milter adds after judging; Postfix adds none after the milter on the pipe transport (flags=q). */
  private static final Set<String> ADDED_AFTER_JUDGING = Set.of("caliop-privacy", "caliop-policy", "caliop-hop");
  private static final Pattern OWN_RECEIVED = Pattern.compile(
      "(?s)Received: from client\\.caliop\\.test \\([^\\[]*\\[127\\.0\\.0\\.1\\]\\)\\s+by mx\\.caliop\\.test "
      + "\\(Postfix\\) with (ESMTPS?) id (\\w+)\\s.*");

  @TempDir
  static Path dir;

  private CaliopMilter milter;
  private PrivatePostfix postfix;
  private Engine direct;

  @BeforeAll
  void start() throws Exception {
    assumeTrue(PrivatePostfix.available(), "needs root, /usr/sbin/postfix and openssl (.ci/run installs them)");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<Knob, String> settings = new EnumMap<>(Knob.class);
    settings.put(Knob.LISTEN, "inet:127.0.0.1:0");
    settings.put(Knob.POLICY_FILE, POLICY.toAbsolutePath().normalize().toString());
    // Postfix's client here is 127.0.0.1, one of our own networks: the test reads its first-hand details back.
    settings.put(Knob.OUTBOUND_HEADERS, "full");
    MilterConfig config = MilterConfig.of(settings);
    milter = CaliopMilter.start(config, Policies.open(config));
    int port = ((InetSocketAddress) milter.addresses().get(0)).getPort();
    postfix = PrivatePostfix.start(Files.createDirectories(dir.resolve("postfix")),
        Map.of("tcp", "inet:127.0.0.1:" + port));
    Policy policy = PolicyLoader.load(POLICY);
    direct = Engine.builder(() -> policy).fullOutboundHeaders(true).build();
  }

  @AfterAll
  void stop() throws Exception {
    if (postfix != null) {
      postfix.close();
    }
    if (milter != null) {
      milter.close();
    }
  }

  static Stream<Arguments> samples() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(SAMPLES)) {
      files = s.filter(f -> f.getFileName().toString().endsWith(".eml")).sorted().toList();
    }
    List<Arguments> out = new ArrayList<>();
    for (Path f : files) {
      out.add(Arguments.of(f.getFileName().toString(), null));
      out.add(Arguments.of(f.getFileName().toString(), "TLSv1.3"));
    }
    out.add(Arguments.of(files.get(0).getFileName().toString(), "TLSv1.2"));
    return out.stream();
  }

  @ParameterizedTest(name = "{0} tls={1}")
  @MethodSource("samples")
  void milterPathShouldScoreLikeTheEngineCalledDirectly(String sample, String tls) throws Exception {
    String message = Files.readString(SAMPLES.resolve(sample), StandardCharsets.US_ASCII);
    SmtpClient.Result r = SmtpClient.send(postfix.smtpPort("tcp"), tls, SENDER, List.of(RECIPIENT), message);
    assertThat(r.code()).as(r.reply()).isEqualTo(250);
    assertThat(r.tls()).isEqualTo(tls);

    byte[] delivered = crlf(awaitDelivered(r.queueId()));
    Map<String, Object> hop = StructuredFields.parseDictionary(field(delivered, CaliopHeaders.HOP).orElseThrow());
    // What the milter says it saw must be what really happened on this connection.
    assertThat(text(hop, "ip")).contains("127.0.0.1");
    assertThat(text(hop, "helo")).contains("client.caliop.test");
    assertThat(text(hop, "tls")).contains(tls == null ? "none" : tls);
    assertThat(text(hop, "by")).contains("mx.caliop.test");
    assertThat(text(hop, "id")).contains(r.queueId());
    assertThat(text(hop, "auth")).contains("false");
    assertThat(text(hop, "cert")).contains("false");

    byte[] seen = asTheMilterSawIt(delivered, r.queueId(), tls);
    Assessment verdict;
    try (InputStream in = new ByteArrayInputStream(seen)) {
      verdict = direct.assess(factsFrom(hop), Envelope.of(SENDER, List.of(RECIPIENT)), in);
    }

    String deliveredPrivacy = field(delivered, CaliopHeaders.PRIVACY).orElseThrow();
    String directPrivacy = added(verdict, CaliopHeaders.PRIVACY).orElseThrow();
    Map<String, Object> got = StructuredFields.parseDictionary(deliveredPrivacy);
    Map<String, Object> want = StructuredFields.parseDictionary(directPrivacy);
    assertThat(got.get("score")).as(deliveredPrivacy).isEqualTo(want.get("score"));
    assertThat(got.get("grade")).as(deliveredPrivacy).isEqualTo(want.get("grade"));
    assertThat(got.get("reasons")).as(deliveredPrivacy).isEqualTo(want.get("reasons"));
    assertThat(got).isEqualTo(want);
    assertThat(deliveredPrivacy).isEqualTo(directPrivacy);
    assertThat(field(delivered, CaliopHeaders.HOP)).isEqualTo(added(verdict, CaliopHeaders.HOP));
    assertThat(field(delivered, CaliopHeaders.POLICY)).isEqualTo(added(verdict, CaliopHeaders.POLICY));
  }

  /**
   * The delivered message without what was added after judging (our fields) and without Postfix's own
   * {@code Received:} field on top: Postfix writes it before the milter runs but never shows it to milters (the
   * {@code size=} the milter logs for a sample is the same in clear and over STARTTLS, though that field says ESMTP
   * or ESMTPS). Left in, it changes what the engine folds into the first-hand hop: for the A and B samples, whose
   * top header is a loopback hop written by an internal host, {@code hops=} would differ.
   */
  private static byte[] asTheMilterSawIt(byte[] delivered, String queueId, String tls) {
    byte[] unstamped = DeliveredMessage.withoutFields(delivered, f -> {
      String name = f.substring(0, Math.max(0, f.indexOf(':'))).trim().toLowerCase(Locale.ROOT);
      return ADDED_AFTER_JUDGING.contains(name);
    });
    List<String> fields = DeliveredMessage.fields(unstamped);
    Matcher own = OWN_RECEIVED.matcher(fields.get(0));
    assertThat(own.matches()).as("Postfix's Received on top: " + fields.get(0)).isTrue();
    assertThat(own.group(1)).isEqualTo(tls == null ? "ESMTP" : "ESMTPS");
    assertThat(own.group(2)).isEqualTo(queueId);
    return DeliveredMessage.withoutFirstField(unstamped);
  }

  /**
   * The first-hand facts as the milter built them from Postfix's macros (MilterSession.facts()), read back from the
   * Caliop-Hop field it wrote; the fields it leaves out of Caliop-Hop (SASL login, certificate) are absent here.
   */
  private static ConnectionFacts factsFrom(Map<String, Object> hop) {
    Optional<String> tls = text(hop, "tls").filter(t -> !t.equals("none") && !t.equals("unknown"));
    return ConnectionFacts.builder()
        .clientName(text(hop, "from").orElse(null))
        .clientAddress(text(hop, "ip").orElse(null))
        .helo(text(hop, "helo").orElse(null))
        .protocol(text(hop, "proto").orElse(null))
        .tlsVersion(tls.orElse(null))
        .cipher(text(hop, "cipher").orElse(null))
        .cipherBits(text(hop, "bits").map(Integer::valueOf).orElse(null))
        .receivedBy(text(hop, "by").orElse(null))
        .queueId(text(hop, "id").orElse(null))
        .build();
  }

  private static Optional<String> text(Map<String, Object> dictionary, String key) {
    Object member = dictionary.get(key);
    if (!(member instanceof StructuredFields.Item item)) {
      return Optional.empty();
    }
    Object v = item.value();
    return Optional.of(v instanceof StructuredFields.Token t ? t.value() : String.valueOf(v));
  }

  private static Optional<String> added(Assessment verdict, String name) {
    return verdict.headerEdits().stream()
        .filter(e -> e.kind() == HeaderEdit.Kind.ADD && e.name().equalsIgnoreCase(name))
        .map(HeaderEdit::value).findFirst();
  }

  /** The one field of that name (unfolded), checking there is at most one. */
  private static Optional<String> field(byte[] message, String name) {
    List<String> values = DeliveredMessage.values(message, name);
    assertThat(values).as(name).hasSizeLessThanOrEqualTo(1);
    return values.stream().findFirst();
  }

  private byte[] awaitDelivered(String queueId) throws IOException, InterruptedException {
    long end = System.nanoTime() + WAIT.toNanos();
    while (true) {
      try (Stream<Path> files = Files.list(postfix.deliveredDirectory())) {
        Optional<Path> f = files.filter(p -> p.getFileName().toString().startsWith(queueId + "-")
            && p.getFileName().toString().endsWith(".eml")).findFirst();
        if (f.isPresent()) {
          return Files.readAllBytes(f.get());
        }
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("nothing delivered for " + queueId + "\n" + postfix.maillog());
      }
      Thread.sleep(50);
    }
  }

  /** The pipe transport writes LF line ends; Postfix handed the milter CRLF. */
  private static byte[] crlf(byte[] lf) {
    String s = new String(lf, StandardCharsets.ISO_8859_1);
    return s.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Header fields of a raw CRLF message, by name. */
  private static final class DeliveredMessage {
    private DeliveredMessage() {
    }

    static List<String> fields(byte[] raw) {
      String text = new String(raw, StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      List<String> out = new ArrayList<>();
      for (String line : text.substring(0, end + 2).split("(?<=\r\n)")) {
        if ((line.startsWith(" ") || line.startsWith("\t")) && !out.isEmpty()) {
          out.set(out.size() - 1, out.get(out.size() - 1) + line);
        } else {
          out.add(line);
        }
      }
      return out;
    }

    static List<String> values(byte[] raw, String name) {
      List<String> out = new ArrayList<>();
      for (String f : fields(raw)) {
        int colon = f.indexOf(':');
        if (colon > 0 && f.substring(0, colon).trim().equalsIgnoreCase(name)) {
          out.add(f.substring(colon + 1).replace("\r\n", "").trim());
        }
      }
      return out;
    }

    static byte[] withoutFirstField(byte[] raw) {
      String first = fields(raw).get(0);
      return Arrays.copyOfRange(raw, first.length(), raw.length);
    }

    /** The raw message without the fields (folded lines included) that match, body untouched. */
    static byte[] withoutFields(byte[] raw, Predicate<String> drop) {
      String text = new String(raw, StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      StringBuilder kept = new StringBuilder();
      for (String f : fields(raw)) {
        if (!drop.test(f)) {
          kept.append(f);
        }
      }
      return (kept + text.substring(end + 2)).getBytes(StandardCharsets.ISO_8859_1);
    }
  }
}
