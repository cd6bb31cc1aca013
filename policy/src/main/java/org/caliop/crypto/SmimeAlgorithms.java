package org.caliop.crypto;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The S/MIME algorithms one recipient's client can open (docs/encryption.md, "Which clients open what"): RSA key
 * transport and content cipher. The default, RSAES-OAEP with AES-256-CBC, is what current Thunderbird, OpenSSL
 * and Bouncy Castle read; older NSS (Evolution and other system-NSS clients up to NSS 3.87) and gpgsm 2.2 need
 * {@code rsa-pkcs1v15}; AES-256-GCM (AuthEnvelopedData) is read by OpenSSL, not by Thunderbird. Immutable.
 */
public final class SmimeAlgorithms {
  /** How the content key travels to an RSA recipient (EC recipients always get ECDH). */
  public enum KeyTransport {
    /** RSAES-OAEP with SHA-256 and MGF1-SHA-256 (RFC 8017, RFC 4055): the modern choice. */
    RSA_OAEP("rsa-oaep"),
    /** RSAES-PKCS1-v1_5 (RFC 8017 7.2): what every S/MIME client reads, kept for those that read nothing else. */
    RSA_PKCS1V15("rsa-pkcs1v15");

    private final String token;

    KeyTransport(String token) {
      this.token = token;
    }

    /** As written in the policy file and the logs. */
    public String token() {
      return token;
    }

    public static Optional<KeyTransport> parse(String text) {
      return parseToken(values(), text);
    }
  }

  /** The cipher of the content itself; one per message. */
  public enum ContentCipher {
    /** AES-256-CBC in EnvelopedData (RFC 5652): what every S/MIME client reads. */
    AES_CBC("aes-cbc"),
    /** AES-256-GCM in AuthEnvelopedData (RFC 5083, 5084): authenticated, read by fewer clients. */
    AES_GCM("aes-gcm");

    private final String token;

    ContentCipher(String token) {
      this.token = token;
    }

    public String token() {
      return token;
    }

    public static Optional<ContentCipher> parse(String text) {
      return parseToken(values(), text);
    }
  }

  /** RSAES-OAEP and AES-256-CBC. */
  public static final SmimeAlgorithms DEFAULT = new SmimeAlgorithms(KeyTransport.RSA_OAEP, ContentCipher.AES_CBC);

  private final KeyTransport keyTransport;
  private final ContentCipher contentCipher;

  private SmimeAlgorithms(KeyTransport keyTransport, ContentCipher contentCipher) {
    this.keyTransport = Objects.requireNonNull(keyTransport);
    this.contentCipher = Objects.requireNonNull(contentCipher);
  }

  public static SmimeAlgorithms of(KeyTransport keyTransport, ContentCipher contentCipher) {
    return new SmimeAlgorithms(keyTransport, contentCipher);
  }

  public KeyTransport keyTransport() { return keyTransport; }
  public ContentCipher contentCipher() { return contentCipher; }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SmimeAlgorithms)) {
      return false;
    }
    SmimeAlgorithms a = (SmimeAlgorithms) o;
    return keyTransport == a.keyTransport && contentCipher == a.contentCipher;
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyTransport, contentCipher);
  }

  @Override
  public String toString() {
    return keyTransport.token() + "+" + contentCipher.token();
  }


  private static <E extends Enum<E>> Optional<E> parseToken(E[] values, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (E e : values) {
      String token = e instanceof KeyTransport ? ((KeyTransport) e).token() : ((ContentCipher) e).token();
      if (token.equals(t)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }
}
