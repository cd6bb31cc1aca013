package org.caliop.hop;

import java.util.Locale;

/**
 * One CIDR block, IPv4 ({@code 10.0.0.0/8}) or IPv6 ({@code 2001:db8::/32}); a bare address is a /32 or /128.
 * Parsed once; {@link #contains(IpAddress)} costs two long comparisons. An IPv4-mapped IPv6 address
 * ({@code ::ffff:10.1.2.3}) is its IPv4 address ({@link IpAddress}), so it matches IPv4 blocks, and
 * {@code ::ffff:10.0.0.0/104} is the block {@code 10.0.0.0/8}.
 */
public final class Network {
  private final String text;
  private final boolean v4;
  private final long hi;
  private final long lo;
  private final long maskHi;
  private final long maskLo;

  private Network(String text, boolean v4, long hi, long lo, long maskHi, long maskLo) {
    this.text = text;
    this.v4 = v4;
    this.hi = hi & maskHi;
    this.lo = lo & maskLo;
    this.maskHi = maskHi;
    this.maskLo = maskLo;
  }

  /** @throws IllegalArgumentException naming the bad block, e.g. {@code bad CIDR "10.0.0.0/33": prefix ...} */
  public static Network parse(String cidr) {
    if (cidr == null || cidr.isBlank()) {
      throw new IllegalArgumentException("bad CIDR \"" + cidr + "\": empty");
    }
    String t = cidr.trim();
    int slash = t.indexOf('/');
    String addr = slash < 0 ? t : t.substring(0, slash);
    if (addr.startsWith("[") && addr.endsWith("]")) {
      addr = addr.substring(1, addr.length() - 1);
    }
    byte[] b = IpAddress.bytes(addr);
    if (b == null || addr.indexOf('%') >= 0) {
      throw new IllegalArgumentException("bad CIDR \"" + cidr + "\": \"" + addr + "\" is not an IPv4 or IPv6 address");
    }
    int bits = b.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String p = t.substring(slash + 1);
      try {
        prefix = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad CIDR \"" + cidr + "\": prefix \"" + p + "\" is not a number");
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException("bad CIDR \"" + cidr + "\": prefix must be 0.." + bits);
      }
    }
    if (b.length == 16 && isMappedV4(b) && prefix >= 96) {
      // ::ffff:10.0.0.0/104 is the IPv4 block 10.0.0.0/8
      b = IpAddress.unmapV4(b);
      prefix -= 96;
      bits = 32;
    }
    long[] v = toLongs(b);
    long[] m = mask(b.length == 4 ? prefix + 96 : prefix);
    return new Network(t.toLowerCase(Locale.ROOT), b.length == 4, v[0], v[1], m[0], m[1]);
  }

  /** Whether the address (v4 or v6 text, brackets and {@code IPv6:} allowed) is inside; false for non-addresses. */
  public boolean contains(String ip) {
    IpAddress a = IpAddress.orNull(ip);
    return a != null && contains(a);
  }

  /** Whether the address is inside. */
  public boolean contains(IpAddress address) {
    byte[] b = address.rawBytes();
    if ((b.length == 4) != v4) {
      return false;
    }
    long h = 0;
    long l = 0;
    if (b.length == 4) {
      for (int i = 0; i < 4; i++) {
        l = (l << 8) | (b[i] & 0xff);
      }
    } else {
      for (int i = 0; i < 8; i++) {
        h = (h << 8) | (b[i] & 0xff);
      }
      for (int i = 8; i < 16; i++) {
        l = (l << 8) | (b[i] & 0xff);
      }
    }
    return (h & maskHi) == hi && (l & maskLo) == lo;
  }

  @Override
  public String toString() {
    return text;
  }

  private static boolean isMappedV4(byte[] b) {
    return IpAddress.unmapV4(b).length == 4;
  }

  // IPv4 is held as ::a.b.c.d in the low 32 bits, so one code path serves both families.
  private static long[] toLongs(byte[] b) {
    long hi = 0;
    long lo = 0;
    if (b.length == 4) {
      for (int i = 0; i < 4; i++) {
        lo = (lo << 8) | (b[i] & 0xff);
      }
      return new long[] {0, lo};
    }
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (b[i] & 0xff);
    }
    for (int i = 8; i < 16; i++) {
      lo = (lo << 8) | (b[i] & 0xff);
    }
    return new long[] {hi, lo};
  }

  private static long[] mask(int prefix128) {
    long mh;
    long ml;
    if (prefix128 <= 0) {
      mh = 0;
      ml = 0;
    } else if (prefix128 < 64) {
      mh = -1L << (64 - prefix128);
      ml = 0;
    } else if (prefix128 == 64) {
      mh = -1L;
      ml = 0;
    } else if (prefix128 < 128) {
      mh = -1L;
      ml = -1L << (128 - prefix128);
    } else {
      mh = -1L;
      ml = -1L;
    }
    return new long[] {mh, ml};
  }
}
