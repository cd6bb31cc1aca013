package org.caliop.geo;

import com.maxmind.db.CHMCache;
import com.maxmind.db.MaxMindDbConstructor;
import com.maxmind.db.MaxMindDbParameter;
import com.maxmind.db.Reader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An IP-to-country database in MaxMind's MMDB format, read with MaxMind's reader. Both common schemas are read:
 * {@code country.iso_code} (MaxMind GeoLite2/GeoIP2 Country and City, DB-IP Lite Country) and the flat
 * {@code country_code} of the ip-location-db files.
 *
 * <p>What it gives is the address's registered or declared country according to that database as of its build
 * date: an estimate, not a legal jurisdiction. An address the database does not map (private, loopback,
 * documentation ranges in real databases) has no country.
 *
 * <p>The file is read into memory once ({@link #MAX_BYTES} at most) and shared by every message and session; a
 * policy reload that names the same unchanged file gets the same instance back. Reading it whole rather than mapping
 * it means an admin who overwrites the file in place cannot crash the mail server under a live mapping. Lookups are
 * thread-safe, allocate one small object per distinct record (cached), and never throw.
 */
public final class CountryDatabase {
  /** Largest database read: a country database is 5-10 MB, a city database about 70 MB. */
  public static final long MAX_BYTES = 256L * 1024 * 1024;

  private static final Map<Path, CountryDatabase> OPEN = new ConcurrentHashMap<>();
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  private final Path path;
  private final long size;
  private final long modified;
  private final Reader reader;
  private final String type;
  private final String built;

  private CountryDatabase(Path path, long size, long modified, Reader reader) {
    this.path = path;
    this.size = size;
    this.modified = modified;
    this.reader = reader;
    this.type = Objects.requireNonNullElse(reader.getMetadata().getDatabaseType(), "unnamed");
    this.built = DAY.format(reader.getMetadata().getBuildDate().toInstant());
  }

  /**
   * The database at {@code file}, read once: the same instance while the file keeps its size and modification time.
   *
   * @throws IOException when the file cannot be read, is larger than {@link #MAX_BYTES}, or is not an MMDB file
   */
  public static CountryDatabase open(Path file) throws IOException {
    Path real = file.toRealPath();
    BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class);
    if (!attrs.isRegularFile()) {
      throw new IOException("not a file");
    }
    if (attrs.size() > MAX_BYTES) {
      throw new IOException("larger than " + MAX_BYTES + " bytes: not an IP-to-country database");
    }
    long modified = attrs.lastModifiedTime().toMillis();
    CountryDatabase cached = OPEN.get(real);
    if (cached != null && cached.size == attrs.size() && cached.modified == modified) {
      return cached;
    }
    Reader reader;
    try {
      reader = new Reader(real.toFile(), Reader.FileMode.MEMORY, new CHMCache());
    } catch (RuntimeException e) {
      // the reader throws unchecked exceptions on some malformed files
      throw new IOException("not an MMDB database (" + e.getMessage() + ")", e);
    }
    CountryDatabase db = new CountryDatabase(real, attrs.size(), modified, reader);
    OPEN.put(real, db);
    return db;
  }

  /**
   * The ISO 3166-1 alpha-2 code (upper case) the database gives for an address of 4 or 16 bytes, or empty when it
   * maps no country there (or the record has no country, or is damaged).
   */
  public Optional<String> country(byte[] address) {
    if (address == null || (address.length != 4 && address.length != 16)) {
      return Optional.empty();
    }
    try {
      Entry e = reader.get(InetAddress.getByAddress(address), Entry.class);
      return e == null ? Optional.empty() : Optional.ofNullable(e.code);
    } catch (UnknownHostException e) {
      return Optional.empty(); // cannot happen for 4 or 16 bytes: no name is looked up
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // a damaged record maps nothing
    }
  }

  /** The database type its maker wrote ({@code GeoLite2-Country}, {@code DBIP-Country-Lite} ...). */
  public String type() {
    return type;
  }

  /** The build date in the file's metadata, {@code yyyy-mm-dd} (UTC). */
  public String built() {
    return built;
  }

  /** "GeoLite2-Country 2026-11-03": what a country is "per", in reasons and output. */
  public String source() {
    return type + " " + built;
  }

  public Path path() {
    return path;
  }

  @Override
  public String toString() {
    return "CountryDatabase[" + path + ", " + source() + "]";
  }

  /** One record, either schema; only the fields named here are decoded. */
  public static final class Entry {
    final String code;

    @MaxMindDbConstructor
    public Entry(@MaxMindDbParameter(name = "country") Country country,
        @MaxMindDbParameter(name = "country_code") String countryCode) {
      String c = country != null && country.isoCode != null ? country.isoCode : countryCode;
      String upper = c == null ? null : c.toUpperCase(Locale.ROOT);
      this.code = upper != null && Jurisdictions.isCountryCode(upper) ? upper : null;
    }
  }

  /** The {@code country} map of the MaxMind schema. */
  public static final class Country {
    final String isoCode;

    @MaxMindDbConstructor
    public Country(@MaxMindDbParameter(name = "iso_code") String isoCode) {
      this.isoCode = isoCode;
    }
  }
}
