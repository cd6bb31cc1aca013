package org.caliop.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.caliop.engine.Engine;
import org.caliop.facts.Envelope;
import org.caliop.message.MessageScanner;
import org.caliop.message.ScanLimits;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Messages per second on one thread over the mix of real sample messages: each operation is one message, taken in
 * turn from the whole set, so the score is messages/s per core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class EngineBenchmark {
  private List<byte[]> messages;
  private byte[] typical;
  private Engine engine;
  private int next;

  @Setup(Level.Trial)
  public void load() {
    messages = SampleMessages.load();
    typical = TypicalMessage.build();
    engine = Engine.withBuiltInPolicy();
  }

  private byte[] nextMessage() {
    byte[] m = messages.get(next);
    next = next + 1 == messages.size() ? 0 : next + 1;
    return m;
  }

  /** The whole engine: scan, hops, authentication, score, policy, header edits. */
  @Benchmark
  public void evaluateSampleMix(Blackhole bh) throws IOException {
    bh.consume(engine.assess(null, Envelope.empty(), new ByteArrayInputStream(nextMessage())));
  }

  /** The whole engine on one everyday message of about 12 KB with 60 header fields ({@link TypicalMessage}). */
  @Benchmark
  public void evaluateTypical(Blackhole bh) throws IOException {
    bh.consume(engine.assess(null, Envelope.empty(), new ByteArrayInputStream(typical)));
  }

  /** The streaming MIME pass alone on the typical message. */
  @Benchmark
  public void scanTypical(Blackhole bh) throws IOException {
    bh.consume(MessageScanner.scan(new ByteArrayInputStream(typical), ScanLimits.defaults(), name -> false));
  }

  /** The streaming MIME pass alone (headers collected, content protection), without parsing or scoring. */
  @Benchmark
  public void scanSampleMix(Blackhole bh) throws IOException {
    bh.consume(MessageScanner.scan(new ByteArrayInputStream(nextMessage()), ScanLimits.defaults(), name -> false));
  }
}
