package org.caliop.james;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.apache.james.server.core.MimeMessageWrapper;
import org.caliop.engine.MessageSource;

/**
 * The message of a James mail as the engine reads it, without a copy where James allows: a message James read from
 * SMTP or a queue ({@code MimeMessageWrapper}) whose body no mailet replaced is read straight from James's own
 * storage (its header section re-written from James's fields when a mailet changed them, the body streamed as it
 * came). Any other message (built by a mailet, a test's plain {@code MimeMessage}) is written once by javax.mail into
 * a bounded {@link MessageSpill}. Read it as often as needed until closed; not thread-safe.
 */
public abstract class HeldMessage implements MessageSource, AutoCloseable {
  private HeldMessage() {
  }

  /**
   * @param spillThreshold bytes kept in memory when the message has to be written out (see {@link MessageSpill})
   */
  public static HeldMessage of(MimeMessage message, int spillThreshold) throws IOException, MessagingException {
    if (message instanceof MimeMessageWrapper && !((MimeMessageWrapper) message).isBodyModified()) {
      return new James((MimeMessageWrapper) message);
    }
    return new Spilled(MessageSpill.of(message, spillThreshold));
  }

  /** Whether the bytes are read where James keeps them (no copy). */
  public abstract boolean inPlace();

  @Override
  public abstract void close();

  /** James's message: its {@code getMessageInputStream()} gives the stored bytes, or fields re-written over them. */
  private static final class James extends HeldMessage {
    private final MimeMessageWrapper message;
    private long size = -1;

    James(MimeMessageWrapper message) {
      this.message = message;
    }

    @Override
    public InputStream open() throws IOException {
      try {
        return message.getMessageInputStream();
      } catch (MessagingException e) {
        throw new IOException("cannot read the message James holds: " + e.getMessage(), e);
      }
    }

    /** Asked only when encrypting; James knows it without reading the message when no field changed. */
    @Override
    public long size() {
      if (size < 0) {
        try {
          size = message.getMessageSize();
        } catch (MessagingException e) {
          size = counted();
        }
      }
      return size;
    }

    private long counted() {
      try (InputStream in = open()) {
        return in.transferTo(OutputStream.nullOutputStream());
      } catch (IOException e) {
        // Reading fails again when the engine reads it, which is where the failure is answered.
        return 0;
      }
    }

    @Override
    public boolean inPlace() {
      return true;
    }

    @Override
    public void close() {
      // James owns the storage.
    }
  }

  /** A message only javax.mail can write out. */
  private static final class Spilled extends HeldMessage {
    private final MessageSpill spill;

    Spilled(MessageSpill spill) {
      this.spill = spill;
    }

    @Override
    public InputStream open() throws IOException {
      return spill.input();
    }

    @Override
    public long size() {
      return spill.size();
    }

    @Override
    public boolean inPlace() {
      return false;
    }

    @Override
    public void close() {
      spill.close();
    }
  }
}
