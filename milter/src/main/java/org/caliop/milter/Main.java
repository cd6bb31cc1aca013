package org.caliop.milter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.caliop.milter.config.ConfigException;
import org.caliop.milter.config.Knob;
import org.caliop.milter.config.MilterConfig;
import org.caliop.policy.CompiledPolicy;
import org.caliop.policy.KeyCheck;

/**
 * {@code caliop milter [--config FILE] [--listen ADDR] [--policy FILE] [--NAME VALUE] [-o caliop_NAME=VALUE]
 * [--check]}. Flags win over the config file; {@code --on-error tempfail} sets {@code caliop_on_error}.
 */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    MilterConfig config;
    boolean check;
    try {
      Parsed p = parse(args);
      if (p.help) {
        usage(System.out);
        return;
      }
      config = p.config;
      check = p.check;
    } catch (ConfigException e) {
      System.err.println("caliop: fatal: " + e.getMessage());
      usage(System.err);
      System.exit(2);
      return;
    } catch (IOException e) {
      System.err.println("caliop: fatal: cannot read config: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (check) {
      try (PolicySource source = Policies.open(config)) {
        // Keys are checked here, not at start: a broken key file must not keep the daemon from serving mail
        // (its recipients simply have no key), but the admin's check must say so.
        if (source.get() instanceof CompiledPolicy policy) {
          KeyCheck keys = KeyCheck.of(policy, Instant.now());
          keys.print(System.out, System.err);
          if (!keys.ok()) {
            System.err.println("caliop: fatal: keys_dir not usable (secret key material or broken files)");
            System.exit(1);
            return;
          }
        }
        System.out.println("caliop: configuration OK");
        return;
      } catch (Exception e) {
        System.err.println("caliop: fatal: " + e.getMessage());
        System.exit(1);
        return;
      }
    }
    CaliopMilter milter;
    try {
      milter = CaliopMilter.start(config);
    } catch (Exception e) {
      System.err.println("caliop: fatal: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      milter.close();
      stopped.countDown();
    }, "caliop-shutdown"));
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> milter.reload());
    } catch (IllegalArgumentException e) {
      System.err.println("caliop: warning: no SIGHUP on this platform; reload by file watch only");
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  record Parsed(MilterConfig config, boolean check, boolean help) {
  }

  static Parsed parse(String[] args) throws IOException {
    Map<Knob, String> flags = new EnumMap<>(Knob.class);
    Path configFile = null;
    boolean check = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help", "-h" -> {
          return new Parsed(null, false, true);
        }
        case "--check", "-n" -> check = true;
        case "--config", "-c" -> configFile = Path.of(value(args, ++i, a));
        case "-o" -> {
          String kv = value(args, ++i, a);
          int eq = kv.indexOf('=');
          if (eq < 0) {
            throw new ConfigException("-o expects name=value, got '" + kv + "'");
          }
          String name = kv.substring(0, eq);
          flags.put(Knob.byKey(name).orElseThrow(() -> new ConfigException("unknown setting '" + name + "'")),
              kv.substring(eq + 1));
        }
        default -> {
          if (!a.startsWith("--")) {
            throw new ConfigException("unexpected argument '" + a + "'");
          }
          String name = a.substring(2);
          String v = null;
          int eq = name.indexOf('=');
          if (eq >= 0) {
            v = name.substring(eq + 1);
            name = name.substring(0, eq);
          }
          String key = "caliop_" + (name.equals("policy") ? "policy_file" : name.replace('-', '_'));
          String flag = a;
          Knob knob = Knob.byKey(key).orElseThrow(() -> new ConfigException("unknown option '" + flag + "'"));
          flags.put(knob, v != null ? v : value(args, ++i, a));
        }
      }
    }
    Map<Knob, String> values = new EnumMap<>(Knob.class);
    if (configFile != null) {
      values.putAll(MilterConfig.readFile(configFile));
    }
    values.putAll(flags);
    return new Parsed(MilterConfig.of(values), check, false);
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new ConfigException(flag + " needs a value");
    }
    return args[i];
  }

  static void usage(PrintStream out) {
    out.println("usage: caliop milter [--config FILE] [--listen ADDR] [--policy FILE] [--check]");
    out.println("                     [--NAME VALUE | -o caliop_NAME=VALUE]...");
    out.println("settings (see docs/milter.md):");
    for (Knob k : Knob.values()) {
      out.printf("  %-28s (default: %s)%n      %s%n", k.key(),
          k.defaultValue().isEmpty() ? "empty" : k.defaultValue(), k.doc());
    }
  }
}
