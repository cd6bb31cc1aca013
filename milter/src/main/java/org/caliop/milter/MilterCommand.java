package org.caliop.milter;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.caliop.engine.BuildInfo;
import org.caliop.milter.config.ConfigException;
import org.caliop.milter.config.Knob;
import org.caliop.milter.config.MilterConfig;
import org.caliop.milter.log.LinePrefixStream;
import org.caliop.policy.CompiledPolicy;
import org.caliop.policy.KeyCheck;
import org.slf4j.event.Level;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The milter daemon's command line, {@code caliop-milter} or {@code caliop milter}: {@code --config FILE}, one
 * option per setting made from {@link Knob} ({@code --listen}, {@code --policy}, ...), {@code -o caliop_NAME=VALUE},
 * {@code -n} to check and exit. Later wins: the file, then the options in their order. A usage or configuration
 * error is one line on standard error and exit status 2; {@code --help} and {@code --version} go to standard
 * output with status 0. The model is also what the man page caliop-milter(8) is generated from.
 */
public final class MilterCommand implements Callable<Integer> {
  /** Exit status for a configuration the daemon cannot start with (or a failed {@code -n}). */
  static final int CONFIG_ERROR = 1;

  private final String name;
  private final CommandSpec spec;

  private MilterCommand(String name) {
    this.name = name;
    this.spec = CommandSpec.wrapWithoutInspection(this);
    spec.name(name);
    spec.version(BuildInfo.current().describe());
    spec.mixinStandardHelpOptions(true);
    spec.usageMessage()
        .customSynopsis(name + " [-n] [-c FILE] [--listen ADDRESS] [--policy FILE] [--SETTING VALUE]..."
            + " [-o caliop_SETTING=VALUE]...")
        // The settings in the order of Knob, most wanted first, as in caliop-milter.cf(5).
        .sortOptions(false)
        .description("The caliop milter daemon for Postfix and Sendmail: records what the MTA saw first-hand,"
            + " judges each message with the policy, stamps Caliop-Privacy, Caliop-Policy and Caliop-Hop, removes"
            + " forged Caliop-* fields and applies the policy's action.")
        .footerHeading("%n")
        .footer("Settings come from the config file (caliop-milter.cf(5)), then from the options in their order."
            + " Exit status: 0 stopped or the check passed, 1 the configuration or the policy cannot be used, 2 a"
            + " usage error. See caliop-milter(8).");
    spec.addOption(OptionSpec.builder("-c", "--config").paramLabel("FILE").type(Path.class)
        .description("Read settings from FILE (Postfix main.cf syntax: name = value; caliop-milter.cf(5)).")
        .build());
    spec.addOption(OptionSpec.builder("-n", "--check").arity("0").type(boolean.class)
        .description("Check the configuration, the policy and its key directory, print 'caliop: configuration OK'"
            + " and exit (status 1 with the reason otherwise), like opendkim -n.")
        .build());
    spec.addOption(OptionSpec.builder("-o").paramLabel("NAME=VALUE").type(List.class)
        .auxiliaryTypes(String.class)
        .description("Set any setting by its name, e.g. -o caliop_workers=8 (may be repeated).").build());
    for (Knob k : Knob.values()) {
      String[] names = k == Knob.POLICY_FILE ? new String[] {"--policy", k.flag()} : new String[] {k.flag()};
      // A list, so that a setting given twice keeps both values in order (the later wins, as in main.cf).
      spec.addOption(OptionSpec.builder(names).paramLabel(k.syntax()).arity("1").type(List.class)
          .auxiliaryTypes(String.class)
          .description(k.doc() + " Sets " + k.key() + " (default: "
              + (k.defaultValue().isEmpty() ? "empty" : k.defaultValue()) + ").")
          .build());
    }
  }

  /** The command line for {@code name} ("caliop-milter" or "caliop milter"), printing to the given streams. */
  public static CommandLine commandLine(String name, PrintStream out, PrintStream err) {
    MilterCommand command = new MilterCommand(name);
    CommandLine cl = new CommandLine(command.spec);
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cl.setParameterExceptionHandler((e, args) -> {
      oneLine(e.getCommandLine().getErr(), name, usageError(e));
      return CommandLine.ExitCode.USAGE;
    });
    return cl;
  }

  /** The model (options, descriptions) for the man page and for {@code caliop milter} in the main command. */
  public static CommandSpec spec(String name) {
    return new MilterCommand(name).spec;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    MilterConfig config;
    try {
      config = config(spec.commandLine().getParseResult());
    } catch (ConfigException e) {
      oneLine(err, name, e.getMessage());
      return CommandLine.ExitCode.USAGE;
    } catch (IOException e) {
      oneLine(err, name, "cannot read the config file: " + e.getMessage());
      return CommandLine.ExitCode.USAGE;
    }
    if (spec.commandLine().getParseResult().hasMatchedOption("--check")) {
      return check(config);
    }
    return run(config);
  }

  /** Defaults, then the config file, then the options in the order given (a setting given twice: the later). */
  static MilterConfig config(ParseResult parsed) throws IOException {
    Map<Knob, String> values = new EnumMap<>(Knob.class);
    Path file = parsed.matchedOptionValue("--config", null);
    if (file != null) {
      values.putAll(MilterConfig.readFile(file));
    }
    // matchedArgs has one entry per occurrence, in order; each option's values are in the same order.
    Map<ArgSpec, Integer> occurrence = new HashMap<>();
    for (ArgSpec arg : parsed.matchedArgs()) {
      if (!(arg instanceof OptionSpec option)) {
        continue;
      }
      int n = occurrence.merge(arg, 1, Integer::sum) - 1;
      if (option.longestName().equals("-o")) {
        String kv = option.stringValues().get(n);
        int eq = kv.indexOf('=');
        if (eq < 0) {
          throw new ConfigException("-o expects name=value, got '" + kv + "'");
        }
        String key = kv.substring(0, eq);
        values.put(Knob.byKey(key).orElseThrow(() -> new ConfigException(Knob.unknown(key))),
            kv.substring(eq + 1));
        continue;
      }
      for (Knob k : Knob.values()) {
        if (option.longestName().equals(k.flag())) {
          values.put(k, option.stringValues().get(n));
        }
      }
    }
    return MilterConfig.of(values);
  }

  /** {@code -n}: the policy loads, its key directory holds no secret or broken key. */
  private static int check(MilterConfig config) {
    PrintStream out = LinePrefixStream.of(System.out, Level.INFO);
    PrintStream err = LinePrefixStream.of(System.err, Level.ERROR);
    try (PolicySource source = Policies.open(config)) {
      // Keys are checked here, not at start: a broken key file must not keep the daemon from serving mail
      // (its recipients simply have no key), but the admin's check must say so. The policy's warnings too: what
      // the milter does differently (split_per_recipient) is among them.
      if (source.get() instanceof CompiledPolicy policy) {
        policy.warnings().forEach(w -> out.println("caliop: " + w));
        KeyCheck keys = KeyCheck.of(policy, Instant.now());
        keys.print(out, err);
        if (!keys.ok()) {
          err.println("caliop: fatal: keys_dir not usable (secret key material or broken files)");
          return CONFIG_ERROR;
        }
      }
      out.println("caliop: configuration OK");
      return CommandLine.ExitCode.OK;
    } catch (Exception e) {
      err.println("caliop: fatal: " + e.getMessage());
      return CONFIG_ERROR;
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** Runs the daemon until the JVM is told to stop (SIGTERM: graceful, see {@link CaliopMilter#close()}). */
  private static int run(MilterConfig config) {
    // SIGHUP is taken before the daemon starts: the JVM's own handler would end it, so a reload sent while it
    // starts (systemctl reload right after start) killed it. The policy read at start is current anyway.
    AtomicReference<CaliopMilter> started = new AtomicReference<>();
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> {
        CaliopMilter m = started.get();
        if (m != null) {
          m.reload();
        }
      });
    } catch (IllegalArgumentException e) {
      LinePrefixStream.of(System.err, Level.WARN)
          .println("caliop: warning: no SIGHUP on this platform; reload by file watch only");
    }
    CaliopMilter milter;
    try {
      milter = CaliopMilter.start(config);
    } catch (Exception e) {
      LinePrefixStream.of(System.err, Level.ERROR).println("caliop: fatal: " + e.getMessage());
      return CONFIG_ERROR;
    }
    started.set(milter);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      milter.close();
      stopped.countDown();
    }, "caliop-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return CommandLine.ExitCode.OK;
  }

  /** picocli's message, made shorter for an unknown option: the first one, and the nearest real one. */
  static String usageError(CommandLine.ParameterException e) {
    if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String first = u.getUnmatched().get(0);
      String setting = first.startsWith("--") ? "caliop_" + first.substring(2).split("=", 2)[0].replace('-', '_') : "";
      if (Knob.removed(setting).isPresent()) {
        return Knob.removed(setting).get();
      }
      List<String> near = u.getSuggestions();
      return (first.startsWith("-") ? "unknown option '" : "unexpected argument '") + first + "'"
          + (near.isEmpty() ? "" : ", did you mean " + near.get(0) + "?");
    }
    return e.getMessage();
  }

  /** A usage or configuration error: one line, naming the command and where to read more. */
  private static void oneLine(PrintWriter err, String name, String message) {
    PrintStream journal = LinePrefixStream.of(System.err, Level.ERROR);
    String line = name + ": " + message + " (" + name + " --help)";
    if (journal != System.err) {
      journal.println(line);
    } else {
      err.println(line);
    }
  }
}
