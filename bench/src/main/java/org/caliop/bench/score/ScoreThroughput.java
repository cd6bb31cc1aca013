package org.caliop.bench.score;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.caliop.auth.Alignment;
import org.caliop.auth.AuthMethod;
import org.caliop.auth.AuthResult;
import org.caliop.auth.AuthResults;
import org.caliop.auth.MethodResult;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Direction;
import org.caliop.facts.Envelope;
import org.caliop.facts.MessageFacts;
import org.caliop.hop.Hop;
import org.caliop.hop.TlsVersion;
import org.caliop.hop.Trust;
import org.caliop.mime.ContentProtection;
import org.caliop.received.FirsthandHop;
import org.caliop.score.ScoreV2;

/**
 * Prints how many scores per CPU-second one thread computes on typical facts (a first-hand TLSv1.3 hop, five claimed
 * hops, trusted DKIM/SPF/DMARC): the score formula alone, without reading a message. Thread CPU time, not wall time,
 * so the figure is per core even on a machine shared with other work.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar org.caliop.bench.score.ScoreThroughput [seconds]} (default 3
 * seconds of CPU, after 2 seconds of CPU to warm up).
 */
public final class ScoreThroughput {
  private static final String DOMAIN = "example.org";

  private ScoreThroughput() {
  }

  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    MessageFacts typical = typical();
    long sink = 0;
    // Warm-up by CPU time too: two wall seconds on a crowded machine are too little CPU for the JIT.
    long warmupEnd = cpu.getCurrentThreadCpuTime() + 2_000_000_000L;
    while (cpu.getCurrentThreadCpuTime() < warmupEnd) {
      for (int i = 0; i < 1000; i++) {
        sink += ScoreV2.INSTANCE.score(typical).value();
      }
    }
    long n = 0;
    long start = cpu.getCurrentThreadCpuTime();
    long end = start + (long) (seconds * 1e9);
    long now;
    do {
      for (int i = 0; i < 1000; i++) {
        sink += ScoreV2.INSTANCE.score(typical).value();
      }
      n += 1000;
      now = cpu.getCurrentThreadCpuTime();
    } while (now < end);
    double perSecond = n * 1e9 / (now - start);
    System.out.printf(Locale.ROOT, "ScoreV2: %.0f scores per CPU-second on one thread (%.2f us each), typical facts"
        + " with 6 hops [%d]%n", perSecond, 1e6 / perSecond, sink % 7);
  }

  static MessageFacts typical() {
    ConnectionFacts c = ConnectionFacts.builder().clientAddress("209.85.220.41").clientName("mail-sor-f41.google.com")
        .helo("mail-sor-f41.google.com").tlsVersion("TLSv1.3").cipher("TLS_AES_256_GCM_SHA384")
        .receivedBy("mx.ours.example").build();
    List<Hop> hops = new ArrayList<>();
    hops.add(FirsthandHop.of(c));
    for (int i = 0; i < 5; i++) {
      hops.add(Hop.builder(Trust.CLAIMED).fromHost("relay" + i + ".example").fromIp("198.51.100." + i)
          .byHost("relay" + (i + 1) + ".example").protocol(i % 2 == 0 ? "ESMTPS" : "SMTP")
          .tlsVersion(i % 2 == 0 ? TlsVersion.TLSV1_3 : null).build());
    }
    AuthResults.Builder auth = AuthResults.builder();
    for (AuthMethod m : new AuthMethod[] {AuthMethod.DKIM, AuthMethod.SPF, AuthMethod.DMARC}) {
      auth.add(MethodResult.of(m, AuthResult.of("pass"), DOMAIN).judged(DOMAIN, Alignment.ALIGNED));
    }
    return MessageFacts.of(c, Envelope.empty(), Direction.INBOUND, hops, auth.build(), ContentProtection.none(),
        10_000, List.of());
  }
}
