package org.caliop.cli;

import java.io.PrintStream;
import java.util.List;
import org.caliop.auth.Alignment;
import org.caliop.auth.AuthMethod;
import org.caliop.auth.AuthResults;
import org.caliop.auth.MethodResult;
import org.caliop.engine.Assessment;
import org.caliop.facts.MessageFacts;
import org.caliop.hop.Hop;
import org.caliop.hop.Trust;
import org.caliop.score.Reason;
import org.caliop.score.Score;

/** One block per message, for people: grade and score first, then hops, protection and the reasons. */
final class HumanOutput implements ScoreOutput {
  private final PrintStream out;
  private boolean first = true;

  HumanOutput(PrintStream out) {
    this.out = out;
  }

  @Override
  public void verdict(String name, Assessment verdict) {
    MessageFacts facts = verdict.facts();
    Score score = verdict.score();
    StringBuilder b = new StringBuilder(512);
    separate(b);
    b.append(name).append('\n');
    b.append("  grade ").append(score.grade()).append("  score ").append(score.value()).append("/100  (formula v")
        .append(score.version()).append(")\n");
    List<Hop> hops = facts.hops();
    b.append("  hops: ");
    if (hops.isEmpty()) {
      b.append("none");
    } else {
      int[] byTrust = new int[Trust.values().length];
      for (Hop h : hops) {
        byTrust[h.trust().ordinal()]++;
      }
      b.append(hops.size()).append(" (");
      String sep = "";
      for (Trust t : Trust.values()) {
        if (byTrust[t.ordinal()] > 0) {
          b.append(sep).append(byTrust[t.ordinal()]).append(' ').append(t.token());
          sep = ", ";
        }
      }
      b.append(')');
    }
    b.append('\n');
    for (int i = 0; i < hops.size(); i++) {
      Hop h = hops.get(i);
      b.append("    ").append(i + 1).append(". ").append(h.trust().token()).append("  ").append(h.label());
      if (!h.parsed()) {
        b.append("  (not parsed)");
      } else {
        h.protocol().ifPresent(p -> b.append("  ").append(p));
        if (h.tlsVersion().isPresent()) {
          b.append("  ").append(h.tlsVersion().get().canonical());
        } else if (h.saysTls()) {
          b.append("  TLS");
        }
        if (h.authenticated()) {
          b.append("  authenticated");
        }
      }
      if (h.country().isPresent()) {
        // a database's estimate for the address, as trusted as the address itself
        b.append("  registered in ").append(h.country().get()).append(" per ")
            .append(h.countrySource().orElse("the IP-to-country database"));
        if (h.trust() == Trust.CLAIMED) {
          b.append(" (claimed)");
        }
      }
      b.append('\n');
    }
    AuthResults a = facts.auth();
    b.append("  auth:");
    for (AuthMethod m : AuthMethod.values()) {
      b.append(' ').append(m.token()).append('=');
      MethodResult r = a.get(m).orElse(null);
      if (r == null) {
        b.append('-');
        continue;
      }
      b.append(r.result().token());
      r.domain().ifPresent(d -> b.append(" (").append(d).append(r.alignment() == Alignment.ALIGNED ? ", aligned)"
          : r.alignment() == Alignment.UNALIGNED ? ", not aligned)" : ")"));
    }
    if (a.notBelieved() > 0) {
      b.append("  not believed: ").append(a.notBelieved());
    }
    b.append('\n');
    b.append("  content: encrypted=").append(facts.content().encrypted().token()).append(" signed=")
        .append(facts.content().signed().token());
    if (facts.content().signed() != org.caliop.mime.Signature.NONE) {
      b.append(" (").append(facts.content().signatureStatus().token()).append(')');
    }
    b.append('\n');
    b.append("  reasons:\n");
    for (Reason r : score.reasons()) {
      b.append("    ").append(r.code()).append(": ").append(r.text()).append('\n');
    }
    out.print(b);
  }

  @Override
  public void error(String name, String reason) {
    StringBuilder b = new StringBuilder();
    separate(b);
    b.append(name).append('\n').append("  error: ").append(reason).append('\n');
    out.print(b);
  }

  private void separate(StringBuilder b) {
    if (!first) {
      b.append('\n');
    }
    first = false;
  }
}
