package org.caliop.mime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;

/**
 * The digests of signed content, computed as it streams by, in its canonical form (CRLF line ends): what a detached
 * or opaque signature is checked against, without ever holding the content. Only the algorithms the signature may
 * use are computed (its {@code micalg}, or the CMS digest algorithm set); SHA-1 and MD5 are not accepted, so not
 * computed.
 */
final class SignedDigests {
  /** JCA name to CMS digest algorithm OID, for the digests we accept. */
  private static final Map<String, ASN1ObjectIdentifier> OIDS = new LinkedHashMap<>();

  static {
    OIDS.put("SHA-256", NISTObjectIdentifiers.id_sha256);
    OIDS.put("SHA-384", NISTObjectIdentifiers.id_sha384);
    OIDS.put("SHA-512", NISTObjectIdentifiers.id_sha512);
    OIDS.put("SHA-224", NISTObjectIdentifiers.id_sha224);
    OIDS.put("SHA3-256", NISTObjectIdentifiers.id_sha3_256);
    OIDS.put("SHA3-512", NISTObjectIdentifiers.id_sha3_512);
  }

  private final Map<String, MessageDigest> digests = new LinkedHashMap<>();
  private final OutputStream sink;

  private SignedDigests(Iterable<String> names, boolean canonical) {
    for (String n : names) {
      if (OIDS.containsKey(n) && !digests.containsKey(n)) {
        try {
          digests.put(n, MessageDigest.getInstance(n));
        } catch (NoSuchAlgorithmException e) {
          // Not in this JDK: that signature will say its digest was not computed.
        }
      }
    }
    OutputStream direct = new OutputStream() {
      @Override
      public void write(int b) {
        for (MessageDigest d : digests.values()) {
          d.update((byte) b);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) {
        for (MessageDigest d : digests.values()) {
          d.update(b, off, len);
        }
      }
    };
    this.sink = canonical ? new CrlfOutputStream(direct, false) : direct;
  }

  /**
   * Digests for the JCA names given ({@code SHA-256}...) of content brought to CRLF line ends (a MIME entity as
   * signed: RFC 8551 3.1.1, RFC 3156 5); names we do not accept are left out.
   */
  static SignedDigests of(Iterable<String> jcaNames) {
    return new SignedDigests(jcaNames, true);
  }

  /** Digests of the bytes exactly as given (the encapsulated content of CMS signed-data). */
  static SignedDigests exact(Iterable<String> jcaNames) {
    return new SignedDigests(jcaNames, false);
  }

  /** Where the content goes, as it is (line ends are made CRLF on the way). */
  OutputStream sink() {
    return sink;
  }

  /** The content has ended. */
  void finish() {
    try {
      if (sink instanceof CrlfOutputStream) {
        ((CrlfOutputStream) sink).finish();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean isEmpty() {
    return digests.isEmpty();
  }

  /** A copy of the running digest, to go on with (OpenPGP hashes its signature trailer after the content). */
  Optional<MessageDigest> copy(String jcaName) {
    MessageDigest d = digests.get(jcaName);
    if (d == null) {
      return Optional.empty();
    }
    try {
      return Optional.of((MessageDigest) d.clone());
    } catch (CloneNotSupportedException e) {
      return Optional.empty();
    }
  }

  /** The finished digests by CMS algorithm OID (the running digests are left as they are). */
  Map<ASN1ObjectIdentifier, byte[]> byOid() {
    Map<ASN1ObjectIdentifier, byte[]> out = new LinkedHashMap<>();
    for (String name : digests.keySet()) {
      copy(name).ifPresent(d -> out.put(OIDS.get(name), d.digest()));
    }
    return out;
  }

  /** The JCA name of a CMS digest algorithm OID we accept, or null. */
  static String nameOf(ASN1ObjectIdentifier oid) {
    for (Map.Entry<String, ASN1ObjectIdentifier> e : OIDS.entrySet()) {
      if (e.getValue().equals(oid)) {
        return e.getKey();
      }
    }
    return null;
  }

  /**
   * The JCA name of a {@code micalg} value ({@code sha-256}, {@code sha256}, {@code pgp-sha256}); null when we do
   * not know or do not accept it.
   */
  static String nameOfMicalg(String micalg) {
    String m = micalg.trim().toLowerCase(Locale.ROOT);
    if (m.startsWith("pgp-")) {
      m = m.substring(4);
    }
    switch (m.replace("-", "")) {
      case "sha224":
        return "SHA-224";
      case "sha256":
        return "SHA-256";
      case "sha384":
        return "SHA-384";
      case "sha512":
        return "SHA-512";
      case "sha3256":
        return "SHA3-256";
      case "sha3512":
        return "SHA3-512";
      default:
        return null;
    }
  }

  /** The JCA name of an OpenPGP hash algorithm ID (RFC 9580 9.5) we accept, or null (MD5, SHA-1, RIPEMD-160...). */
  static String nameOfPgp(int hashAlgorithm) {
    switch (hashAlgorithm) {
      case 8:
        return "SHA-256";
      case 9:
        return "SHA-384";
      case 10:
        return "SHA-512";
      case 11:
        return "SHA-224";
      case 12:
        return "SHA3-256";
      case 14:
        return "SHA3-512";
      default:
        return null;
    }
  }

  /** The CMS OID of a JCA digest name we accept. */
  static ASN1ObjectIdentifier oidOf(String jcaName) {
    return OIDS.get(jcaName);
  }
}
