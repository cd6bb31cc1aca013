package org.caliop.milter;

import java.util.List;
import org.caliop.milter.message.SpillBuffer;

/**
 * What we tell the MTA at end of message, as data: the modifications in the order they are sent, then the final
 * reply. Kept apart from the wire so it can be checked without a connection.
 */
sealed interface Answer {
  /** Delete the {@code index}-th field called {@code name} (chgheader with an empty value). */
  record DeleteHeader(String name, int index) implements Answer { }

  /** Insert a field at {@code index} (0 is the top). */
  record InsertHeader(int index, String name, String value) implements Answer { }

  record DeleteRecipient(String recipient) implements Answer { }

  record AddRecipient(String recipient) implements Answer { }

  /** Replace the body with the buffer's content, in chunks of at most 64 KiB. */
  record ReplaceBody(SpillBuffer body) implements Answer { }

  record Quarantine(String reason) implements Answer { }

  /** Final: deliver (with the modifications above). */
  record Continue() implements Answer { }

  /** Final: 4xx or 5xx with an enhanced status code. */
  record Reply(int code, String enhanced, String text) implements Answer { }

  static boolean isFinal(Answer a) {
    return a instanceof Continue || a instanceof Reply;
  }

  static List<Answer> tempfail(String text) {
    return List.of(new Reply(451, "4.3.0", text));
  }
}
