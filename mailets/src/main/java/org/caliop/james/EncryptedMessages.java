package org.caliop.james;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.Properties;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.caliop.engine.Disposition;
import org.caliop.facts.HeaderEdit;

/** The James message of one encrypted copy: the mail's header section with the copy's edits, over its new body. */
public final class EncryptedMessages {
  private EncryptedMessages() {
  }

  /**
   * A new message: {@code message}'s header fields with {@code stamp} (the verdict's edits, or none) and the copy's
   * content edits, both counted on {@code message} as the engine read it, in the order the milter gives them (our
   * fields on top, then the new content fields), over the encrypted body; every field {@code alsoRemove} names (the
   * foreign ones) goes, whatever the engine counted. {@code message} is not changed, so one mail can give several
   * copies. The body goes through a spill (memory up to {@code threshold}, then a temporary file the new message
   * reads by position).
   */
  public static MimeMessage of(MimeMessage message, List<HeaderEdit> stamp, Predicate<String> alsoRemove,
      Disposition.Copy copy, int threshold) throws MessagingException, IOException {
    List<HeaderEdit> edits = new ArrayList<>(stamp);
    edits.addAll(copy.headerEdits());
    MessageSpill whole = MessageSpill.empty(threshold);
    try {
      try (OutputStream out = whole.output(); InputStream encrypted = copy.openBody()) {
        for (String line : HeaderEditor.edited(message, edits, alsoRemove)) {
          out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        encrypted.transferTo(out);
      }
      // The MimeMessage owns the stream (javax.mail closes the shared file when its last sub-stream is gone); the
      // spill's temporary file is unlinked when the spill closes, and read on while open.
      return new MimeMessage(Session.getInstance(new Properties()), whole.input());
    } finally {
      whole.close();
    }
  }
}
