package org.caliop.milter.config;

/** A setting that cannot be used, named with where it came from. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
