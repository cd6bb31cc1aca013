package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.HashedWheelTimer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.caliop.engine.Assessment;
import org.caliop.engine.Engine;
import org.caliop.facts.HeaderEdit;
import org.caliop.facts.MessageFacts;
import org.caliop.facts.TrustSettings;
import org.caliop.fuzz.FuzzSeeds;
import org.caliop.fuzz.MtaView;
import org.caliop.milter.config.Knob;
import org.caliop.milter.config.MilterConfig;
import org.caliop.milter.ops.Metrics;
import org.caliop.policy.Policy;
import org.caliop.policy.PolicyLoader;
import org.caliop.score.Score;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the milter's packet path in process (docs/robustness.md): our netty handlers, jmilter's
 * codec and command engine, {@link CaliopMilterHandler}, the message buffer and the engine, on an embedded channel
 * with the judging run on the calling thread.
 *
 * <p>An input is a message, sent as an MTA sends it ({@link MtaView}: header fields, then the body in chunks of a
 * size taken from the input) over a session whose client (outside or our own, TLS or not) is also taken from the
 * input. The milter must answer end of message with exactly one final answer, keep the connection open, and make
 * the header edits the engine gives for the same message and facts when called directly. An input starting with a
 * NUL byte is instead a raw stream of milter packets after negotiation: whatever it holds, nothing escapes the
 * pipeline.
 */
class MilterPacketFuzzTest {
  private static final HashedWheelTimer TIMERS = new HashedWheelTimer(r -> {
    Thread t = new Thread(r, "fuzz-timer");
    t.setDaemon(true);
    return t;
  }, 50, TimeUnit.MILLISECONDS, 64);
  private static final Recording POLICY = new Recording(trustPolicy());
  private static final Path SPILL = spillDirectory();
  private static final MilterConfig CONFIG = MilterConfig.of(Map.of(Knob.LISTEN, "inet:127.0.0.1:0",
      Knob.MEMORY_BUFFER_SIZE, "16k", Knob.INLINE_JUDGE_SIZE, "8k", Knob.SPILL_DIRECTORY, SPILL.toString()));
  private static final CaliopMilterHandler HANDLER = handler();
  private static final Engine DIRECT = new Engine(() -> POLICY.delegate);

  @AfterAll
  static void stop() throws IOException {
    TIMERS.stop();
    try (Stream<Path> left = Files.list(SPILL)) {
      assertThat(left).as("spill files left behind").isEmpty();
    }
  }

  static Stream<Arguments> seeds() {
    return FuzzSeeds.messages();
  }

  @MethodSource("seeds")
  @FuzzTest
  void session(byte[] input) throws IOException {
    if (input.length > 0 && input[0] == 0) {
      raw(Arrays.copyOfRange(input, 1, input.length));
    } else {
      message(input);
    }
  }

  private static void message(byte[] input) throws IOException {
    int shape = Arrays.hashCode(input);
    boolean tls = (shape & 1) != 0;
    boolean local = (shape & 2) != 0;
    int chunk = 1 + Math.floorMod(shape >> 2, 65_535);
    MtaView view = MtaView.of(input);
    Mta mta = new Mta().negotiate().connect(local ? "127.0.0.1" : "203.0.113.9", tls, local ? "alice" : null)
        .mail("4FUZZ", "<alice@example.org>", "<bob@example.org>");
    for (MtaView.Field f : view.fields()) {
      mta.header(f.name(), f.value());
    }
    mta.endOfHeaders().body(view.body(), chunk).endOfMessage();
    POLICY.seen = null;

    EmbeddedChannel ch = channel();
    List<byte[]> answers = mta.sendTo(ch, shape);

    assertThat(ch.isOpen()).as("connection kept").isTrue();
    ch.checkException();
    assertThat(answers).as("answers").isNotEmpty();
    assertThat(answers.get(0)[0]).as("negotiation answer").isEqualTo((byte) 'O');
    List<byte[]> afterData = answers.subList(2, answers.size());
    assertThat(afterData.stream().filter(MilterPacketFuzzTest::isFinal)).as("one final answer").hasSize(1);
    byte[] last = afterData.get(afterData.size() - 1);
    if (last[0] == 'y' && new String(last, StandardCharsets.ISO_8859_1).contains("after a bare CR")) {
      // The one refusal of a policy that accepts everything: a field hiding a Caliop-* field behind a bare CR, which
      // a milter cannot delete by index (finding of the 2026-12-04 fuzz run; docs/robustness.md).
      assertThat(hidesForeignFieldBehindBareCr(view)).as("a field hides a Caliop-* field after a bare CR").isTrue();
      ch.finishAndReleaseAll();
      return;
    }
    assertThat((char) last[0]).as("final answer: continue (the policy accepts everything)").isEqualTo('c');
    assertThat(POLICY.seen).as("the engine ran").isNotNull();

    Assessment direct = DIRECT.assess(POLICY.seen.connection().orElse(null), POLICY.seen.envelope(),
        new ByteArrayInputStream(view.canonical()));
    assertThat(POLICY.score.toString()).as("score, milter against the engine called directly")
        .isEqualTo(direct.score().toString());
    assertThat(inserted(afterData)).as("fields added").containsExactlyElementsOf(added(direct));
    assertThat(deleted(afterData)).as("fields removed")
        .containsExactlyInAnyOrderElementsOf(removed(direct, view, POLICY.delegate.trust()));
    ch.finishAndReleaseAll();
  }

  private static boolean hidesForeignFieldBehindBareCr(MtaView view) {
    for (MtaView.Field f : view.fields()) {
      String v = new String(f.value(), StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
      int cr = v.indexOf('\r');
      while (cr >= 0) {
        if (cr + 1 >= v.length() || v.charAt(cr + 1) != '\n') {
          String after = v.substring(cr + 1).stripLeading();
          if (after.startsWith("caliop-")) {
            return true;
          }
        }
        cr = v.indexOf('\r', cr + 1);
      }
    }
    return false;
  }

  private static void raw(byte[] stream) {
    Mta mta = new Mta().negotiate().connect("203.0.113.9", false, null).mail("4RAW", "<a@x.test>", "<b@x.test>");
    EmbeddedChannel ch = channel();
    mta.sendTo(ch, 0);
    ch.writeInbound(Unpooled.wrappedBuffer(stream));
    ch.checkException();
    ch.finishAndReleaseAll();
  }

  private static EmbeddedChannel channel() {
    EmbeddedChannel ch = new EmbeddedChannel();
    MilterServer.protocol(ch.pipeline(), CONFIG.maxFrameSize(), HANDLER);
    return ch;
  }

  private static boolean isFinal(byte[] packet) {
    return "caytrd".indexOf((char) packet[0]) >= 0;
  }

  /** SMFIR_INSHEADER answers as name and value, in order. */
  private static List<String> inserted(List<byte[]> answers) {
    List<String> out = new ArrayList<>();
    for (byte[] a : answers) {
      if (a[0] == 'i') {
        String[] nv = strings(a, 5);
        out.add(nv[0] + ":" + nv[1]);
      }
    }
    return out;
  }

  /** SMFIR_CHGHEADER answers with an empty value (a removal) as lower-case name and occurrence. */
  private static List<String> deleted(List<byte[]> answers) {
    List<String> out = new ArrayList<>();
    for (byte[] a : answers) {
      if (a[0] == 'm') {
        String[] nv = strings(a, 5);
        assertThat(nv[1]).as("a change is a removal").isEmpty();
        out.add(nv[0].toLowerCase(Locale.ROOT) + "[" + ByteBuffer.wrap(a, 1, 4).getInt() + "]");
      }
    }
    return out;
  }

  /** What the milter should insert for the engine's additions: top first, as one would read them. */
  private static List<String> added(Assessment v) {
    List<String> out = new ArrayList<>();
    for (HeaderEdit e : v.headerEdits()) {
      if (e.kind() == HeaderEdit.Kind.ADD) {
        // inserted at index 0 in reverse, so the answers come bottom first
        out.add(0, e.name() + ":" + (e.value().isEmpty() ? "" : " " + e.value()));
      }
    }
    return out;
  }

  /** The engine's removals and every field the trust settings call foreign, each once. */
  private static Set<String> removed(Assessment v, MtaView view, TrustSettings trust) {
    Set<String> out = new LinkedHashSet<>();
    for (HeaderEdit e : v.headerEdits()) {
      if (e.kind() == HeaderEdit.Kind.REMOVE) {
        out.add(e.name().toLowerCase(Locale.ROOT) + "[" + e.occurrence() + "]");
      }
    }
    Map<String, Integer> occurrences = new HashMap<>();
    for (MtaView.Field f : view.fields()) {
      String name = f.name().toLowerCase(Locale.ROOT);
      int n = occurrences.merge(name, 1, Integer::sum);
      if (trust.isForeignHeaderName(f.name())) {
        out.add(name + "[" + n + "]");
      }
    }
    return out;
  }

  private static String[] strings(byte[] packet, int from) {
    int nul = from;
    while (packet[nul] != 0) {
      nul++;
    }
    int end = packet.length - 1;
    return new String[] {new String(packet, from, nul - from, StandardCharsets.UTF_8),
        new String(packet, nul + 1, end - nul - 1, StandardCharsets.UTF_8)};
  }

  private static CaliopMilterHandler handler() {
    PolicySource source = PolicySource.fixed(POLICY.policy);
    return new CaliopMilterHandler(CONFIG, source, new Judge(new Engine(source)), new Direct(),
        Runnable::run, TIMERS, new Metrics());
  }

  private static Policy trustPolicy() {
    try {
      return PolicyLoader.load(FuzzSeeds.ROOT.resolve("examples/messages/trust.yaml"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path spillDirectory() {
    try {
      return Files.createTempDirectory("caliop-fuzz-spill");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The samples' trust policy, remembering the facts and score of the last message it decided; every other call
   * goes to the policy itself (a proxy, so a method the interface gains later is not left at its default).
   */
  private static final class Recording {
    final Policy delegate;
    final Policy policy;
    volatile MessageFacts seen;
    volatile Score score;

    Recording(Policy delegate) {
      this.delegate = delegate;
      this.policy = (Policy) java.lang.reflect.Proxy.newProxyInstance(Policy.class.getClassLoader(),
          new Class<?>[] {Policy.class}, (proxy, method, args) -> {
            if (method.getName().equals("decide")) {
              seen = (MessageFacts) args[0];
              score = (Score) args[1];
            }
            try {
              return method.invoke(delegate, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }
  }

  /** Runs work on the calling thread, so a fuzz input replays the same way. */
  private static final class Direct extends AbstractExecutorService {
    @Override
    public void execute(Runnable command) {
      command.run();
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }

  /** The MTA side: the packets of one session, as Postfix sends them. */
  private static final class Mta {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Mta negotiate() {
      return packet('O', ByteBuffer.allocate(12).putInt(6).putInt(0x1ff).putInt(0x1fffff).array());
    }

    Mta connect(String address, boolean tls, String authUser) {
      packet('D', cat(new byte[] {'C'}, z("{client_addr}", address, "{client_name}", "client.example", "j",
          "mx.example.org")));
      packet('C', cat(z("client.example"), new byte[] {'4', 0, 25}, z(address)));
      if (tls) {
        packet('D', cat(new byte[] {'H'}, z("{tls_version}", "TLSv1.3", "{cipher}", "TLS_AES_256_GCM_SHA384",
            "{cipher_bits}", "256")));
      }
      packet('H', z("client.example"));
      if (authUser != null) {
        packet('D', cat(new byte[] {'M'}, z("{auth_type}", "PLAIN", "{auth_authen}", authUser)));
      }
      return this;
    }

    Mta mail(String queueId, String from, String to) {
      packet('D', cat(new byte[] {'M'}, z("i", queueId)));
      packet('M', z(from));
      packet('R', z(to));
      return packet('T', new byte[0]);
    }

    Mta header(String name, byte[] value) {
      return packet('L', cat(z(name), value, new byte[] {0}));
    }

    Mta endOfHeaders() {
      return packet('N', new byte[0]);
    }

    Mta body(byte[] body, int chunk) {
      for (int at = 0; at < body.length; at += chunk) {
        packet('B', Arrays.copyOfRange(body, at, Math.min(body.length, at + chunk)));
      }
      return this;
    }

    Mta endOfMessage() {
      return packet('E', new byte[0]);
    }

    /** Writes the session in reads of varying size (as the socket would deliver it); returns every answer. */
    List<byte[]> sendTo(EmbeddedChannel ch, int shape) {
      byte[] all = out.toByteArray();
      int step = shape;
      for (int at = 0; at < all.length; ) {
        step = step * 31 + 11;
        int n = Math.min(all.length - at, 1 + Math.floorMod(step, 8_192));
        ch.writeInbound(Unpooled.wrappedBuffer(all, at, n));
        at += n;
      }
      ByteArrayOutputStream sent = new ByteArrayOutputStream();
      for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
        ByteBuf b = (ByteBuf) o;
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        b.release();
        sent.writeBytes(bytes);
      }
      List<byte[]> answers = new ArrayList<>();
      ByteBuffer frames = ByteBuffer.wrap(sent.toByteArray());
      while (frames.remaining() >= 4) {
        byte[] p = new byte[frames.getInt()];
        frames.get(p);
        answers.add(p);
      }
      return answers;
    }

    private Mta packet(char command, byte[] payload) {
      byte[] len = ByteBuffer.allocate(4).putInt(payload.length + 1).array();
      out.writeBytes(len);
      out.write(command);
      out.writeBytes(payload);
      return this;
    }

    private static byte[] z(String... parts) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (String p : parts) {
        b.writeBytes(p.getBytes(StandardCharsets.ISO_8859_1));
        b.write(0);
      }
      return b.toByteArray();
    }

    private static byte[] cat(byte[]... parts) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (byte[] p : parts) {
        b.writeBytes(p);
      }
      return b.toByteArray();
    }
  }
}
