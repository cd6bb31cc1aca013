package org.caliop.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.caliop.score.ScoreV2;

/**
 * What this build is: the release version (from the build, never {@code -SNAPSHOT} in a released artifact) and the
 * score formula version it stamps. Shown by {@code --version}, logged at start-up and exported as
 * {@code caliop_build_info}, so an admin can tell which formula scored a message without reading a header.
 */
public final class BuildInfo {
  private static final BuildInfo CURRENT = load();

  private final String version;

  private BuildInfo(String version) {
    this.version = version;
  }

  public static BuildInfo current() {
    return CURRENT;
  }

  /** The release version, e.g. {@code 0.2.0}. */
  public String version() {
    return version;
  }

  /** The score formula version written as {@code v=} in {@code Caliop-Privacy} (docs/score.md). */
  public String scoreFormulaVersion() {
    return ScoreV2.VERSION;
  }

  /** One line: {@code caliop 0.2.0 (score formula v2)}. */
  public String describe() {
    return "caliop " + version + " (score formula v" + scoreFormulaVersion() + ")";
  }

  private static BuildInfo load() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in == null) {
        throw new IllegalStateException("build.properties missing from the engine jar");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new BuildInfo(p.getProperty("version"));
  }
}
