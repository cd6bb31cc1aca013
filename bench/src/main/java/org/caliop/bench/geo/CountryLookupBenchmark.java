package org.caliop.bench.geo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.caliop.bench.CpuBestOf;
import org.caliop.geo.CountryDatabase;
import org.caliop.hop.Hop;
import org.caliop.hop.Trust;
import org.caliop.received.HopCountries;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one IP-to-country lookup (issue 17 bar: well under a microsecond), and of giving a message's three hops
 * their countries. Addresses are 4,096 pseudo-random IPv4 and IPv6 addresses from a fixed seed, cycled, so a real
 * database is walked as deep as real traffic walks it and the decoded-record cache sees many records.
 *
 * <p>The database is the {@code database} parameter: by default the tiny test database of the policy module (its
 * tree is a few nodes deep, so it shows the fixed cost only); give a real one for real figures, e.g.
 * {@code -p database=/var/lib/caliop/dbip-country-lite.mmdb}. {@link #main} measures the CPU time of this thread per
 * lookup, for a machine where other builds run (time spent descheduled does not count).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CountryLookupBenchmark {
  private static final int ADDRESSES = 4096;
  private static final String TEST_DB = "policy/src/test/resources/geo/test-country.mmdb";

  @Param({""})
  public String database;

  private CountryDatabase db;
  private byte[][] v4;
  private byte[][] v6;
  private List<List<Hop>> messages;
  private int i;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    db = CountryDatabase.open(path(database));
    Random random = new Random(17);
    v4 = new byte[ADDRESSES][];
    v6 = new byte[ADDRESSES][];
    messages = new ArrayList<>(ADDRESSES);
    for (int k = 0; k < ADDRESSES; k++) {
      byte[] a = new byte[4];
      random.nextBytes(a);
      a[0] = (byte) (1 + random.nextInt(223)); // unicast, not 0.x or multicast
      v4[k] = a;
      byte[] b = new byte[16];
      random.nextBytes(b);
      b[0] = 0x20; // 2000::/3, global unicast
      b[1] = (byte) (b[1] & 0x0f);
      v6[k] = b;
      String ip = (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
      messages.add(List.of(
          Hop.builder(Trust.FIRSTHAND).fromIp(ip).byHost("mx.example.org").build(),
          Hop.builder(Trust.CLAIMED).fromHost("relay.example").fromIp("192.0.2.7").byHost("x.example").build(),
          Hop.builder(Trust.CLAIMED).fromHost("client").byHost("relay.example").build()));
    }
  }

  static Path path(String given) {
    if (given != null && !given.isEmpty()) {
      return Paths.get(given);
    }
    Path here = Paths.get(TEST_DB);
    return Files.exists(here) ? here : Paths.get("..").resolve(TEST_DB);
  }

  /** One IPv4 lookup. */
  @Benchmark
  public Optional<String> lookupIpv4() {
    return db.country(v4[i++ & (ADDRESSES - 1)]);
  }

  /** One IPv6 lookup. */
  @Benchmark
  public Optional<String> lookupIpv6() {
    return db.country(v6[i++ & (ADDRESSES - 1)]);
  }

  /** A message's hops (one first-hand, one claimed with an address, one without): what the engine adds per message. */
  @Benchmark
  public List<Hop> annotateThreeHops() {
    return HopCountries.annotate(messages.get(i++ & (ADDRESSES - 1)), Optional.of(db));
  }

  /**
   * CPU ns per operation, best of 5 rounds: {@code java -cp bench/target/benchmarks.jar
   * org.caliop.bench.geo.CountryLookupBenchmark [DATABASE [N]]}.
   */
  public static void main(String[] args) throws Exception {
    CountryLookupBenchmark b = new CountryLookupBenchmark();
    b.database = args.length > 0 ? args[0] : "";
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    long open0 = cpu.getCurrentThreadCpuTime();
    b.setUp();
    System.out.printf("%s: %s, %d bytes, opened in %.1f ms CPU%n", path(b.database), b.db.source(),
        Files.size(path(b.database)), (cpu.getCurrentThreadCpuTime() - open0) / 1e6);
    int mapped = 0;
    for (byte[] a : b.v4) {
      mapped += b.db.country(a).isPresent() ? 1 : 0;
    }
    System.out.printf("%d of %d random IPv4 addresses have a country%n", mapped, ADDRESSES);
    String[] names = {"lookupIpv4", "lookupIpv6", "annotateThreeHops"};
    java.util.function.Supplier<?>[] cases = {b::lookupIpv4, b::lookupIpv6, b::annotateThreeHops};
    for (int c = 0; c < cases.length; c++) {
      System.out.printf("%-20s %8.1f ns CPU per operation%n", names[c], CpuBestOf.nanosPerCall(cases[c], n));
    }
  }
}
