package org.caliop.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.caliop.crypto.KeyChoice;
import org.caliop.engine.Assessment;
import org.caliop.engine.Disposition;
import org.caliop.engine.Engine;
import org.caliop.engine.MessageSource;
import org.caliop.engine.Verdict;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Direction;
import org.caliop.facts.Envelope;
import org.caliop.facts.MessageFacts;
import org.caliop.hop.TlsVersion;
import org.caliop.policy.Action;
import org.caliop.policy.CompiledPolicy;
import org.caliop.policy.Decision;
import org.caliop.policy.EncryptSpec;
import org.caliop.policy.Explanation;
import org.caliop.policy.KeyCheck;
import org.caliop.policy.PolicyLoader;
import org.caliop.policy.Problem;
import org.caliop.score.Score;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code caliop policy check|explain|replay|export}: the admin's tools for policy files (docs/cli.md). Replay lives in
 * {@link PolicyReplay}, the Postfix TLS table in {@link PolicyExportCommand}.
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
    description = "Checks a policy file, explains its decision for one message, replays it over stored mail, or"
        + " exports what Postfix must enforce.",
    subcommands = {PolicyCommand.Check.class, PolicyCommand.Explain.class, PolicyReplay.class},
    footer = "See docs/cli.md.")
public final class PolicyCommand implements Callable<Integer> {
  final PrintStream out;
  final PrintStream err;
  final InputStream stdin;

  PolicyCommand(PrintStream out, PrintStream err, InputStream stdin) {
    this.out = out;
    this.err = err;
    this.stdin = stdin;
  }

  /** {@code args} starts after {@code policy} ({@code check FILE} ...); a leading {@code policy} is skipped too. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, System.in, out, err);
  }

  static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
    if (args.length > 0 && args[0].equals("policy")) {
      args = Arrays.copyOfRange(args, 1, args.length);
    }
    return Main.run(Main.prepend("policy", args), stdin, out, err);
  }

  @Override
  public Integer call() {
    err.println("caliop policy: say check, explain, replay or export (caliop policy --help)");
    return CommandLine.ExitCode.USAGE;
  }

  /** {@code inbound}, {@code outbound} or {@code internal}, in any case. */
  static final class DirectionConverter implements CommandLine.ITypeConverter<Direction> {
    @Override
    public Direction convert(String v) {
      for (Direction d : Direction.values()) {
        if (d.token().equalsIgnoreCase(v)) {
          return d;
        }
      }
      throw new CommandLine.TypeConversionException("must be inbound, outbound or internal, not '" + v + "'");
    }
  }

  /** {@code TLSv1.0} ... {@code TLSv1.3}, or {@code none} (null). */
  static final class TlsConverter implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String v) {
      if (v.equalsIgnoreCase("none")) {
        return null;
      }
      if (TlsVersion.parse(v).isEmpty()) {
        throw new CommandLine.TypeConversionException("must be TLSv1.0 ... TLSv1.3 or none, not '" + v + "'");
      }
      return v;
    }
  }

  // ---- check ----

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Reads the policy FILE and its keys_dir: every error as file:line:column, warnings, a summary.",
      footer = "Exit status: 0 usable (warnings allowed), 1 errors or an unusable keys_dir, 2 usage.")
  static final class Check implements Callable<Integer> {
    @ParentCommand
    PolicyCommand top;

    @Parameters(index = "0", paramLabel = "FILE", description = "the policy file")
    Path file;

    @Override
    public Integer call() {
      PrintStream out = top.out;
      PrintStream err = top.err;
      PolicyLoader.Result r = PolicyLoader.check(file);
      for (Problem p : r.problems()) {
        (p.isError() ? err : out).println(p);
      }
      if (!r.ok()) {
        err.println(file + ": " + r.errors().size() + " error(s), policy not usable");
        return 1;
      }
      CompiledPolicy p = r.policy();
      KeyCheck keys = KeyCheck.of(p, Instant.now());
      if (!keys.ok()) {
        keys.print(out, err);
        err.println(file + ": keys_dir not usable (secret key material or broken files)");
        return 1;
      }
      out.println(file + ": ok, mode " + (p.dryRun() ? "dry-run" : "enforce") + ", " + p.domainRuleCount()
          + " domain rule(s), " + p.userRuleCount() + " user rule(s)"
          + (r.problems().isEmpty() ? "" : ", " + r.problems().size() + " warning(s)"));
      keys.print(out, err);
      return 0;
    }
  }

  static CompiledPolicy loadOrReport(Path file, PrintStream err) {
    PolicyLoader.Result r = PolicyLoader.check(file);
    if (!r.ok()) {
      for (Problem p : r.errors()) {
        err.println(p);
      }
    }
    return r.policy();
  }

  // ---- explain ----

  @Command(name = "explain", mixinStandardHelpOptions = true,
      description = {"Shows, per recipient, the layers of the policy FILE applied, the effective keys, the checks met"
          + " and failed and the decision; then what the MTA does.",
          "Without --stored: as if MESSAGE (or an empty message) arrived now over the SMTP session the options"
              + " describe. With --stored: the stored MESSAGE judged exactly as replay judges it."},
      footer = "Exit status: 0 explained, 1 the policy has errors or MESSAGE cannot be read, 2 usage.")
  static final class Explain implements Callable<Integer> {
    @ParentCommand
    PolicyCommand top;

    @Parameters(index = "0", paramLabel = "FILE", description = "the policy file")
    Path file;

    @Parameters(index = "1", arity = "0..1", paramLabel = "MESSAGE", description = "the message (- for standard"
        + " input); required with --stored")
    String message;

    @Option(names = "--stored", description = "MESSAGE is stored mail: no session (its own Received: fields, local"
        + " hops skipped), envelope from its headers, direction worked out, as replay does")
    boolean stored;

    @Option(names = "--from", paramLabel = "ADDR", description = "the envelope sender")
    String from;

    @Option(names = "--to", paramLabel = "ADDR", split = ",", description = "an envelope recipient; repeatable, or"
        + " comma-separated (required without --stored)")
    List<String> to = new ArrayList<>();

    @Option(names = "--direction", paramLabel = "DIR", converter = DirectionConverter.class,
        description = "inbound, outbound or internal instead of what the engine works out")
    Direction direction;

    @Option(names = "--tls", paramLabel = "VERSION", converter = TlsConverter.class,
        description = "the session's TLS version (TLSv1.0 ... TLSv1.3) or none (default)")
    String tls;

    @Option(names = "--client", paramLabel = "IP", description = "the SMTP client's address (default 192.0.2.1)")
    String client;

    @Option(names = "--auth", paramLabel = "USER", description = "the client authenticated as USER (a submission)")
    String auth;

    @Override
    public Integer call() {
      PrintStream out = top.out;
      PrintStream err = top.err;
      if (stored && (tls != null || client != null || auth != null)) {
        err.println("caliop policy explain: --stored judges a stored copy, which has no SMTP session:"
            + " --tls, --client and --auth describe one");
        return CommandLine.ExitCode.USAGE;
      }
      if (stored && message == null) {
        err.println("caliop policy explain: --stored needs the MESSAGE to judge");
        return CommandLine.ExitCode.USAGE;
      }
      if (!stored && to.isEmpty()) {
        err.println("caliop policy explain: --to is required (or --stored MESSAGE, to take it from the headers)"
            + " (caliop policy explain --help)");
        return CommandLine.ExitCode.USAGE;
      }
      CompiledPolicy policy = loadOrReport(file, err);
      if (policy == null) {
        return 1;
      }
      Engine engine = outcomes(policy);
      List<String> unknowns = List.of();
      Verdict verdict;
      String tlsShown;
      try {
        if (stored) {
          StoredJudge.Judged j;
          try (InputStream in = open(message, top.stdin)) {
            j = new StoredJudge(engine, policy, from, to, direction).judge(in);
          }
          verdict = j.verdict;
          unknowns = j.unknowns;
          tlsShown = "(stored: no session)";
        } else {
          byte[] bytes = message == null
              ? "Subject: caliop policy explain\r\n\r\n".getBytes(StandardCharsets.US_ASCII)
              : readBounded(message, top.stdin);
          ConnectionFacts connection = ConnectionFacts.builder().clientAddress(client == null ? "192.0.2.1" : client)
              .tlsVersion(tls).authUser(auth).protocol((tls == null ? "ESMTP" : "ESMTPS") + (auth == null ? "" : "A"))
              .queueId("EXPLAIN").build();
          Assessment a = StoredJudge.withDirection(engine.assess(connection, Envelope.of(from, to),
              new ByteArrayInputStream(bytes)), direction, policy);
          verdict = engine.conclude(a, MessageSource.of(bytes));
          tlsShown = connection.tlsVersion().map(TlsVersion::canonical).orElse("none");
        }
      } catch (IOException e) {
        err.println(message + ": cannot read: " + e.getMessage());
        return 1;
      }
      try (Verdict v = verdict) {
        print(out, policy, v, tlsShown, unknowns, keys(engine, v));
      }
      return 0;
    }

    /**
     * Per recipient, the {@code key:} line when the message is to be encrypted: the key the engine would use, or
     * {@code none -> on_missing_key: ACTION}, or, with no encryptor at all, why and {@code on_failure}. Empty when
     * the decision is not to encrypt.
     */
    private static Map<String, String> keys(Engine engine, Verdict v) {
      Map<String, String> lines = new LinkedHashMap<>();
      if (v.decision().policyAction() != Action.ENCRYPT) {
        return lines;
      }
      EncryptSpec spec = v.decision().encrypt().orElse(EncryptSpec.defaults());
      try {
        for (KeyChoice k : engine.keysFor(v.assessment())) {
          lines.put(k.recipient(), k.format().isPresent() ? k.toString()
              : "none -> on_missing_key: " + spec.onMissingKey().token());
        }
      } catch (IOException e) {
        v.facts().envelope().recipients().forEach(r -> lines.put(r.toString(), "none (" + e.getMessage()
            + ") -> on_failure: " + spec.onFailure().token()));
      }
      return lines;
    }

    private void print(PrintStream out, CompiledPolicy policy, Verdict v, String tlsShown, List<String> unknowns,
        Map<String, String> keys) {
      MessageFacts facts = v.facts();
      Score score = v.score();
      out.println("policy: " + file + " (" + (policy.dryRun() ? "dry-run" : "enforce") + ")");
      out.println("message: from=<" + facts.envelope().sender().map(Object::toString).orElse("") + "> to=" + facts.envelope().recipients()
          + " direction=" + facts.direction().token() + " tls=" + tlsShown + " score=" + score.value() + " grade="
          + score.grade() + " encrypted=" + facts.content().encrypted().token() + " signed="
          + facts.content().signed().token());
      for (Explanation e : policy.explain(facts, score)) {
        out.println();
        out.println("recipient " + e.recipient().map(r -> "<" + r + ">").orElse("(none)") + ":");
        out.println("  layers applied, most general first (each overrides the keys it sets):");
        int i = 1;
        for (String layer : e.layers()) {
          out.println("    " + i++ + ". " + layer);
        }
        out.println("  effective rule:");
        if (e.effective().isEmpty()) {
          out.println("    (nothing set: no requirement)");
        }
        e.effective().forEach(line -> out.println("    " + line));
        e.met().forEach(line -> out.println("  met:    " + line));
        e.failed().forEach(line -> out.println("  failed: " + line));
        out.println("  decision: " + describe(e.decision(), policy, false));
        e.recipient().map(keys::get).ifPresent(k -> out.println("  key: " + k));
      }
      out.println();
      out.println("decision for the message: " + describe(v.decision(), policy, true));
      unknowns.forEach(u -> out.println("rests on an unknown: " + u));
      out.println("what the MTA does: " + outcome(v.disposition())
          + (policy.dryRun() && v.decision().policyAction() != Action.ACCEPT
              ? " (when enforced; in dry-run the message is only tagged)" : ""));
    }
  }

  /**
   * The engine as the adapters run it, except that it carries out what a dry-run policy would do when enforced, and
   * drops encrypted bodies once it knows the outcome: what is reported is what a server would really do.
   */
  static Engine outcomes(CompiledPolicy policy) {
    return Engine.builder(() -> policy).enforcing(true).discardEncryptedBodies().storedDirection(true).build();
  }

  /** A disposition in words: {@code reject 550 5.7.1 "text"}, {@code hold: caliop: no key for <a@b>} ... */
  static String outcome(Disposition d) {
    StringBuilder b = new StringBuilder(d.token());
    d.reply().ifPresent(r -> b.append(' ').append(r.code()).append(' ').append(r.enhanced()).append(" \"")
        .append(r.text()).append('"'));
    d.holdReason().ifPresent(r -> b.append(": ").append(r));
    d.redirectTo().ifPresent(t -> b.append(" to <").append(t).append('>'));
    for (Disposition.Copy c : d.copies()) {
      b.append(d.copies().size() > 1 ? "; copy " : " ").append(c.format()).append(" for ").append(c.recipients());
    }
    if (!d.detail().isEmpty()) {
      b.append(" (").append(d.detail()).append(')');
    }
    return b.toString();
  }

  private static String describe(Decision d, CompiledPolicy policy, boolean withRecipients) {
    StringBuilder b = new StringBuilder(d.policyAction().token());
    if (d.dryRun() && d.policyAction() != Action.ACCEPT) {
      b.append(" (dry-run: the message is only tagged)");
    }
    d.reply().ifPresent(r -> b.append(' ').append(r.code()).append(' ').append(r.enhanced()).append(" \"")
        .append(r.text()).append('"'));
    if (d.reply().isEmpty()) {
      d.replyText().ifPresent(t -> b.append(" \"").append(t).append('"'));
    }
    d.redirectTo().ifPresent(t -> b.append(" to <").append(t).append('>'));
    d.encrypt().ifPresent(s -> b.append(" format=").append(s.format().name().toLowerCase(Locale.ROOT)
        .replace('_', '-')).append(" on_missing_key=").append(s.onMissingKey().token())
        .append(" on_failure=").append(s.onFailure().token())
        .append(" split_per_recipient=").append(s.splitPerRecipient()));
    d.rule().ifPresent(r -> b.append(" rule=").append(r)
        .append(policy.ruleLabel(r).map(l -> " (" + l + ")").orElse("")));
    if (withRecipients && !d.recipients().isEmpty()) {
      b.append(" recipients=").append(d.recipients());
    }
    return b.toString();
  }

  private static InputStream open(String path, InputStream stdin) throws IOException {
    // Standard input stays open for whoever reads it next.
    return path.equals("-") ? new java.io.FilterInputStream(stdin) {
      @Override
      public void close() {
      }
    } : Files.newInputStream(Path.of(path));
  }

  /** The message named, up to the bound replay uses (explain of a live session judges what it read). */
  private static byte[] readBounded(String path, InputStream stdin) throws IOException {
    if (path.equals("-")) {
      return stdin.readNBytes(StoredJudge.MAX_MESSAGE_BYTES);
    }
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      return in.readNBytes(StoredJudge.MAX_MESSAGE_BYTES);
    }
  }

  /**
   * The envelope a stored message most likely had, from its headers: Return-Path for the sender; X-Original-To or
   * Delivered-To, else To and Cc, for the recipients.
   */
  static final class HeaderEnvelope {
    /** Characters that end an address in a header value: white space and the specials around addresses. */
    private static final String DELIMITERS = " \t\n\u000b\f\r<>\",;:()[]";

    private HeaderEnvelope() {
    }

    static Envelope of(byte[] message) {
      Map<String, List<String>> fields = headerFields(message);
      String sender = first(fields.get("return-path"));
      if (sender == null) {
        sender = first(fields.get("from"));
      }
      List<String> rcpts = addresses(fields.get("x-original-to"));
      if (rcpts.isEmpty()) {
        rcpts = addresses(fields.get("delivered-to"));
      }
      if (rcpts.isEmpty()) {
        rcpts = addresses(fields.get("to"));
        rcpts.addAll(addresses(fields.get("cc")));
      }
      return Envelope.of(sender, rcpts.stream().distinct().limit(1000).collect(Collectors.toList()));
    }

    private static String first(List<String> values) {
      List<String> a = addresses(values);
      return a.isEmpty() ? null : a.get(0);
    }

    /**
     * Every run of characters between delimiters that holds an {@code @} with something before and after it, in one
     * pass (a regular expression searching for such runs went back over each long run once per start position:
     * 128 KiB of {@code To:} without an {@code @} took tens of seconds).
     */
    static List<String> addresses(List<String> values) {
      List<String> out = new ArrayList<>();
      if (values != null) {
        for (String v : values) {
          int start = 0;
          for (int i = 0; i <= v.length(); i++) {
            if (i == v.length() || isDelimiter(v.charAt(i))) {
              if (hasInnerAt(v, start, i)) {
                out.add(v.substring(start, i));
              }
              start = i + 1;
            }
          }
        }
      }
      return out;
    }

    private static boolean isDelimiter(char c) {
      return DELIMITERS.indexOf(c) >= 0;
    }

    private static boolean hasInnerAt(String v, int from, int to) {
      for (int i = from + 1; i < to - 1; i++) {
        if (v.charAt(i) == '@') {
          return true;
        }
      }
      return false;
    }

    /** Unfolded top-level header fields, lower-case names; reads at most 1 MiB of header. */
    private static Map<String, List<String>> headerFields(byte[] message) {
      int end = Math.min(message.length, 1 << 20);
      String head = new String(message, 0, end, StandardCharsets.ISO_8859_1);
      Map<String, List<String>> out = new LinkedHashMap<>();
      String name = null;
      StringBuilder value = new StringBuilder();
      for (String line : head.split("\r?\n", -1)) {
        if (line.isEmpty()) {
          break;
        }
        if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
          value.append(' ').append(line.trim());
          continue;
        }
        if (name != null) {
          out.computeIfAbsent(name, k -> new ArrayList<>()).add(value.toString());
        }
        int colon = line.indexOf(':');
        name = colon > 0 ? line.substring(0, colon).trim().toLowerCase(Locale.ROOT) : null;
        value.setLength(0);
        if (colon > 0) {
          value.append(line.substring(colon + 1).trim());
        }
      }
      if (name != null) {
        out.computeIfAbsent(name, k -> new ArrayList<>()).add(value.toString());
      }
      return out;
    }
  }
}
