package org.caliop.milter.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.caliop.crypto.KeyInventory;
import org.caliop.crypto.KeyProblem;

/**
 * What the key metrics count, taken from one reading of {@code keys_dir} and {@code pgp_keyring}: how many keys (and
 * files) are not used, and when each usable key expires. Counts only, never an address, so Prometheus never holds
 * the address book. Judged at scrape time against the clock, so a key that expires between two readings moves from
 * expiring to unusable without a reading.
 *
 * @param unusable keys that are not used (expired, revoked, too weak, no encryption subkey...) plus files that hold
 *     secret key material or could not be read or parsed, at the reading
 * @param expiries when each key usable at the reading expires (keys that never expire are left out), soonest first
 */
record KeyCounts(int unusable, List<Instant> expiries) {
  /** No {@code encryption:} section: nothing to count. */
  static final KeyCounts NONE = new KeyCounts(0, List.of());

  KeyCounts {
    expiries = expiries.stream().sorted().toList();
  }

  static KeyCounts of(KeyInventory inventory) {
    int unusable = 0;
    List<Instant> expiries = new ArrayList<>();
    for (KeyInventory.FileEntry f : inventory.files()) {
      if (f.problem().map(KeyProblem::isError).orElse(false)) {
        unusable++;
      }
      for (KeyInventory.KeyEntry k : f.keys()) {
        if (!k.usable()) {
          unusable++;
        } else {
          k.expires().ifPresent(expiries::add);
        }
      }
    }
    return new KeyCounts(unusable, expiries);
  }

  /** The sources could not be read at all (the directory cannot be listed): one unusable source. */
  static KeyCounts unreadable() {
    return new KeyCounts(1, List.of());
  }

  /** Unusable at {@code now}: those of the reading, and the usable ones that have expired since. */
  int unusableAt(Instant now) {
    return unusable + (int) expiries.stream().filter(e -> !e.isAfter(now)).count();
  }

  /** Usable at {@code now} and expiring within {@code horizon} of it. */
  int expiringAt(Instant now, Duration horizon) {
    Instant end = now.plus(horizon);
    return (int) expiries.stream().filter(e -> e.isAfter(now) && e.isBefore(end)).count();
  }

  /** The soonest expiry of a key still usable at {@code now}; empty when none expires. */
  Optional<Instant> nextExpiryAfter(Instant now) {
    return expiries.stream().filter(e -> e.isAfter(now)).findFirst();
  }
}
