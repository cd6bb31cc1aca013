package org.caliop.crypto;

import java.nio.file.Path;
import java.util.Optional;
import org.caliop.address.EmailAddress;
import org.caliop.mime.MailAddresses;

/**
 * How the key index spells an address: as every lookup compares it ({@link EmailAddress}: quoted local part
 * unquoted, case ignored, the domain in A-labels), so a recipient spelled {@code "Bob"@Example.org} finds the key of
 * {@code bob@example.org}.
 */
final class RecipientAddresses {
  private RecipientAddresses() {
  }

  /** A bare or bracketed address in its compared form; empty when it is not {@code local@domain} or has spaces. */
  static Optional<String> normalize(String address) {
    return MailAddresses.normalize(address);
  }

  /** The address of an OpenPGP user ID: {@code Name <a@b>} or a bare {@code a@b}. */
  static Optional<String> inUserId(String uid) {
    int lt = uid.lastIndexOf('<');
    int gt = uid.lastIndexOf('>');
    String candidate = lt >= 0 && gt > lt ? uid.substring(lt + 1, gt) : uid;
    return normalize(candidate);
  }

  /** The address a key file is named after ({@code alice@example.org.asc}), if it is. */
  static Optional<String> ofFileName(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    if (dot > name.lastIndexOf('@')) {
      name = name.substring(0, dot);
    }
    return normalize(name);
  }
}
