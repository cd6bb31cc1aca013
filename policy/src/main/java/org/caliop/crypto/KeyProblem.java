package org.caliop.crypto;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing wrong (or worth knowing) about the keys in {@code keys_dir}: what {@code caliop keys check},
 * {@code caliop policy check} and {@code caliop milter -n} print. An error means the directory needs the
 * administrator's hand (a secret key, a file that cannot be read or parsed); a warning does not stop anything.
 * Immutable.
 */
public final class KeyProblem {
  /** How bad it is: an error makes the checks exit 1, a warning is printed only. */
  public enum Severity { ERROR, WARNING }

  /** What kind of problem, each with its fixed severity. */
  public enum Code {
    /** Secret key material (OpenPGP secret key, PEM or DER private key, PKCS#12): the file is not used. */
    SECRET_KEY(Severity.ERROR),
    /** The file cannot be read (permissions, I/O error) or is larger than the bound. */
    UNREADABLE(Severity.ERROR),
    /** The file looks like a key or certificate but does not parse (corrupt, truncated, empty). */
    BROKEN(Severity.ERROR),
    /** The file holds no key or certificate at all (a README, notes): ignored. */
    NOT_A_KEY(Severity.WARNING),
    /** A key that cannot be used now (expired, revoked, weak, no encryption subkey...). */
    UNUSABLE(Severity.WARNING),
    /** A part of a key that does not count (a subkey or user ID whose signature does not verify). */
    IGNORED_PART(Severity.WARNING),
    /** Several usable keys of one format for one address: the documented rule picks one. */
    SEVERAL_KEYS(Severity.WARNING),
    /** A usable key that expires within the window the check was asked for. */
    EXPIRING(Severity.WARNING),
    /** The key directory or keyring named in the policy does not exist (yet). */
    MISSING(Severity.WARNING),
    /** A file caliop no longer reads, with what replaced it. */
    OBSOLETE(Severity.WARNING);

    private final Severity severity;

    Code(Severity severity) {
      this.severity = severity;
    }

    public Severity severity() {
      return severity;
    }
  }

  private final Code code;
  private final Path file;
  private final String address;
  private final String message;

  private KeyProblem(Code code, Path file, String address, String message) {
    this.code = Objects.requireNonNull(code);
    this.file = file;
    this.address = address;
    this.message = Objects.requireNonNull(message);
  }

  static KeyProblem ofFile(Code code, Path file, String message) {
    return new KeyProblem(code, Objects.requireNonNull(file), null, message);
  }

  static KeyProblem ofAddress(Code code, Path file, String address, String message) {
    return new KeyProblem(code, file, Objects.requireNonNull(address), message);
  }

  public Code code() { return code; }
  public Severity severity() { return code.severity(); }
  public boolean isError() { return code.severity() == Severity.ERROR; }
  /** The file concerned; empty for a problem of an address whose keys sit in several files. */
  public Optional<Path> file() { return Optional.ofNullable(file); }
  /** The address concerned, for per-address problems (several keys, expiring). */
  public Optional<String> address() { return Optional.ofNullable(address); }
  public String message() { return message; }

  /** {@code file: error: message} (or {@code warning:}), the way compilers and {@code postfix check} print. */
  @Override
  public String toString() {
    String where = file != null ? file.toString() : "<" + address + ">";
    return where + ": " + (isError() ? "error: " : "warning: ") + message;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof KeyProblem)) {
      return false;
    }
    KeyProblem p = (KeyProblem) o;
    return code == p.code && Objects.equals(file, p.file) && Objects.equals(address, p.address)
        && message.equals(p.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, file, address, message);
  }
}
