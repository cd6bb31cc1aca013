package org.caliop.mime;

/**
 * Tells base64 text that is not the encoding of random bytes: real ciphertext is uniform, so its base64 symbols are
 * spread evenly over the 64 of the alphabet, and words dressed as base64 ("DearBobWeBuyAcme...") are not (a few
 * letters many times, digits, {@code +} and {@code /} seldom).
 *
 * <p>Pearson's statistic X² = Σ (O − E)² / E, E = n / 64, over windows of {@value #WINDOW} symbols that start every
 * {@value #STRIDE} symbols, and over the last {@value #WINDOW} symbols; a block shorter than {@value #WINDOW}
 * symbols but at least {@value #MIN_SHORT} is one window of its own with the bound {@value #SHORT_BOUND}.
 *
 * <p>The bounds come from the exact distribution of X² for uniform symbols (a multinomial, computed by dynamic
 * programming over the 64 counts, the sum of their squares capped at the bound; the chi-squared approximation
 * underestimates this tail by orders of magnitude at E = 4). For n = 256, P(X² ≥ {@value #BOUND}) = 1.0e-16; for
 * n = 96, 128, 192, 224, P(X² ≥ {@value #SHORT_BOUND}) = 2.8e-16, 2.2e-17, 4.9e-19, 1.1e-19. A megabyte of armor
 * is about 16,000 windows, so random armor is refused with a probability below 2e-12 per megabyte, far below
 * 1e-9 per message. English words need a run of about 100 base64 characters inside one window before X² can
 * pass the bound (60 % at 128, all at 160: see docs/content-protection.md); fewer cannot be told from random.
 *
 * <p>Holds {@value #WINDOW} bytes; not thread-safe.
 */
final class SymbolDistribution {
  static final int WINDOW = 256;
  static final int STRIDE = 64;
  static final int BOUND = 250;
  static final int MIN_SHORT = 96;
  static final int SHORT_BOUND = 300;

  private final byte[] ring = new byte[WINDOW];
  private final int[] counts = new int[64];
  private long symbols;
  /** Σ counts² over the current window. */
  private long squares;
  private boolean skewed;

  /** One base64 symbol, its value 0 to 63. */
  void add(int sextet) {
    int at = (int) (symbols % WINDOW);
    if (symbols >= WINDOW) {
      int old = ring[at];
      squares -= 2L * counts[old] - 1;
      counts[old]--;
    }
    ring[at] = (byte) sextet;
    squares += 2L * counts[sextet] + 1;
    counts[sextet]++;
    symbols++;
    if (symbols >= WINDOW && symbols % STRIDE == 0) {
      check(WINDOW, BOUND);
    }
  }

  /** Whether the symbols seen so far, the last window included, are what uniform bytes give. */
  boolean uniform() {
    if (symbols >= WINDOW) {
      if (symbols % STRIDE != 0) {
        check(WINDOW, BOUND);
      }
    } else if (symbols >= MIN_SHORT) {
      check((int) symbols, SHORT_BOUND);
    }
    return !skewed;
  }

  /** X² = 64 Σ O² / n − n ≥ bound, in integers. */
  private void check(int n, int bound) {
    if (64 * squares - (long) n * n >= (long) bound * n) {
      skewed = true;
    }
  }
}
