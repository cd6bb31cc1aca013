package org.caliop.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.caliop.header.HoldRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code caliop hold list|release|delete}: the messages caliop holds in Postfix's hold queue, why, and a release
 * that never lets one leave unjudged (docs/cli.md). It reads the queue with Postfix's own tools ({@code postqueue -j},
 * {@code postcat}) and acts with {@code postsuper}; caliop's reason comes from the {@code Caliop-Hold} field the
 * milter wrote into the held copy ({@link HoldRecord}).
 *
 * <p>A release is Postfix's {@code postsuper -H}: what makes it safe is the set-up of examples/postfix, where every
 * held copy carries a content filter to caliop's re-injection listener (the listener's own, or the one
 * {@code milter_header_checks} adds when caliop holds there), so the released message is judged again, with the
 * first-hand facts caliop sealed into it, and a message held for want of a key leaves encrypted once the key is
 * there. This command refuses to release a held copy without such a route; {@code postsuper -H} would send it on
 * unjudged.
 */
@Command(name = "hold", mixinStandardHelpOptions = true,
    description = "The messages caliop holds in Postfix's hold queue: list them, release them for caliop to judge"
        + " again, delete them.",
    subcommands = {HoldCommand.ListHeld.class, HoldCommand.Release.class, HoldCommand.Delete.class},
    footer = "See docs/cli.md, \"caliop hold\".")
public final class HoldCommand implements Callable<Integer> {
  private final PrintStream out;
  private final PrintStream err;

  HoldCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Runs {@code caliop hold ARGS} (for tests) with the whole tree's parsing. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    return Main.run(Main.prepend("hold", args), out, err);
  }

  @Override
  public Integer call() {
    err.println("caliop hold: say list, release or delete (caliop hold --help)");
    return CommandLine.ExitCode.USAGE;
  }

  /** What every subcommand shares: the streams and which Postfix instance. */
  abstract static class Sub implements Callable<Integer> {
    @ParentCommand
    HoldCommand top;

    @Option(names = {"-c", "--postfix-config"}, paramLabel = "DIR",
        description = "the Postfix instance whose main.cf is in DIR (as postqueue -c); default: Postfix's default")
    Path config;

    @Option(names = "--postfix-bin", paramLabel = "DIR", hidden = true, defaultValue = "/usr/sbin",
        description = "where postqueue, postcat and postsuper are")
    Path bin;

    Queue queue() {
      return new Queue(bin, config == null ? null : config.toAbsolutePath());
    }

    abstract String name();

    /**
     * For each queue id: refuses what is not a queue id or not in the hold queue, else does {@code action}; exit
     * status 1 when one was refused or failed, each said on standard error.
     */
    int eachHeld(List<String> ids, OnHeld action) {
      Queue q = queue();
      int status = CommandLine.ExitCode.OK;
      for (String id : ids) {
        Optional<String> refused = q.refuseId(id);
        if (refused.isPresent()) {
          top.err.println(name() + ": " + refused.get());
          status = 1;
          continue;
        }
        try {
          Optional<Inspection> held = q.inspect(id).filter(Inspection::held);
          Optional<String> why = held.isEmpty() ? Optional.of("not in the hold queue")
              : action.apply(q, id, held.get());
          if (why.isPresent()) {
            top.err.println(name() + ": " + id + ": " + why.get());
            status = 1;
          }
        } catch (IOException e) {
          top.err.println(name() + ": " + id + ": " + e.getMessage());
          status = 1;
        }
      }
      return status;
    }
  }

  /** What a subcommand does to one message of the hold queue: empty when done, else why it refused. */
  interface OnHeld {
    Optional<String> apply(Queue q, String id, Inspection held) throws IOException;
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "One line per held message: queue id, arrival, sender, recipients, who held it and why (caliop's"
          + " reason, rule and the recipients without a key), and where a release sends it.",
      footer = "Exit status: 0 listed, 1 the queue cannot be read, 2 usage.")
  static final class ListHeld extends Sub {
    @Option(names = "--json", description = "one JSON object a line")
    boolean json;

    @Override
    String name() {
      return "caliop hold list";
    }

    @Override
    public Integer call() {
      Queue q = queue();
      List<Held> held;
      try {
        held = q.held();
      } catch (IOException e) {
        top.err.println(name() + ": " + e.getMessage());
        return 1;
      }
      List<String[]> rows = new ArrayList<>();
      for (Held h : held) {
        Optional<Inspection> inspected;
        try {
          inspected = q.inspect(h.queueId());
        } catch (IOException e) {
          // released or deleted since the listing: nothing to show
          continue;
        }
        Optional<HoldRecord> record = inspected.flatMap(Inspection::record);
        String route = inspected.flatMap(Inspection::contentFilter).orElse(null);
        if (json) {
          StringBuilder b = new StringBuilder();
          JsonWriter w = new JsonWriter(b).beginObject().field("queue_id", h.queueId())
              .field("arrival_time", Instant.ofEpochSecond(h.arrival()).toString())
              .field("size", h.size()).field("sender", h.sender());
          w.name("recipients").beginArray();
          h.recipients().forEach(w::value);
          w.endArray();
          w.field("held_by", record.isPresent() ? "caliop" : "other");
          w.field("reason", record.map(HoldRecord::reason).orElse(null));
          w.field("action", record.flatMap(HoldRecord::action).orElse(null));
          w.field("rule", record.flatMap(HoldRecord::rule).orElse(null));
          w.name("without_key").beginArray();
          record.map(HoldRecord::missing).orElse(List.of()).forEach(w::value);
          w.endArray();
          w.field("without_key_total", record.map(HoldRecord::missingTotal).orElse(0));
          w.field("direction", record.flatMap(HoldRecord::direction).orElse(null));
          w.field("release_route", route);
          w.endObject();
          top.out.println(b);
        } else {
          String without = record.map(r -> String.join(",", r.missing())
              + (r.missingTotal() > r.missing().size() ? " (" + r.missingTotal() + " in all)" : "")).orElse("");
          rows.add(new String[] {h.queueId(), Instant.ofEpochSecond(h.arrival()).toString(),
              h.sender().isEmpty() ? "<>" : h.sender(), String.join(",", h.recipients()),
              record.map(r -> "caliop: " + r.reason()).orElse("not caliop"),
              record.flatMap(HoldRecord::rule).orElse("-"), without.isEmpty() ? "-" : without,
              route == null ? "none (postsuper -H delivers unjudged)" : route});
        }
      }
      if (!json) {
        KeysCommand.table(top.out,
            new String[] {"queue id", "arrived", "sender", "recipients", "held", "rule", "without key", "release to"},
            rows);
      }
      return CommandLine.ExitCode.OK;
    }
  }

  @Command(name = "release", mixinStandardHelpOptions = true,
      description = "Releases held messages for caliop to judge again on its re-injection listener, with the"
          + " first-hand facts it sealed at the first judgement: a message held for want of a key leaves encrypted"
          + " once the key is there, or is held again. Refuses a message caliop did not hold or whose release would"
          + " not pass caliop again.",
      footer = "Exit status: 0 every message released, 1 one was refused or could not be released, 2 usage.")
  static final class Release extends Sub {
    @Parameters(paramLabel = "QUEUEID", arity = "1..*", description = "queue ids from caliop hold list")
    List<String> ids;

    @Override
    String name() {
      return "caliop hold release";
    }

    @Override
    public Integer call() {
      return eachHeld(ids, (q, id, held) -> {
        if (held.record().isEmpty()) {
          return Optional.of("not held by caliop (no Caliop-Hold field); it is not caliop's to release: use"
              + " postsuper -H if you mean it");
        }
        if (held.contentFilter().isEmpty()) {
          return Optional.of("its release would not pass caliop again (the held copy has no content filter:"
              + " milter_header_checks and the re-injection listener of examples/postfix are missing), so it could"
              + " leave unjudged, in clear; not released");
        }
        q.release(id);
        top.out.println(id + ": released to " + held.contentFilter().get()
            + ", where caliop judges it again (caliop hold list shows it if it is held again)");
        return Optional.empty();
      });
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Deletes held messages from the hold queue (postsuper -d QUEUEID hold); messages in other queues"
          + " are never touched.",
      footer = "Exit status: 0 every message deleted, 1 one was not in the hold queue or could not be deleted,"
          + " 2 usage.")
  static final class Delete extends Sub {
    @Parameters(paramLabel = "QUEUEID", arity = "1..*", description = "queue ids from caliop hold list")
    List<String> ids;

    @Override
    String name() {
      return "caliop hold delete";
    }

    @Override
    public Integer call() {
      return eachHeld(ids, (q, id, held) -> {
        q.delete(id);
        top.out.println(id + ": deleted");
        return Optional.empty();
      });
    }
  }

  /** One message of the hold queue as {@code postqueue -j} lists it. */
  static final class Held {
    private final String queueId;
    private final long arrival;
    private final long size;
    private final String sender;
    private final List<String> recipients;

    Held(String queueId, long arrival, long size, String sender, List<String> recipients) {
      this.queueId = queueId;
      this.arrival = arrival;
      this.size = size;
      this.sender = sender;
      this.recipients = List.copyOf(recipients);
    }

    String queueId() { return queueId; }
    long arrival() { return arrival; }
    long size() { return size; }
    String sender() { return sender; }
    List<String> recipients() { return recipients; }
  }

  /** What {@code postcat -e -h} shows of a queued message: its queue, caliop's record, the content filter. */
  static final class Inspection {
    private final boolean held;
    private final HoldRecord record;
    private final String contentFilter;

    Inspection(boolean held, HoldRecord record, String contentFilter) {
      this.held = held;
      this.record = record;
      this.contentFilter = contentFilter;
    }

    boolean held() { return held; }
    Optional<HoldRecord> record() { return Optional.ofNullable(record); }
    /** The next hop qmgr sends the message to instead of its recipients' ({@code content_filter} record). */
    Optional<String> contentFilter() { return Optional.ofNullable(contentFilter); }
  }

  /** Postfix's queue through its own commands, as root or the mail system owner. */
  static final class Queue {
    /**
     * Postfix queue ids: short (hex) or long (base 52 and a {@code z}). Anything else is refused before it reaches
     * postsuper, where {@code ALL} would mean every message.
     */
    private static final Pattern QUEUE_ID = Pattern.compile("[0-9A-Za-z]{6,40}");
    private static final long TIMEOUT_SECONDS = 60;
    /** Bound on what one command may print: a queue listing of about a million messages. */
    private static final int MAX_OUTPUT = 256 << 20;

    private final Path bin;
    private final Path config;

    Queue(Path bin, Path config) {
      this.bin = bin;
      this.config = config;
    }

    Optional<String> refuseId(String id) {
      if (!QUEUE_ID.matcher(id).matches() || "ALL".equalsIgnoreCase(id)) {
        return Optional.of("'" + id + "' is not a queue id");
      }
      return Optional.empty();
    }

    /** The hold queue, from {@code postqueue -j}. */
    List<Held> held() throws IOException {
      String listing = run("postqueue", List.of("-j"));
      List<Held> out = new ArrayList<>();
      JsonFactory json = new JsonFactory();
      for (String line : listing.split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        Held h = parseEntry(json, line);
        if (h != null) {
          out.add(h);
        }
      }
      return out;
    }

    /** One {@code postqueue -j} object, or null when it is not in the hold queue. */
    static Held parseEntry(JsonFactory json, String line) throws IOException {
      String queue = null;
      String id = null;
      long arrival = 0;
      long size = 0;
      String sender = "";
      List<String> recipients = new ArrayList<>();
      try (JsonParser p = json.createParser(line)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw new IOException("postqueue -j printed something that is not a JSON object: " + abbreviate(line));
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.getCurrentName();
          JsonToken t = p.nextToken();
          switch (field) {
            case "queue_name":
              queue = p.getValueAsString();
              break;
            case "queue_id":
              id = p.getValueAsString();
              break;
            case "arrival_time":
              arrival = p.getValueAsLong();
              break;
            case "message_size":
              size = p.getValueAsLong();
              break;
            case "sender":
              sender = p.getValueAsString("");
              break;
            case "recipients":
              if (t == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                  while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String rf = p.getCurrentName();
                    p.nextToken();
                    if ("address".equals(rf)) {
                      recipients.add(p.getValueAsString(""));
                    } else {
                      p.skipChildren();
                    }
                  }
                }
              }
              break;
            default:
              p.skipChildren();
          }
        }
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IOException("postqueue -j printed something that is not JSON: " + abbreviate(line), e);
      }
      return "hold".equals(queue) && id != null ? new Held(id, arrival, size, sender, recipients) : null;
    }

    /**
     * The envelope and header of a queued message ({@code postcat -e -h}; never the body). Empty when the message
     * is no longer queued.
     */
    Optional<Inspection> inspect(String id) throws IOException {
      String text;
      try {
        text = run("postcat", List.of("-e", "-h", "-q", id));
      } catch (CommandFailed e) {
        return Optional.empty();
      }
      return Optional.of(parseInspection(text));
    }

    static Inspection parseInspection(String text) {
      boolean held = false;
      HoldRecord record = null;
      String filter = null;
      boolean inHeader = false;
      StringBuilder field = null;
      for (String line : (text + "\n*** END ***").split("\n")) {
        if (field != null && (line.startsWith(" ") || line.startsWith("\t"))) {
          field.append(' ').append(line.trim());
          continue;
        }
        if (field != null) {
          String f = field.toString();
          if (record == null && f.regionMatches(true, 0, HoldRecord.FIELD + ":", 0, HoldRecord.FIELD.length() + 1)) {
            record = HoldRecord.parse(f.substring(HoldRecord.FIELD.length() + 1)).orElse(null);
          }
          field = null;
        }
        if (line.startsWith("*** ")) {
          inHeader = line.startsWith("*** MESSAGE CONTENTS");
          if (line.contains(" hold/")) {
            held = true;
          }
          continue;
        }
        if (inHeader) {
          field = new StringBuilder(line);
        } else if (line.startsWith("content_filter: ")) {
          // The last one wins, as in qmgr: milter_header_checks' FILTER comes after the listener's own.
          String f = line.substring("content_filter: ".length()).trim();
          filter = f.isEmpty() ? null : f;
        }
      }
      return new Inspection(held, record, filter);
    }

    /** {@code postsuper -H} (out of the hold queue, to be delivered: through its content filter), then deliver now. */
    void release(String id) throws IOException {
      run("postsuper", List.of("-H", id));
      try {
        run("postqueue", List.of("-i", id));
      } catch (CommandFailed e) {
        // Postfix not running, or the message already moved on: qmgr picks it up on its next scan all the same.
      }
    }

    void delete(String id) throws IOException {
      run("postsuper", List.of("-d", id, "hold"));
    }

    private String run(String command, List<String> args) throws IOException {
      List<String> cmd = new ArrayList<>();
      cmd.add(bin.resolve(command).toString());
      if (config != null) {
        cmd.add("-c");
        cmd.add(config.toString());
      }
      cmd.addAll(args);
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
      p.getOutputStream().close();
      byte[] stdout;
      String stderr;
      try {
        stdout = p.getInputStream().readNBytes(MAX_OUTPUT);
        stderr = new String(p.getErrorStream().readNBytes(1 << 16), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IOException(String.join(" ", cmd) + " did not finish within " + TIMEOUT_SECONDS + " s");
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException(String.join(" ", cmd) + " interrupted", e);
      }
      if (p.exitValue() != 0) {
        throw new CommandFailed(command + " exited " + p.exitValue() + (stderr.isEmpty() ? "" : ": " + stderr));
      }
      return new String(stdout, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
      return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
  }

  /** A Postfix command that ran and said no (exit status not 0). */
  static final class CommandFailed extends IOException {
    private static final long serialVersionUID = 1L;

    CommandFailed(String message) {
      super(message);
    }
  }
}
