package org.caliop.received;

import java.time.OffsetDateTime;
import java.util.Locale;
import org.caliop.hop.Hop;
import org.caliop.hop.Protocol;
import org.caliop.hop.TlsVersion;
import org.caliop.hop.Trust;
import org.caliop.received.ReceivedTokenizer.Kind;

/**
 * The state machine behind {@link ReceivedParser}: one instance per value, used once. Clause keywords at comment
 * depth 0 switch the state; the first value after a keyword is that clause's value (the first of each clause wins:
 * {@code via smail from stdin} does not replace the sender); comments after {@code from} are the TCP-info (reverse
 * name, IP, HELO, ident); TLS remarks are read in comments wherever they stand, authentication remarks only before
 * {@code by} (where every MTA writes them).
 *
 * <p>The value is read from one {@code char[]} copy; tokens are looked at where they stand (offsets, no copies), and a
 * string is made only for what ends up in the hop. Case-insensitive comparisons take an ASCII path and fall back to
 * {@link String#regionMatches} on any other character, so the results are exactly those of
 * {@link String#equalsIgnoreCase}.
 */
final class ReceivedReader {
  private enum State { NONE, FROM, BY, VIA, WITH, ID, FOR, IGNORE }

  /** Longer tokens are noise (a host name is at most 253 characters). */
  private static final int MAX_WORD_CHARS = 512;

  private final String s;
  /** The characters of {@code s}: array reads, where {@code String.charAt} checks the coder each time. */
  private final char[] c;
  private ReceivedTokenizer tok;

  private State state = State.NONE;
  private boolean valueTaken;
  private int withWords;
  private int seen; // bit per clause keyword met
  private int fromComments;
  private boolean commentFirst;
  private boolean tlsMarker;
  private boolean heloPending;
  // previous word in a comment, previous top-level word, the only word of a comment: offsets, -1 when none
  private int prevWordB = -1;
  private int prevWordE;
  private int prevTopB = -1;
  private int prevTopE;
  private boolean transparent;
  private int commentWords;
  private int commentOnlyB = -1;
  private int commentOnlyE;
  private boolean bareTls;
  /** A top-level {@code claiming to be} was read after {@code from}: the next quoted string is the HELO. */
  private int claimingWords;
  /** The comment's first word was {@code localhost}: it is the reverse name when an address follows. */
  private boolean localhostPending;
  /** Where a date may start in a value with no top-level {@code ;} (SendGrid, some relays); -1 when none. */
  private final int[] dateStarts = new int[4];
  private int dateStartCount;

  private String fromHost;
  /** The from-host is an address (a literal or a bare address word), canonical in {@code fromHost}. */
  private boolean fromLiteral;
  private String fromIp;
  /** The first address the TCP-info comment of the from clause names. */
  private String commentIp;
  /** An address literal after the from value and before any comment ({@code from host [1.2.3.4] by}). */
  private String valueLiteralIp;
  /** An address literal after a comment of the from clause ({@code from rdns (helo) [1.2.3.4]}, Exim 3). */
  private String trailingLiteralIp;
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
    this.c = s.toCharArray();
  }

  Hop read() {
    int len = s.length();
    int semi = lastTopLevelSemicolon();
    int clauseEnd = Math.min(semi >= 0 ? semi : len, ReceivedParser.MAX_CLAUSE_CHARS);
    transparent = startsWithCommentedFrom();
    run(new ReceivedTokenizer(c, 0, clauseEnd));

    OffsetDateTime date = null;
    if (semi < 0) {
      date = dateWithoutSemicolon(len);
    } else {
      LenientDate d = new LenientDate(c);
      date = d.parse(semi + 1, Math.min(len, semi + 1 + ReceivedParser.MAX_DATE_CHARS));
      if (date != null && d.end() < len) {
        // words after the date ("...; Thu, 20 Mar 03 10:06:43 +0100 for <x>") still count
        state = State.NONE;
        transparent = false;
        run(new ReceivedTokenizer(c, d.end(), Math.min(len, d.end() + ReceivedParser.MAX_DATE_CHARS)));
      }
    }
    fromIp = clientAddress();
    if (fromIp == null && fromHost != null && fromLiteral && !clientAmbiguous()) {
      // "from [192.0.2.1] (HELO x) by", "from 192.0.2.1 by ... with HTTP": with no TCP-info address, the address the
      // writer names as the sender is the client's (CommuniGate, qmail-ldap, 1&1, Hotmail, Yahoo, Exim's [ip])
      fromIp = fromHost;
    }
    if (bareTls && tlsVersion == null && tlsCipher == null && ("SMTP".equals(protocol) || "ESMTP".equals(protocol))) {
      protocol = "ESMTPS"; // TLS said, version not: the protocol carries it (Hop.saysTls)
    }
    boolean parsed = fromHost != null || fromIp != null || fromRdns != null || helo != null || byHost != null
        || protocol != null || tlsVersion != null || tlsCipher != null || id != null || forAddress != null
        || date != null;
    // no sending host at all ("(qmail 123 invoked from network)", "(majordomo@x) by x via listexpand"), or a local
    // user ("(from daemon@localhost) by x (8.12.11/Submit)"): the writer handed the message to itself
    boolean localInjection = parsed && fromHost == null && fromIp == null && fromRdns == null && helo == null
        && (seen & (1 << State.FROM.ordinal())) == 0
        || parsed && fromIp == null && fromHost != null && endsWithAtLocalhost(fromHost);
    return Hop.builder(Trust.CLAIMED).raw(s).parsed(parsed).fromHost(fromHost).fromIp(fromIp).fromRdns(fromRdns)
        .helo(helo).byHost(byHost).protocol(protocol).tls(bareTls).tlsVersion(tlsVersion).tlsCipher(tlsCipher).id(id)
        .forAddress(forAddress).date(date).authenticated(authenticated).localInjection(localInjection).build();
  }

  /**
   * The peer's address among those the from clause names. The TCP-info comment wins over a literal written next to
   * the from value: Postfix and Sendmail write the client's HELO there verbatim, so {@code EHLO x[10.0.0.5]} gives
   * {@code from x[10.0.0.5] (unknown [198.51.100.7])}. A literal after the comment is the peer's only in Exim 3's
   * {@code from rdns (helo) [ip]}, where the comment holds the HELO: when the comment names another address as well,
   * the line does not say which one the writer saw, and the client is unknown rather than whichever a sender chose.
   */
  private String clientAddress() {
    if (clientAmbiguous()) {
      return null;
    }
    if (commentIp != null) {
      return commentIp;
    }
    return trailingLiteralIp != null ? trailingLiteralIp : valueLiteralIp;
  }

  /** The from clause names two different addresses, and its form does not say which is the peer's. */
  private boolean clientAmbiguous() {
    return commentIp != null && trailingLiteralIp != null && !commentIp.equals(trailingLiteralIp);
  }

  /** The date follows the last {@code ;} outside comments. */
  private int lastTopLevelSemicolon() {
    int depth = 0;
    int last = -1;
    char[] v = c;
    for (int i = 0; i < v.length; i++) {
      char x = v[i];
      if (x > ';') {
        continue; // letters and most punctuation: not one of ( ) ;
      }
      if (x == '(') {
        depth++;
      } else if (x == ')') {
        if (depth > 0) {
          depth--;
        }
      } else if (x == ';' && depth == 0) {
        last = i;
      }
    }
    return last;
  }

  /**
   * The date of a value that has no top-level {@code ;}: SendGrid writes {@code ... id X 2018-04-22 02:54:17.02 +0000
   * UTC}, some relays {@code ... id X Fri, 14 Sep 2018 09:07:53 +0000}. The first place after a clause value where a
   * date reads whole is taken; a place where none reads gives nothing, never a guess.
   */
  private OffsetDateTime dateWithoutSemicolon(int len) {
    for (int i = 0; i < dateStartCount; i++) {
      int start = dateStarts[i];
      LenientDate d = new LenientDate(c);
      OffsetDateTime date = d.parse(start, Math.min(len, start + ReceivedParser.MAX_DATE_CHARS));
      if (date != null) {
        return date;
      }
    }
    return null;
  }

  /** {@code (from host [ip]) by ...}: some MTAs put the whole from clause in parentheses. */
  private boolean startsWithCommentedFrom() {
    int i = 0;
    int n = Math.min(s.length(), 64);
    while (i < n && c[i] <= ' ') {
      i++;
    }
    if (i >= n || c[i] != '(') {
      return false;
    }
    i++;
    while (i < n && c[i] <= ' ') {
      i++;
    }
    return i + 5 <= n && s.regionMatches(true, i, "from", 0, 4) && c[i + 4] <= ' ';
  }

  private void run(ReceivedTokenizer t) {
    tok = t;
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
            prevWordB = -1;
            commentWords = 0;
            commentOnlyB = -1;
          } else {
            commentFirst = false;
          }
          continue;
        case CLOSE:
          if (d == 1 && commentWords == 1 && commentOnlyB >= 0 && is(commentOnlyB, commentOnlyE, "tls")) {
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
        prevWordB = -1;
        prevTopB = -1;
        continue; // no host, id or cipher is this long: noise, and not worth a copy
      }
      if (d == 0) {
        topLevel(k, t.start(), t.end());
      } else {
        inComment(k, t.start(), t.end(), d);
      }
    }
  }

  private void topLevel(Kind k, int b, int e) {
    if (k == Kind.WORD) {
      State kw = keyword(b, e);
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
        prevTopB = b;
        prevTopE = e;
        return;
      }
      noteDateStart(b, e);
      if (state == State.FROM && valueTaken) {
        claiming(b, e);
      }
      if (is(b, e, "channel") && prevTopB >= 0 && is(prevTopB, prevTopE, "secured")) {
        bareTls = true; // Hotmail: "by COL004-MC4F44.hotmail.com over TLS secured channel with Microsoft SMTPSVC"
      }
      if (is(b, e, "encrypted") && prevTopB >= 0 && WordShapes.cipherLike(c, prevTopB, prevTopE)) {
        setCipher(prevTopB, prevTopE); // MessageLabs: "with AES256-GCM-SHA384 encrypted SMTP"
      } else if (prevTopB >= 0 && is(prevTopB, prevTopE, "tls") && tokenCipherLike(b, e)) {
        setCipher(b, e); // Exim 4.9x: "with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384"
      }
      prevTopB = b;
      prevTopE = e;
    } else {
      prevTopB = -1;
    }
    switch (state) {
      case FROM:
        fromValue(k, b, e);
        break;
      case BY:
        if (!valueTaken) {
          valueTaken = true;
          if (k == Kind.WORD || k == Kind.ANGLE) {
            byHost = s.substring(b, e);
          } else if (k == Kind.LITERAL) {
            String ip = literalIp(b, e);
            byHost = ip != null ? ip : WordShapes.hostLike(c, b, e) ? s.substring(b, e) : null;
          }
        }
        break;
      case ID:
        if (!valueTaken) {
          valueTaken = true;
          if (k != Kind.LITERAL) {
            id = trimmed(b, e);
          }
        }
        break;
      case FOR:
        if (!valueTaken) {
          valueTaken = true;
          if (k == Kind.WORD || k == Kind.ANGLE || k == Kind.QUOTED) {
            forAddress = trimmed(b, e);
          }
        }
        break;
      case WITH:
        if (protocol == null && withWords < 3) {
          withWords++;
          if (k == Kind.WORD) {
            protocol(s.substring(b, e));
          } else if (k == Kind.LITERAL) {
            for (String part : s.substring(b, e).split(" ", 8)) {
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

  private void fromValue(Kind k, int b, int e) {
    if (!valueTaken) {
      valueTaken = true;
      if (k == Kind.WORD) {
        int slash = tok.slash();
        int end = slash > b ? slash : e;
        String ip = (tok.dot() >= 0 || tok.colon() >= 0) && isLiteralIp(b, end) ? literalIp(b, end) : null;
        fromLiteral = ip != null;
        fromHost = ip != null ? ip : s.substring(b, end); // "from 192.0.2.1 by ... with HTTP" (Hotmail)
      } else if (k == Kind.LITERAL) {
        fromHost = literalIp(b, e); // "from [1.2.3.4]": the TCP address when no comment names another
        fromLiteral = fromHost != null;
      }
      return;
    }
    if (k == Kind.LITERAL && fromComments == 0 && valueLiteralIp == null) {
      valueLiteralIp = literalIp(b, e); // "from host [1.2.3.4] by" (MDaemon, fetchmail)
    } else if (k == Kind.LITERAL && fromComments > 0 && trailingLiteralIp == null) {
      trailingLiteralIp = literalIp(b, e); // "from host (helo) [1.2.3.4] by" (Exim 3)
    } else if (k == Kind.QUOTED && claimingWords == 3 && helo == null) {
      // "from host(192.0.2.1), claiming to be \"helo\" via SMTP by ..." (Obtuse smtpd, TIS smap)
      String h = trimmed(b, e);
      String ip = h.length() > 2 && h.charAt(0) == '[' && h.charAt(h.length() - 1) == ']'
          ? WordShapes.literalIp(h.substring(1, h.length() - 1)) : literalIp(b, e);
      helo = ip != null ? ip : h.isEmpty() ? null : h;
      claimingWords = 0;
    }
  }

  /** Sendmail's local submission {@code (from user@localhost) by host (8.x/Submit)}: a user, not a host. */
  private static boolean endsWithAtLocalhost(String from) {
    int n = from.length();
    return n > 10 && from.regionMatches(true, n - 10, "@localhost", 0, 10);
  }

  /** Counts the words of {@code claiming to be} in the from clause. */
  private void claiming(int b, int e) {
    if (is(b, e, "claiming")) {
      claimingWords = 1;
    } else if (claimingWords == 1 && is(b, e, "to")) {
      claimingWords = 2;
    } else if (claimingWords == 2 && is(b, e, "be")) {
      claimingWords = 3;
    } else {
      claimingWords = 0;
    }
  }

  /**
   * Notes where a date may start when the value turns out to have no {@code ;}: a day name, or a year-month-day,
   * after some clause has its value.
   */
  private void noteDateStart(int b, int e) {
    if (dateStartCount == dateStarts.length || seen == 0 || state == State.NONE || !valueTaken) {
      return;
    }
    int n = e - b;
    boolean dayName = n == 3 && LenientDate.isDayName(c, b);
    boolean isoDate = n == 10 && c[b + 4] == '-' && c[b + 7] == '-' && isDigit(c[b]) && isDigit(c[b + 9]);
    if (dayName || isoDate) {
      dateStarts[dateStartCount++] = b;
    }
  }

  private static boolean isDigit(char x) {
    return x >= '0' && x <= '9';
  }

  private void inComment(Kind k, int b, int e, int d) {
    boolean word = k == Kind.WORD;
    if (d == 1) {
      commentWords++;
      commentOnlyB = word ? b : -1;
      commentOnlyE = e;
    }
    if (word) {
      tlsWord(b, e);
      if (state == State.NONE || state == State.FROM) {
        // Every MTA writes its authentication remark in the TCP-info, before 'by'. Later comments can hold what the
        // client sent (a quoted 'for' address longer than the tokenizer's bound loses its quotes), which must not
        // turn a line of ours into an authenticated submission.
        authWord(b, e);
      }
    }
    if (state == State.FROM && d == 1) {
      fromComment(k, b, e);
    }
    commentFirst = false;
    prevWordB = word ? b : -1;
    prevWordE = e;
  }

  /** The TCP-info after {@code from}: reverse name, IP, HELO, ident. */
  private void fromComment(Kind k, int b, int e) {
    if (heloPending) {
      heloPending = false;
      if (k == Kind.WORD) {
        helo = s.substring(b, e);
      } else if (k == Kind.LITERAL) {
        String ip = literalIp(b, e);
        helo = ip != null ? ip : s.substring(b, e);
      }
      return;
    }
    int n = e - b;
    if (localhostPending) {
      localhostPending = false;
      if (k == Kind.LITERAL && fromRdns == null && isLiteralIp(b, e)) {
        fromRdns = "localhost"; // Postfix, Sendmail: "from mail.example.org (localhost [127.0.0.1])"
      }
    }
    if (k == Kind.WORD) {
      if (commentFirst && fromComments == 1 && is(b, e, "localhost")) {
        localhostPending = true;
        return;
      }
      if (is(b, e, "helo") || is(b, e, "ehlo") || is(b, e, "lhlo")) {
        heloPending = true;
        return;
      }
      if (n >= 5 && c[b + 4] == '=' && s.regionMatches(true, b, "helo=", 0, 5)) {
        if (n > 5) {
          helo = s.substring(b + 5, e);
        } else {
          heloPending = true;
        }
        return;
      }
      if (commentFirst && is(b, e, "account")) {
        authenticated = true; // CommuniGate Pro: "(account user [ip] verified)"
        return;
      }
      // an address has a '.' (IPv4) or a ':' (IPv6); most words in TCP-info have neither
      if ((tok.dot() >= 0 || tok.colon() >= 0) && isLiteralIp(b, e)) {
        if (commentIp == null) {
          commentIp = literalIp(b, e);
        }
        return;
      }
      int at = tok.lastAt();
      if (at >= 0) {
        // ident@ip (qmail, Sendmail); the address after '@' is the peer's
        if (commentIp == null) {
          commentIp = literalIp(at + 1, e);
        }
        return;
      }
      if (commentFirst && fromComments == 1 && fromRdns == null && tokenHostLike(b, e)) {
        fromRdns = s.substring(b, e);
      }
    } else if (k == Kind.LITERAL) {
      if (commentIp == null) {
        commentIp = literalIp(b, e);
      }
    } else if (k == Kind.ANGLE) {
      if (commentFirst && fromComments == 1 && fromRdns == null && WordShapes.hostLike(c, b, e)) {
        fromRdns = s.substring(b, e); // "(<unknown.domain>[12.211.5.69])"
      }
    } else if (k == Kind.QUOTED && helo == null && n > 5 && c[b + 4] == ' ') {
      if (is(b, b + 4, "ehlo") || is(b, b + 4, "helo") || is(b, b + 4, "lhlo")) {
        String h = trimmed(b + 5, e);
        helo = h.isEmpty() ? null : h; // ZMailer (vger.kernel.org): ([ip]:port "EHLO name" rhost-flags-...)
      }
    }
  }

  private void tlsWord(int b, int e) {
    int colon = tok.colon();
    if (colon > b && startsWithTls(b, e)) {
      // Exim: "TLSv1:DES-CBC3-SHA:168", "TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256"
      TlsVersion v = TlsVersion.parse(s, b, colon);
      if (v != null) {
        setVersion(v);
        int next = indexOf(':', colon + 1, e);
        int cipherEnd = next >= 0 ? next : e;
        if (WordShapes.cipherLike(c, colon + 1, cipherEnd)) {
          setCipher(colon + 1, cipherEnd);
        }
        return;
      }
      if (is(b, e, "tls:")) {
        tlsMarker = true; // Courier: "(TLS: TLSv1/SSLv3, 168bits,DES-CBC3-SHA)"
        return;
      }
    }
    if (is(b, e, "encrypted") && prevWordB >= 0 && WordShapes.cipherLike(c, prevWordB, prevWordE)) {
      setCipher(prevWordB, prevWordE); // qmail TLS patch: "with (DHE-RSA-AES256-GCM-SHA384 encrypted) SMTP"
      return;
    }
    if (prevWordB >= 0 && (is(prevWordB, prevWordE, "cipher") || is(prevWordB, prevWordE, "tls_cipher"))) {
      setCipher(b, e); // Postfix: "using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384"
      return;
    }
    int eq = tok.equals();
    if (eq > b) {
      // Sendmail, Gmail, Microsoft, OpenSMTPD: "version=TLS1_2 cipher=..."
      if (is(b, eq, "version")) {
        TlsVersion v = TlsVersion.parse(s, eq + 1, e);
        if (v != null) {
          setVersion(v);
        } else if (TlsVersion.isCipherFamily(s.substring(eq + 1, e))) {
          bareTls = true; // OpenSSL's "TLSv1/SSLv3": TLS, version not named
        }
      } else if (is(b, eq, "cipher")) {
        setCipher(eq + 1, e);
      }
      return;
    }
    if (startsWithTls(b, e)) {
      TlsVersion v = TlsVersion.parse(s, b, e);
      if (v != null) {
        setVersion(v);
        return;
      }
    }
    if (tlsMarker && tokenCipherLike(b, e)) {
      setCipher(b, e);
    }
  }

  private void authWord(int b, int e) {
    if (is(b, e, "authenticated")) {
      if (prevWordB < 0 || !(is(prevWordB, prevWordE, "not") || is(prevWordB, prevWordE, "un"))) {
        authenticated = true; // Postfix "(Authenticated sender: x)", Sendmail "(authenticated bits=0)"
      }
    } else if (is(b, e, "auth:")) {
      authenticated = true; // Courier
    } else if (prevWordB >= 0 && is(prevWordB, prevWordE, "with") && (is(b, e, "plain") || is(b, e, "login")
        || is(b, e, "cram-md5"))) {
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
    if (Protocol.parse(p).isEmpty()) {
      return false; // Thrift, ECSTREAM ...: left out rather than invented
    }
    protocol = p; // what it says (TLS, AUTH) is the Protocol's to answer
    if (slash < 0) {
      return true;
    }
    // "ESMTP/TLS/DHE-RSA-AES256-GCM-SHA384"
    String[] original = word.split("/", 4);
    for (int i = 1; i < original.length; i++) {
      String part = original[i];
      TlsVersion v = WordShapes.startsWithTls(part, 0, part.length()) ? TlsVersion.parse(part, 0, part.length())
          : null;
      if (v != null) {
        setVersion(v);
      } else if (WordShapes.cipherLike(part)) {
        setCipher(part);
      }
    }
    return true;
  }

  private void setVersion(TlsVersion v) {
    if (tlsVersion == null) {
      tlsVersion = v;
    }
  }

  private void setCipher(int b, int e) {
    if (tlsCipher == null && e > b && e - b <= 100 && !is(b, e, "other")) {
      tlsCipher = s.substring(b, e);
    }
  }

  private void setCipher(String c) {
    if (tlsCipher == null && !c.isEmpty() && !c.equalsIgnoreCase("OTHER") && c.length() <= 100) {
      tlsCipher = c;
    }
  }

  private State keyword(int b, int e) {
    switch (e - b) {
      case 2:
        if (is(b, e, "by")) {
          return State.BY;
        }
        return is(b, e, "id") ? State.ID : null;
      case 3:
        if (is(b, e, "via")) {
          return State.VIA;
        }
        return is(b, e, "for") ? State.FOR : null;
      case 4:
        if (is(b, e, "from")) {
          return State.FROM;
        }
        return is(b, e, "with") ? State.WITH : null;
      default:
        return null;
    }
  }

  /**
   * {@code s[b, e)} equals {@code lower} (lower case ASCII) ignoring case, exactly as
   * {@link String#equalsIgnoreCase} would say: ASCII is compared here, anything else by the JDK.
   */
  private boolean is(int b, int e, String lower) {
    int n = lower.length();
    if (e - b != n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char x = c[b + i];
      char l = lower.charAt(i);
      if (x == l) {
        continue;
      }
      if (x >= 0x80) {
        return s.regionMatches(true, b, lower, 0, n);
      }
      if (l < 'a' || l > 'z' || (x | 0x20) != l) {
        return false;
      }
    }
    return true;
  }

  private int indexOf(char x, int b, int e) {
    for (int i = b; i < e; i++) {
      if (c[i] == x) {
        return i;
      }
    }
    return -1;
  }

  /** {@link WordShapes#hostLike(String)} of the current token, from the shape the tokenizer noted. */
  private boolean tokenHostLike(int b, int e) {
    int n = e - b;
    int dot = tok.dot();
    return n >= 3 && n <= 253 && dot > b && tok.all(ReceivedTokenizer.HOST_CHARS)
        && tok.any(ReceivedTokenizer.LETTER);
  }

  /** {@link WordShapes#cipherLike(String)} of the current token, from the shape the tokenizer noted. */
  private boolean tokenCipherLike(int b, int e) {
    int n = e - b;
    return n >= 6 && n <= 100 && tok.all(ReceivedTokenizer.CIPHER_CHARS) && tok.any(ReceivedTokenizer.SEPARATOR);
  }

  /** {@code s.substring(b, e).trim()} with one copy. */
  private String trimmed(int b, int e) {
    while (b < e && c[b] <= ' ') {
      b++;
    }
    while (e > b && c[e - 1] <= ' ') {
      e--;
    }
    return s.substring(b, e);
  }

  private boolean startsWithTls(int b, int e) {
    if (e - b < 4) {
      return false;
    }
    char x = c[b];
    if (x == 'T' || x == 't') {
      return s.regionMatches(true, b + 1, "LS", 0, 2);
    }
    return (x == 'S' || x == 's') && s.regionMatches(true, b + 1, "SL", 0, 2);
  }

  private String literalIp(int b, int e) {
    return WordShapes.literalIp(s, c, b, e);
  }

  private boolean isLiteralIp(int b, int e) {
    return WordShapes.isLiteralIp(s, c, b, e);
  }
}
