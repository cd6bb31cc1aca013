package org.caliop.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads RFC 8601 {@code Authentication-Results} values, believing only our own authserv-ids. Never throws.
 *
 * <p>Anyone can add an {@code Authentication-Results} header before a message reaches us, so only headers whose
 * authserv-id is one of ours count. When several of ours are present the topmost (newest) one that speaks of a
 * method wins for that method. Within one header: for dkim, {@code pass} if any signature passed, else the first
 * result; for spf, dmarc and arc, the first result.
 */
public final class AuthResultsParser {
  /** Longest value read; real ones are a few hundred bytes, the rest of a hostile one is ignored. */
  static final int MAX_VALUE_CHARS = 64 * 1024;

  private AuthResultsParser() {
  }

  /**
   * @param values unfolded header values, topmost first
   * @param trustedAuthservIds lower-case authserv-ids we trust; empty trusts none
   */
  public static AuthResults trusted(List<String> values, Set<String> trustedAuthservIds) {
    if (values == null || values.isEmpty() || trustedAuthservIds == null || trustedAuthservIds.isEmpty()) {
      return AuthResults.none();
    }
    String dkim = null;
    String spf = null;
    String dmarc = null;
    String arc = null;
    for (String value : values) {
      Parsed p;
      try {
        p = parse(value);
      } catch (RuntimeException e) {
        continue; // a bug here must not cost the message; an unreadable header says nothing
      }
      if (p.authservId == null || !trustedAuthservIds.contains(p.authservId)) {
        continue;
      }
      if (dkim == null) {
        dkim = p.dkim;
      }
      if (spf == null) {
        spf = p.spf;
      }
      if (dmarc == null) {
        dmarc = p.dmarc;
      }
      if (arc == null) {
        arc = p.arc;
      }
    }
    if (dkim == null && spf == null && dmarc == null && arc == null) {
      return AuthResults.none();
    }
    return AuthResults.of(dkim, spf, dmarc, arc);
  }

  /** One header read without judging trust: its authserv-id (lower case, null if missing) and results. */
  static Parsed parse(String value) {
    Parsed p = new Parsed();
    if (value == null) {
      return p;
    }
    List<String> segments = segments(value.length() > MAX_VALUE_CHARS ? value.substring(0, MAX_VALUE_CHARS) : value);
    if (segments.isEmpty()) {
      return p;
    }
    p.authservId = authservId(segments.get(0));
    for (int i = 1; i < segments.size(); i++) {
      result(segments.get(i), p);
    }
    return p;
  }

  static final class Parsed {
    String authservId;
    String dkim;
    String spf;
    String dmarc;
    String arc;
  }

  /**
   * Splits at {@code ;} outside comments and quoted strings, dropping comments (nested, with {@code \} escapes) and
   * unquoting quoted strings, so the pieces hold only tokens, {@code =} and {@code .}.
   */
  private static List<String> segments(String v) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder(v.length());
    int depth = 0;
    boolean quoted = false;
    for (int i = 0, n = v.length(); i < n; i++) {
      char c = v.charAt(i);
      if (depth > 0) {
        if (c == '\\') {
          i++;
        } else if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth--;
          if (depth == 0) {
            cur.append(' ');
          }
        }
        continue;
      }
      if (quoted) {
        if (c == '\\' && i + 1 < n) {
          cur.append(v.charAt(++i));
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
        continue;
      }
      switch (c) {
        case '(':
          depth = 1;
          break;
        case '"':
          quoted = true;
          break;
        case ';':
          out.add(cur.toString());
          cur.setLength(0);
          break;
        case '\r':
        case '\n':
        case '\t':
          cur.append(' ');
          break;
        default:
          cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  /** {@code authserv-id [version]}; a first piece that is already a result (no id, as Microsoft writes) gives null. */
  private static String authservId(String segment) {
    String s = segment.trim();
    if (s.isEmpty()) {
      return null;
    }
    int sp = 0;
    while (sp < s.length() && s.charAt(sp) > ' ') {
      sp++;
    }
    String id = s.substring(0, sp);
    if (id.indexOf('=') >= 0) {
      return null;
    }
    return id.toLowerCase(Locale.ROOT);
  }

  /** {@code method[/version] = result [reason=..] [ptype.property=value ...]}, or {@code none}. */
  private static void result(String segment, Parsed p) {
    int eq = segment.indexOf('=');
    if (eq <= 0) {
      return; // "none", or noise
    }
    String method = segment.substring(0, eq).trim().toLowerCase(Locale.ROOT);
    int slash = method.indexOf('/');
    if (slash >= 0) {
      method = method.substring(0, slash).trim();
    }
    int i = eq + 1;
    int n = segment.length();
    while (i < n && segment.charAt(i) <= ' ') {
      i++;
    }
    int start = i;
    while (i < n && isKeywordChar(segment.charAt(i))) {
      i++;
    }
    if (i == start) {
      return;
    }
    String result = segment.substring(start, i).toLowerCase(Locale.ROOT);
    switch (method) {
      case "dkim":
        if (p.dkim == null || "pass".equals(result)) {
          p.dkim = result;
        }
        break;
      case "spf":
        if (p.spf == null) {
          p.spf = result;
        }
        break;
      case "dmarc":
        if (p.dmarc == null) {
          p.dmarc = result;
        }
        break;
      case "arc":
        if (p.arc == null) {
          p.arc = result;
        }
        break;
      default:
        break;
    }
  }

  private static boolean isKeywordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }
}
