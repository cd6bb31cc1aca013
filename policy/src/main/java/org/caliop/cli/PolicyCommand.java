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
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
import org.caliop.policy.Explanation;
import org.caliop.policy.KeyCheck;
import org.caliop.policy.PolicyLoader;
import org.caliop.policy.Problem;
import org.caliop.score.Score;
import org.caliop.score.ScoreV2;

/**
 * {@code caliop policy check|explain|replay}: the admin's tools for policy files (docs/policy.md).
 *
 * <pre>
 * caliop policy check FILE
 * caliop policy explain FILE --from a@x --to b@y [--to c@z] [--tls TLSv1.2] [--direction inbound]
 *                             [--client 192.0.2.1] [--auth user] [MESSAGE]
 * caliop policy replay FILE [--from a@x] [--to b@y] PATH...
 * </pre>
 *
 * Exit status: 0 fine, 1 the policy has errors (or an input could not be read), 2 usage.
 */
public final class PolicyCommand {
  private static final String USAGE = "usage: caliop policy check FILE\n"
      + "       caliop policy explain FILE --from ADDR --to ADDR [--to ADDR] [--tls TLSv1.2]"
      + " [--direction inbound|outbound|internal] [--client IP] [--auth USER] [MESSAGE]\n"
      + "       caliop policy replay FILE [--from ADDR] [--to ADDR] PATH...   (PATH: file, dir, maildir, mbox, -)\n"
      + "       caliop policy export postfix-tls FILE [--output TABLE]";
  /** Messages larger than this are judged on their first 64 MiB by replay rather than held whole in memory. */
  private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  private PolicyCommand() {
  }

  /** {@code args} starts after {@code policy} ({@code check FILE} ...); a leading {@code policy} is skipped too. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0 && args[0].equals("policy")) {
      args = java.util.Arrays.copyOfRange(args, 1, args.length);
    }
    if (args.length > 0 && args[0].equals("export")) {
      return PolicyExportCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
    }
    if (args.length < 2) {
      err.println(USAGE);
      return 2;
    }
    List<String> rest = List.of(args).subList(2, args.length);
    Path file = Path.of(args[1]);
    switch (args[0]) {
      case "check":
        if (!rest.isEmpty()) {
          err.println(USAGE);
          return 2;
        }
        return check(file, out, err);
      case "explain":
        return explain(file, rest, out, err);
      case "replay":
        return replay(file, rest, out, err);
      default:
        err.println("caliop policy: unknown command '" + args[0] + "'");
        err.println(USAGE);
        return 2;
    }
  }

  // ---- check ----

  private static int check(Path file, PrintStream out, PrintStream err) {
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

  private static CompiledPolicy loadOrReport(Path file, PrintStream err) {
    PolicyLoader.Result r = PolicyLoader.check(file);
    if (!r.ok()) {
      for (Problem p : r.errors()) {
        err.println(p);
      }
    }
    return r.policy();
  }

  // ---- explain ----

  private static int explain(Path file, List<String> args, PrintStream out, PrintStream err) {
    Options o = Options.parse(args, err);
    if (o == null || o.paths.size() > 1 || o.to.isEmpty()) {
      err.println(USAGE);
      return 2;
    }
    CompiledPolicy policy = loadOrReport(file, err);
    if (policy == null) {
      return 1;
    }
    ConnectionFacts connection = o.connection();
    Envelope envelope = Envelope.of(o.from, o.to);
    byte[] message;
    try {
      message = o.paths.isEmpty() ? "Subject: caliop policy explain\r\n\r\n".getBytes(StandardCharsets.US_ASCII)
          : read(o.paths.get(0));
    } catch (IOException e) {
      err.println(o.paths.get(0) + ": cannot read: " + e.getMessage());
      return 1;
    }
    Engine engine = outcomes(policy);
    Assessment assessed;
    try {
      assessed = engine.assess(connection, envelope, new ByteArrayInputStream(message));
    } catch (IOException e) {
      err.println("cannot read message: " + e.getMessage());
      return 1;
    }
    MessageFacts facts = assessed.facts();
    Score score = assessed.score();
    if (o.direction != null && o.direction != facts.direction()) {
      facts = MessageFacts.of(facts.connection().orElse(null), facts.envelope(), o.direction, facts.hops(),
          facts.auth(), facts.content(), facts.size(), facts.diagnostics());
      score = ScoreV2.INSTANCE.score(facts);
      assessed = assessed.redecided(facts, score, policy.decide(facts, score));
    }
    out.println("policy: " + file + " (" + (policy.dryRun() ? "dry-run" : "enforce") + ")");
    out.println("message: from=<" + (o.from == null ? "" : o.from) + "> to=" + o.to + " direction="
        + facts.direction().token() + " tls=" + connection.tlsVersion().map(TlsVersion::canonical).orElse("none")
        + " score=" + score.value() + " grade=" + score.grade() + " encrypted=" + facts.content().encrypted().token()
        + " signed=" + facts.content().signed().token());
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
    }
    out.println();
    out.println("decision for the message: " + describe(assessed.decision(), policy, true));
    try (Verdict v = engine.conclude(assessed, MessageSource.of(message))) {
      out.println("what the MTA does: " + outcome(v.disposition())
          + (policy.dryRun() && v.decision().policyAction() != Action.ACCEPT
              ? " (when enforced; in dry-run the message is only tagged)" : ""));
    }
    return 0;
  }

  /**
   * The engine as the adapters run it, except that it carries out what a dry-run policy would do when enforced, and
   * drops encrypted bodies once it knows the outcome: what is reported is what a server would really do.
   */
  private static Engine outcomes(CompiledPolicy policy) {
    return Engine.builder(() -> policy).enforcing(true).discardEncryptedBodies().build();
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

  // ---- replay ----

  private static int replay(Path file, List<String> args, PrintStream out, PrintStream err) {
    Options o = Options.parse(args, err);
    if (o == null || o.paths.isEmpty()) {
      err.println(USAGE);
      return 2;
    }
    CompiledPolicy policy = loadOrReport(file, err);
    if (policy == null) {
      return 1;
    }
    Engine engine = outcomes(policy);
    Map<Disposition.Kind, Integer> byOutcome = new EnumMap<>(Disposition.Kind.class);
    for (Disposition.Kind k : Disposition.Kind.values()) {
      byOutcome.put(k, 0);
    }
    Map<String, Map<String, Integer>> byRule = new TreeMap<>();
    int[] unreadable = {0};
    int[] total = {0};
    MessageInputs.Sink sink = new MessageInputs.Sink() {
      @Override
      public void message(String name, InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_MESSAGE_BYTES);
        Envelope fromHeaders = HeaderEnvelope.of(bytes);
        Envelope given = Envelope.of(o.from, o.to);
        Envelope envelope = Envelope.ofAddresses(o.from != null ? given.sender().orElse(null)
            : fromHeaders.sender().orElse(null), o.to.isEmpty() ? fromHeaders.recipients() : given.recipients());
        try (Verdict v = engine.evaluate(null, envelope, MessageSource.of(bytes))) {
          Decision d = v.decision();
          total[0]++;
          byOutcome.merge(v.disposition().kind(), 1, Integer::sum);
          if (d.rule().isPresent()) {
            byRule.computeIfAbsent(d.rule().get(), k -> new TreeMap<>())
                .merge(String.format(Locale.ROOT, "%-10s %-18s", d.policyAction().token(), v.disposition().token()),
                    1, Integer::sum);
          }
        } catch (RuntimeException e) {
          unreadable[0]++;
          err.println(name + ": cannot judge: " + e);
        }
      }

      @Override
      public void error(String name, String reason) {
        unreadable[0]++;
        err.println(name + ": " + reason);
      }
    };
    new MessageInputs(System.in).walk(o.paths, sink);
    out.println("policy: " + file + " (" + (policy.dryRun() ? "dry-run" : "enforce") + ")");
    out.println("messages: " + total[0] + (unreadable[0] > 0 ? ", unreadable: " + unreadable[0] : ""));
    out.println();
    out.println(String.format(Locale.ROOT, "%-18s %8s %7s", "what the MTA does", "messages", "share"));
    for (Map.Entry<Disposition.Kind, Integer> e : byOutcome.entrySet()) {
      out.println(String.format(Locale.ROOT, "%-18s %8d %6.1f%%", e.getKey().token(), e.getValue(),
          total[0] == 0 ? 0.0 : 100.0 * e.getValue() / total[0]));
    }
    if (!byRule.isEmpty()) {
      out.println();
      out.println(String.format(Locale.ROOT, "%-56s %-10s %-18s %8s", "rule", "action", "what the MTA does",
          "messages"));
      for (Map.Entry<String, Map<String, Integer>> r : byRule.entrySet()) {
        String label = r.getKey() + policy.ruleLabel(r.getKey()).map(l -> " " + l).orElse("");
        for (Map.Entry<String, Integer> e : r.getValue().entrySet()) {
          out.println(String.format(Locale.ROOT, "%-56s %s %8d", label, e.getKey(), e.getValue()));
        }
      }
    }
    if (policy.dryRun()) {
      out.println();
      out.println("(dry-run policy: the counts are what enforcing would do; in force, each of these is only tagged)");
    }
    return unreadable[0] > 0 ? 1 : 0;
  }

  private static byte[] read(String path) throws IOException {
    if (path.equals("-")) {
      return System.in.readNBytes(MAX_MESSAGE_BYTES);
    }
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      return in.readNBytes(MAX_MESSAGE_BYTES);
    }
  }

  /** Command options shared by explain and replay. */
  private static final class Options {
    String from;
    final List<String> to = new ArrayList<>();
    String tls;
    Direction direction;
    String client = "192.0.2.1";
    String auth;
    final List<String> paths = new ArrayList<>();

    static Options parse(List<String> args, PrintStream err) {
      Options o = new Options();
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        boolean hasValue = i + 1 < args.size();
        switch (a) {
          case "--from":
          case "--to":
          case "--tls":
          case "--direction":
          case "--client":
          case "--auth":
            if (!hasValue) {
              err.println("caliop policy: " + a + " needs a value");
              return null;
            }
            String v = args.get(++i);
            if (a.equals("--from")) {
              o.from = v;
            } else if (a.equals("--to")) {
              for (String t : v.split(",")) {
                if (!t.isBlank()) {
                  o.to.add(t.trim());
                }
              }
            } else if (a.equals("--tls")) {
              if (TlsVersion.parse(v).isEmpty() && !v.equalsIgnoreCase("none")) {
                err.println("caliop policy: --tls must be TLSv1.0 ... TLSv1.3 or none, not '" + v + "'");
                return null;
              }
              o.tls = v.equalsIgnoreCase("none") ? null : v;
            } else if (a.equals("--direction")) {
              o.direction = Stream.of(Direction.values()).filter(d -> d.token().equalsIgnoreCase(v)).findFirst()
                  .orElse(null);
              if (o.direction == null) {
                err.println("caliop policy: --direction must be inbound, outbound or internal, not '" + v + "'");
                return null;
              }
            } else if (a.equals("--client")) {
              o.client = v;
            } else {
              o.auth = v;
            }
            break;
          default:
            if (a.startsWith("--")) {
              err.println("caliop policy: unknown option " + a);
              return null;
            }
            o.paths.add(a);
        }
      }
      return o;
    }

    ConnectionFacts connection() {
      return ConnectionFacts.builder().clientAddress(client).tlsVersion(tls).authUser(auth)
          .protocol((tls == null ? "ESMTP" : "ESMTPS") + (auth == null ? "" : "A")).queueId("EXPLAIN").build();
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
