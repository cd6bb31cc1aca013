package org.caliop.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.caliop.address.DomainName;

/**
 * Reads one RFC 8601 {@code Authentication-Results} value: {@code authserv-id [version]}, then {@code ;}-separated
 * {@code method[/version] = result [reason=...] [ptype.property=value ...]}, or {@code none}. Comments (nested,
 * with escapes) are skipped and quoted strings are single values (a {@code ;} or a {@code header.d=} inside one
 * is text, not syntax). Judges nothing: which fields to believe is {@link AuthResultsSelection}'s job. Never
 * throws; a value over 64 KiB is read up to that length.
 */
public final class AuthResultsParser {
  /** Longest value read; real ones are a few hundred bytes, the rest of a hostile one is ignored. */
  static final int MAX_VALUE_CHARS = 64 * 1024;

  private static final int WORD = 0;
  private static final int QUOTED = 1;
  private static final int EQUALS = 2;
  private static final int SEMICOLON = 3;

  private AuthResultsParser() {
  }

  /** One field read where it stood (see {@link AuthResultsHeader}). */
  public static AuthResultsHeader parse(String value, int occurrence, int receivedAbove) {
    if (value == null) {
      return AuthResultsHeader.unreadable(occurrence, receivedAbove);
    }
    String id = null;
    List<MethodResult> results = new ArrayList<>();
    try {
      List<List<Token>> segments = segments(tokens(value.length() > MAX_VALUE_CHARS
          ? value.substring(0, MAX_VALUE_CHARS) : value));
      for (int i = 0; i < segments.size(); i++) {
        List<Token> s = segments.get(i);
        if (i == 0 && !s.isEmpty() && (s.size() < 2 || s.get(1).type != EQUALS)) {
          // authserv-id [version]; a first piece that is already a result (no id, as Microsoft writes) has none
          id = s.get(0).text.toLowerCase(Locale.ROOT);
          continue;
        }
        MethodResult r = result(s);
        if (r != null) {
          results.add(r);
        }
      }
    } catch (RuntimeException e) {
      // a bug here must not cost the message; an unreadable field says nothing
      return AuthResultsHeader.of(null, List.of(), value, occurrence, receivedAbove);
    }
    return AuthResultsHeader.of(id, results, value, occurrence, receivedAbove);
  }

  /** A field on its own (tests, the CLI): the topmost occurrence, no {@code Received:} above. */
  public static AuthResultsHeader parse(String value) {
    return parse(value, 1, 0);
  }

  private static final class Token {
    final int type;
    final String text;

    Token(int type, String text) {
      this.type = type;
      this.text = text;
    }
  }

  private static List<Token> tokens(String v) {
    List<Token> out = new ArrayList<>();
    int n = v.length();
    int i = 0;
    while (i < n) {
      char c = v.charAt(i);
      if (c == '(') {
        i = skipComment(v, i);
      } else if (c == '"') {
        StringBuilder q = new StringBuilder();
        i++;
        while (i < n && v.charAt(i) != '"') {
          if (v.charAt(i) == '\\' && i + 1 < n) {
            i++;
          }
          q.append(v.charAt(i++));
        }
        i++;
        out.add(new Token(QUOTED, q.toString()));
      } else if (c == '=') {
        out.add(new Token(EQUALS, "="));
        i++;
      } else if (c == ';') {
        out.add(new Token(SEMICOLON, ";"));
        i++;
      } else if (c <= ' ') {
        i++;
      } else {
        int start = i;
        while (i < n && !isDelimiter(v.charAt(i))) {
          i++;
        }
        out.add(new Token(WORD, v.substring(start, i)));
      }
    }
    return out;
  }

  private static boolean isDelimiter(char c) {
    return c <= ' ' || c == '(' || c == '"' || c == '=' || c == ';';
  }

  /** The index after a comment starting at {@code start} (nested, with {@code \} escapes). */
  private static int skipComment(String v, int start) {
    int depth = 0;
    int i = start;
    int n = v.length();
    while (i < n) {
      char c = v.charAt(i++);
      if (c == '\\') {
        i++;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    return n;
  }

  private static List<List<Token>> segments(List<Token> tokens) {
    List<List<Token>> out = new ArrayList<>();
    List<Token> cur = new ArrayList<>();
    for (Token t : tokens) {
      if (t.type == SEMICOLON) {
        out.add(cur);
        cur = new ArrayList<>();
      } else {
        cur.add(t);
      }
    }
    out.add(cur);
    return out;
  }

  /** {@code method[/version] = result [name=value ...]}; null for {@code none}, noise, or a method we do not read. */
  private static MethodResult result(List<Token> s) {
    if (s.size() < 3 || s.get(0).type != WORD || s.get(1).type != EQUALS || s.get(2).type != WORD) {
      return null;
    }
    String method = s.get(0).text.toLowerCase(Locale.ROOT);
    int slash = method.indexOf('/');
    AuthMethod m = AuthMethod.fromToken(slash >= 0 ? method.substring(0, slash) : method);
    if (m == null) {
      return null;
    }
    String headerD = null;
    String headerI = null;
    String mailFrom = null;
    String helo = null;
    String headerFrom = null;
    for (int i = 3; i + 2 < s.size(); i++) {
      Token k = s.get(i);
      if (k.type != WORD || s.get(i + 1).type != EQUALS || s.get(i + 2).type == EQUALS) {
        continue;
      }
      String value = s.get(i + 2).text;
      switch (k.text.toLowerCase(Locale.ROOT)) {
        case "header.d":
          headerD = value;
          break;
        case "header.i":
          headerI = value;
          break;
        case "smtp.mailfrom":
          mailFrom = value;
          break;
        case "smtp.helo":
          helo = value;
          break;
        case "header.from":
          headerFrom = value;
          break;
        default:
          break;
      }
      i += 2;
    }
    String domain;
    switch (m) {
      case DKIM:
        domain = headerD != null ? headerD : afterAt(headerI);
        break;
      case SPF:
        domain = mailFrom != null ? afterAt(mailFrom) : helo;
        break;
      case DMARC:
        domain = headerFrom;
        break;
      default:
        domain = null;
        break;
    }
    return MethodResult.of(m, AuthResult.of(s.get(2).text), DomainName.canonical(domain));
  }

  /** The domain of {@code local@domain} or {@code @domain}; the value itself when it has no {@code @}. */
  private static String afterAt(String v) {
    if (v == null) {
      return null;
    }
    int at = v.lastIndexOf('@');
    return at >= 0 ? v.substring(at + 1) : v;
  }
}
