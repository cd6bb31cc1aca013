package org.caliop.crypto;

import java.util.Locale;
import java.util.Optional;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.ParserCursor;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawFieldParser;
import org.apache.james.mime4j.util.ByteSequence;
import org.apache.james.mime4j.util.ContentUtil;

/** A Content-Type value read leniently with mime4j's field parser: media type and parameters. */
final class ContentTypeValue {
  private final String mediaType;
  private final RawBody body;

  private ContentTypeValue(String mediaType, RawBody body) {
    this.mediaType = mediaType;
    this.body = body;
  }

  static ContentTypeValue parse(String value) {
    ByteSequence bytes = ContentUtil.encode(value);
    RawBody body = RawFieldParser.DEFAULT.parseRawBody(bytes, new ParserCursor(0, bytes.length()));
    String type = body.getValue() == null ? "" : body.getValue().trim().toLowerCase(Locale.ROOT);
    return new ContentTypeValue(type, body);
  }

  /** {@code type/subtype}, lower case; empty when absent or unreadable. */
  String mediaType() {
    return mediaType;
  }

  Optional<String> parameter(String name) {
    for (NameValuePair p : body.getParams()) {
      if (p.getName() != null && p.getName().equalsIgnoreCase(name)) {
        return Optional.ofNullable(p.getValue());
      }
    }
    return Optional.empty();
  }
}
