package org.caliop.cli;

import java.io.PrintStream;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.caliop.auth.Alignment;
import org.caliop.auth.AuthMethod;
import org.caliop.auth.AuthResults;
import org.caliop.auth.MethodResult;
import org.caliop.engine.Assessment;
import org.caliop.facts.MessageFacts;
import org.caliop.hop.Hop;
import org.caliop.hop.TlsVersion;
import org.caliop.score.Reason;
import org.caliop.score.Score;

/** One JSON object a line per message, in the layout of the CLI contract (docs/cli.md). */
final class JsonOutput implements ScoreOutput {
  /** ISO-8601 with seconds and a numeric offset, always ({@code 2023-09-02T04:24:06+02:00}). */
  static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

  private final PrintStream out;
  private final StringBuilder line = new StringBuilder(1024);

  JsonOutput(PrintStream out) {
    this.out = out;
  }

  @Override
  public void verdict(String name, Assessment verdict) {
    line.setLength(0);
    write(new JsonWriter(line), name, verdict);
    out.println(line);
  }

  @Override
  public void error(String name, String reason) {
    line.setLength(0);
    new JsonWriter(line).beginObject().field("file", name).field("error", reason).endObject();
    out.println(line);
  }

  static void write(JsonWriter w, String name, Assessment verdict) {
    MessageFacts facts = verdict.facts();
    Score score = verdict.score();
    w.beginObject().field("file", name);
    w.name("hops").beginArray();
    for (Hop hop : facts.hops()) {
      hop(w, hop);
    }
    w.endArray();
    AuthResults auth = facts.auth();
    w.name("auth").beginObject();
    for (AuthMethod m : AuthMethod.values()) {
      MethodResult r = auth.get(m).orElse(null);
      w.field(m.token(), r == null ? null : r.result().token());
      if (r != null && r.domain().isPresent()) {
        w.field(m.token() + "_domain", r.domain().get())
            .field(m.token() + "_aligned", r.alignment() == Alignment.ALIGNED);
      }
    }
    if (auth.notBelieved() > 0) {
      w.field("not_believed", auth.notBelieved());
    }
    w.endObject();
    w.name("content").beginObject()
        .field("encrypted", facts.content().encrypted().token())
        .field("signed", facts.content().signed().token())
        .field("signature", facts.content().signatureStatus().token())
        .field("label_without_ciphertext", facts.content().labelWithoutCiphertext())
        .endObject();
    w.field("score", score.value()).field("grade", score.grade().name()).field("version", score.version());
    w.name("reasons").beginArray();
    for (Reason r : score.reasons()) {
      w.beginObject().field("code", r.code()).field("text", r.text()).endObject();
    }
    w.endArray();
    w.endObject();
  }

  private static void hop(JsonWriter w, Hop hop) {
    w.beginObject()
        .field("from_host", hop.fromHost().orElse(null))
        .field("from_ip", hop.fromIp().map(Object::toString).orElse(null))
        .field("from_rdns", hop.fromRdns().orElse(null))
        .field("helo", hop.helo().orElse(null))
        .field("by_host", hop.byHost().orElse(null))
        .field("protocol", hop.protocol().map(Enum::name).orElse(null))
        .field("tls_version", hop.tlsVersion().map(TlsVersion::canonical).orElse(null))
        .field("tls_cipher", hop.tlsCipher().orElse(null))
        .field("id", hop.id().orElse(null))
        .field("for", hop.forAddress().orElse(null))
        .field("date", date(hop.date()))
        .field("country", hop.country().orElse(null))
        .field("country_source", hop.countrySource().orElse(null))
        .field("parsed", hop.parsed())
        .field("trust", hop.trust().token())
        .endObject();
  }

  private static String date(Optional<OffsetDateTime> date) {
    return date.map(DATE::format).orElse(null);
  }
}
