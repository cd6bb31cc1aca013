package org.caliop.crypto;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Locale;
import java.util.Objects;

/**
 * The certificate chosen for one address, with the file it came from and the algorithms the policy chose for that
 * recipient's client.
 */
final class SmimeRecipientKey {
  private final X509Certificate certificate;
  private final Path source;
  private final int candidates;
  private final SmimeAlgorithms algorithms;

  private SmimeRecipientKey(X509Certificate certificate, Path source, int candidates, SmimeAlgorithms algorithms) {
    this.certificate = Objects.requireNonNull(certificate);
    this.source = Objects.requireNonNull(source);
    this.candidates = candidates;
    this.algorithms = Objects.requireNonNull(algorithms);
  }

  static SmimeRecipientKey of(X509Certificate certificate, Path source, int candidates) {
    return new SmimeRecipientKey(certificate, source, candidates, SmimeAlgorithms.DEFAULT);
  }

  /** The same key with the recipient's algorithms. */
  SmimeRecipientKey with(SmimeAlgorithms chosen) {
    return new SmimeRecipientKey(certificate, source, candidates, chosen);
  }

  X509Certificate certificate() {
    return certificate;
  }

  Path source() {
    return source;
  }

  int candidates() {
    return candidates;
  }

  SmimeAlgorithms algorithms() {
    return algorithms;
  }

  boolean isRsa() {
    return certificate.getPublicKey() instanceof RSAPublicKey;
  }

  boolean isEc() {
    return certificate.getPublicKey() instanceof ECPublicKey;
  }

  /** The key transport or agreement written into this recipient's RecipientInfo, as logged. */
  String keyAlgorithm() {
    return isRsa() ? algorithms.keyTransport().token() : "ecdh";
  }

  /** Issuer serial, short enough for a log line. */
  String keyId() {
    return "serial=0x" + certificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
  }
}
