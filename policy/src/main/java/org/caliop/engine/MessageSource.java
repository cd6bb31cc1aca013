package org.caliop.engine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A message the engine may read more than once: once to judge it, once more to encrypt it when the policy says so.
 * Adapters hand in what they already hold (the milter's spill buffer, James's spilled message, a file).
 */
public interface MessageSource {
  /** A fresh stream over the whole message, headers and body; the caller closes it. */
  InputStream open() throws IOException;

  /** Bytes {@link #open()} gives. */
  long size();

  /**
   * Only part of the message was kept (the rest passed uninspected): such a message cannot be encrypted, because
   * the new body would lose what was not kept.
   */
  default boolean truncated() {
    return false;
  }

  /** A message held in memory. */
  static MessageSource of(byte[] message) {
    Objects.requireNonNull(message);
    return new MessageSource() {
      @Override
      public InputStream open() {
        return new ByteArrayInputStream(message);
      }

      @Override
      public long size() {
        return message.length;
      }
    };
  }
}
