package org.caliop.score;

import java.util.Objects;

/** Why a score is what it is: a stable code for machines and a one-line text for people. */
public final class Reason {
  private final String code;
  private final String text;

  private Reason(String code, String text) {
    this.code = Objects.requireNonNull(code);
    this.text = Objects.requireNonNull(text);
  }

  public static Reason of(String code, String text) {
    return new Reason(code, text);
  }

  /** Stable, lowercase, dash-separated (for example {@code hop-claimed-no-tls}); documented in docs/score.md. */
  public String code() {
    return code;
  }

  public String text() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Reason && ((Reason) o).code.equals(code) && ((Reason) o).text.equals(text);
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, text);
  }

  @Override
  public String toString() {
    return code + ": " + text;
  }
}
