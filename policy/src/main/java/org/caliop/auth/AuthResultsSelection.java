package org.caliop.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which {@code Authentication-Results} fields claiming one of our authserv-ids are believed, by where they stand
 * (RFC 8601 §5), and which must be taken out of the message because we cannot vouch for them.
 *
 * <p>A field is added at the top of the header by the host that writes it, so a field written by one of ours stands
 * above the {@code Received:} line of the hop where the message entered our servers (Postfix puts what its milters
 * insert above its own line, as a test with OpenDKIM shows); anything below that line arrived with the message.
 * Given how many {@code Received:} fields of the message are in our trusted run ({@code runFields}):
 * <ul>
 *   <li>above the oldest of them ({@code receivedAbove < runFields}): written by one of ours; believed and kept;</li>
 *   <li>directly below it, above any older {@code Received:} ({@code receivedAbove == runFields}, with a trusted
 *   run at all): what the client of our entry hop handed over, mixed, in the milter, with what a verifier running
 *   before caliop on the same MTA added (Postfix shows a milter neither its own line nor who added a field). Believed
 *   only for the methods the admin declared in {@code trust.authserv_upstream} (a verifier in front of caliop that
 *   removes forged fields for them and writes its own), and only when the field speaks of no other method of
 *   ours; otherwise taken out;</li>
 *   <li>lower: written outside; never believed, never used to fill in a method, taken out.</li>
 * </ul>
 * Fields of other authserv-ids are neither believed nor touched. A field the scanner could not keep (over the
 * header budget) may claim our id: it is taken out too.
 */
public final class AuthResultsSelection {
  private final List<AuthResultsHeader> believed;
  private final List<AuthResultsHeader> refused;

  private AuthResultsSelection(List<AuthResultsHeader> believed, List<AuthResultsHeader> refused) {
    this.believed = List.copyOf(believed);
    this.refused = List.copyOf(refused);
  }

  /**
   * @param headers every {@code Authentication-Results} field, topmost first
   * @param ourIds our authserv-ids, lower case; empty believes and removes nothing
   * @param trustedRun whether the message has a trusted run at all (a first-hand or internal hop)
   * @param runFields how many of its {@code Received:} fields the trusted run covers (0 in the milter, whose own
   *     line Postfix hides, when the client is not ours)
   * @param upstream the methods a verifier in front of caliop vouches for ({@code trust.authserv_upstream})
   */
  public static AuthResultsSelection select(List<AuthResultsHeader> headers, Set<String> ourIds, boolean trustedRun,
      int runFields, Set<AuthMethod> upstream) {
    List<AuthResultsHeader> believed = new ArrayList<>();
    List<AuthResultsHeader> refused = new ArrayList<>();
    if (ourIds.isEmpty()) {
      return new AuthResultsSelection(believed, refused);
    }
    for (AuthResultsHeader h : headers) {
      if (!h.readable()) {
        refused.add(h);
        continue;
      }
      if (h.authservId().isEmpty()) {
        continue;
      }
      if (!ourIds.contains(h.authservId().get())) {
        if (looksLikeOurs(h.authservId().get(), ourIds)) {
          refused.add(h); // never believed; taken out so no reader after us takes it for ours
        }
        continue;
      }
      int above = h.receivedAbove();
      boolean inside = trustedRun && above < runFields;
      boolean vouchedUpstream = trustedRun && above == runFields && !h.methods().isEmpty()
          && upstream.containsAll(h.methods());
      if (inside || vouchedUpstream) {
        believed.add(h);
      } else {
        refused.add(h);
      }
    }
    return new AuthResultsSelection(believed, refused);
  }

  /**
   * An id a reader would take for one of ours though it is not spelt the same: a trailing dot
   * ({@code mx.example.org.}), another case, or compatibility forms (a full-width dot or letters). Such a field is
   * never believed, but it is removed like a forgery of ours.
   */
  static boolean looksLikeOurs(String id, Set<String> ourIds) {
    String folded = fold(id);
    for (String ours : ourIds) {
      if (fold(ours).equals(folded)) {
        return true;
      }
    }
    return false;
  }

  private static String fold(String id) {
    String s = java.text.Normalizer.normalize(id.replace('\u3002', '.').replace('\uff61', '.'),
        java.text.Normalizer.Form.NFKC).toLowerCase(java.util.Locale.ROOT);
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '.') {
      end--;
    }
    return s.substring(0, end);
  }

  /** Fields of ours written inside our trusted run (or vouched for upstream), topmost first. */
  public List<AuthResultsHeader> believed() {
    return believed;
  }

  /** Fields claiming our id that we cannot vouch for (and unreadable ones): to be removed or renamed. */
  public List<AuthResultsHeader> refused() {
    return refused;
  }
}
