package org.caliop.received;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.caliop.facts.TrustSettings;
import org.caliop.hop.Hop;
import org.caliop.received.HopClassifier;

/**
 * Not a test: CPU time of the Received stage alone (parse the five {@code Received:} values of the benchmark's typical
 * message, classify the hops with the default trust settings), per message, on the measuring thread. Uses only the
 * public API, so the same class runs against an older build for a before/after figure:
 * {@code java -cp policy/target/classes:policy/target/test-classes org.caliop.received.ReceivedThroughputMain}.
 */
public final class ReceivedThroughputMain {
  private ReceivedThroughputMain() {
  }

  public static void main(String[] args) {
    String[][] hops = {
        {"mx.example.net", "mail-ej1-f41.google.com", "209.85.218.41", "TLSv1.3", "TLS_AES_256_GCM_SHA384"},
        {"mail-ej1-f41.google.com", "smtp.gmail.com", "2a00:1450:4864:20::541", "TLSv1.3", "TLS_AES_128_GCM_SHA256"},
        {"smtp.gmail.com", "relay.example.org", "192.0.2.17", "TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384"},
        {"relay.example.org", "submit.example.org", "198.51.100.4", "TLSv1.3", "TLS_AES_256_GCM_SHA384"},
        {"submit.example.org", "laptop.home.example", "203.0.113.9", "TLSv1.3", "TLS_AES_256_GCM_SHA384"}};
    List<String> values = new ArrayList<>();
    for (int i = 0; i < hops.length; i++) {
      String[] h = hops[i];
      // as the scanner hands them over from bench TypicalMessage: unfolded, tabs kept
      values.add("from " + h[1] + " (" + h[1] + " [" + h[2] + "])\t(using " + h[3] + " with cipher " + h[4]
          + " (256/256 bits))\t(No client certificate requested)\tby " + h[0] + " (Postfix) with ESMTPS id 4Q" + i
          + "XyZ1234\tfor <bob@example.net>; Mon, 11 Mar 2024 10:1" + (i + 1) + ":42 +0100 (CET)");
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    HopClassifier classifier = HopClassifier.of(TrustSettings.defaults());
    int sink = 0;
    for (int round = 0; round < 6; round++) {
      long start = threads.getCurrentThreadCpuTime();
      long messages = 0;
      while (threads.getCurrentThreadCpuTime() - start < 1_000_000_000L) {
        for (int k = 0; k < 1000; k++) {
          List<Hop> parsed = new ArrayList<>(values.size());
          for (String v : values) {
            parsed.add(ReceivedParser.parse(v));
          }
          sink += classifier.classify(parsed, Optional.empty()).size();
          messages++;
        }
      }
      long ns = threads.getCurrentThreadCpuTime() - start;
      System.out.printf(Locale.ROOT, "round %d: %.2f us CPU per message (5 Received values parsed and classified)%s%n",
          round, ns / 1000.0 / messages, round < 2 ? ", warm-up" : "");
    }
    if (sink == 42) {
      System.out.println();
    }
  }
}
