package org.caliop.auth;

import java.util.List;
import org.caliop.address.DomainName;

/**
 * The author's domain: the domain of the one address in the one {@code From:} field (RFC 5322 §3.6.2). Several
 * {@code From:} fields, several addresses in one, a group, or no {@code @} give none: whom DMARC, DKIM and SPF
 * alignment should speak for is then unknown, and nothing aligns.
 */
public final class FromDomain {
  private FromDomain() {
  }

  /**
   * @param fromValues the unfolded values of every top-level {@code From:} field
   * @return the canonical domain ({@link DomainName#canonical}), or null
   */
  public static String of(List<String> fromValues) {
    if (fromValues == null || fromValues.size() != 1 || fromValues.get(0) == null) {
      return null;
    }
    String address = address(fromValues.get(0));
    if (address == null) {
      return null;
    }
    int at = address.lastIndexOf('@');
    return at < 0 ? null : DomainName.canonical(address.substring(at + 1));
  }

  /**
   * The addr-spec: inside the one {@code <...>} when there is one, else the value, comments and quoted strings not
   * taken for syntax. Null for a list (a {@code ,} outside quotes and brackets), a group ({@code :}), or two
   * bracketed addresses.
   */
  private static String address(String v) {
    StringBuilder bare = new StringBuilder();
    String angle = null;
    StringBuilder inAngle = null;
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
        }
        continue;
      }
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
        if (inAngle != null) {
          inAngle.append(c);
        }
        continue;
      }
      if (c == '"') {
        quoted = true;
        if (inAngle != null) {
          inAngle.append(c);
        }
      } else if (c == '(') {
        depth = 1;
      } else if (c == '<') {
        if (angle != null || inAngle != null) {
          return null;
        }
        inAngle = new StringBuilder();
      } else if (c == '>') {
        if (inAngle == null) {
          return null;
        }
        angle = inAngle.toString();
        inAngle = null;
      } else if (inAngle != null) {
        inAngle.append(c);
      } else if (c == ',' || c == ':' || c == ';') {
        return null;
      } else if (c > ' ') {
        bare.append(c);
      }
    }
    String a = angle != null ? angle.trim() : bare.toString();
    return a.isEmpty() ? null : a;
  }
}
