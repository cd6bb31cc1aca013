package org.caliop.message;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.DefaultFieldBuilder;
import org.apache.james.mime4j.stream.FieldBuilder;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.util.ByteArrayBuffer;
import org.apache.james.mime4j.util.RecycledByteArrayBuffer;

/**
 * mime4j's field builder without its refusal: mime4j 0.8.9 aborts the whole parse when one field passes its
 * {@code maxHeaderLen}; this one keeps the first {@code maxBytes} of the field, drops the rest and remembers that
 * it did, so one oversized anti-spam header costs us that header, not the message.
 */
final class BoundedFieldBuilder implements FieldBuilder {
  private final DefaultFieldBuilder delegate = new DefaultFieldBuilder(-1);
  private final int maxBytes;
  private int length;
  private boolean truncated;

  BoundedFieldBuilder(int maxBytes) {
    this.maxBytes = Math.max(maxBytes, 1000);
  }

  /** Whether the field last built lost bytes. */
  boolean truncated() {
    return truncated;
  }

  @Override
  public void reset() {
    delegate.reset();
    length = 0;
    truncated = false;
  }

  @Override
  public void append(ByteArrayBuffer line) throws MimeException {
    if (line == null) {
      return;
    }
    int room = maxBytes - length;
    if (line.length() <= room) {
      delegate.append(line);
      length += line.length();
      return;
    }
    truncated = true;
    if (room > 0) {
      delegate.append(new ByteArrayBuffer(line.buffer(), room, true));
      length += room;
    }
  }

  @Override
  public RawField build() throws MimeException {
    return delegate.build();
  }

  @Override
  public RecycledByteArrayBuffer getRaw() {
    return delegate.getRaw();
  }

  @Override
  public void release() {
    delegate.release();
  }
}
