package org.caliop.received;

/**
 * Pull tokenizer for one {@code Received:} value. Produces words, {@code [literals]}, {@code <angle addrs>},
 * quoted strings and the punctuation that matters ({@code ( ) ; ,}); each token carries the comment depth it was
 * found at, so the parser decides meaning from context. Linear in the input, no recursion, no lists: a 10 MB value
 * or 100,000 nested parentheses cost one pass.
 *
 * <p>While it reads a token it also notes its shape (where its first {@code :}, {@code =}, {@code .}, {@code /}
 * and last {@code @} stand; whether it has only host-name or cipher-name characters), so the parser asks these
 * questions without reading the token again.
 */
final class ReceivedTokenizer {
  enum Kind { WORD, LITERAL, ANGLE, QUOTED, OPEN, CLOSE, SEMI, COMMA, EOF }

  /** Longest {@code [..]} or {@code <..>} taken as one token (a quoted string has no bound); beyond that the opener
   * is dropped. */
  private static final int MAX_ENCLOSED = 256;

  private static final int DELIMITER = 1;
  /** Letters, digits, {@code . - _}. */
  static final int HOST_CHARS = 2;
  /** A-Z, a-z. */
  static final int LETTER = 4;
  /** Upper-case letters, digits, {@code - _}. */
  static final int CIPHER_CHARS = 8;
  /** {@code -} or {@code _}. */
  static final int SEPARATOR = 16;
  private static final int MARK = 32;

  /** Character classes of ASCII; anything else is none of them. */
  private static final int[] CLASS = new int[128];

  static {
    for (int c = 0; c <= ' '; c++) {
      CLASS[c] = DELIMITER;
    }
    CLASS[0x7f] = DELIMITER;
    for (char c : "()[]<>;,\"".toCharArray()) {
      CLASS[c] = DELIMITER;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      CLASS[c] = HOST_CHARS | LETTER;
    }
    for (char c = 'A'; c <= 'Z'; c++) {
      CLASS[c] = HOST_CHARS | LETTER | CIPHER_CHARS;
    }
    for (char c = '0'; c <= '9'; c++) {
      CLASS[c] = HOST_CHARS | CIPHER_CHARS;
    }
    CLASS['-'] = HOST_CHARS | CIPHER_CHARS | SEPARATOR;
    CLASS['_'] = HOST_CHARS | CIPHER_CHARS | SEPARATOR;
    CLASS['.'] = HOST_CHARS | MARK;
    CLASS[':'] = MARK;
    CLASS['='] = MARK;
    CLASS['@'] = MARK;
    CLASS['/'] = MARK;
  }

  private final char[] s;
  private final int end;
  private int pos;
  private int depth;

  private Kind kind;
  private int start;
  private int stop;
  private int tokenDepth;

  // shape of the current token's text
  private int all;
  private int any;
  private int colon;
  private int eq;
  private int at;
  private int dot;
  private int slash;

  ReceivedTokenizer(char[] s, int from, int to) {
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

  /** Whether every character of the current token's text is in the class (HOST_CHARS, CIPHER_CHARS). */
  boolean all(int charClass) {
    return (all & charClass) != 0;
  }

  /** Whether some character of the current token's text is in the class (LETTER, SEPARATOR). */
  boolean any(int charClass) {
    return (any & charClass) != 0;
  }

  /** Offset of the first {@code :} in the current token's text, -1 when none. */
  int colon() {
    return colon;
  }

  /** Offset of the first {@code =}, -1 when none. */
  int equals() {
    return eq;
  }

  /** Offset of the last {@code @}, -1 when none. */
  int lastAt() {
    return at;
  }

  /** Offset of the first {@code .}, -1 when none. */
  int dot() {
    return dot;
  }

  /** Offset of the first {@code /}, -1 when none. */
  int slash() {
    return slash;
  }

  Kind next() {
    while (pos < end) {
      char c = s[pos];
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
          // A quoted string is read to its closing quote however long: what a client writes in it (a RCPT local
          // part Postfix copies into our own line's "for <...>") must never be read as words and comments, e.g.
          // "(using TLSv1.3 ...)". One scan: when no closing quote follows, no later '"' can open one either.
          int limit = c == '"' ? end : Math.min(end, pos + 1 + MAX_ENCLOSED);
          int j = pos + 1;
          resetShape();
          while (j < limit && s[j] != close) {
            note(s[j], j);
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
          return word();
      }
    }
    return set(Kind.EOF, pos, pos, depth);
  }

  /** A word from {@code pos}, its shape noted in locals (the common token: kept tight). */
  private Kind word() {
    char[] v = s;
    int from = pos;
    int p = from;
    int allOf = HOST_CHARS | CIPHER_CHARS;
    int anyOf = 0;
    boolean marks = false;
    while (p < end) {
      char w = v[p];
      int k = w < 128 ? CLASS[w] : 0;
      if ((k & DELIMITER) != 0) {
        break;
      }
      allOf &= k;
      anyOf |= k;
      marks |= (k & MARK) != 0;
      p++;
    }
    pos = p;
    resetShape();
    all = allOf;
    any = anyOf;
    if (marks) {
      for (int i = from; i < p; i++) {
        note(v[i], i);
      }
      all = allOf;
      any = anyOf;
    }
    return set(Kind.WORD, from, p, depth);
  }

  private void resetShape() {
    all = HOST_CHARS | CIPHER_CHARS;
    any = 0;
    colon = -1;
    eq = -1;
    at = -1;
    dot = -1;
    slash = -1;
  }

  private void note(char c, int i) {
    int k = c < 128 ? CLASS[c] : 0;
    all &= k;
    any |= k;
    if ((k & MARK) != 0) {
      switch (c) {
        case ':':
          if (colon < 0) {
            colon = i;
          }
          break;
        case '=':
          if (eq < 0) {
            eq = i;
          }
          break;
        case '@':
          at = i;
          break;
        case '.':
          if (dot < 0) {
            dot = i;
          }
          break;
        default:
          if (slash < 0) {
            slash = i;
          }
          break;
      }
    }
  }

  private Kind set(Kind k, int from, int to, int d) {
    kind = k;
    start = from;
    stop = to;
    tokenDepth = d;
    return k;
  }
}
