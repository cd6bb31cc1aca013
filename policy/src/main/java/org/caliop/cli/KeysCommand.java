package org.caliop.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.caliop.crypto.EncryptionSettings;
import org.caliop.crypto.KeyImport;
import org.caliop.crypto.KeyInventory;
import org.caliop.crypto.KeyProblem;
import org.caliop.policy.CompiledPolicy;
import org.caliop.policy.PolicyException;
import org.caliop.policy.PolicyLoader;
import org.caliop.policy.Problem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code caliop keys list|check|import}: what is in the key directory, whether it is fit for use, and a safe way to
 * put a correspondent's key there (docs/cli.md). Built on {@link KeyInventory} and {@link KeyImport}, the same
 * reading the gateway encryptor does.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "The recipients' keys in the policy's keys_dir (and pgp_keyring): list them, check them, import one.",
    subcommands = {KeysCommand.ListKeys.class, KeysCommand.CheckKeys.class, KeysCommand.ImportKey.class},
    footer = "See docs/cli.md, \"caliop keys\".")
public final class KeysCommand implements Callable<Integer> {
  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;

  KeysCommand(PrintStream out, PrintStream err, Clock clock) {
    this.out = out;
    this.err = err;
    this.clock = clock;
  }

  /** Runs {@code caliop keys ARGS} (for tests) with the whole tree's parsing, on this clock. */
  static int run(String[] args, PrintStream out, PrintStream err, Clock clock) {
    return Main.commandLine(System.in, out, err, clock, "postconf").execute(Main.prepend("keys", args));
  }

  @Override
  public Integer call() {
    err.println("caliop keys: say list, check or import (caliop keys --help)");
    return CommandLine.ExitCode.USAGE;
  }

  /** A window of time: {@code 30d}, {@code 12h}, {@code 2w}, {@code 90m}, {@code 45s}, or a number of days. */
  static final class Window implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String v) {
      String s = v.trim().toLowerCase(Locale.ROOT);
      if (s.isEmpty()) {
        throw new CommandLine.TypeConversionException("empty time");
      }
      char unit = s.charAt(s.length() - 1);
      String number = Character.isDigit(unit) ? s : s.substring(0, s.length() - 1);
      long n;
      try {
        n = Long.parseLong(number);
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("'" + v + "' is not a time such as 30d, 12h or 2w");
      }
      if (n < 0 || n > 36500) {
        throw new CommandLine.TypeConversionException("'" + v + "' is out of range (0 to 36500 units)");
      }
      switch (unit) {
        case 's': return Duration.ofSeconds(n);
        case 'm': return Duration.ofMinutes(n);
        case 'h': return Duration.ofHours(n);
        case 'w': return Duration.ofDays(7 * n);
        case 'd': return Duration.ofDays(n);
        default:
          if (Character.isDigit(unit)) {
            return Duration.ofDays(n);
          }
          throw new CommandLine.TypeConversionException("'" + v + "': unknown unit '" + unit
              + "' (s, m, h, d or w)");
      }
    }
  }

  /** What every subcommand shares: the streams, the clock and the key sources. */
  abstract static class Sub implements Callable<Integer> {
    @ParentCommand
    KeysCommand top;

    /** Where the keys are: the policy's encryption section, or a directory (and keyring) named directly. */
    @Option(names = "--policy", paramLabel = "FILE", description = "the keys_dir and pgp_keyring of this policy file")
    Path policy;

    @Option(names = "--keys-dir", paramLabel = "DIR", description = "this key directory instead of a policy's")
    Path keysDir;

    @Option(names = "--keyring", paramLabel = "FILE", description = "with --keys-dir: an exported OpenPGP keyring too")
    Path keyring;

    /** The key settings named on the command line, or null after printing why there are none (exit 2). */
    EncryptionSettings settings() {
      if (policy != null && (keysDir != null || keyring != null)) {
        top.err.println(name() + ": --policy or --keys-dir, not both");
        return null;
      }
      if (policy == null && keysDir == null) {
        top.err.println(name() + ": say where the keys are: --policy FILE or --keys-dir DIR");
        return null;
      }
      if (policy == null) {
        return EncryptionSettings.of(keysDir, keyring);
      }
      CompiledPolicy compiled;
      try {
        compiled = PolicyLoader.load(policy);
      } catch (PolicyException e) {
        e.problems().stream().filter(Problem::isError).forEach(top.err::println);
        return null;
      }
      if (!compiled.encryption().configured()) {
        top.err.println(name() + ": " + policy + " has no encryption: section (keys_dir, pgp_keyring)");
        return null;
      }
      return compiled.encryption();
    }

    KeyInventory inventory(EncryptionSettings settings) throws IOException {
      return KeyInventory.read(settings, top.clock.instant());
    }

    abstract String name();
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "One line per key and address: address, format, key id, expiry, file, usable or why not.",
      footer = "Exit status: 0 listed, 1 the key directory cannot be listed, 2 usage.")
  static final class ListKeys extends Sub {
    @Option(names = "--expiring", paramLabel = "TIME", converter = Window.class,
        description = "only keys that expire within TIME (30d, 12h, 2w), those already expired included")
    Duration expiring;

    @Option(names = "--json", description = "one JSON object a line")
    boolean json;

    @Override
    String name() {
      return "caliop keys list";
    }

    @Override
    public Integer call() {
      EncryptionSettings settings = settings();
      if (settings == null) {
        return CommandLine.ExitCode.USAGE;
      }
      KeyInventory inv;
      try {
        inv = inventory(settings);
      } catch (IOException e) {
        top.err.println(name() + ": cannot list the key directory: " + e.getMessage());
        return 1;
      }
      Instant horizon = expiring == null ? null : inv.at().plus(expiring);
      List<String[]> rows = new ArrayList<>();
      for (KeyInventory.FileEntry f : inv.files()) {
        if (f.keys().isEmpty()) {
          if (horizon == null) {
            String problem = f.problem().map(p -> (p.isError() ? "error: " : "") + p.message()).orElse("no key");
            if (json) {
              StringBuilder b = new StringBuilder();
              new JsonWriter(b).beginObject().field("file", f.file().toString()).field("error", problem).endObject();
              top.out.println(b);
            } else {
              rows.add(new String[] {"-", "-", "-", "-", f.file().toString(), problem});
            }
          }
          continue;
        }
        for (KeyInventory.KeyEntry k : f.keys()) {
          if (horizon != null && (k.expires().isEmpty() || !k.expires().get().isBefore(horizon))) {
            continue;
          }
          List<String> addresses = k.addresses().isEmpty() ? java.util.Collections.singletonList(null)
              : new ArrayList<>(k.addresses());
          for (String a : addresses) {
            Optional<KeyInventory.KeyEntry> chosen = a == null ? Optional.empty() : inv.chosen(k.format(), a);
            boolean isChosen = chosen.isPresent() && chosen.get() == k;
            String status = !k.usable() ? "unusable: " + k.unusableReason().orElseThrow()
                : a == null ? "usable, but for no address"
                : isChosen ? "usable" : "usable, not used: " + chosen.map(c -> c.keyId() + " in "
                    + c.file().getFileName() + " is preferred").orElse("another key is preferred");
            if (json) {
              StringBuilder b = new StringBuilder();
              new JsonWriter(b).beginObject().field("address", a).field("format", k.format().token())
                  .field("key_id", k.keyId()).field("fingerprint", k.fingerprint())
                  .field("encryption_key_id", k.encryptionKeyId().orElse(null))
                  .field("expires", k.expires().map(Instant::toString).orElse(null))
                  .field("file", k.file().toString()).field("usable", k.usable())
                  .field("unusable_reason", k.unusableReason().orElse(null)).field("used", isChosen)
                  .endObject();
              top.out.println(b);
            } else {
              rows.add(new String[] {a == null ? "-" : a, k.format().token(), k.keyId(),
                  k.expires().map(e -> e.truncatedTo(ChronoUnit.SECONDS).toString()).orElse("never"),
                  k.file().toString(), status});
            }
          }
        }
      }
      if (!json) {
        table(top.out, new String[] {"address", "format", "key", "expires", "file", "status"}, rows);
      }
      return CommandLine.ExitCode.OK;
    }
  }

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Errors (secret key material, unreadable or broken files) and warnings (unusable keys, several"
          + " keys for one address, keys expiring soon), as caliop policy check and caliop milter -n print them.",
      footer = "Exit status: 0 no error (warnings are printed), 1 an error, 2 usage.")
  static final class CheckKeys extends Sub {
    @Option(names = "--expiring", paramLabel = "TIME", converter = Window.class, defaultValue = "30d",
        description = "warn of keys that expire within TIME (default: ${DEFAULT-VALUE})")
    Duration expiring;

    @Override
    String name() {
      return "caliop keys check";
    }

    @Override
    public Integer call() {
      EncryptionSettings settings = settings();
      if (settings == null) {
        return CommandLine.ExitCode.USAGE;
      }
      KeyInventory inv;
      try {
        inv = inventory(settings);
      } catch (IOException e) {
        top.err.println(settings.keysDir().map(Object::toString).orElse("keys_dir") + ": error: cannot list: "
            + e.getMessage());
        return 1;
      }
      int errors = 0;
      int warnings = 0;
      for (KeyProblem p : inv.problems(expiring)) {
        if (p.isError()) {
          errors++;
          top.err.println(p);
        } else {
          warnings++;
          top.out.println(p);
        }
      }
      long usable = inv.keys().stream().filter(KeyInventory.KeyEntry::usable).count();
      String summary = "keys: " + inv.files().size() + " file(s), " + inv.keys().size() + " key(s), " + usable
          + " usable, " + warnings + " warning(s), " + errors + " error(s)";
      (errors > 0 ? top.err : top.out).println(summary);
      return errors > 0 ? 1 : CommandLine.ExitCode.OK;
    }
  }

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Stores the public keys and certificates of FILE in the key directory, each for the addresses it"
          + " certifies itself, in a file named after its fingerprint; secret keys are never stored.",
      footer = "Exit status: 0 every key stored, 1 a key or the file refused (the others are stored), 2 usage.")
  static final class ImportKey extends Sub {
    @Option(names = "--for", paramLabel = "ADDRESS",
        description = "refuse any key that does not certify this address")
    String forAddress;

    @Option(names = "--dry-run", description = "say what would be stored, store nothing")
    boolean dryRun;

    @Parameters(index = "0", paramLabel = "FILE", description = "a key or certificate file (armored or binary"
        + " OpenPGP, PEM or DER X.509)")
    Path file;

    @Override
    String name() {
      return "caliop keys import";
    }

    @Override
    public Integer call() {
      EncryptionSettings settings = settings();
      if (settings == null) {
        return CommandLine.ExitCode.USAGE;
      }
      if (settings.keysDir().isEmpty()) {
        top.err.println(name() + ": the policy names no keys_dir to import into");
        return CommandLine.ExitCode.USAGE;
      }
      Path dir = settings.keysDir().get();
      KeyImport found;
      try {
        found = KeyImport.read(file, top.clock.instant());
      } catch (IOException e) {
        top.err.println(file + ": error: cannot read: " + e.getMessage());
        return 1;
      }
      if (found.refusal().isPresent()) {
        top.err.println(file + ": error: " + found.refusal().get());
        return 1;
      }
      found.notes().forEach(n -> top.out.println(file + ": " + n));
      String wanted = forAddress == null ? null : forAddress.trim().toLowerCase(Locale.ROOT);
      int refused = 0;
      List<String> stored = new ArrayList<>();
      for (KeyImport.Candidate c : found.candidates()) {
        String what = c.format().token() + " key " + c.keyId();
        Optional<String> why = c.refusal();
        if (why.isEmpty() && wanted != null && !c.addresses().contains(wanted)) {
          why = Optional.of("does not certify " + wanted + " (it certifies " + String.join(", ", c.addresses())
              + ")");
        }
        if (why.isPresent()) {
          refused++;
          top.err.println(file + ": error: " + what + " not imported: " + why.get());
          continue;
        }
        Path target = dir.resolve(c.fileName());
        if (!dryRun) {
          try {
            KeyImport.store(c, dir);
          } catch (IOException e) {
            top.err.println(target + ": error: cannot write: " + e.getMessage());
            refused++;
            continue;
          }
        }
        stored.addAll(c.addresses());
        top.out.println((dryRun ? "would store " : "stored ") + what + " for " + String.join(", ", c.addresses())
            + c.expires().map(e -> ", expires " + e.truncatedTo(ChronoUnit.SECONDS)).orElse("") + " in " + target);
      }
      if (!dryRun && !stored.isEmpty()) {
        // What the encryptor now does for these addresses: a second key for an address is worth knowing.
        try {
          KeyInventory inv = inventory(settings);
          for (KeyProblem p : inv.problems(KeyInventory.DEFAULT_EXPIRY_WARNING)) {
            if (p.code() == KeyProblem.Code.SEVERAL_KEYS && p.address().map(stored::contains).orElse(false)) {
              top.out.println(p);
            }
          }
        } catch (IOException e) {
          top.err.println(dir + ": warning: cannot list after the import: " + e.getMessage());
        }
      }
      return refused > 0 ? 1 : CommandLine.ExitCode.OK;
    }
  }

  /** Columns padded to their widest cell; the last one is not padded. */
  static void table(PrintStream out, String[] header, List<String[]> rows) {
    int[] width = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      width[i] = header[i].length();
    }
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    List<String[]> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (String[] r : all) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        b.append(r[i]);
        if (i < r.length - 1) {
          b.append(" ".repeat(width[i] - r[i].length() + 2));
        }
      }
      out.println(b);
    }
  }
}
