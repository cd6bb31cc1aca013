package org.caliop.header;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import org.apache.james.mime4j.codec.EncoderUtil;
import org.caliop.facts.HeaderEdit;
import org.caliop.message.HeaderField;
import org.caliop.policy.SubjectPrefix;

/**
 * The Subject edits of an inbound message: text of the shape of a configured {@code subject_prefix} is removed
 * wherever it stands in every {@code Subject:} field (it came from outside: a forged grade), then our own prefix is
 * put in front when the message is tagged. Shapes are matched on what a reader sees: RFC 2047 encoded words
 * decoded, the field unfolded, invisible format characters (zero-width spaces...) ignored, every kind of space read
 * as a space, and compatibility forms (full-width brackets and letters) read as their plain forms (NFKC). A field
 * that needs no change is left as it was, byte for byte; a changed one is written back as ASCII, with RFC 2047
 * UTF-8 encoded words where the text is not ASCII, folded at spaces.
 */
public final class SubjectTag {
  static final String SUBJECT = "Subject";
  /**
   * Rounds of removal: removing one shape can join text into another ({@code [priv[privacy A]acy B]}). A Subject
   * that still holds a shape after this many rounds is built to hide one, and loses its whole text.
   */
  static final int MAX_ROUNDS = 16;
  /** Where a written Subject is folded, counting {@code Subject: } on the first line (RFC 5322's 78). */
  static final int FOLD_AT = 78;

  private SubjectTag() {
  }

  /**
   * @param subjects the message's {@code Subject:} fields, in order, unfolded and not decoded
   * @param prefix our rendered prefix, when the message is tagged
   * @param shapes the templates whose shapes are removed first
   */
  public static List<HeaderEdit> edits(List<HeaderField> subjects, Optional<String> prefix,
      List<SubjectPrefix> shapes) {
    List<HeaderEdit> out = new ArrayList<>(1);
    if (subjects.isEmpty()) {
      // A tagged message without a Subject gets one: a phone shows the grade there or nowhere.
      prefix.ifPresent(p -> out.add(HeaderEdit.add(SUBJECT, write(p, true))));
      return out;
    }
    for (HeaderField field : subjects) {
      edit(field, prefix, shapes).ifPresent(out::add);
    }
    return out;
  }

  private static Optional<HeaderEdit> edit(HeaderField field, Optional<String> prefix, List<SubjectPrefix> shapes) {
    String raw = field.value();
    String decoded = EncodedWords.decode(raw);
    String stripped = strip(decoded, shapes);
    boolean changed = field.isCut() || !stripped.equals(decoded);
    if (!changed && prefix.isEmpty()) {
      return Optional.empty();
    }
    String value;
    if (!changed && isAscii(prefix.get()) && raw.chars().allMatch(c -> c == '\t' || c >= 0x20 && c <= 0x7e)) {
      // Only our prefix in front: the rest stays as the sender wrote it, encoded words and all (8-bit text is
      // written again as encoded words: both MTAs get ASCII from us).
      value = prefix.get() + (raw.isEmpty() ? "" : " " + raw);
    } else {
      String text = prefix.map(p -> stripped.isEmpty() ? p : p + " " + stripped).orElse(stripped);
      value = prefix.isPresent() && isAscii(prefix.get()) && !stripped.isEmpty() && needsEncoding(stripped)
          ? prefix.get() + " " + encode(stripped) : write(text, false);
    }
    return Optional.of(HeaderEdit.replace(field.name(), field.occurrence(), fold(value)));
  }

  /** {@code text} as a field value: as it is when plain ASCII, else encoded words. */
  private static String write(String text, boolean fold) {
    String v = needsEncoding(text) ? encode(text) : text;
    return fold ? fold(v) : v;
  }

  /** {@code decoded} without any text of the shapes, and without white space at either end. */
  static String strip(String decoded, List<SubjectPrefix> shapes) {
    if (shapes.isEmpty()) {
      return decoded;
    }
    String s = decoded;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Seen seen = Seen.of(s);
      StringBuilder out = new StringBuilder(s.length());
      int from = 0;
      int at = 0;
      boolean found = false;
      while (true) {
        Matcher first = null;
        for (SubjectPrefix p : shapes) {
          Matcher m = p.shape().matcher(seen.text);
          if (m.find(at) && (first == null || m.start() < first.start())) {
            first = m;
          }
        }
        if (first == null) {
          break;
        }
        found = true;
        int start = seen.start[first.start()];
        int end = seen.end[first.end() - 1];
        join(out, s.substring(from, start));
        from = end;
        at = first.end();
      }
      if (!found) {
        return s.strip();
      }
      join(out, s.substring(from));
      s = out.toString();
    }
    return Seen.of(s).holdsAny(shapes) ? "" : s.strip();
  }

  /**
   * Appends {@code piece} to {@code out} where a shape was cut out: the white space on either side of the cut kept
   * once, none added (adding one could keep apart what was built to join into a shape: {@code [priv[privacy A]acy B]}).
   */
  private static void join(StringBuilder out, String piece) {
    boolean spaceBefore = out.length() == 0 || Character.isWhitespace(out.charAt(out.length() - 1));
    out.append(spaceBefore ? piece.stripLeading() : piece);
  }

  /** A Subject as a reader sees it, with where each of its characters came from in the decoded text. */
  private static final class Seen {
    final String text;
    /** For each character of {@link #text}: the index of the character it came from, and the end of that one. */
    final int[] start;
    final int[] end;

    private Seen(String text, int[] start, int[] end) {
      this.text = text;
      this.start = start;
      this.end = end;
    }

    static Seen of(String s) {
      StringBuilder text = new StringBuilder(s.length());
      int[] start = new int[s.length() * 2 + 4];
      int[] end = new int[start.length];
      for (int i = 0; i < s.length(); ) {
        int c = s.codePointAt(i);
        int next = i + Character.charCount(c);
        String seen;
        if (Character.getType(c) == Character.FORMAT) {
          seen = "";
        } else if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
          seen = " ";
        } else if (c < 0x80) {
          seen = String.valueOf((char) c);
        } else {
          seen = Normalizer.normalize(new String(Character.toChars(c)), Normalizer.Form.NFKC);
        }
        for (int k = 0; k < seen.length(); k++) {
          if (text.length() == start.length) {
            start = java.util.Arrays.copyOf(start, start.length * 2);
            end = java.util.Arrays.copyOf(end, end.length * 2);
          }
          start[text.length()] = i;
          end[text.length()] = next;
          text.append(seen.charAt(k));
        }
        i = next;
      }
      return new Seen(text.toString(), start, end);
    }

    boolean holdsAny(List<SubjectPrefix> shapes) {
      for (SubjectPrefix p : shapes) {
        if (p.shape().matcher(text).find()) {
          return true;
        }
      }
      return false;
    }
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code text} must be written as encoded words: it is not printable ASCII, or it holds what a reader
   * would decode ({@code =?...?=}, decoded once already).
   */
  private static boolean needsEncoding(String text) {
    return !isAscii(text) || text.contains("=?");
  }

  /** UTF-8 encoded words (B or Q, whichever is shorter), several separated by spaces where one would be too long. */
  private static String encode(String text) {
    return EncoderUtil.encodeEncodedWord(text, EncoderUtil.Usage.TEXT_TOKEN, 0, StandardCharsets.UTF_8, null);
  }

  /**
   * Folds {@code value} at spaces so that no line passes {@link #FOLD_AT} where a space allows it (the first line
   * counting {@code Subject: }); a word longer than a line stays whole.
   */
  static String fold(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    int lineLength = SUBJECT.length() + 2;
    int i = 0;
    while (i < value.length()) {
      int space = value.indexOf(' ', i + 1);
      int wordEnd = space < 0 ? value.length() : space;
      String word = value.substring(i, wordEnd);
      boolean startsWithSpace = word.startsWith(" ");
      if (startsWithSpace && lineLength + word.length() > FOLD_AT && lineLength > 1 && !word.isBlank()) {
        out.append("\r\n");
        lineLength = 0;
      }
      out.append(word);
      lineLength += word.length();
      i = wordEnd;
    }
    return out.toString();
  }
}
