package org.caliop.crypto;

import java.util.Locale;

/**
 * Which envelope recipients the message itself names in {@code To:} or {@code Cc:}: every reader already sees those
 * addresses, so their OpenPGP key ids may be written; every other recipient (Bcc, list or alias expansion) gets the
 * wildcard key id. Textual: an address counts as named when it appears in those fields as a whole address, in
 * whatever display form; an address hidden in an RFC 2047 encoded word or a quoted local part counts as not named,
 * the safe side.
 */
final class NamedRecipients {
  private final String text;

  private NamedRecipients(String text) {
    this.text = text;
  }

  static NamedRecipients of(HeaderSection headers) {
    StringBuilder sb = new StringBuilder();
    for (RawHeader f : headers.fields()) {
      if (f.is("To") || f.is("Cc")) {
        sb.append(' ').append(f.value().toLowerCase(Locale.ROOT)).append(' ');
      }
    }
    return new NamedRecipients(sb.toString());
  }

  /** Whether the bare, lower-case {@code address} appears in To or Cc as a whole address. */
  boolean names(String address) {
    for (int from = text.indexOf(address); from >= 0; from = text.indexOf(address, from + 1)) {
      char before = from == 0 ? ' ' : text.charAt(from - 1);
      int end = from + address.length();
      char after = end >= text.length() ? ' ' : text.charAt(end);
      if (!localPartChar(before) && !domainChar(after)) {
        return true;
      }
    }
    return false;
  }

  private static boolean localPartChar(char c) {
    return Character.isLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.".indexOf(c) >= 0 || c >= 0x80;
  }

  private static boolean domainChar(char c) {
    return Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c >= 0x80;
  }
}
