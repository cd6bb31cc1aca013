package org.caliop.james.it;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine called directly, from the same packaged jar James loads (this test JVM has no caliop classes on its
 * class path, hence reflection), on the message as CaliopScore saw it inside James.
 */
final class DirectEngine {
  /** Header fields added at or after CaliopScore: ours, and James's local delivery. */
  private static final Set<String> ADDED_AFTER_SCORE = Set.of("caliop-privacy", "caliop-hop", "caliop-policy",
      "return-path", "delivered-to", "x-privacy-warning");

  private DirectEngine() {
  }

  static final class Result {
    private final String privacy;

    Result(String privacy) {
      this.privacy = privacy;
    }

    String privacy() {
      return privacy;
    }
  }

  static Result evaluateAsJamesSawIt(byte[] delivered, String sender, String recipient, String helo)
      throws Exception {
    byte[] seen = withoutFields(delivered, ADDED_AFTER_SCORE);
    String text = new String(seen, StandardCharsets.ISO_8859_1);
    // James 3.8.1 writes "from <remote host> (EHLO <helo>) ([<remote address>]) by <hello name> ...".
    Matcher received = Pattern
        .compile("Received: from (\\S+) \\((?:EHLO|HELO) \\S+\\) \\(\\[([0-9a-fA-F.:]+)\\]\\)\\s+by (\\S+)")
        .matcher(text);
    if (!received.find()) {
      throw new AssertionError("no James Received header in the delivered message:\n"
          + text.substring(0, text.indexOf("\r\n\r\n")));
    }
    Path jar = Path.of(System.getProperty("caliop.james.jar"));
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
        DirectEngine.class.getClassLoader())) {
      Class<?> engineType = loader.loadClass("org.caliop.engine.Engine");
      Class<?> factsType = loader.loadClass("org.caliop.facts.ConnectionFacts");
      Class<?> envelopeType = loader.loadClass("org.caliop.facts.Envelope");
      Object engine = engineType.getMethod("withBuiltInPolicy").invoke(null);
      Object b = factsType.getMethod("builder").invoke(null);
      b = call(b, "clientAddress", received.group(2));
      b = call(b, "clientName", received.group(1));
      b = call(b, "helo", helo);
      b = call(b, "protocol", "ESMTP");
      b = call(b, "receivedBy", received.group(3));
      Object facts = b.getClass().getMethod("build").invoke(b);
      Object envelope = envelopeType.getMethod("of", String.class, List.class).invoke(null, sender,
          List.of(recipient));
      Object verdict;
      try (InputStream in = new ByteArrayInputStream(seen)) {
        verdict = engineType.getMethod("assess", factsType, envelopeType, InputStream.class).invoke(engine, facts,
            envelope, in);
      }
      List<?> edits = (List<?>) verdict.getClass().getMethod("headerEdits").invoke(verdict);
      for (Object edit : edits) {
        Method name = edit.getClass().getMethod("name");
        Object value = edit.getClass().getMethod("value").invoke(edit);
        if ("Caliop-Privacy".equals(name.invoke(edit)) && value != null) {
          return new Result((String) value);
        }
      }
      throw new AssertionError("the engine added no Caliop-Privacy: " + edits);
    }
  }

  private static Object call(Object builder, String method, String value) throws Exception {
    return builder.getClass().getMethod(method, String.class).invoke(builder, value);
  }

  /** The raw message without the given header fields (folded continuation lines included). */
  static byte[] withoutFields(byte[] raw, Set<String> lowerCaseNames) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    String headers = text.substring(0, end + 2);
    StringBuilder kept = new StringBuilder();
    boolean dropping = false;
    for (String line : headers.split("(?<=\r\n)")) {
      boolean continuation = line.startsWith(" ") || line.startsWith("\t");
      if (!continuation) {
        int colon = line.indexOf(':');
        String name = colon < 0 ? "" : line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        dropping = lowerCaseNames.contains(name);
      }
      if (!dropping) {
        kept.append(line);
      }
    }
    return (kept + text.substring(end + 2)).getBytes(StandardCharsets.ISO_8859_1);
  }
}
