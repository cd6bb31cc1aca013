package org.caliop.dist;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableBody;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableHead;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

/**
 * Turns the Markdown of docs/ into AsciiDoc for Asciidoctor's man page converter, so a man page says what the doc
 * says, from the same text. Covers what the docs use: headings, paragraphs, lists (nested, with tables or code
 * inside), GitHub tables, code spans and blocks, emphasis, links, block quotes. Every run of text goes through an
 * inline passthrough ({@code +++...+++}), so nothing in it ({@code *}, {@code {macro}}, {@code --}, {@code <<}) is
 * read as AsciiDoc markup; code is set in bold, as man pages set what one types.
 */
public final class MarkdownToAsciiDoc {
  private static final Parser PARSER = Parser.builder().extensions(List.of(TablesExtension.create())).build();

  /** Where a link to another doc points in the man pages: {@code milter.md} to {@code caliop-milter(8)}. */
  private final Function<String, String> linkTarget;
  /** Markdown heading level that becomes a man page section (.SH): 2 for a whole doc, 3 for a part of one. */
  private final int sectionLevel;

  MarkdownToAsciiDoc(Function<String, String> linkTarget, int sectionLevel) {
    this.linkTarget = linkTarget;
    this.sectionLevel = sectionLevel;
  }

  /** A map from doc file name ({@code policy.md}) to man page ({@code caliop.policy(5)}); others are named as files. */
  static Function<String, String> links(Map<String, String> pages) {
    return href -> {
      String file = href.contains("#") ? href.substring(0, href.indexOf('#')) : href;
      file = file.substring(file.lastIndexOf('/') + 1);
      if (pages.containsKey(file)) {
        return pages.get(file);
      }
      return file.endsWith(".md") ? "docs/" + file + " in caliop's source" : null;
    };
  }

  /** The AsciiDoc of {@code markdown}; headings above {@code sectionLevel} are dropped (the page has its own title). */
  public String convert(String markdown) {
    StringBuilder out = new StringBuilder(markdown.length() * 2);
    Node doc = PARSER.parse(markdown);
    for (Node n = doc.getFirstChild(); n != null; n = n.getNext()) {
      block(n, out, 0);
    }
    return out.toString();
  }

  private void block(Node n, StringBuilder out, int listDepth) {
    if (n instanceof Heading h) {
      if (h.getLevel() < sectionLevel) {
        return;
      }
      // .SH for sectionLevel, .SS below it; deeper ones become a bold line of their own.
      int level = h.getLevel() - sectionLevel + 2;
      if (level <= 3) {
        out.append("=".repeat(level)).append(' ').append(inlines(h, false)).append("\n\n");
      } else {
        out.append("**").append(inlines(h, false)).append("**\n\n");
      }
    } else if (n instanceof Paragraph p) {
      out.append(inlines(p, false)).append("\n\n");
    } else if (n instanceof FencedCodeBlock c) {
      literal(c.getLiteral(), out);
    } else if (n instanceof IndentedCodeBlock c) {
      literal(c.getLiteral(), out);
    } else if (n instanceof BulletList || n instanceof OrderedList) {
      list(n, out, listDepth + 1);
      if (listDepth == 0) {
        out.append('\n');
      }
    } else if (n instanceof TableBlock t) {
      table(t, out);
    } else if (n instanceof BlockQuote q) {
      out.append("____\n");
      for (Node c = q.getFirstChild(); c != null; c = c.getNext()) {
        block(c, out, 0);
      }
      out.append("____\n\n");
    } else if (n instanceof ThematicBreak) {
      out.append("'''\n\n");
    } else if (n instanceof HtmlBlock) {
      // Comments and markup for the web page; nothing a man page reader needs.
      return;
    } else {
      throw new IllegalArgumentException("Markdown block not handled: " + n.getClass().getSimpleName());
    }
  }

  private static void literal(String text, StringBuilder out) {
    // A literal block takes its lines as they are; only a line of four dots would end it early.
    if (text.lines().anyMatch(l -> l.equals("...."))) {
      throw new IllegalArgumentException("a code block holds a line '....'");
    }
    out.append("....\n").append(text.endsWith("\n") ? text : text + "\n").append("....\n\n");
  }

  private void list(Node list, StringBuilder out, int depth) {
    String marker = (list instanceof OrderedList ? "." : "*").repeat(depth);
    for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
      if (!(item instanceof ListItem)) {
        continue;
      }
      boolean first = true;
      for (Node c = item.getFirstChild(); c != null; c = c.getNext()) {
        if (first && c instanceof Paragraph p) {
          out.append(marker).append(' ').append(inlines(p, false)).append('\n');
        } else if (c instanceof BulletList || c instanceof OrderedList) {
          if (first) {
            out.append(marker).append(" {empty}\n");
          }
          list(c, out, depth + 1);
        } else {
          if (first) {
            out.append(marker).append(" {empty}\n");
          }
          // A block of its own inside the item: attached with a list continuation.
          out.append("+\n");
          StringBuilder inner = new StringBuilder();
          block(c, inner, depth);
          out.append(inner.toString().stripTrailing()).append('\n');
        }
        first = false;
      }
    }
  }

  private void table(TableBlock t, StringBuilder out) {
    int columns = 0;
    StringBuilder rows = new StringBuilder();
    boolean header = false;
    for (Node part = t.getFirstChild(); part != null; part = part.getNext()) {
      for (Node row = part.getFirstChild(); row != null; row = row.getNext()) {
        if (!(row instanceof TableRow)) {
          continue;
        }
        int cells = 0;
        for (Node cell = row.getFirstChild(); cell != null; cell = cell.getNext()) {
          if (cell instanceof TableCell c) {
            rows.append("|").append(inlines(c, true)).append('\n');
            cells++;
          }
        }
        columns = Math.max(columns, cells);
        rows.append('\n');
        header |= part instanceof TableHead;
      }
      if (part instanceof TableBody || part instanceof TableHead) {
        continue;
      }
    }
    out.append("[cols=\"").append(columns).append("*\"").append(header ? ",options=\"header\"" : "").append("]\n");
    out.append("|===\n").append(rows).append("|===\n\n");
  }

  /** The inline content of {@code parent} on one line; {@code inCell}: a table cell, where {@code |} ends a cell. */
  private String inlines(Node parent, boolean inCell) {
    StringBuilder sb = new StringBuilder();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNext()) {
      inline(n, sb, inCell);
    }
    return sb.toString().strip();
  }

  private void inline(Node n, StringBuilder sb, boolean inCell) {
    if (n instanceof Text t) {
      sb.append(pass(t.getLiteral(), inCell));
    } else if (n instanceof Code c) {
      sb.append("**").append(pass(c.getLiteral(), inCell)).append("**");
    } else if (n instanceof Emphasis) {
      sb.append("__").append(inlines(n, inCell)).append("__");
    } else if (n instanceof StrongEmphasis) {
      sb.append("**").append(inlines(n, inCell)).append("**");
    } else if (n instanceof SoftLineBreak) {
      sb.append(' ');
    } else if (n instanceof HardLineBreak) {
      sb.append(" +\n");
    } else if (n instanceof Link l) {
      link(l, sb, inCell);
    } else if (n instanceof Image i) {
      // Screenshots stay on the web page; the man page keeps what they show in words.
      sb.append(pass("(picture: " + plain(i) + ")", inCell));
    } else if (n instanceof HtmlInline h) {
      sb.append(pass(h.getLiteral(), inCell));
    } else {
      throw new IllegalArgumentException("Markdown inline not handled: " + n.getClass().getSimpleName());
    }
  }

  private void link(Link l, StringBuilder sb, boolean inCell) {
    String href = l.getDestination();
    String text = inlines(l, inCell);
    if (href.startsWith("http://") || href.startsWith("https://") || href.startsWith("mailto:")) {
      sb.append(text).append(pass(" <" + href + ">", inCell));
      return;
    }
    if (href.startsWith("#")) {
      sb.append(text);
      return;
    }
    String target = linkTarget.apply(href);
    String shown = plain(l);
    if (target == null) {
      sb.append(text);
    } else if (shown.equals(href) || shown.endsWith(".md") || shown.endsWith("/")) {
      // [docs/policy.md](policy.md) reads "caliop.policy(5)" in the man page.
      sb.append(pass(target, inCell));
    } else {
      sb.append(text).append(pass(" (" + target + ")", inCell));
    }
  }

  private static String plain(Node parent) {
    StringBuilder sb = new StringBuilder();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNext()) {
      if (n instanceof Text t) {
        sb.append(t.getLiteral());
      } else if (n instanceof Code c) {
        sb.append(c.getLiteral());
      } else {
        sb.append(plain(n));
      }
    }
    return sb.toString();
  }

  /**
   * Text that AsciiDoc must not interpret: {@code +++} passthroughs (no substitution at all; the man page converter
   * escapes what troff needs). In a table cell {@code |} is escaped first: cells are split before passthroughs.
   */
  static String pass(String text, boolean inCell) {
    // A '+' next to the delimiters would end or start one: each '+' is written as the {plus} attribute instead.
    StringBuilder sb = new StringBuilder(text.length() + 12);
    String[] parts = text.split("\\+", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        sb.append("{plus}");
      }
      if (!parts[i].isEmpty()) {
        sb.append("+++").append(inCell ? parts[i].replace("|", "\\|") : parts[i]).append("+++");
      }
    }
    return sb.toString();
  }
}
