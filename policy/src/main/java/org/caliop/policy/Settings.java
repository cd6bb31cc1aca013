package org.caliop.policy;

import java.util.Arrays;
import java.util.Objects;
import org.caliop.crypto.EncryptOptions;
import org.caliop.crypto.SmimeAlgorithms;

/**
 * The keys one block sets, or the result of laying blocks over one another (global, then domain, then user: a later
 * block overrides a key the earlier set). Each key remembers the block it came from, so a decision names its rule and
 * {@code explain} shows where every value was written. Immutable.
 */
final class Settings {
  private static final Knob[] KNOBS = Knob.values();
  static final Settings EMPTY = new Settings(new Object[KNOBS.length], new RuleRef[KNOBS.length],
      new int[KNOBS.length * 2]);

  private final Object[] values;
  private final RuleRef[] sources;
  /** Line and column of each key, for load-time checks: [2i] line, [2i+1] column. */
  private final int[] positions;

  private Settings(Object[] values, RuleRef[] sources, int[] positions) {
    this.values = values;
    this.sources = sources;
    this.positions = positions;
  }

  static Builder builder() {
    return new Builder();
  }

  /**
   * The value of {@code k} in its type ({@link Knob#type()}), or null when no block sets it or it is switched off
   * ({@code none}). Asking for another type is a bug, refused.
   */
  <T> T get(Knob k, Class<T> type) {
    if (type != k.type()) {
      throw new IllegalArgumentException(k.key() + " holds " + k.type().getSimpleName() + ", not "
          + type.getSimpleName());
    }
    Object v = values[k.ordinal()];
    return type.isInstance(v) ? type.cast(v) : null;
  }

  /** The value of {@code k} in its type, or {@code fallback} when no block sets it or it is switched off. */
  <T> T get(Knob k, Class<T> type, T fallback) {
    T v = get(k, type);
    return v != null ? v : fallback;
  }

  /** The value of {@code k} as the admin would write it, for explain output. */
  String rendered(Knob k) {
    return Render.value(values[k.ordinal()]);
  }

  boolean has(Knob k) {
    return values[k.ordinal()] != null;
  }

  RuleRef source(Knob k) {
    return sources[k.ordinal()];
  }

  int line(Knob k) {
    return positions[2 * k.ordinal()];
  }

  int column(Knob k) {
    return positions[2 * k.ordinal() + 1];
  }

  boolean isEmpty() {
    for (Object v : values) {
      if (v != null) {
        return false;
      }
    }
    return true;
  }

  /** This, overridden by every key {@code over} sets. */
  Settings overlay(Settings over) {
    if (over == null || over.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return over;
    }
    Object[] v = values.clone();
    RuleRef[] s = sources.clone();
    int[] p = positions.clone();
    for (int i = 0; i < v.length; i++) {
      if (over.values[i] != null) {
        v[i] = over.values[i];
        s[i] = over.sources[i];
        p[2 * i] = over.positions[2 * i];
        p[2 * i + 1] = over.positions[2 * i + 1];
      }
    }
    return new Settings(v, s, p);
  }

  /** Some requirement is set (and not switched off). */
  boolean hasRequirement() {
    for (Knob k : KNOBS) {
      if (k.requirement() && isActive(k)) {
        return true;
      }
    }
    return false;
  }

  /** A requirement key set to a value that requires something ({@code false}, {@code none}, 0 require nothing). */
  boolean isActive(Knob k) {
    Object v = values[k.ordinal()];
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    if (v instanceof Integer) {
      return (Integer) v > 0;
    }
    return v != Requirement.NONE && v != Off.OFF;
  }

  /** Whether {@code k} has the same value here as in {@code other}. */
  boolean sameValue(Settings other, Knob k) {
    return Objects.equals(values[k.ordinal()], other.values[k.ordinal()]);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (Knob k : KNOBS) {
      if (values[k.ordinal()] != null) {
        b.append(k.key()).append('=').append(Render.value(values[k.ordinal()])).append(' ');
      }
    }
    return b.toString().trim();
  }

  /** The marker for a requirement switched off by {@code none}, for keys whose values are enums elsewhere. */
  enum Off { OFF }

  /** What {@code require_encryption} asks for. */
  enum Requirement {
    NONE, PGP, SMIME, ANY;

    String token() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  static final class Builder {
    private final Object[] values = new Object[KNOBS.length];
    private final RuleRef[] sources = new RuleRef[KNOBS.length];
    private final int[] positions = new int[KNOBS.length * 2];

    /** Sets {@code k} to {@code value}, of the knob's type or {@link Off#OFF}; anything else is a bug, refused. */
    Builder set(Knob k, Object value, RuleRef source, int line, int column) {
      if (!k.type().isInstance(value) && value != Off.OFF) {
        throw new IllegalArgumentException(k.key() + " holds " + k.type().getSimpleName() + ", not " + value);
      }
      values[k.ordinal()] = value;
      sources[k.ordinal()] = source;
      positions[2 * k.ordinal()] = line;
      positions[2 * k.ordinal() + 1] = column;
      return this;
    }

    Settings build() {
      return Arrays.stream(values).allMatch(Objects::isNull) ? EMPTY
          : new Settings(values.clone(), sources.clone(), positions.clone());
    }
  }

  /** How values are written back in explain output, as the admin would write them. */
  static final class Render {
    private Render() {
    }

    static String value(Object v) {
      if (v instanceof Action) {
        return ((Action) v).token();
      }
      if (v instanceof org.caliop.hop.TlsVersion) {
        return ((org.caliop.hop.TlsVersion) v).canonical();
      }
      if (v instanceof Requirement) {
        return ((Requirement) v).token();
      }
      if (v instanceof Off) {
        return "none";
      }
      if (v instanceof DeliveryTls.Verification) {
        return ((DeliveryTls.Verification) v).token();
      }
      if (v instanceof SmimeAlgorithms.KeyTransport) {
        return ((SmimeAlgorithms.KeyTransport) v).token();
      }
      if (v instanceof SmimeAlgorithms.ContentCipher) {
        return ((SmimeAlgorithms.ContentCipher) v).token();
      }
      if (v instanceof EncryptOptions.Format) {
        return ((EncryptOptions.Format) v).name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
      }
      return String.valueOf(v);
    }
  }
}
