package org.caliop.dist;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.asciidoctor.Asciidoctor;
import org.asciidoctor.Options;
import org.asciidoctor.SafeMode;
import org.asciidoctor.log.Severity;
import org.caliop.milter.MilterCommand;
import org.caliop.milter.config.Knob;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Makes caliop's man pages at build time from the sources the docs come from: the milter's settings from
 * {@link Knob}, its options from its picocli model, everything else from docs/*.md, so a man page says what the
 * docs say. Writes {@code NAME.SECTION.adoc} (to read when a page looks wrong) and {@code NAME.SECTION.gz} (troff by
 * AsciidoctorJ's {@code manpage} converter, gzip at maximum compression as Debian wants) into the output directory.
 *
 * <p>{@code ManPages DOCS_DIR OUT_DIR VERSION DATE}
 */
public final class ManPages {
  /** Every doc that has a man page of its own, and the page. Links between docs become references to these. */
  static final Map<String, String> PAGES = new LinkedHashMap<>();

  static {
    PAGES.put("cli.md", "caliop(1)");
    PAGES.put("milter.md", "caliop-milter(8)");
    PAGES.put("policy.md", "caliop.policy(5)");
    PAGES.put("score.md", "caliop-score(7)");
    PAGES.put("headers.md", "caliop-headers(7)");
    PAGES.put("provenance.md", "caliop-provenance(7)");
    PAGES.put("content-protection.md", "caliop-content-protection(7)");
    PAGES.put("encryption.md", "caliop-encryption(7)");
    PAGES.put("operations.md", "caliop-operations(7)");
  }

  private static final String SEE_ALSO = "caliop(1), caliop-milter(8), caliop-milter.cf(5), caliop.policy(5),"
      + " caliop-operations(7), caliop-score(7), caliop-headers(7), caliop-provenance(7),"
      + " caliop-content-protection(7), caliop-encryption(7)";

  private final Path docs;
  private final MarkdownToAsciiDoc markdown = new MarkdownToAsciiDoc(MarkdownToAsciiDoc.links(PAGES), 2);

  ManPages(Path docs) {
    this.docs = docs;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      throw new IllegalArgumentException("usage: ManPages DOCS_DIR OUT_DIR VERSION DATE");
    }
    Path out = Files.createDirectories(Path.of(args[1]));
    List<ManPage> pages = new ManPages(Path.of(args[0])).pages();
    try (Asciidoctor asciidoctor = Asciidoctor.Factory.create()) {
      // A warning is a page that says something else than the doc (a broken table, a dropped line): stop there.
      List<String> problems = new ArrayList<>();
      asciidoctor.registerLogHandler(record -> {
        if (record.getSeverity().compareTo(Severity.INFO) > 0) {
          problems.add(record.getSeverity() + ": " + record.getMessage());
        }
      });
      for (ManPage page : pages) {
        String adoc = page.asciidoc(args[2], args[3]);
        Files.writeString(out.resolve(page.fileName() + ".adoc"), adoc, StandardCharsets.UTF_8);
        String converted = asciidoctor.convert(adoc, Options.builder().backend("manpage").standalone(true)
            .safe(SafeMode.SAFE).build());
        // Asciidoctor starts every table cell with a blank line (.sp): tables of one-line rows twice as tall.
        String troff = TroffTables.fit(TroffTables.breakLongWords(converted.replace("T{\n.sp\n", "T{\n")));
        Files.writeString(out.resolve(page.fileName()), troff, StandardCharsets.UTF_8);
        gzip(troff.getBytes(StandardCharsets.UTF_8), out.resolve(page.fileName() + ".gz"));
        if (!problems.isEmpty()) {
          throw new IllegalStateException(page.fileName() + ".adoc: " + String.join("; ", problems));
        }
      }
    }
  }

  List<ManPage> pages() throws IOException {
    List<ManPage> pages = new ArrayList<>();
    pages.add(caliop());
    pages.add(milter());
    pages.add(milterSettings());
    pages.add(policy());
    pages.add(topic("score.md", "caliop-score", "the privacy score: every input, weight, threshold and reason code"));
    pages.add(topic("headers.md", "caliop-headers",
        "the header fields caliop writes: Caliop-Privacy, Caliop-Hop, Caliop-Path, Caliop-Policy"));
    pages.add(topic("provenance.md", "caliop-provenance",
        "how caliop reads Received and Authentication-Results and which hops it believes"));
    pages.add(topic("content-protection.md", "caliop-content-protection",
        "what caliop counts as end-to-end encrypted or signed"));
    pages.add(topic("encryption.md", "caliop-encryption",
        "gateway encryption with S/MIME and OpenPGP, the key directory and its checks"));
    pages.add(topic("operations.md", "caliop-operations",
        "running caliop: introducing it safely, failure modes, reload, logs, metrics"));
    return pages;
  }

  private String read(String doc) throws IOException {
    return Files.readString(docs.resolve(doc), StandardCharsets.UTF_8);
  }

  /** The text before the first level-2 heading, without the title line, and the rest. */
  private static String[] introAndRest(String md) {
    MarkdownSections s = MarkdownSections.of(md);
    List<MarkdownSections.Section> parts = s.level(2);
    String all = md;
    int cut = parts.isEmpty() ? all.length() : nthLineOffset(all, parts.get(0).start());
    return new String[] {all.substring(0, cut), all.substring(cut)};
  }

  private static int nthLineOffset(String text, int line) {
    int offset = 0;
    for (int i = 0; i < line; i++) {
      offset = text.indexOf('\n', offset) + 1;
    }
    return offset;
  }

  private ManPage topic(String doc, String name, String purpose) throws IOException {
    String[] parts = introAndRest(read(doc));
    return new ManPage(name, 7, purpose)
        .section("DESCRIPTION", markdown.convert(parts[0]))
        .raw(markdown.convert(parts[1]))
        .section("SEE ALSO", SEE_ALSO);
  }

  private ManPage caliop() throws IOException {
    String[] parts = introAndRest(read("cli.md"));
    MarkdownSections policyDoc = MarkdownSections.of(read("policy.md"));
    String policyCommands = policyDoc.find("Command line").orElseThrow().body();
    return new ManPage("caliop", 1, "score stored mail, stamp it, and check, explain and replay policy files")
        .section("DESCRIPTION", markdown.convert(parts[0]))
        .raw(markdown.convert(parts[1]))
        .section("POLICY COMMANDS", markdown.convert(policyCommands))
        .section("THE MILTER", "+++caliop milter+++ runs the milter daemon, as caliop-milter(8) describes.")
        .section("SEE ALSO", SEE_ALSO);
  }

  private ManPage milter() throws IOException {
    CommandSpec spec = MilterCommand.spec("caliop-milter");
    MarkdownSections doc = MarkdownSections.of(read("milter.md"));
    String[] parts = introAndRest(doc.without("Settings", "Tests"));
    return new ManPage("caliop-milter", 8,
        "milter daemon that scores the privacy of mail and enforces an encryption policy for Postfix and Sendmail")
        .section("SYNOPSIS", "**" + MarkdownToAsciiDoc.pass(String.join(" ", spec.usageMessage().customSynopsis()),
            false) + "**")
        .section("DESCRIPTION", markdown.convert(parts[0]))
        .section("OPTIONS", options(spec))
        .section("SETTINGS", "Every setting, its values and its default: caliop-milter.cf(5). Each one can be"
            + " given in the config file, as its option above, or with **+++-o+++** __+++NAME=VALUE+++__.")
        .raw(markdown.convert(parts[1]))
        .section("EXIT STATUS", "0:: the daemon stopped (SIGTERM), or **+++-n+++** found the configuration usable\n"
            + "1:: the configuration, the policy or its key directory cannot be used (the reason on standard error)\n"
            + "2:: a usage or configuration error, in one line on standard error")
        .section("ENVIRONMENT", "+++CALIOP_JAVA_OPTS+++:: options for the Java virtual machine (the systemd"
            + " unit sets them), e.g. +++-Xmx512m+++ or +++-Dcaliop.log.level=debug+++\n"
            + "+++CALIOP_JAVA+++:: the Java 17 (or later) runtime to run, when +++java+++ on the PATH is not it\n"
            + "+++JOURNAL_STREAM+++:: set by systemd; when standard error is the journal, log lines carry their"
            + " syslog priority and no time stamp")
        .section("FILES", files())
        .section("SEE ALSO", SEE_ALSO + ", postconf(5), journalctl(1)");
  }

  private static String files() {
    return "+++/etc/caliop/milter.cf+++:: the settings, caliop-milter.cf(5)\n"
        + "+++/etc/caliop/policy.yaml+++:: the policy, caliop.policy(5); the package installs a dry-run one\n"
        + "+++/etc/caliop/keys/+++:: recipients' certificates and public keys for gateway encryption,"
        + " caliop-encryption(7)\n"
        + "+++/var/spool/postfix/caliop/+++:: the unix socket, inside the chroot of Postfix's smtpd\n"
        + "+++/var/lib/caliop/+++:: the daemon's working directory and spill files\n"
        + "+++/lib/systemd/system/caliop-milter.service+++:: the systemd unit\n"
        + "+++/usr/share/doc/caliop/examples/+++:: Postfix, Sendmail and policy examples";
  }

  /** The OPTIONS section from the picocli model: each option, its value and its description. */
  static String options(CommandSpec spec) {
    StringBuilder sb = new StringBuilder();
    for (OptionSpec o : spec.options()) {
      List<String> names = new ArrayList<>();
      for (String n : o.names()) {
        names.add("**" + MarkdownToAsciiDoc.pass(n, false) + "**"
            + (o.arity().max() > 0 ? " __" + MarkdownToAsciiDoc.pass(o.paramLabel(), false) + "__" : ""));
      }
      sb.append(String.join(", ", names)).append("::\n");
      sb.append(MarkdownToAsciiDoc.pass(String.join(" ", o.description()), false)).append("\n");
    }
    return sb.toString();
  }

  private ManPage milterSettings() throws IOException {
    MarkdownSections doc = MarkdownSections.of(read("milter.md"));
    MarkdownSections.Section settings = doc.find("Settings").orElseThrow();
    StringBuilder list = new StringBuilder();
    for (Knob k : Knob.values()) {
      String shown = k.defaultValue().isEmpty() ? "empty" : k.defaultValue();
      MarkdownSections.Section s = doc.find(k.key()).orElseThrow(
          () -> new IllegalStateException("docs/milter.md has no section for " + k.key()));
      if (!s.title().equals(k.key() + " (default: " + shown + ")")) {
        throw new IllegalStateException("docs/milter.md says '" + s.title() + "', Knob says default " + shown);
      }
      list.append("=== ").append(MarkdownToAsciiDoc.pass(k.key() + " (default: " + shown + ")", false))
          .append("\n\n")
          .append("Values: **").append(MarkdownToAsciiDoc.pass(k.syntax(), false)).append("**. Option: **")
          .append(MarkdownToAsciiDoc.pass(k.flag(), false)).append("**.\n\n")
          .append(markdown.convert(s.body()).strip()).append("\n\n");
    }
    return new ManPage("caliop-milter.cf", 5, "settings of the caliop milter daemon")
        .section("SYNOPSIS", "+++/etc/caliop/milter.cf+++")
        .section("DESCRIPTION", "caliop-milter(8) reads its settings from the file named by **+++--config+++**"
            + " (the package's systemd unit: +++/etc/caliop/milter.cf+++), then from its options; a setting given"
            + " twice takes the later value. The syntax is Postfix's +++main.cf+++: +++name = value+++ lines, a"
            + " line starting with +++#+++ is a comment, a line starting with white space continues the previous"
            + " one. A name that is not listed below is an error naming the file and the line, and the daemon does"
            + " not start; +++caliop-milter -n --config FILE+++ checks a file (and the policy it names) and"
            + " exits.\n\n" + markdown.convert(MarkdownSections.intro(settings)))
        .section("SETTINGS", list.toString())
        .section("FILES", "+++/etc/caliop/milter.cf+++:: the settings of the package's daemon\n"
            + "+++/usr/share/doc/caliop/examples/caliop-milter.cf+++:: every setting, commented out at its"
            + " default")
        .section("SEE ALSO", "caliop-milter(8), caliop.policy(5), caliop-operations(7), postconf(5)");
  }

  private ManPage policy() throws IOException {
    MarkdownSections doc = MarkdownSections.of(read("policy.md"));
    String[] parts = introAndRest(doc.without("Command line", "Java API (for adapters)"));
    return new ManPage("caliop.policy", 5,
        "policy files of caliop: what it requires of mail and what it does when mail falls short")
        .section("SYNOPSIS", "+++/etc/caliop/policy.yaml+++")
        .section("DESCRIPTION", markdown.convert(parts[0]))
        .raw(markdown.convert(parts[1]))
        .section("COMMANDS", "Check a file with +++caliop policy check FILE+++, see what it decides with"
            + " +++caliop policy explain+++ and +++caliop policy replay+++: caliop(1).")
        .section("FILES", "+++/etc/caliop/policy.yaml+++:: the policy of the package's milter (dry-run as"
            + " installed)\n+++/usr/share/doc/caliop/examples/conf/+++:: sample policies")
        .section("SEE ALSO", SEE_ALSO);
  }

  /** gzip at maximum compression, with the header's XFL byte saying so and no time stamp (reproducible). */
  static void gzip(byte[] data, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        GZIPOutputStream gz = new GZIPOutputStream(out) {
          {
            def.setLevel(Deflater.BEST_COMPRESSION);
          }
        }) {
      gz.write(data);
    }
    byte[] bytes = Files.readAllBytes(file);
    // RFC 1952: XFL = 2 means "maximum compression"; GZIPOutputStream always writes 0.
    bytes[8] = 2;
    Files.write(file, bytes);
  }
}
