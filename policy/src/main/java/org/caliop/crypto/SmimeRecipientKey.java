package org.caliop.crypto;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Locale;
import java.util.Objects;

/** An X.509 certificate usable for S/MIME encryption to one address, with the file it came from. */
final class SmimeRecipientKey {
  private final X509Certificate certificate;
  private final Path source;
  private final boolean authEnveloped;

  private SmimeRecipientKey(X509Certificate certificate, Path source, boolean authEnveloped) {
    this.certificate = Objects.requireNonNull(certificate);
    this.source = Objects.requireNonNull(source);
    this.authEnveloped = authEnveloped;
  }

  static SmimeRecipientKey of(X509Certificate certificate, Path source) {
    return new SmimeRecipientKey(certificate, source, false);
  }

  /** The same key, marked as belonging to a recipient that reads AuthEnvelopedData (AES-GCM). */
  SmimeRecipientKey withAuthEnveloped(boolean supported) {
    return new SmimeRecipientKey(certificate, source, supported);
  }

  X509Certificate certificate() {
    return certificate;
  }

  Path source() {
    return source;
  }

  boolean authEnveloped() {
    return authEnveloped;
  }

  boolean isRsa() {
    return certificate.getPublicKey() instanceof RSAPublicKey;
  }

  boolean isEc() {
    return certificate.getPublicKey() instanceof ECPublicKey;
  }

  /** Issuer serial, short enough for a log line. */
  String keyId() {
    return "serial=0x" + certificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
  }
}
