package org.caliop.received;

/**
 * Pull tokenizer for one {@code Received:} value. Produces words, {@code [literals]}, {@code <angle addrs>},
 * quoted strings and the punctuation that matters ({@code ( ) ; ,}); each token carries the comment depth it was
 * found at, so the parser decides meaning from context. Linear in the input, no recursion, no lists: a 10 MB value
 * or 100,000 nested parentheses cost one pass.
 */
final class ReceivedTokenizer {
  enum Kind { WORD, LITERAL, ANGLE, QUOTED, OPEN, CLOSE, SEMI, COMMA, EOF }

  /** Longest {@code [..]}, {@code <..>} or {@code ".."} taken as one token; beyond that the opener is dropped. */
  private static final int MAX_ENCLOSED = 256;

  private final String s;
  private final int end;
  private int pos;
  private int depth;

  private Kind kind;
  private int start;
  private int stop;
  private int tokenDepth;

  ReceivedTokenizer(String s, int from, int to) {
    this.s = s;
    this.pos = from;
    this.end = to;
  }

  Kind kind() {
    return kind;
  }

  /** Comment depth of the current token: 0 outside comments; an OPEN has the depth it opens into. */
  int depth() {
    return tokenDepth;
  }

  /** Text of the current token (without brackets, angle brackets or quotes). */
  String text() {
    return s.substring(start, stop);
  }

  int length() {
    return stop - start;
  }

  /** Offset of the current token's text in the input (after any bracket, angle bracket or quote). */
  int start() {
    return start;
  }

  /** Offset just after the current token's text (before any closing bracket). */
  int end() {
    return stop;
  }

  /** Offset just after the current token in the input. */
  int position() {
    return pos;
  }

  Kind next() {
    while (pos < end) {
      char c = s.charAt(pos);
      if (c <= ' ' || c == 0x7f) {
        pos++;
        continue;
      }
      switch (c) {
        case '(':
          pos++;
          depth++;
          return set(Kind.OPEN, pos, pos, depth);
        case ')':
          pos++;
          if (depth > 0) {
            depth--;
            return set(Kind.CLOSE, pos, pos, depth + 1);
          }
          continue; // a stray ')' at the top level is noise
        case ';':
          pos++;
          return set(Kind.SEMI, pos, pos, depth);
        case ',':
          pos++;
          return set(Kind.COMMA, pos, pos, depth);
        case '[':
        case '<':
        case '"': {
          char close = c == '[' ? ']' : c == '<' ? '>' : '"';
          int limit = Math.min(end, pos + 1 + MAX_ENCLOSED);
          int j = pos + 1;
          while (j < limit && s.charAt(j) != close) {
            j++;
          }
          if (j < limit) {
            Kind k = c == '[' ? Kind.LITERAL : c == '<' ? Kind.ANGLE : Kind.QUOTED;
            int from = pos + 1;
            pos = j + 1;
            return set(k, from, j, depth);
          }
          pos++;
          continue; // unterminated: drop the opener, read on
        }
        case ']':
        case '>':
          pos++;
          continue;
        default:
          int from = pos;
          while (pos < end && !isDelimiter(s.charAt(pos))) {
            pos++;
          }
          return set(Kind.WORD, from, pos, depth);
      }
    }
    return set(Kind.EOF, pos, pos, depth);
  }

  /** Ends a word: blanks and controls, DEL, and {@code ()[]<>;,"}. */
  private static final boolean[] DELIMITER = new boolean[128];

  static {
    for (int c = 0; c <= ' '; c++) {
      DELIMITER[c] = true;
    }
    DELIMITER[0x7f] = true;
    for (char c : "()[]<>;,\"".toCharArray()) {
      DELIMITER[c] = true;
    }
  }

  private static boolean isDelimiter(char c) {
    return c < 128 && DELIMITER[c];
  }

  private Kind set(Kind k, int from, int to, int d) {
    kind = k;
    start = from;
    stop = to;
    tokenDepth = d;
    return k;
  }
}
