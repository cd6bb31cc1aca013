package org.caliop.milter.seal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.caliop.header.StructuredFields;

/**
 * Seals text into a header field value only caliop can open: AES-256-GCM under a {@link SealKeys} key, a random
 * 96-bit nonce, the envelope sender as associated data (a sealed value moved onto another sender's message does not
 * open). The value is an RFC 8941 dictionary without white space, so however an MTA folds the line, removing white
 * space gives it back:
 *
 * <pre>
 * v=1,k=:KEYID:,n=:NONCE:,c=:CIPHERTEXT-AND-TAG:
 * </pre>
 *
 * <p>Nobody without the key can read what is sealed (it names the client of a submission) nor write a value that
 * opens: a forged or altered one, or one made with another key, simply does not open.
 */
public final class FactsSeal {
  /** The plain text sealed is at most this long; a value is then about 22 KiB at most. */
  public static final int MAX_PLAIN = 16 * 1024;
  /** A value longer than this is not opened (twice the largest we write, in base64, with room for folding). */
  static final int MAX_VALUE = 48 * 1024;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String AAD_PREFIX = "caliop-facts-v1\0";
  /** Folded into lines of this many characters, well under RFC 5322's 998. */
  private static final int LINE = 76;

  private final SealKeys keys;
  private final SecureRandom random = new SecureRandom();

  public FactsSeal(SealKeys keys) {
    this.keys = keys;
  }

  /**
   * The sealed value of {@code plain}, folded with {@code "\n\t"} (an MTA joins the lines again; Postfix's cleanup
   * takes a milter's header value in lines separated by a newline).
   *
   * @param sender the envelope sender as the MTA gave it, angle brackets and case ignored
   * @throws IllegalArgumentException when {@code plain} is longer than {@link #MAX_PLAIN}
   */
  public String seal(String plain, String sender) {
    byte[] text = plain.getBytes(StandardCharsets.UTF_8);
    if (text.length > MAX_PLAIN) {
      throw new IllegalArgumentException("sealed facts are at most " + MAX_PLAIN + " bytes");
    }
    SealKeys.Key key = keys.current();
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed;
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key.secret(), new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(aad(sender));
      sealed = c.doFinal(text);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is in every JDK", e);
    }
    String value = "v=1,k=" + bytes(key.id()) + ",n=" + bytes(nonce) + ",c=" + bytes(sealed);
    return fold(value);
  }

  /**
   * The text sealed in {@code value}; empty when it is not a sealed value, was made with a key we do not have, for
   * another sender, or was altered.
   */
  public Optional<String> open(String value, String sender) {
    if (value == null || value.length() > MAX_VALUE) {
      return Optional.empty();
    }
    Map<String, Object> d;
    try {
      d = StructuredFields.parseDictionary(value.replaceAll("[ \t\r\n]", ""));
    } catch (StructuredFields.ParseException e) {
      return Optional.empty();
    }
    if (!Long.valueOf(1).equals(item(d.get("v")))) {
      return Optional.empty();
    }
    byte[] id = bytesOf(d.get("k"));
    byte[] nonce = bytesOf(d.get("n"));
    byte[] sealed = bytesOf(d.get("c"));
    if (id == null || nonce == null || nonce.length != NONCE_BYTES || sealed == null) {
      return Optional.empty();
    }
    Optional<SealKeys.Key> key = keys.byId(id);
    if (key.isEmpty()) {
      return Optional.empty();
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key.get().secret(), new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(aad(sender));
      return Optional.of(new String(c.doFinal(sealed), StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      // AEADBadTagException: altered, another sender, or not ours
      return Optional.empty();
    }
  }

  private static byte[] aad(String sender) {
    String s = sender == null ? "" : sender.trim();
    if (s.startsWith("<") && s.endsWith(">")) {
      s = s.substring(1, s.length() - 1).trim();
    }
    return (AAD_PREFIX + s.toLowerCase(java.util.Locale.ROOT)).getBytes(StandardCharsets.UTF_8);
  }

  private static String bytes(byte[] b) {
    return ":" + java.util.Base64.getEncoder().encodeToString(b) + ":";
  }

  private static Object item(Object member) {
    return member instanceof StructuredFields.Item i ? i.value() : null;
  }

  private static byte[] bytesOf(Object member) {
    return item(member) instanceof byte[] b ? b : null;
  }

  private static String fold(String value) {
    StringBuilder out = new StringBuilder(value.length() + value.length() / LINE * 2);
    for (int i = 0; i < value.length(); i += LINE) {
      if (i > 0) {
        out.append("\n\t");
      }
      out.append(value, i, Math.min(value.length(), i + LINE));
    }
    return out.toString();
  }
}
