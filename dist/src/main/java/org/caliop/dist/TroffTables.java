package org.caliop.dist;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives the tables of a man page column widths that fit an 80-column terminal. Asciidoctor writes every cell as a
 * tbl text block without a width, and tbl then gives each text-block column the same share of the line: a column
 * of one-word keys gets as much room as the column that explains them, long words do not fit, and the table runs
 * past the right margin (lintian: groff-message). Here each column gets what its longest cell needs when the table
 * fits, and otherwise a share that grows with its text, never less than its longest word where that can be had.
 */
final class TroffTables {
  /** The line, less the indent of a table inside a list item (7 + 4), less tbl's borders (3 per column, 1). */
  private static final int LINE = 78 - 11 - 1;
  private static final int BORDER = 3;
  /**
   * Where a name may break: after {@code _}, {@code /}, {@code -} ({@code \\-} in troff) or {@code =} before more of
   * it, and after a {@code .} before a letter ({@code mail.sender.example}, {@code Class.method}; never inside a
   * number such as {@code 36.0} or {@code TLSv1.3}).
   */
  static final String BREAK_AFTER = "(_|/|\\\\-|=|\\.(?=[A-Za-z]))(?=[^\\s\\\\])";
  /** A paragraph's word this long (troff escapes included) gets break points too: a line holds about 70. */
  private static final int LONG_WORD = 40;
  private static final Pattern WORD = Pattern.compile("\\S{" + LONG_WORD + ",}");
  /** Where {@link #breakable} let a word break, in {@link #visible}'s text. */
  private static final String BREAK = "\u200b";
  private static final Pattern TABLE = Pattern.compile("(?s)\\.TS\\n(.*?)\\n\\.TE");
  private static final Pattern CELL = Pattern.compile("(?s)T\\{\\n(.*?)\\nT\\}");
  /** A format line: after the table's options, or after .T& for the rows below the header. */
  private static final Pattern FORMAT =
      Pattern.compile("(?m)(?<=^allbox tab\\(:\\);\n|^\\.T&\n)((?:[lrcnas^]t?B?\\s*)+)\\.$");

  private TroffTables() {
  }

  static String fit(String troff) {
    Matcher t = TABLE.matcher(troff);
    StringBuilder out = new StringBuilder();
    while (t.find()) {
      t.appendReplacement(out, Matcher.quoteReplacement(".TS\n" + fitOne(t.group(1)) + "\n.TE"));
    }
    t.appendTail(out);
    return out.toString();
  }

  private static String fitOne(String original) {
    Matcher f = FORMAT.matcher(original);
    if (!f.find()) {
      return original;
    }
    String table = breakable(original);
    int columns = f.group(1).trim().split("\\s+").length;
    int[] longest = new int[columns];
    int[] longestWord = new int[columns];
    Matcher c = CELL.matcher(table);
    for (int i = 0; c.find(); i++) {
      String text = visible(c.group(1));
      int col = i % columns;
      longest[col] = Math.max(longest[col], text.replace(BREAK, "").length());
      for (String word : text.split("[\\s" + BREAK + "]+")) {
        longestWord[col] = Math.max(longestWord[col], word.length());
      }
    }
    int[] widths = widths(longest, longestWord, LINE - BORDER * columns);
    Matcher formats = FORMAT.matcher(table);
    StringBuilder out = new StringBuilder();
    while (formats.find()) {
      String[] tokens = formats.group(1).trim().split("\\s+");
      List<String> sized = new ArrayList<>();
      for (int i = 0; i < tokens.length; i++) {
        sized.add(i < widths.length ? tokens[i] + "w(" + widths[i] + "n)" : tokens[i]);
      }
      formats.appendReplacement(out, Matcher.quoteReplacement(String.join(" ", sized) + "."));
    }
    formats.appendTail(out);
    return out.toString();
  }

  /**
   * Each column its whole text when all fit. Otherwise each column first gets its longest word (tbl cannot break
   * it anyway), and the room left goes to the columns whose text is longer, in proportion to what they still lack,
   * none beyond its whole text.
   */
  static int[] widths(int[] longest, int[] longestWord, int room) {
    int n = longest.length;
    int[] w = new int[n];
    int total = 0;
    for (int i = 0; i < n; i++) {
      total += Math.max(1, longest[i]);
    }
    if (total <= room) {
      for (int i = 0; i < n; i++) {
        w[i] = Math.max(1, longest[i]);
      }
      return w;
    }
    int left = room;
    for (int i = 0; i < n; i++) {
      w[i] = Math.max(1, Math.min(longestWord[i], longest[i]));
      left -= w[i];
    }
    while (left > 0) {
      long lacking = 0;
      for (int i = 0; i < n; i++) {
        lacking += longest[i] - w[i];
      }
      if (lacking == 0) {
        break;
      }
      int given = 0;
      for (int i = 0; i < n && given < left; i++) {
        int want = longest[i] - w[i];
        int add = (int) Math.min(want, Math.max(want > 0 ? 1 : 0, (long) left * want / lacking));
        add = Math.min(add, left - given);
        w[i] += add;
        given += add;
      }
      left -= given;
      if (given == 0) {
        break;
      }
    }
    return w;
  }

  /**
   * Lets troff break the long names the docs put in tables ({@code trusted_authserv_ids:}, {@code
   * OpenDKIM/OpenDMARC}, {@code authres-not-believed}) after their {@code _}, {@code /}, {@code -} or {@code =}
   * ({@code \\:}, a break point that prints nothing): a name wider than its column otherwise pushes the table past
   * the right margin, whatever the widths. Only text lines of cells, never requests.
   */
  static String breakable(String table) {
    Matcher c = CELL.matcher(table);
    StringBuilder out = new StringBuilder();
    while (c.find()) {
      StringBuilder cell = new StringBuilder();
      for (String line : c.group(1).split("\n", -1)) {
        if (cell.length() > 0) {
          cell.append('\n');
        }
        cell.append(line.startsWith(".") ? line : line.replaceAll(BREAK_AFTER, "$1\\\\:"));
      }
      c.appendReplacement(out, Matcher.quoteReplacement("T{\n" + cell + "\nT}"));
    }
    c.appendTail(out);
    return out.toString();
  }

  /**
   * Lets troff break a long word in running text at the same places as in tables ({@code \\:}): a test name such
   * as {@code JurisdictionPolicyTest.aSenderCannotClaimItsWayIntoAnAllowedJurisdiction} is wider than what is left
   * of a line, and troff, which cannot break it, warns ("can't break line") and lets it run past the margin. Only
   * text lines, never requests, and only words of {@value #LONG_WORD} characters or more.
   */
  static String breakLongWords(String troff) {
    StringBuilder out = new StringBuilder();
    for (String line : troff.split("\n", -1)) {
      if (out.length() > 0) {
        out.append('\n');
      }
      if (line.startsWith(".") || line.startsWith("'")) {
        out.append(line);
        continue;
      }
      Matcher w = WORD.matcher(line);
      StringBuilder broken = new StringBuilder();
      while (w.find()) {
        w.appendReplacement(broken, Matcher.quoteReplacement(w.group().replaceAll(BREAK_AFTER, "$1\\\\:")));
      }
      w.appendTail(broken);
      out.append(broken);
    }
    return out.toString();
  }

  /** Roughly what a cell shows: troff's font changes, escapes and requests taken out. */
  private static String visible(String cell) {
    return cell.replace("\\:", BREAK).replaceAll("(?m)^\\.\\S+.*$", " ").replaceAll("\\\\f[A-Z]|\\\\f\\(..|\\\\&", "")
        .replaceAll("\\\\\\(..", "x").replaceAll("\\\\\\[[^\\]]*\\]", "x").replace("\\-", "-").replace("\\e", "\\")
        .replaceAll("\\s+", " ").trim();
  }
}
