package org.caliop.policy;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code subject_prefix} of a rule, parsed once when the policy loads: text with the placeholders
 * {@code {grade}} and {@code {score}}, e.g. {@code "[privacy {grade}] "}. It renders our prefix for a message, and
 * its <em>shape</em> finds text of the same form in a Subject that arrived from outside, so a forged grade can be
 * removed: each literal word of the template matched case-insensitively in its NFKC form, any white space (none, several, folded) at
 * every boundary between words, punctuation and placeholders, {@code {grade}} as any letter A to E, {@code {score}}
 * as any run of digits. Spaces at either end of the template are not part of it: the prefix and the Subject are
 * joined with one space.
 */
public final class SubjectPrefix {
  /** Characters of a template, placeholders written out; a phone shows about 30 characters of a Subject. */
  public static final int MAX_LENGTH = 64;
  /**
   * Characters of its own (not white space, not placeholders) a template needs: the shape is removed from every
   * inbound Subject wherever it stands, so a shorter shape ({@code [{grade}]}) would eat ordinary text.
   */
  public static final int MIN_LITERAL = 3;
  private static final List<String> PLACEHOLDERS = List.of("grade", "score");

  private final String template;
  private final Pattern shape;

  private SubjectPrefix(String template, Pattern shape) {
    this.template = template;
    this.shape = shape;
  }

  /**
   * The template {@code text}, checked.
   *
   * @throws IllegalArgumentException with what is wrong, in words for the policy file's reader
   */
  public static SubjectPrefix parse(String text) {
    Objects.requireNonNull(text);
    String t = text.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("is empty (write none to switch an inherited prefix off)");
    }
    if (t.codePointCount(0, t.length()) > MAX_LENGTH) {
      throw new IllegalArgumentException("is longer than " + MAX_LENGTH + " characters");
    }
    StringBuilder regex = new StringBuilder();
    int literal = 0;
    boolean first = true;
    for (int i = 0; i < t.length(); ) {
      int c = t.codePointAt(i);
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
          || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "must be one line of text without control"
            + " characters (found U+%04X at character %d)", c, t.codePointCount(0, i) + 1));
      }
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        i += Character.charCount(c);
        continue;
      }
      if (!first) {
        regex.append("\\s*");
      }
      first = false;
      if (c == '{') {
        int close = t.indexOf('}', i);
        String name = close < 0 ? null : t.substring(i + 1, close);
        if (name == null || !PLACEHOLDERS.contains(name)) {
          throw new IllegalArgumentException("has an unknown placeholder '" + (close < 0 ? t.substring(i)
              : t.substring(i, close + 1)) + "' at character " + (t.codePointCount(0, i) + 1)
              + " (the placeholders are {grade} and {score}; braces are only for placeholders)");
        }
        regex.append(name.equals("grade") ? "[A-Ea-e]" : "[0-9]+");
        i = close + 1;
        continue;
      }
      if (c == '}') {
        throw new IllegalArgumentException("has a '}' without its '{' at character " + (t.codePointCount(0, i) + 1)
            + " (braces are only for the placeholders {grade} and {score})");
      }
      // A run of letters and digits is one word; anything else stands alone, with room for space around it.
      int end = i;
      if (Character.isLetterOrDigit(c)) {
        while (end < t.length() && Character.isLetterOrDigit(t.codePointAt(end))) {
          end += Character.charCount(t.codePointAt(end));
        }
      } else {
        end += Character.charCount(c);
      }
      regex.append(Pattern.quote(Normalizer.normalize(t.substring(i, end), Normalizer.Form.NFKC)));
      literal += t.codePointCount(i, end);
      i = end;
    }
    if (literal < MIN_LITERAL) {
      throw new IllegalArgumentException("needs at least " + MIN_LITERAL + " characters of its own besides the"
          + " placeholders (e.g. '[privacy {grade}] '): text of its shape is removed from every inbound Subject, and"
          + " a shorter shape would remove ordinary words");
    }
    return new SubjectPrefix(t, Pattern.compile(regex.toString(),
        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
  }

  /** The template as written, without surrounding spaces. */
  public String template() {
    return template;
  }

  /** Our prefix for a message of this grade and score. */
  public String render(String grade, int score) {
    return template.replace("{grade}", grade).replace("{score}", Integer.toString(score));
  }

  /** Text of this template's form, anywhere in a decoded, unfolded Subject. */
  public Pattern shape() {
    return shape;
  }

  /** The templates of {@code prefixes}, each once, in order. */
  public static List<SubjectPrefix> distinct(List<SubjectPrefix> prefixes) {
    List<SubjectPrefix> out = new ArrayList<>();
    for (SubjectPrefix p : prefixes) {
      if (!out.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SubjectPrefix && ((SubjectPrefix) o).template.equals(template);
  }

  @Override
  public int hashCode() {
    return template.hashCode();
  }

  @Override
  public String toString() {
    return template;
  }
}
