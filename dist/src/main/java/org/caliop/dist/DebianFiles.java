package org.caliop.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.caliop.milter.config.Knob;

/**
 * The package's files that are made rather than written: {@code milter.cf} (the package's settings, then every
 * other setting commented out at its default, from {@link Knob}, as opendkim.conf.sample does) and the Debian
 * {@code changelog.gz} dpkg and lintian expect of a native package (it points to CHANGELOG.md).
 *
 * <p>Also gathers {@code doc/}: CHANGELOG.md and README.md (gzipped) and {@code examples/} (Postfix, Sendmail,
 * the sample policies), which the man pages point to.
 *
 * <p>{@code DebianFiles ROOT OUT_DIR VERSION DATE MAINTAINER}
 */
public final class DebianFiles {
  /** What the package sets, and why: the socket in Postfix's chroot, the installed policy, spill files on disk. */
  static final Map<Knob, String[]> PACKAGE_SETTINGS = Map.of(
      Knob.LISTEN, new String[] {"unix:/var/spool/postfix/caliop/milter.sock",
          "Inside the chroot of Postfix's smtpd: smtpd_milters = unix:/caliop/milter.sock in main.cf"
              + " (unix:/var/spool/postfix/caliop/milter.sock when smtpd is not chrooted). smtpd reaches it as a"
              + " member of the group caliop."},
      Knob.POLICY_FILE, new String[] {"/etc/caliop/policy.yaml",
          "The installed policy only tags, in dry-run (caliop.policy(5)); check a change with"
              + " caliop policy check /etc/caliop/policy.yaml."},
      Knob.SPILL_DIRECTORY, new String[] {"/var/lib/caliop",
          "Messages larger than caliop_memory_buffer_size go to disk here, not to a /tmp that may be in memory."});

  private DebianFiles() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 5) {
      throw new IllegalArgumentException("usage: DebianFiles ROOT OUT_DIR VERSION DATE MAINTAINER");
    }
    Path root = Path.of(args[0]);
    Path out = Files.createDirectories(Path.of(args[1]));
    Files.writeString(out.resolve("milter.cf"), milterCf(), StandardCharsets.UTF_8);
    ManPages.gzip(changelog(args[2], LocalDate.parse(args[3]), args[4]).getBytes(StandardCharsets.UTF_8),
        out.resolve("changelog.gz"));
    Path doc = Files.createDirectories(out.resolve("doc"));
    for (String name : new String[] {"CHANGELOG.md", "README.md"}) {
      ManPages.gzip(Files.readAllBytes(root.resolve(name)), doc.resolve(name + ".gz"));
    }
    Path examples = Files.createDirectories(doc.resolve("examples"));
    Files.createDirectories(examples.resolve("conf"));
    for (String name : new String[] {"postfix/main.cf", "postfix/master.cf", "postfix/caliop-milter.cf",
        "sendmail/caliop.mc"}) {
      Files.copy(root.resolve("examples").resolve(name), examples.resolve(Path.of(name).getFileName()),
          StandardCopyOption.REPLACE_EXISTING);
    }
    try (Stream<Path> policies = Files.list(root.resolve("conf"))) {
      for (Path p : policies.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        Files.copy(p, examples.resolve("conf").resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  static String milterCf() {
    StringBuilder sb = new StringBuilder();
    sb.append("# caliop milter settings (caliop-milter.cf(5); Postfix main.cf syntax: name = value).\n");
    sb.append("# Check after a change: caliop-milter -n --config /etc/caliop/milter.cf\n");
    sb.append("# Apply it: systemctl restart caliop-milter (a policy change needs only: systemctl reload"
        + " caliop-milter)\n");
    sb.append("#\n# What this package sets:\n\n");
    for (Knob k : Knob.values()) {
      String[] set = PACKAGE_SETTINGS.get(k);
      if (set != null) {
        sb.append(comment(set[1])).append(k.key()).append(" = ").append(set[0]).append("\n\n");
      }
    }
    sb.append("# Every other setting, at its default:\n\n");
    for (Knob k : Knob.values()) {
      if (!PACKAGE_SETTINGS.containsKey(k)) {
        sb.append("## ").append(k.doc()).append('\n');
        sb.append(("# " + k.key() + " = " + k.defaultValue()).trim()).append("\n\n");
      }
    }
    return sb.toString();
  }

  private static String comment(String text) {
    StringBuilder sb = new StringBuilder();
    StringBuilder line = new StringBuilder("#");
    for (String word : text.split(" ")) {
      if (line.length() + 1 + word.length() > 100) {
        sb.append(line).append('\n');
        line = new StringBuilder("#");
      }
      line.append(' ').append(word);
    }
    return sb.append(line).append('\n').toString();
  }

  /** One entry per release, in the format dpkg-parsechangelog reads. */
  static String changelog(String version, LocalDate date, String maintainer) {
    // RFC 5322 as Debian writes it: "Thu, 03 Dec 2026 12:00:00 +0000".
    String when = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss xx", Locale.ROOT)
        .format(date.atTime(12, 0).atOffset(ZoneOffset.UTC));
    return "caliop (" + version + ") unstable; urgency=medium\n\n"
        + "  * What changed: /usr/share/doc/caliop/CHANGELOG.md.gz\n\n"
        + " -- " + maintainer + "  " + when + "\n";
  }
}
