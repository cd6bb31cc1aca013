package org.caliop.milter.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The daemon's settings, checked and typed. Built from defaults, then a config file, then command-line flags. */
public record MilterConfig(
    List<ListenAddress> listen,
    Optional<Path> policyFile,
    boolean policyWatch,
    OnError onError,
    boolean fullOutboundHeaders,
    long maxInspectSize,
    int memoryBufferSize,
    int inlineJudgeSize,
    Path spillDirectory,
    int maxFrameSize,
    int workers,
    int queueSize,
    int eventLoopThreads,
    Duration evalTimeout,
    Duration idleTimeout,
    Duration shutdownTimeout,
    String unixSocketMode,
    Optional<ListenAddress> metricsListen,
    List<ListenAddress> localListen,
    List<ListenAddress> reinjectListen,
    Optional<Path> sealKeyFile) {

  public MilterConfig {
    listen = List.copyOf(listen);
    localListen = List.copyOf(localListen);
    reinjectListen = List.copyOf(reinjectListen);
  }

  /** Whether caliop seals first-hand facts into what it keeps and opens them on its re-injection listener. */
  public boolean seals() {
    return sealKeyFile.isPresent();
  }

  /** All defaults. */
  public static MilterConfig defaults() {
    return of(new EnumMap<>(Knob.class));
  }

  /** Settings from {@code name = value} pairs; missing ones take their defaults. */
  public static MilterConfig of(Map<Knob, String> values) {
    Map<Knob, String> v = new EnumMap<>(Knob.class);
    for (Knob k : Knob.values()) {
      v.put(k, values.getOrDefault(k, k.defaultValue()).trim());
    }
    List<ListenAddress> listen = addresses(Knob.LISTEN, v.get(Knob.LISTEN));
    if (listen.isEmpty()) {
      throw new ConfigException(Knob.LISTEN.key() + ": at least one address is needed");
    }
    List<ListenAddress> local = addresses(Knob.LOCAL_LISTEN, v.get(Knob.LOCAL_LISTEN));
    List<ListenAddress> reinject = addresses(Knob.REINJECT_LISTEN, v.get(Knob.REINJECT_LISTEN));
    List<ListenAddress> all = new ArrayList<>(listen);
    all.addAll(local);
    all.addAll(reinject);
    for (int i = 0; i < all.size(); i++) {
      ListenAddress a = all.get(i);
      // Port 0 (a free port, tests) may repeat; a real address serves one role only: caliop tells local
      // submissions and re-injections from SMTP clients by the listener the MTA used.
      if (!(a.kind() == ListenAddress.Kind.INET && a.port() == 0) && all.subList(0, i).contains(a)) {
        throw new ConfigException(a + " is named twice in caliop_listen, caliop_local_listen and"
            + " caliop_reinject_listen: each address serves one of them");
      }
    }
    String sealKey = v.get(Knob.SEAL_KEY_FILE);
    if (!reinject.isEmpty() && sealKey.isEmpty()) {
      throw new ConfigException(Knob.REINJECT_LISTEN.key() + " needs " + Knob.SEAL_KEY_FILE.key()
          + ": without it the re-injection listener cannot read the first-hand facts of the mail it judges"
          + " (docs/milter.md, \"Postfix set-ups\")");
    }
    String policy = v.get(Knob.POLICY_FILE);
    String spill = v.get(Knob.SPILL_DIRECTORY);
    String metrics = v.get(Knob.METRICS_LISTEN);
    String mode = v.get(Knob.UNIX_SOCKET_MODE);
    if (!mode.matches("0?[0-7]{3}")) {
      throw new ConfigException(Knob.UNIX_SOCKET_MODE.key() + ": expected an octal mode like 0660, got '" + mode + "'");
    }
    long maxInspect = size(Knob.MAX_INSPECT_SIZE, v.get(Knob.MAX_INSPECT_SIZE));
    long memory = size(Knob.MEMORY_BUFFER_SIZE, v.get(Knob.MEMORY_BUFFER_SIZE));
    long frame = size(Knob.MAX_FRAME_SIZE, v.get(Knob.MAX_FRAME_SIZE));
    String inlineText = v.get(Knob.INLINE_JUDGE_SIZE);
    long inline = inlineText.equals("0") ? 0 : size(Knob.INLINE_JUDGE_SIZE, inlineText);
    if (inline > 1L << 20) {
      throw new ConfigException(Knob.INLINE_JUDGE_SIZE.key() + ": at most 1m (it holds up every other session)");
    }
    if (memory > Integer.MAX_VALUE - 8) {
      throw new ConfigException(Knob.MEMORY_BUFFER_SIZE.key() + ": at most 2g");
    }
    if (frame < 65_536 + 1024 || frame > 64L << 20) {
      throw new ConfigException(Knob.MAX_FRAME_SIZE.key() + ": between 66560 and 64m (a body chunk is 64k)");
    }
    return new MilterConfig(
        listen,
        policy.isEmpty() ? Optional.empty() : Optional.of(Path.of(policy)),
        bool(Knob.POLICY_WATCH, v.get(Knob.POLICY_WATCH)),
        OnError.parse(Knob.ON_ERROR, v.get(Knob.ON_ERROR)),
        outboundHeaders(v.get(Knob.OUTBOUND_HEADERS)),
        maxInspect,
        (int) memory,
        (int) inline,
        spill.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(spill),
        (int) frame,
        count(Knob.WORKERS, v.get(Knob.WORKERS)),
        Math.max(1, count(Knob.QUEUE_SIZE, v.get(Knob.QUEUE_SIZE))),
        count(Knob.EVENT_LOOP_THREADS, v.get(Knob.EVENT_LOOP_THREADS)),
        time(Knob.EVAL_TIMEOUT, v.get(Knob.EVAL_TIMEOUT)),
        time(Knob.IDLE_TIMEOUT, v.get(Knob.IDLE_TIMEOUT)),
        time(Knob.SHUTDOWN_TIMEOUT, v.get(Knob.SHUTDOWN_TIMEOUT)),
        mode,
        metrics.isEmpty() ? Optional.empty()
            : Optional.of(parse(Knob.METRICS_LISTEN, metrics.contains(":") && !metrics.startsWith("inet:")
                ? "inet:" + metrics : metrics, ListenAddress::parse)),
        local,
        reinject,
        sealKey.isEmpty() ? Optional.empty() : Optional.of(Path.of(sealKey)));
  }

  private static List<ListenAddress> addresses(Knob knob, String text) {
    List<ListenAddress> out = new ArrayList<>();
    for (String part : text.split("[,\\s]+")) {
      if (!part.isEmpty()) {
        out.add(parse(knob, part, ListenAddress::parse));
      }
    }
    return out;
  }

  /** The same settings with spilled messages written to {@code directory}. */
  public MilterConfig withSpillDirectory(Path directory) {
    return new MilterConfig(listen, policyFile, policyWatch, onError, fullOutboundHeaders, maxInspectSize,
        memoryBufferSize, inlineJudgeSize, directory, maxFrameSize, workers, queueSize, eventLoopThreads, evalTimeout,
        idleTimeout, shutdownTimeout, unixSocketMode, metricsListen, localListen, reinjectListen, sealKeyFile);
  }

  /** Workers to start: the setting, or twice the processors. */
  public int effectiveWorkers() {
    return workers > 0 ? workers : 2 * Runtime.getRuntime().availableProcessors();
  }

  /**
   * Reads a Postfix-style file: {@code name = value}, {@code #} comments, lines starting with white space
   * continue the previous one. Unknown names are an error naming the line.
   */
  public static Map<Knob, String> readFile(Path file) throws IOException {
    Map<Knob, String> out = new EnumMap<>(Knob.class);
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String[]> logical = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String trimmed = line.trim();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      if (Character.isWhitespace(line.charAt(0)) && !logical.isEmpty()) {
        String[] last = logical.get(logical.size() - 1);
        last[1] = last[1] + " " + trimmed;
        continue;
      }
      logical.add(new String[] {String.valueOf(i + 1), trimmed});
    }
    for (String[] entry : logical) {
      String where = file + ":" + entry[0];
      int eq = entry[1].indexOf('=');
      if (eq < 0) {
        throw new ConfigException(where + ": expected 'name = value'");
      }
      String name = entry[1].substring(0, eq).trim();
      Knob knob;
      try {
        knob = Knob.byKey(name).orElseThrow(() -> new ConfigException(Knob.unknown(name)));
      } catch (ConfigException e) {
        throw new ConfigException(where + ": " + e.getMessage());
      }
      out.put(knob, entry[1].substring(eq + 1).trim());
    }
    return out;
  }

  static long size(Knob knob, String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (s.endsWith("k")) {
      unit = 1024;
    } else if (s.endsWith("m")) {
      unit = 1024 * 1024;
    } else if (s.endsWith("g")) {
      unit = 1024L * 1024 * 1024;
    }
    if (unit > 1) {
      s = s.substring(0, s.length() - 1);
    }
    try {
      long n = Long.parseLong(s);
      if (n <= 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigException(knob.key() + ": expected a positive size in bytes (k, m, g allowed), got '" + text
          + "'");
    }
  }

  static Duration time(Knob knob, String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    long unit = 1000;
    char last = s.isEmpty() ? ' ' : s.charAt(s.length() - 1);
    switch (last) {
      case 's' -> s = s.substring(0, s.length() - 1);
      case 'm' -> { unit = 60_000; s = s.substring(0, s.length() - 1); }
      case 'h' -> { unit = 3_600_000; s = s.substring(0, s.length() - 1); }
      case 'd' -> { unit = 86_400_000; s = s.substring(0, s.length() - 1); }
      default -> { }
    }
    if (s.endsWith("m") && last == 's') {
      unit = 1;
      s = s.substring(0, s.length() - 1);
    }
    try {
      long n = Long.parseLong(s);
      if (n <= 0) {
        throw new NumberFormatException();
      }
      return Duration.ofMillis(Math.multiplyExact(n, unit));
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigException(knob.key() + ": expected a positive time (units ms, s, m, h, d; default s), got '"
          + text + "'");
    }
  }

  /** {@code full} keeps the client's details in our fields of outbound mail; {@code private} leaves them out. */
  static boolean outboundHeaders(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "private" -> false;
      case "full" -> true;
      default -> throw new ConfigException(Knob.OUTBOUND_HEADERS.key() + ": expected private or full, got '" + text
          + "'");
    };
  }

  static boolean bool(Knob knob, String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "yes", "true", "on", "1" -> true;
      case "no", "false", "off", "0" -> false;
      default -> throw new ConfigException(knob.key() + ": expected yes or no, got '" + text + "'");
    };
  }

  static int count(Knob knob, String text) {
    try {
      int n = Integer.parseInt(text.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(knob.key() + ": expected a number >= 0, got '" + text + "'");
    }
  }

  private static <T> T parse(Knob knob, String text, java.util.function.Function<String, T> parser) {
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(knob.key() + ": " + e.getMessage());
    }
  }
}
