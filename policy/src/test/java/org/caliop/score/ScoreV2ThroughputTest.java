package org.caliop.score;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import org.caliop.auth.AuthFixtures;
import org.caliop.auth.AuthResults;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Direction;
import org.caliop.facts.Envelope;
import org.caliop.facts.MessageFacts;
import org.caliop.hop.Hop;
import org.caliop.hop.TlsVersion;
import org.caliop.hop.Trust;
import org.caliop.mime.ContentProtection;
import org.caliop.received.FirsthandHop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Prints how many scores per CPU-second one thread computes on typical facts (a first-hand TLSv1.3 hop, five claimed
 * hops, trusted DKIM/SPF/DMARC). A measurement, not a check: it asserts nothing and runs only on request:
 * {@code mvn -q -B -ntp -pl policy test -Dtest=ScoreV2ThroughputTest -Dcaliop.bench=true}.
 */
@EnabledIfSystemProperty(named = "caliop.bench", matches = "true")
class ScoreV2ThroughputTest {

  @Test
  void measure() {
    // Thread CPU time, not wall time: the figure is per core even on a machine shared with other work.
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    MessageFacts typical = typical();
    long sink = 0;
    long warmupEnd = System.nanoTime() + 2_000_000_000L;
    while (System.nanoTime() < warmupEnd) {
      sink += ScoreV2.INSTANCE.score(typical).value();
    }
    long n = 0;
    long start = cpu.getCurrentThreadCpuTime();
    long end = start + 3_000_000_000L;
    long now;
    do {
      for (int i = 0; i < 1000; i++) {
        sink += ScoreV2.INSTANCE.score(typical).value();
      }
      n += 1000;
      now = cpu.getCurrentThreadCpuTime();
    } while (now < end);
    double perSecond = n * 1e9 / (now - start);
    System.out.printf("ScoreV2: %.0f scores per CPU-second on one thread (%.2f us each), typical facts with 6 hops"
        + " [%d]%n", perSecond, 1e6 / perSecond, sink % 7);
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
    return MessageFacts.of(c, Envelope.empty(), Direction.INBOUND, hops, AuthFixtures.aligned("pass", "pass", "pass", null),
        ContentProtection.none(), 10_000, List.of());
  }
}
