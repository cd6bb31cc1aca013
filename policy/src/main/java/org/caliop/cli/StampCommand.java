package org.caliop.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.caliop.crypto.HeaderSection;
import org.caliop.crypto.RawHeader;
import org.caliop.engine.Engine;
import org.caliop.engine.Assessment;
import org.caliop.facts.Envelope;
import org.caliop.facts.HeaderEdit;
import org.caliop.message.ForeignFields;
import org.caliop.message.ScanDiagnostic;
import org.caliop.policy.Policy;
import org.caliop.policy.PolicyException;
import org.caliop.policy.PolicyLoader;
import org.caliop.policy.Problem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code caliop stamp [--policy FILE] [--by NAME] [MESSAGE]}: writes the message to standard output with the header
 * fields the adapters would add, after removing the foreign ones (docs/cli.md). For mail that reaches a mailbox
 * without passing caliop inside an MTA (fetchmail, getmail, procmail, a Dovecot filter), and for trying the clients
 * on stored mail. Stored mail carries no first-hand connection facts: it is judged as {@code caliop score} judges it.
 */
@Command(name = "stamp", mixinStandardHelpOptions = true,
    description = "Writes MESSAGE (a file, or standard input when absent or -) to standard output with caliop's"
        + " header fields on top (Caliop-Privacy, Caliop-Path, Caliop-Policy), after removing the Caliop-* fields"
        + " that came with it.",
    footer = "Exit status: 0 stamped, 1 the message could not be read, 2 usage or policy error. See docs/cli.md.")
public final class StampCommand implements Callable<Integer> {
  /** The header section is read up to this many bytes; a larger one is refused (exit 1), never cut. */
  static final int MAX_HEADER_BYTES = 4 * 1024 * 1024;

  @Option(names = "--policy", paramLabel = "FILE",
      description = "trust settings and limits from this policy file (default: the built-in policy)")
  Path policyFile;

  @Option(names = "--by", paramLabel = "NAME",
      description = "your server's name, written as by= in Caliop-Privacy for clients to check (default: none)")
  String by;

  @Parameters(index = "0", arity = "0..1", paramLabel = "MESSAGE", description = "the message file; - or absent: standard input")
  String message = "-";

  private final InputStream stdin;
  private final OutputStream out;
  private final PrintStream err;

  StampCommand(InputStream stdin, OutputStream out, PrintStream err) {
    this.stdin = stdin;
    this.out = out;
    this.err = err;
  }

  /** Runs {@code caliop stamp ARGS} (for tests): the whole tree's parsing, help and usage errors. */
  static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
    return Main.run(Main.prepend("stamp", args), stdin, out, err);
  }

  @Override
  public Integer call() {
    Policy policy;
    try {
      policy = policyFile == null ? Policy.builtIn() : PolicyLoader.load(policyFile);
    } catch (PolicyException e) {
      for (Problem p : e.problems()) {
        err.println(p);
      }
      return CommandLine.ExitCode.USAGE;
    }
    Path file = null;
    boolean spooled = false;
    try {
      if ("-".equals(message)) {
        // Read twice (judged, then copied out), so standard input is spooled to a private temporary file.
        file = Files.createTempFile("caliop-stamp-", ".eml");
        spooled = true;
        Files.copy(stdin, file, StandardCopyOption.REPLACE_EXISTING);
      } else {
        file = Path.of(message);
      }
      Assessment verdict;
      try (InputStream in = Files.newInputStream(file)) {
        verdict = new Engine(() -> policy).stampedBy(by).assess(null, Envelope.empty(), in);
      }
      if (ScanDiagnostic.FOREIGN_FIELDS_OVER_BOUND.in(verdict.facts().diagnostics())) {
        err.println("caliop stamp: " + message + ": more header fields only our servers may write than caliop"
            + " counts (" + ForeignFields.MAX_FIELDS + ", or " + ForeignFields.MAX_NAMES + " names): not stamped");
        return 1;
      }
      try (InputStream in = Files.newInputStream(file)) {
        write(in, verdict.headerEdits(), lineEnd(file));
      }
      out.flush();
      return CommandLine.ExitCode.OK;
    } catch (IOException e) {
      err.println("caliop stamp: " + message + ": " + e.getMessage());
      return 1;
    } finally {
      if (spooled) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          err.println("caliop stamp: could not remove " + file + ": " + e.getMessage());
        }
      }
    }
  }

  /**
   * Our fields on top, then the message's own fields less the removed ones (every field of a foreign name, and a
   * field hiding one behind a bare CR; a changed one with its new value), then the body as it was.
   */
  private void write(InputStream in, List<HeaderEdit> edits, String eol) throws IOException {
    Set<String> removed = new HashSet<>();
    Set<String> removedNames = new HashSet<>();
    Map<String, String> changed = new HashMap<>();
    List<HeaderEdit> added = new ArrayList<>();
    for (HeaderEdit e : edits) {
      if (e.kind() == HeaderEdit.Kind.REMOVE) {
        removed.add(e.name().toLowerCase(Locale.ROOT) + "\n" + e.occurrence());
      } else if (e.kind() == HeaderEdit.Kind.REMOVE_ALL) {
        removedNames.add(e.name().toLowerCase(Locale.ROOT));
      } else if (e.kind() == HeaderEdit.Kind.REPLACE) {
        changed.put(e.name().toLowerCase(Locale.ROOT) + "\n" + e.occurrence(), e.name() + ": " + e.value());
      } else {
        added.add(e);
      }
    }
    java.io.BufferedInputStream body = new java.io.BufferedInputStream(in);
    HeaderSection headers = HeaderSection.read(body, MAX_HEADER_BYTES);
    for (HeaderEdit e : added) {
      out.write((e.name() + ": " + e.value() + eol).getBytes(StandardCharsets.US_ASCII));
    }
    Map<String, Integer> seen = new HashMap<>();
    for (RawHeader f : headers.fields()) {
      String name = f.name().toLowerCase(Locale.ROOT);
      int occurrence = seen.merge(name, 1, Integer::sum);
      String key = name + "\n" + occurrence;
      if (removed.contains(key) || removedNames.contains(name)) {
        continue;
      }
      String change = changed.get(key);
      if (change != null) {
        out.write((change.replace("\r\n", eol) + eol).getBytes(StandardCharsets.US_ASCII));
        continue;
      }
      byte[] raw = f.raw();
      if (!hidesOne(f.name(), raw, removedNames)) {
        out.write(eol.equals("\r\n") ? raw : new String(raw, StandardCharsets.ISO_8859_1).replace("\r\n", eol)
            .getBytes(StandardCharsets.ISO_8859_1));
      }
    }
    out.write(eol.getBytes(StandardCharsets.US_ASCII));
    body.transferTo(out);
  }

  /** Whether the raw field hides a field of a removed name after a bare CR (a line break to some readers). */
  private static boolean hidesOne(String name, byte[] raw, Set<String> removedNames) {
    ForeignFields probe = ForeignFields.of(n -> removedNames.contains(n.toLowerCase(Locale.ROOT)), false);
    probe.field(name, raw, 0, raw.length);
    return probe.smuggled().isPresent();
  }

  /** The message's own line end (a maildir file has LF, a message from an MTA CRLF), so the output keeps one. */
  private static String lineEnd(Path file) throws IOException {
    byte[] start = new byte[8192];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(start, 0, start.length);
    }
    for (int i = 0; i < n; i++) {
      if (start[i] == '\n') {
        return i > 0 && start[i - 1] == '\r' ? "\r\n" : "\n";
      }
    }
    return "\r\n";
  }
}
