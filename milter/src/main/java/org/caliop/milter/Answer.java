package org.caliop.milter;

import org.caliop.engine.Disposition;
import org.caliop.policy.SmtpReply;

/**
 * What we tell the MTA at end of message, as data: the modifications in the order they are sent, then the final
 * reply. Kept apart from the wire so it can be checked without a connection.
 */
sealed interface Answer {
  /** Delete the {@code index}-th field called {@code name} (chgheader with an empty value). */
  record DeleteHeader(String name, int index) implements Answer { }

  /**
   * Give the {@code index}-th field called {@code name} a new value where it stands (chgheader); a folded value
   * breaks its lines with LF alone, as libmilter asks (the MTA writes CRLF).
   */
  record ChangeHeader(String name, int index, String value) implements Answer { }

  /** Insert a field at {@code index} (0 is the top). */
  record InsertHeader(int index, String name, String value) implements Answer { }

  record DeleteRecipient(String recipient) implements Answer { }

  record AddRecipient(String recipient) implements Answer { }

  /** Replace the body with the encrypted copy's body, in chunks of at most 64 KiB. */
  record ReplaceBody(Disposition.Copy body) implements Answer { }

  /** Postfix's hold queue, with the reason (one line of printable ASCII). */
  record Quarantine(String reason) implements Answer { }

  /** Final: deliver (with the modifications above). */
  record Continue() implements Answer { }

  /** Final: 4xx or 5xx with an enhanced status code. */
  record Reply(SmtpReply reply) implements Answer { }

  static boolean isFinal(Answer a) {
    return a instanceof Continue || a instanceof Reply;
  }
}
