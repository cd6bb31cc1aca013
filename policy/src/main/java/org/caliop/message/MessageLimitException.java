package org.caliop.message;

import java.io.IOException;

/**
 * A message passed a hard bound where going on would mean a wrong result, not just a shorter look (e.g. more
 * foreign header fields than {@link ForeignFields} keeps: some could not be removed). The adapter answers it with
 * its on-error action ({@code caliop_on_error}, the mailets' {@code onError}), never by passing the message as if
 * judged.
 */
public final class MessageLimitException extends IOException {
  private static final long serialVersionUID = 1L;

  public MessageLimitException(String message) {
    super(message);
  }
}
