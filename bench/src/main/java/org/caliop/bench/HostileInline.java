package org.caliop.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import org.caliop.engine.Engine;
import org.caliop.facts.Envelope;

/**
 * What the engine costs on hostile messages no larger than {@code caliop_inline_judge_size} (64 KiB), the ones the
 * milter judges on its network thread while every other session of that thread waits. Each shape is cut to 64 KiB
 * and judged over and over; the figure is CPU time of the judging thread per message (on a shared machine the wall
 * clock says more about the other builds than about us).
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar org.caliop.bench.HostileInline [seconds-per-shape]}, or
 * {@code bench/milter/inline-hostile.sh}.
 */
public final class HostileInline {
  static final int SIZE = 64 * 1024;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private HostileInline() {
  }

  /** The shapes, each cut to 64 KiB. */
  static Map<String, byte[]> shapes() {
    Map<String, byte[]> s = new LinkedHashMap<>();
    s.put("fields", build("", i -> "X-" + i + ": a\r\n", "\r\nbody\r\n"));
    s.put("caliop-fields", build("", i -> "Caliop-" + i + ": a\r\n", "\r\nbody\r\n"));
    s.put("invalid-lines", build("From: a@b\r\n", i -> "x\r\n", "\r\nbody\r\n"));
    s.put("invalid-names", build("From: a@b\r\n", i -> "a b: c\r\n", "\r\nbody\r\n"));
    s.put("received", build("", i -> "Received: from a" + i + ".example.org (a" + i + ".example.org [192.0.2."
        + (i % 250) + "]) by mx" + i + ".example.net (Postfix) with ESMTPS id ABC" + i
        + " (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256) for <x@example.net>;"
        + " Fri, 27 Nov 2026 10:00:00 +0000\r\n", "From: a@b\r\n\r\nbody\r\n"));
    s.put("auth-results", build("", i -> "Authentication-Results: mx" + i + ".example.net; dkim=pass header.d=a"
        + i + ".example; spf=pass smtp.mailfrom=a.example\r\n", "From: a@b\r\n\r\nbody\r\n"));
    s.put("nested", build("From: a@b\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n",
        i -> "--b" + i + "\r\nContent-Type: multipart/mixed; boundary=b" + (i + 1) + "\r\n\r\n",
        "--b400\r\nContent-Type: text/plain\r\n\r\nx\r\n"));
    s.put("nested-distinct", build("From: a@b\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=x0y"
        + "\r\n\r\n", i -> "--x" + i + "y\r\nContent-Type: multipart/mixed; boundary=x" + (i + 1) + "y\r\n\r\n"
        + "--x" + (i + 1) + "z\r\n".repeat(i < 64 ? 20 : 0), ""));
    s.put("prefix-boundaries", build("From: a@b\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=a"
        + "\r\n\r\n", i -> "--" + "a".repeat(i + 1) + "\r\nContent-Type: multipart/mixed; boundary=" + "a".repeat(i + 2)
        + "\r\n\r\n", ""));
    s.put("prefix-lines", prefixLines());
    s.put("nested-messages", build("From: a@b\r\n", i -> "Content-Type: message/rfc822\r\n\r\n", "x\r\n"));
    s.put("parts", build("From: a@b\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n",
        i -> "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n", "--b--\r\n"));
    s.put("armor", build("From: a@b\r\n\r\n", i -> "-----BEGIN PGP MESSAGE-----\r\nx\r\n", ""));
    return s;
  }

  /** 64 nested multiparts whose boundaries are prefixes of one another, then lines that almost close each. */
  private static byte[] prefixLines() {
    StringBuilder b = new StringBuilder("From: a@b\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=a"
        + "\r\n\r\n");
    for (int i = 0; i < 63; i++) {
      b.append("--").append("a".repeat(i + 1)).append("\r\nContent-Type: multipart/mixed; boundary=")
          .append("a".repeat(i + 2)).append("\r\n\r\n");
    }
    while (b.length() < SIZE) {
      b.append("--").append("a".repeat(70)).append("x\r\n");
    }
    return Arrays.copyOf(b.toString().getBytes(StandardCharsets.US_ASCII), SIZE);
  }

  private static byte[] build(String head, IntFunction<String> unit, String tail) {
    StringBuilder b = new StringBuilder(head);
    for (int i = 0; b.length() < SIZE; i++) {
      b.append(unit.apply(i));
    }
    b.append(tail);
    byte[] all = b.toString().getBytes(StandardCharsets.US_ASCII);
    return Arrays.copyOf(all, Math.min(all.length, SIZE));
  }

  public static void main(String[] args) throws IOException {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
    Engine engine = Engine.withBuiltInPolicy();
    Envelope envelope = Envelope.of("a@b.example", java.util.List.of("c@d.example"));
    for (Map.Entry<String, byte[]> shape : shapes().entrySet()) {
      byte[] m = shape.getValue();
      measure(engine, envelope, m, seconds / 2);
      double ms = measure(engine, envelope, m, seconds);
      System.out.printf(Locale.ROOT, "%-18s %6d bytes  %7.3f ms CPU per message%n", shape.getKey(), m.length, ms);
    }
  }

  /** CPU milliseconds per message over at least {@code seconds} of CPU time. */
  private static double measure(Engine engine, Envelope envelope, byte[] m, double seconds) throws IOException {
    long budget = (long) (seconds * 1e9);
    long start = THREADS.getCurrentThreadCpuTime();
    long n = 0;
    long used;
    do {
      engine.assess(null, envelope, new ByteArrayInputStream(m));
      n++;
      used = THREADS.getCurrentThreadCpuTime() - start;
    } while (used < budget);
    return used / 1e6 / n;
  }
}
