package org.caliop.dist;

/**
 * One man page as AsciiDoc for Asciidoctor's {@code manpage} converter: the title line {@code name(section)}, the
 * NAME section Asciidoctor requires ({@code name - purpose}), then the sections in the order they are added.
 */
final class ManPage {
  private final String name;
  private final int section;
  private final String purpose;
  private final StringBuilder body = new StringBuilder();

  ManPage(String name, int section, String purpose) {
    this.name = name;
    this.section = section;
    this.purpose = purpose;
  }

  String name() {
    return name;
  }

  int section() {
    return section;
  }

  /** {@code caliop-milter.cf.5}. */
  String fileName() {
    return name + "." + section;
  }

  /** A section (.SH) with AsciiDoc content. */
  ManPage section(String title, String asciidoc) {
    body.append("== ").append(title).append("\n\n").append(asciidoc.strip()).append("\n\n");
    return this;
  }

  /** AsciiDoc appended as it is (sections it brings along included). */
  ManPage raw(String asciidoc) {
    body.append(asciidoc.strip()).append("\n\n");
    return this;
  }

  String asciidoc(String version, String date) {
    return "= " + name + "(" + section + ")\n"
        + ":doctype: manpage\n"
        + ":manmanual: caliop\n"
        + ":mansource: caliop " + version + "\n"
        + ":revdate: " + date + "\n"

        + "\n== NAME\n\n" + name + " - " + purpose + "\n\n"
        + body;
  }
}
