package org.caliop.received;

import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Set;
import org.caliop.hop.Hop;
import org.caliop.hop.IpAddress;
import org.caliop.hop.TlsVersion;
import org.caliop.hop.Trust;
import org.caliop.received.ReceivedTokenizer.Kind;

/**
 * The state machine behind {@link ReceivedParser}: one instance per value, used once. Clause keywords at comment
 * depth 0 switch the state; the first value after a keyword is that clause's value (the first of each clause wins:
 * {@code via smail from stdin} does not replace the sender); comments after {@code from} are the TCP-info (reverse
 * name, IP, HELO, ident); TLS and authentication remarks are read in comments wherever they stand.
 */
final class ReceivedReader {
  private enum State { NONE, FROM, BY, VIA, WITH, ID, FOR, IGNORE }

  private static final Set<String> PROTOCOLS = Set.of("SMTP", "ESMTP", "ESMTPA", "ESMTPS", "ESMTPSA", "LMTP",
      "LMTPA", "LMTPS", "LMTPSA", "UTF8SMTP", "UTF8SMTPA", "UTF8SMTPS", "UTF8SMTPSA", "UTF8LMTP", "UTF8LMTPA",
      "UTF8LMTPS", "UTF8LMTPSA", "SMTPS", "HTTP", "HTTPS", "IMAP", "IMAPS", "POP3", "POP3S", "MAPI", "LOCAL");

  /** Longer tokens are noise (a host name is at most 253 characters). */
  private static final int MAX_WORD_CHARS = 512;

  private final String s;

  private State state = State.NONE;
  private boolean valueTaken;
  private int withWords;
  private int seen; // bit per clause keyword met
  private int fromComments;
  private boolean commentFirst;
  private boolean tlsMarker;
  private boolean heloPending;
  private String prevWord;
  private String prevTopWord;
  private boolean transparent;
  private int commentWords;
  private String commentOnlyWord;
  private boolean bareTls;

  private String fromHost;
  private String fromIp;
  private String fromRdns;
  private String helo;
  private String byHost;
  private String protocol;
  private TlsVersion tlsVersion;
  private String tlsCipher;
  private String id;
  private String forAddress;
  private boolean authenticated;

  ReceivedReader(String s) {
    this.s = s;
  }

  Hop read() {
    int len = s.length();
    int semi = lastTopLevelSemicolon();
    int clauseEnd = Math.min(semi >= 0 ? semi : len, ReceivedParser.MAX_CLAUSE_CHARS);
    transparent = startsWithCommentedFrom();
    run(new ReceivedTokenizer(s, 0, clauseEnd));

    OffsetDateTime date = null;
    if (semi >= 0) {
      LenientDate.Result r = LenientDate.parse(s, semi + 1, Math.min(len, semi + 1 + ReceivedParser.MAX_DATE_CHARS));
      date = r.date;
      if (date != null && r.end < len) {
        // words after the date ("...; Thu, 20 Mar 03 10:06:43 +0100 for <x>") still count
        state = State.NONE;
        transparent = false;
        run(new ReceivedTokenizer(s, r.end, Math.min(len, r.end + ReceivedParser.MAX_DATE_CHARS)));
      }
    }
    if (bareTls && tlsVersion == null && tlsCipher == null && ("SMTP".equals(protocol) || "ESMTP".equals(protocol))) {
      protocol = "ESMTPS"; // TLS said, version not: the protocol carries it (Hop.saysTls)
    }
    boolean parsed = fromHost != null || fromIp != null || fromRdns != null || helo != null || byHost != null
        || protocol != null || tlsVersion != null || tlsCipher != null || id != null || forAddress != null
        || date != null;
    return Hop.builder(Trust.CLAIMED).raw(s).parsed(parsed).fromHost(fromHost).fromIp(fromIp).fromRdns(fromRdns)
        .helo(helo).byHost(byHost).protocol(protocol).tlsVersion(tlsVersion).tlsCipher(tlsCipher).id(id)
        .forAddress(forAddress).date(date).authenticated(authenticated).build();
  }

  /** The date follows the last {@code ;} outside comments. */
  private int lastTopLevelSemicolon() {
    int depth = 0;
    int last = -1;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        if (depth > 0) {
          depth--;
        }
      } else if (c == ';' && depth == 0) {
        last = i;
      }
    }
    return last;
  }

  /** {@code (from host [ip]) by ...}: some MTAs put the whole from clause in parentheses. */
  private boolean startsWithCommentedFrom() {
    int i = 0;
    int n = Math.min(s.length(), 64);
    while (i < n && s.charAt(i) <= ' ') {
      i++;
    }
    if (i >= n || s.charAt(i) != '(') {
      return false;
    }
    i++;
    while (i < n && s.charAt(i) <= ' ') {
      i++;
    }
    return i + 5 <= n && s.regionMatches(true, i, "from", 0, 4) && s.charAt(i + 4) <= ' ';
  }

  private void run(ReceivedTokenizer t) {
    boolean inTransparent = false;
    Kind k;
    while ((k = t.next()) != Kind.EOF) {
      int d = t.depth();
      if (transparent) {
        if (k == Kind.OPEN && d == 1 && !inTransparent) {
          inTransparent = true;
          continue;
        }
        if (inTransparent && k == Kind.CLOSE && d == 1) {
          inTransparent = false;
          transparent = false;
          continue;
        }
        if (inTransparent) {
          d--;
        }
      }
      switch (k) {
        case OPEN:
          if (d == 1) {
            if (state == State.FROM) {
              fromComments++;
            }
            commentFirst = true;
            tlsMarker = false;
            heloPending = false;
            prevWord = null;
            commentWords = 0;
            commentOnlyWord = null;
          } else {
            commentFirst = false;
          }
          continue;
        case CLOSE:
          if (d == 1 && commentWords == 1 && "TLS".equalsIgnoreCase(commentOnlyWord)) {
            bareTls = true; // Exchange 2010: "with Microsoft SMTP Server (TLS)"
          }
          commentFirst = false;
          heloPending = false;
          continue;
        case SEMI:
        case COMMA:
          commentFirst = false;
          continue;
        default:
          break;
      }
      if (t.length() > MAX_WORD_CHARS) {
        prevWord = null;
        prevTopWord = null;
        continue; // no host, id or cipher is this long: noise, and not worth a copy
      }
      String text = t.text();
      if (d == 0) {
        topLevel(k, text);
      } else {
        inComment(k, text, d);
      }
    }
  }

  private void topLevel(Kind k, String text) {
    if (k == Kind.WORD) {
      State kw = keyword(text);
      if (kw != null) {
        int bit = 1 << kw.ordinal();
        if ((seen & bit) != 0) {
          state = State.IGNORE;
        } else {
          seen |= bit;
          state = kw;
          valueTaken = false;
          withWords = 0;
        }
        prevTopWord = text;
        return;
      }
      if (text.equalsIgnoreCase("encrypted") && prevTopWord != null && cipherLike(prevTopWord)) {
        setCipher(prevTopWord); // MessageLabs: "with AES256-GCM-SHA384 encrypted SMTP"
      } else if (prevTopWord != null && prevTopWord.equalsIgnoreCase("tls") && cipherLike(text)) {
        setCipher(text); // Exim 4.9x: "with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384"
      }
      prevTopWord = text;
    } else {
      prevTopWord = null;
    }
    switch (state) {
      case FROM:
        fromValue(k, text);
        break;
      case BY:
        if (!valueTaken) {
          valueTaken = true;
          if (k == Kind.WORD || k == Kind.ANGLE) {
            byHost = text;
          } else if (k == Kind.LITERAL) {
            String ip = literalIp(text);
            byHost = ip != null ? ip : hostLike(text) ? text : null;
          }
        }
        break;
      case ID:
        if (!valueTaken) {
          valueTaken = true;
          if (k != Kind.LITERAL) {
            id = text.trim();
          }
        }
        break;
      case FOR:
        if (!valueTaken) {
          valueTaken = true;
          if (k == Kind.WORD || k == Kind.ANGLE || k == Kind.QUOTED) {
            forAddress = text.trim();
          }
        }
        break;
      case WITH:
        if (protocol == null && withWords < 3) {
          withWords++;
          if (k == Kind.WORD) {
            protocol(text);
          } else if (k == Kind.LITERAL) {
            for (String part : text.split(" ", 8)) {
              if (protocol(part)) {
                break;
              }
            }
          }
        }
        break;
      default:
        break;
    }
  }

  private void fromValue(Kind k, String text) {
    if (!valueTaken) {
      valueTaken = true;
      if (k == Kind.WORD) {
        int slash = text.indexOf('/');
        String host = slash > 0 ? text.substring(0, slash) : text;
        fromHost = host;
      } else if (k == Kind.LITERAL) {
        fromHost = literalIp(text); // "from [1.2.3.4]": what the client said; the TCP address is in the comment
      }
      return;
    }
    if (k == Kind.LITERAL && fromIp == null) {
      fromIp = literalIp(text); // "from host [1.2.3.4] by" (Exim 3, MDaemon, fetchmail)
    }
  }

  private void inComment(Kind k, String text, int d) {
    if (d == 1) {
      commentWords++;
      commentOnlyWord = k == Kind.WORD ? text : null;
    }
    if (k == Kind.WORD) {
      tlsWord(text);
      authWord(text);
    }
    if (state == State.FROM && d == 1) {
      fromComment(k, text);
    }
    commentFirst = false;
    prevWord = k == Kind.WORD ? text : null;
  }

  /** The TCP-info after {@code from}: reverse name, IP, HELO, ident. */
  private void fromComment(Kind k, String text) {
    if (heloPending) {
      heloPending = false;
      if (k == Kind.WORD) {
        helo = text;
      } else if (k == Kind.LITERAL) {
        String ip = literalIp(text);
        helo = ip != null ? ip : text;
      }
      return;
    }
    if (k == Kind.WORD) {
      if (text.equalsIgnoreCase("HELO") || text.equalsIgnoreCase("EHLO") || text.equalsIgnoreCase("LHLO")) {
        heloPending = true;
        return;
      }
      if (text.length() >= 5 && text.charAt(4) == '=' && text.regionMatches(true, 0, "helo=", 0, 5)) {
        if (text.length() > 5) {
          helo = text.substring(5);
        } else {
          heloPending = true;
        }
        return;
      }
      if (commentFirst && text.equalsIgnoreCase("account")) {
        authenticated = true; // CommuniGate Pro: "(account user [ip] verified)"
        return;
      }
      String ip = literalIp(text);
      if (ip != null) {
        if (fromIp == null) {
          fromIp = ip;
        }
        return;
      }
      int at = text.lastIndexOf('@');
      if (at >= 0) {
        // ident@ip (qmail, Sendmail); the address after '@' is the peer's
        String after = literalIp(text.substring(at + 1));
        if (after != null && fromIp == null) {
          fromIp = after;
        }
        return;
      }
      if (commentFirst && fromComments == 1 && fromRdns == null && hostLike(text)) {
        fromRdns = text;
      }
    } else if (k == Kind.LITERAL) {
      String ip = literalIp(text);
      if (ip != null && fromIp == null) {
        fromIp = ip;
      }
    } else if (k == Kind.ANGLE) {
      if (commentFirst && fromComments == 1 && fromRdns == null && hostLike(text)) {
        fromRdns = text; // "(<unknown.domain>[12.211.5.69])"
      }
    } else if (k == Kind.QUOTED && helo == null && text.length() > 5 && text.charAt(4) == ' ') {
      String cmd = text.substring(0, 4);
      if (cmd.equalsIgnoreCase("EHLO") || cmd.equalsIgnoreCase("HELO") || cmd.equalsIgnoreCase("LHLO")) {
        String h = text.substring(5).trim();
        helo = h.isEmpty() ? null : h; // ZMailer (vger.kernel.org): ([ip]:port "EHLO name" rhost-flags-...)
      }
    }
  }

  private void tlsWord(String w) {
    int colon = w.indexOf(':');
    if (colon > 0 && startsWithTls(w)) {
      // Exim: "TLSv1:DES-CBC3-SHA:168", "TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256"
      TlsVersion v = TlsVersion.parse(w.substring(0, colon)).orElse(null);
      if (v != null) {
        setVersion(v);
        int next = w.indexOf(':', colon + 1);
        String c = w.substring(colon + 1, next > 0 ? next : w.length());
        if (cipherLike(c)) {
          setCipher(c);
        }
        return;
      }
      if (w.equalsIgnoreCase("TLS:")) {
        tlsMarker = true; // Courier: "(TLS: TLSv1/SSLv3, 168bits,DES-CBC3-SHA)"
        return;
      }
    }
    if (w.equalsIgnoreCase("encrypted") && prevWord != null && cipherLike(prevWord)) {
      setCipher(prevWord); // qmail TLS patch: "with (DHE-RSA-AES256-GCM-SHA384 encrypted) SMTP"
      return;
    }
    if (prevWord != null && (prevWord.equalsIgnoreCase("cipher") || prevWord.equalsIgnoreCase("tls_cipher"))) {
      setCipher(w); // Postfix: "using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384"
      return;
    }
    int eq = w.indexOf('=');
    if (eq > 0) {
      // Sendmail, Gmail, Microsoft, OpenSMTPD: "version=TLS1_2 cipher=..."
      String key = w.substring(0, eq);
      String val = w.substring(eq + 1);
      if (key.equalsIgnoreCase("version")) {
        TlsVersion.parse(val).ifPresent(this::setVersion);
      } else if (key.equalsIgnoreCase("cipher")) {
        setCipher(val);
      }
      return;
    }
    if (startsWithTls(w)) {
      TlsVersion v = TlsVersion.parse(w).orElse(null);
      if (v != null) {
        setVersion(v);
        return;
      }
    }
    if (tlsMarker && cipherLike(w)) {
      setCipher(w);
    }
  }

  private void authWord(String w) {
    if (w.equalsIgnoreCase("authenticated")) {
      if (prevWord == null || !(prevWord.equalsIgnoreCase("not") || prevWord.equalsIgnoreCase("un"))) {
        authenticated = true; // Postfix "(Authenticated sender: x)", Sendmail "(authenticated bits=0)"
      }
    } else if (w.equalsIgnoreCase("AUTH:")) {
      authenticated = true; // Courier
    } else if (prevWord != null && prevWord.equalsIgnoreCase("with") && (w.equalsIgnoreCase("plain")
        || w.equalsIgnoreCase("login") || w.equalsIgnoreCase("cram-md5"))) {
      authenticated = true; // qmail-smtpd auth patch: "(user@1.2.3.4 with login)"
    }
  }

  private boolean protocol(String word) {
    int slash = word.indexOf('/');
    String p = (slash > 0 ? word.substring(0, slash) : word).toUpperCase(Locale.ROOT);
    if (p.startsWith("LOCAL-") && p.length() > 6) {
      p = p.substring(6); // Exim: local-esmtp, local-esmtps, local-bsmtp
    }
    switch (p) {
      case "SMTPSVC":
      case "BSMTP":
        p = "SMTP";
        break;
      case "ESMTP-TLS":
        p = "ESMTPS";
        break;
      case "HTTPREST":
        p = "HTTP";
        break;
      default:
        break;
    }
    if (!PROTOCOLS.contains(p)) {
      return false;
    }
    protocol = p;
    if (p.endsWith("A") && p.contains("MTP")) {
      authenticated = true;
    }
    if (slash < 0) {
      return true;
    }
    // "ESMTP/TLS/DHE-RSA-AES256-GCM-SHA384"
    String[] original = word.split("/", 4);
    for (int i = 1; i < original.length; i++) {
      if (startsWithTls(original[i]) && TlsVersion.parse(original[i]).isPresent()) {
        setVersion(TlsVersion.parse(original[i]).get());
      } else if (cipherLike(original[i])) {
        setCipher(original[i]);
      }
    }
    return true;
  }

  private void setVersion(TlsVersion v) {
    if (tlsVersion == null) {
      tlsVersion = v;
    }
  }

  private void setCipher(String c) {
    if (tlsCipher == null && !c.isEmpty() && !c.equalsIgnoreCase("OTHER") && c.length() <= 100) {
      tlsCipher = c;
    }
  }

  private static State keyword(String w) {
    switch (w.length()) {
      case 2:
        if (w.equalsIgnoreCase("by")) {
          return State.BY;
        }
        return w.equalsIgnoreCase("id") ? State.ID : null;
      case 3:
        if (w.equalsIgnoreCase("via")) {
          return State.VIA;
        }
        return w.equalsIgnoreCase("for") ? State.FOR : null;
      case 4:
        if (w.equalsIgnoreCase("from")) {
          return State.FROM;
        }
        return w.equalsIgnoreCase("with") ? State.WITH : null;
      default:
        return null;
    }
  }

  private static boolean startsWithTls(String w) {
    if (w.length() < 4) {
      return false;
    }
    char c = w.charAt(0);
    if (c == 'T' || c == 't') {
      return w.regionMatches(true, 1, "LS", 0, 2);
    }
    return (c == 'S' || c == 's') && w.regionMatches(true, 1, "SL", 0, 2);
  }

  /** An IP in a literal or word: {@code 1.2.3.4}, {@code IPv6:::1}, {@code (1.2.3.4)}, {@code 1.2.3.4:port}. */
  static String literalIp(String text) {
    String t = text.trim();
    if (t.length() > 2 && t.charAt(0) == '(' && t.charAt(t.length() - 1) == ')') {
      t = t.substring(1, t.length() - 1).trim();
    }
    if (t.isEmpty() || t.length() > 64) {
      return null;
    }
    char c = t.charAt(0);
    if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F') && c != ':' && c != 'I'
        && c != 'i') {
      return null;
    }
    int colon = t.indexOf(':');
    if (colon > 0 && t.indexOf('.') > 0 && t.indexOf('.') < colon && t.indexOf(':', colon + 1) < 0) {
      t = t.substring(0, colon); // 1.2.3.4:port
    }
    return IpAddress.canonical(t);
  }

  /** A host name as it stands in TCP-info: has a dot, only name characters, not an address. */
  static boolean hostLike(String w) {
    int n = w.length();
    if (n < 3 || n > 253 || w.indexOf('.') <= 0) {
      return false;
    }
    boolean letter = false;
    for (int i = 0; i < n; i++) {
      char c = w.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        letter = true;
      } else if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_')) {
        return false;
      }
    }
    return letter;
  }

  /** An OpenSSL/IANA cipher name: upper case, digits, '-' or '_' (DES-CBC3-SHA, TLS_AES_256_GCM_SHA384). */
  static boolean cipherLike(String w) {
    int n = w.length();
    if (n < 6 || n > 100) {
      return false;
    }
    boolean sep = false;
    for (int i = 0; i < n; i++) {
      char c = w.charAt(i);
      if (c == '-' || c == '_') {
        sep = true;
      } else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return sep;
  }
}
