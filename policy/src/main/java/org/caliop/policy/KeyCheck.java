package org.caliop.policy;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.caliop.crypto.KeyInventory;
import org.caliop.crypto.KeyProblem;

/**
 * The key check that {@code caliop policy check} and {@code caliop milter -n} run after the policy loads: the
 * inventory of the {@code encryption:} section's key directory and keyring (docs/encryption.md, "Checking the key
 * directory"). Secret key material and files that cannot be read or parsed are errors (the check fails); unusable
 * keys, several keys for one address and keys expiring within {@link KeyInventory#DEFAULT_EXPIRY_WARNING} are
 * warnings. Immutable.
 */
public final class KeyCheck {
  private final List<String> errors;
  private final List<String> warnings;
  private final String summary;

  private KeyCheck(List<String> errors, List<String> warnings, String summary) {
    this.errors = List.copyOf(errors);
    this.warnings = List.copyOf(warnings);
    this.summary = summary;
  }

  /** Checks the keys {@code policy} names, judging validity at {@code now}; nothing when it names none. */
  public static KeyCheck of(CompiledPolicy policy, Instant now) {
    if (!policy.encryption().configured()) {
      return new KeyCheck(List.of(), List.of(), null);
    }
    KeyInventory inventory;
    try {
      inventory = KeyInventory.read(policy.encryption(), now);
    } catch (IOException | RuntimeException e) {
      String where = policy.encryption().keysDir().map(Object::toString).orElse("keys_dir");
      return new KeyCheck(List.of(where + ": error: cannot list: " + e.getMessage()), List.of(), null);
    }
    List<String> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (KeyProblem p : inventory.problems(KeyInventory.DEFAULT_EXPIRY_WARNING)) {
      (p.isError() ? errors : warnings).add(p.toString());
    }
    long usable = inventory.keys().stream().filter(KeyInventory.KeyEntry::usable).count();
    String summary = "keys: " + inventory.files().size() + " file(s), " + inventory.keys().size() + " key(s), "
        + usable + " usable" + (warnings.isEmpty() ? "" : ", " + warnings.size() + " warning(s)")
        + (errors.isEmpty() ? "" : ", " + errors.size() + " error(s)");
    return new KeyCheck(errors, warnings, summary);
  }

  /** Secret key material, unreadable or broken files: the check fails. */
  public boolean ok() {
    return errors.isEmpty();
  }

  /** Errors on {@code err}, then warnings and the one-line summary on {@code out}. */
  public void print(PrintStream out, PrintStream err) {
    errors.forEach(err::println);
    warnings.forEach(out::println);
    if (summary != null) {
      (ok() ? out : err).println(summary);
    }
  }
}
