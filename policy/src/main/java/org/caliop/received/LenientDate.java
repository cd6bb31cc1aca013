package org.caliop.received;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Reads the date at the end of a {@code Received:} value, leniently: RFC 5322 dates with or without the day name,
 * obsolete zones ({@code UT}, {@code GMT}, {@code EST} ... {@code PDT}, military letters), missing seconds,
 * fractional seconds (dropped), two- and three-digit years (RFC 5322 4.3: 00-49 are 20xx, 50-999 are 19xx), the
 * asctime/Unix forms {@code Fri Feb 07 10:18:12 2003 -0800} and {@code Fri Sep 14 14:36:56 EDT 2018}, and ISO 8601
 * dates ({@code 2018-04-22 02:54:17.02 +0000 UTC}, {@code 2018-04-22T02:54:17Z}). A date without a time or without a
 * zone names no instant and gives null, like unreadable text: never a wrong date. Never throws.
 */
final class LenientDate {
  /** A date needs no more than this many tokens; anything longer is not looked at. */
  private static final int MAX_TOKENS = 12;
  private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
      "nov", "dec"};
  private static final String[] DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

  private static final int NUM = 1;
  private static final int ALPHA = 2;
  private static final int TIME = 3;
  private static final int ZONE = 4;
  /** {@code 2018-04-22}: an ISO 8601 calendar date (SendGrid, Go's time format). */
  private static final int ISO = 5;
  /** Where {@code yyyy-mm-dd} has its digits. */
  private static final int[] ISO_DIGITS = {0, 1, 2, 3, 5, 6, 8, 9};

  /** Offsets of whole quarter hours, -18:00 to +18:00 (what mail uses), made once instead of looked up per date. */
  private static final ZoneOffset[] QUARTER_HOURS = new ZoneOffset[145];

  static {
    for (int q = -72; q <= 72; q++) {
      QUARTER_HOURS[q + 72] = ZoneOffset.ofTotalSeconds(q * 900);
    }
  }

  private final int[] type = new int[MAX_TOKENS];
  private final int[] from = new int[MAX_TOKENS];
  private final int[] to = new int[MAX_TOKENS];
  private int count;
  private final char[] s;

  private OffsetDateTime result;
  private int consumedEnd;
  private int hour;
  private int minute;
  private int second;

  /** A reader of dates in {@code s}; {@link #parse} once. */
  LenientDate(char[] s) {
    this.s = s;
  }

  /**
   * The date in {@code s[start, stop)}, or null when there is none; {@link #end()} then says where it ended in the
   * text (words after it, e.g. {@code for <x>}, are not a date).
   */
  OffsetDateTime parse(int start, int stop) {
    try {
      tokenize(start, stop);
      read();
    } catch (DateTimeException | ArithmeticException e) {
      result = null;
    }
    if (result == null) {
      consumedEnd = start;
    }
    return result;
  }

  /** Offset just after the date read by {@link #parse}, or its start when there was none. */
  int end() {
    return consumedEnd;
  }

  private void tokenize(int start, int stop) {
    int i = start;
    int parens = 0;
    while (i < stop && count < MAX_TOKENS) {
      char c = s[i];
      if (c == '(') {
        parens++;
        i++;
        continue;
      }
      if (c == ')') {
        if (parens > 0) {
          parens--;
        }
        i++;
        continue;
      }
      if (parens > 0) {
        i++;
        continue;
      }
      if (c == '<' || c == '@') {
        return; // an address: the date is over
      }
      int b = i;
      if (isIsoDate(i, stop)) {
        i += 10;
        add(ISO, b, i);
        if (i + 1 < stop && (s[i] == 'T' || s[i] == 't') && isDigit(s[i + 1])) {
          i++; // 2018-04-22T02:54:17Z
        }
      } else if (isDigit(c)) {
        boolean colon = false;
        while (i < stop && (isDigit(s[i]) || s[i] == ':' || s[i] == '.')) {
          colon |= s[i] == ':';
          i++;
        }
        add(colon ? TIME : NUM, b, i);
      } else if ((c == '+' || c == '-') && i + 1 < stop && isDigit(s[i + 1])) {
        i++;
        while (i < stop && isDigit(s[i])) {
          i++;
        }
        if (i - b == 3 && i + 2 < stop && s[i] == ':' && isDigit(s[i + 1]) && isDigit(s[i + 2])) {
          i += 3; // +02:00
        }
        add(ZONE, b, i);
      } else if (isLetter(c)) {
        while (i < stop && isLetter(s[i])) {
          i++;
        }
        add(ALPHA, b, i);
      } else {
        i++;
      }
    }
  }

  private void add(int t, int b, int e) {
    type[count] = t;
    from[count] = b;
    to[count] = e;
    count++;
  }

  private void read() {
    int i = 0;
    if (i < count && type[i] == ALPHA && index(DAYS, i) >= 0) {
      i++;
    }
    int day;
    int month;
    int year = Integer.MIN_VALUE;
    boolean asctime;
    if (i < count && type[i] == ISO) {
      int p = from[i];
      year = digits(p, 4);
      month = digits(p + 5, 2);
      day = digits(p + 8, 2);
      i++;
      asctime = false;
    } else if (i + 2 < count && type[i] == NUM && type[i + 1] == ALPHA && index(MONTHS, i + 1) >= 0 && type[i + 2] == NUM) {
      day = number(i);
      month = index(MONTHS, i + 1) + 1;
      year = number(i + 2);
      if (day < 0 || year < 0) {
        return;
      }
      i += 3;
      asctime = false;
    } else if (i + 1 < count && type[i] == ALPHA && index(MONTHS, i) >= 0 && type[i + 1] == NUM) {
      month = index(MONTHS, i) + 1;
      day = number(i + 1);
      if (day < 0) {
        return;
      }
      i += 2;
      asctime = true;
    } else {
      return;
    }
    if (i >= count || type[i] != TIME) {
      return;
    }
    if (!time(i)) {
      return;
    }
    int end = to[i];
    i++;
    ZoneOffset zone = null;
    // zone and (asctime) year, in either order; a named zone may follow a numeric one ("-0800 PST")
    for (int k = 0; k < 3 && i < count; k++) {
      if (type[i] == NUM && year == Integer.MIN_VALUE && asctime) {
        year = number(i);
        if (year < 0) {
          return;
        }
      } else if (type[i] == ZONE && zone == null) {
        zone = numericZone(i);
        if (zone == null) {
          break;
        }
      } else if (type[i] == ALPHA) {
        ZoneOffset named = namedZone(i);
        if (named == null) {
          break;
        }
        if (zone == null) {
          zone = named;
        }
      } else {
        break;
      }
      end = to[i];
      i++;
    }
    if (year == Integer.MIN_VALUE || zone == null) {
      // no zone: the writer's local time, at an offset nobody wrote down. Read as UTC it would be hours wrong
      // (Obtuse smtpd writes "Sun Jul  9 01:00:44 2023" for what the next host stamps 01:00:50 -0700): no date.
      return;
    }
    if (year < 50) {
      year += 2000;
    } else if (year < 1000) {
      year += 1900;
    }
    result = OffsetDateTime.of(year, month, day, hour, minute, Math.min(second, 59), 0, zone);
    consumedEnd = end;
  }

  /** Reads {@code h:m[:s][.frac]} into hour, minute, second; false when it is not a time. */
  private boolean time(int i) {
    int[] out = {0, 0, 0};
    int part = 0;
    int v = -1;
    for (int p = from[i]; p < to[i]; p++) {
      char c = s[p];
      if (c == ':') {
        if (v < 0 || part >= 2) {
          return false;
        }
        out[part++] = v;
        v = -1;
      } else if (c == '.') {
        break; // fractional seconds
      } else {
        v = (v < 0 ? 0 : v * 10) + (c - '0');
        if (v > 99) {
          return false;
        }
      }
    }
    if (v < 0) {
      return false;
    }
    out[part] = v;
    if (part == 0) {
      return false;
    }
    hour = out[0];
    minute = out[1];
    second = out[2];
    return true;
  }

  private ZoneOffset numericZone(int i) {
    int len = to[i] - from[i] - 1;
    int p = from[i];
    int m;
    if (len == 4) {
      m = p + 3;
    } else if (len == 5 && s[p + 3] == ':') {
      m = p + 4; // +02:00
    } else {
      return null;
    }
    int hh = (s[p + 1] - '0') * 10 + (s[p + 2] - '0');
    int mm = (s[m] - '0') * 10 + (s[m + 1] - '0');
    if (hh > 18 || mm > 59 || (hh == 18 && mm > 0)) {
      return null;
    }
    int sign = s[from[i]] == '-' ? -1 : 1;
    int seconds = sign * (hh * 3600 + mm * 60);
    return seconds % 900 == 0 ? QUARTER_HOURS[seconds / 900 + 72] : ZoneOffset.ofHoursMinutes(sign * hh, sign * mm);
  }

  private ZoneOffset namedZone(int i) {
    int len = to[i] - from[i];
    if (len == 1) {
      return ZoneOffset.UTC; // RFC 5322 4.3: military zones are read as -0000
    }
    String z = new String(s, from[i], to[i] - from[i]).toUpperCase(Locale.ROOT);
    switch (z) {
      case "UT":
      case "UTC":
      case "GMT":
        return ZoneOffset.UTC;
      case "EDT":
        return ZoneOffset.ofHours(-4);
      case "EST":
      case "CDT":
        return ZoneOffset.ofHours(-5);
      case "CST":
      case "MDT":
        return ZoneOffset.ofHours(-6);
      case "MST":
      case "PDT":
        return ZoneOffset.ofHours(-7);
      case "PST":
        return ZoneOffset.ofHours(-8);
      default:
        return null;
    }
  }

  /** Index of a month (MONTHS) or day (DAYS) name by its first three letters, -1 if none; no allocation. */
  private int index(String[] names, int i) {
    if (to[i] - from[i] < 3) {
      return -1;
    }
    char a = lower(s[from[i]]);
    char b = lower(s[from[i] + 1]);
    char c = lower(s[from[i] + 2]);
    for (int k = 0; k < names.length; k++) {
      String n = names[k];
      if (n.charAt(0) == a && n.charAt(1) == b && n.charAt(2) == c) {
        return k;
      }
    }
    return -1;
  }

  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }

  /** The value of a number token of at most four digits, -1 when it is longer or not all digits ("1.5"). */
  private int number(int i) {
    int len = to[i] - from[i];
    if (len > 4) {
      return -1;
    }
    int v = 0;
    for (int p = from[i]; p < to[i]; p++) {
      char c = s[p];
      if (!isDigit(c)) {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** {@code yyyy-mm-dd} at {@code i}, not followed by another digit. */
  private boolean isIsoDate(int i, int stop) {
    if (i + 10 > stop || s[i + 4] != '-' || s[i + 7] != '-' || (i + 10 < stop && isDigit(s[i + 10]))) {
      return false;
    }
    for (int k : ISO_DIGITS) {
      if (!isDigit(s[i + k])) {
        return false;
      }
    }
    return true;
  }

  private int digits(int p, int n) {
    int v = 0;
    for (int k = 0; k < n; k++) {
      v = v * 10 + (s[p + k] - '0');
    }
    return v;
  }

  /** Whether {@code s[b, b+3)} is a day name ({@code Mon} ... {@code Sun}, any case). */
  static boolean isDayName(char[] s, int b) {
    if (b + 3 > s.length) {
      return false;
    }
    char a = lower(s[b]);
    char x = lower(s[b + 1]);
    char y = lower(s[b + 2]);
    for (String d : DAYS) {
      if (d.charAt(0) == a && d.charAt(1) == x && d.charAt(2) == y) {
        return true;
      }
    }
    return false;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
