package org.caliop.auth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Authentication results for tests: believed ones built from result keywords, or read from field values. */
public final class AuthFixtures {
  /** The domain every {@link #aligned} result speaks for (and the From: domain it is aligned with). */
  public static final String DOMAIN = "example.org";

  private AuthFixtures() {
  }

  /** Believed results, each an aligned one for {@link #DOMAIN}; a null keyword leaves the method out. */
  public static AuthResults aligned(String dkim, String spf, String dmarc, String arc) {
    AuthResults.Builder b = AuthResults.builder();
    String[] keywords = {dkim, spf, dmarc, arc};
    AuthMethod[] methods = {AuthMethod.DKIM, AuthMethod.SPF, AuthMethod.DMARC, AuthMethod.ARC};
    for (int i = 0; i < methods.length; i++) {
      if (keywords[i] != null) {
        b.add(MethodResult.of(methods[i], AuthResult.of(keywords[i]), DOMAIN).judged(DOMAIN, Alignment.ALIGNED));
      }
    }
    return b.build();
  }

  /**
   * Random believed results: a keyword from {@code keywords} per method (null leaves it out), each aligned, not
   * aligned or not known to be, and sometimes a refused field.
   */
  public static AuthResults random(java.util.Random r, String[] keywords) {
    AuthResults.Builder b = AuthResults.builder();
    for (AuthMethod m : AuthMethod.values()) {
      String k = keywords[r.nextInt(keywords.length)];
      if (k != null) {
        Alignment a = Alignment.values()[r.nextInt(Alignment.values().length)];
        b.add(MethodResult.of(m, AuthResult.of(k), null).judged(a == Alignment.UNKNOWN ? null : "x.example", a));
      }
    }
    if (r.nextInt(4) == 0) {
      b.refused(List.of(AuthResultsParser.parse(DOMAIN + "; dmarc=pass", 1, 0)));
    }
    return b.build();
  }

  /**
   * What fields standing at the very top of a message we received first-hand from a client of ours say, trusting
   * {@code ids}: position never refuses them, so only the authserv-id decides. No {@code From:}: nothing aligned.
   */
  public static AuthResults atTop(List<String> values, Set<String> ids) {
    List<AuthResultsHeader> headers = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      headers.add(AuthResultsParser.parse(values.get(i), i + 1, 0));
    }
    AuthResultsSelection s = AuthResultsSelection.select(headers, ids, true, 1, Set.of());
    return AuthJudge.judge(s.believed(), null, null, Set.of(), s.refused());
  }

  /** The result keyword of each method (dkim, spf, dmarc, arc), null where there is none. */
  public static List<String> tokens(AuthResults r) {
    List<String> out = new ArrayList<>();
    for (AuthMethod m : AuthMethod.values()) {
      out.add(r.get(m).map(x -> x.result().token()).orElse(null));
    }
    return out;
  }

  public static List<String> tokens(String dkim, String spf, String dmarc, String arc) {
    return Arrays.asList(dkim, spf, dmarc, arc);
  }
}
