package org.caliop.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.caliop.engine.Engine;
import org.caliop.facts.Envelope;
import org.caliop.message.MessageScanner;
import org.caliop.message.ScanLimits;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * MB/s on one thread for one message with a large body. The secondary result {@code megabytes} is the throughput
 * in MiB/s (an auxiliary counter of MiB processed, per second).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class LargeBodyBenchmark {
  @Param({"10", "100"})
  public int megabytes;

  /** {@code plain}: one text/plain body (PGP/inline scan of every line); {@code multipart}: base64 attachment. */
  @Param({"plain", "multipart"})
  public String shape;

  private byte[] message;
  private double mib;
  private Engine engine;

  /** Reported per second: MiB read. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Volume {
    public double megabytes;

    @Setup(Level.Iteration)
    public void reset() {
      megabytes = 0;
    }
  }

  @Setup(Level.Trial)
  public void generate() {
    message = "plain".equals(shape) ? LargeBodies.plain(megabytes) : LargeBodies.multipart(megabytes);
    mib = message.length / (double) (1 << 20);
    engine = Engine.withBuiltInPolicy();
  }

  @Benchmark
  public void evaluateLargeBody(Volume volume, Blackhole bh) throws IOException {
    bh.consume(engine.assess(null, Envelope.empty(), new ByteArrayInputStream(message)));
    volume.megabytes += mib;
  }

  @Benchmark
  public void scanLargeBody(Volume volume, Blackhole bh) throws IOException {
    bh.consume(MessageScanner.scan(new ByteArrayInputStream(message), ScanLimits.defaults(), name -> false));
    volume.megabytes += mib;
  }
}
