package org.caliop.message;

/**
 * Bounds on what one message may cost us. Past a bound the scan stops looking and says so in a diagnostic; it
 * never fails the message and never buffers more than one line or one header field.
 */
public final class ScanLimits {
  /**
   * The largest {@link #maxNestingDepth()} there is: the walk descends into nested messages with a nested parser
   * over the decoded body, so each level costs Java stack (a few frames of the walk, one stream layer per level
   * for every read below it), and the depth is checked before each descent. 256 levels of the dearest shape
   * (message/rfc822, each quoted-printable) need 544 KiB of stack even interpreted ({@code -Xint}), about 1.7 KiB a
   * level, within the JVM's default 1 MiB thread stack ({@code DeepNestingTest} runs them on 640 KiB); no real
   * message nests that deep.
   */
  public static final int MAX_NESTING_DEPTH = 256;
  /** Default of {@link #maxPartInspectBytes()}: 1 MiB. */
  public static final long DEFAULT_MAX_PART_INSPECT_BYTES = 1L << 20;
  private static final ScanLimits DEFAULTS = new ScanLimits(10_000, 1 << 20, 4 << 20, 64, 1_000, Long.MAX_VALUE,
      DEFAULT_MAX_PART_INSPECT_BYTES);

  private final int maxHeaderFields;
  private final int maxHeaderFieldBytes;
  private final int maxHeaderSectionBytes;
  private final int maxNestingDepth;
  private final int maxParts;
  private final long maxInspectBytes;
  private final long maxPartInspectBytes;

  private ScanLimits(int maxHeaderFields, int maxHeaderFieldBytes, int maxHeaderSectionBytes, int maxNestingDepth,
      int maxParts, long maxInspectBytes, long maxPartInspectBytes) {
    this.maxHeaderFields = maxHeaderFields;
    this.maxHeaderFieldBytes = maxHeaderFieldBytes;
    this.maxHeaderSectionBytes = maxHeaderSectionBytes;
    this.maxNestingDepth = maxNestingDepth;
    this.maxParts = maxParts;
    this.maxInspectBytes = maxInspectBytes;
    this.maxPartInspectBytes = maxPartInspectBytes;
  }

  /** Generous defaults that keep every real message we have seen and bound memory to a few MiB. */
  public static ScanLimits defaults() {
    return DEFAULTS;
  }

  public static ScanLimits of(int maxHeaderFields, int maxHeaderFieldBytes, int maxHeaderSectionBytes,
      int maxNestingDepth, int maxParts, long maxInspectBytes) {
    return of(maxHeaderFields, maxHeaderFieldBytes, maxHeaderSectionBytes, maxNestingDepth, maxParts,
        maxInspectBytes, DEFAULT_MAX_PART_INSPECT_BYTES);
  }

  public static ScanLimits of(int maxHeaderFields, int maxHeaderFieldBytes, int maxHeaderSectionBytes,
      int maxNestingDepth, int maxParts, long maxInspectBytes, long maxPartInspectBytes) {
    if (maxNestingDepth < 1 || maxNestingDepth > MAX_NESTING_DEPTH) {
      throw new IllegalArgumentException("maxNestingDepth must be from 1 to " + MAX_NESTING_DEPTH + ", not "
          + maxNestingDepth);
    }
    return new ScanLimits(maxHeaderFields, maxHeaderFieldBytes, maxHeaderSectionBytes, maxNestingDepth, maxParts,
        maxInspectBytes, maxPartInspectBytes);
  }

  /**
   * Header fields of the top-level header section we look at; later ones are skipped, except that names matching
   * the foreign-header predicate are still matched (ours must be removed wherever they stand), remembering at most
   * this many. Default 10,000.
   */
  public int maxHeaderFields() {
    return maxHeaderFields;
  }

  /**
   * Bytes of one header field we keep; the rest is dropped. Also the longest line the parser buffers: longer lines,
   * in headers or bodies, are cut to this length before parsing. Default 1 MiB.
   */
  public int maxHeaderFieldBytes() {
    return maxHeaderFieldBytes;
  }

  /** Bytes of all top-level header values we keep (Received, Authentication-Results, foreign). Default 4 MiB. */
  public int maxHeaderSectionBytes() {
    return maxHeaderSectionBytes;
  }

  /**
   * Nesting we descend into: the top message is at depth 0, its parts at 1, and a part at this depth is read as one
   * opaque body (a multipart or message there is not opened). Nested messages and opaque S/MIME content count as
   * levels too. Default 64, at most {@link #MAX_NESTING_DEPTH}.
   */
  public int maxNestingDepth() {
    return maxNestingDepth;
  }

  /** MIME entities (the message, its parts, nested messages) we look at; the walk stops past it. Default 1,000. */
  public int maxParts() {
    return maxParts;
  }

  /** Bytes of the message we read before we stop looking (the rest is drained, not inspected). */
  public long maxInspectBytes() {
    return maxInspectBytes;
  }

  /**
   * Bytes of one part's decoded body that content-protection checks read (armor, OpenPGP packets, CMS headers,
   * text); the rest of the part is not read. Past it, the unread rest of a part counts as clear, except the rest of
   * an encrypted data packet whose header was checked (its length says it is ciphertext). Signature digests are not
   * bounded by it: they cover the whole signed part. Default 1 MiB.
   */
  public long maxPartInspectBytes() {
    return maxPartInspectBytes;
  }
}
