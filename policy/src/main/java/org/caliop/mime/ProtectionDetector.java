package org.caliop.mime;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RawFieldParser;

/**
 * Decides the end-to-end protection of a message from the MIME walk, one entity at a time (see
 * {@code docs/content-protection.md}). It sees what anyone on the path sees: the outermost layer that is not
 * encrypted. Inside an encrypted layer (PGP/MIME, S/MIME enveloped-data) nothing is visible, so a message that was
 * signed and then encrypted reports encrypted and not signed. Opaque S/MIME signed-data is readable by anyone, so
 * the walk looks inside it (see {@link CmsPeek}).
 *
 * <p>Not thread-safe: one detector per message.
 */
public final class ProtectionDetector {
  /** What the walk should do with the body of the current leaf. */
  public enum BodyCheck {
    /** Nothing to read. */
    SKIP,
    /** Read the decoded text with {@link InlinePgpScanner} and report with {@link #text}. */
    SCAN_TEXT,
    /** Read the decoded body with {@link CmsPeek}, report with {@link #cms}, and walk its content if it has one. */
    PEEK_CMS,
    /** The body is a message: walk it as a nested message below this entity. */
    NESTED_MESSAGE
  }

  /** Where an entity sits, as far as protection goes. */
  private enum Context {
    /** Readable by anyone on the path. */
    CLEAR,
    /** Inside multipart/encrypted: ciphertext and its control part. */
    ENCRYPTED,
    /** The signature part of multipart/signed. */
    SIGNATURE
  }

  private static final class Frame {
    final Context context;
    String mimeType;
    String protocol;
    String smimeType;
    String fileName;
    boolean seenContentType;
    boolean seenDisposition;
    boolean signedProtocolUnknown;
    boolean textScanned;
    int children;

    Frame(Context context) {
      this.context = context;
    }
  }

  private final Set<String> diagnostics;
  private final Deque<Frame> frames = new ArrayDeque<>();
  private final Set<Encryption> encryptions = EnumSet.noneOf(Encryption.class);
  private boolean clearContent;
  private Signature signature = Signature.NONE;

  /** @param diagnostics where to add diagnostic codes (see {@code ScanDiagnostic}) */
  public ProtectionDetector(Set<String> diagnostics) {
    this.diagnostics = diagnostics;
  }

  /** A message or body part starts, below the current entity. */
  public void enter() {
    Frame parent = frames.peekLast();
    Context context = Context.CLEAR;
    if (parent != null) {
      int index = parent.children++;
      context = parent.context;
      if (context == Context.CLEAR && isType(parent.mimeType, "multipart/encrypted")) {
        context = Context.ENCRYPTED;
      } else if (context == Context.CLEAR && isType(parent.mimeType, "multipart/signed") && index > 0) {
        context = Context.SIGNATURE;
      }
    }
    frames.addLast(new Frame(context));
  }

  /** The current entity ends. */
  public void leave() {
    frames.pollLast();
  }

  /** A header field of the current entity; only Content-Type and Content-Disposition matter here. */
  public void field(Field field) {
    Frame frame = frames.peekLast();
    if (frame == null) {
      return;
    }
    String name = field.getNameLowerCase();
    if (!frame.seenContentType && "content-type".equals(name)) {
      frame.seenContentType = true;
      RawBody body = parse(field);
      for (NameValuePair p : body.getParams()) {
        String key = p.getName().toLowerCase(Locale.ROOT);
        if ("protocol".equals(key)) {
          frame.protocol = lower(p.getValue());
        } else if ("smime-type".equals(key)) {
          frame.smimeType = lower(p.getValue());
        } else if (frame.fileName == null && ("name".equals(key) || "name*".equals(key))) {
          frame.fileName = fileName(p.getValue());
        }
      }
    } else if (!frame.seenDisposition && "content-disposition".equals(name)) {
      frame.seenDisposition = true;
      for (NameValuePair p : parse(field).getParams()) {
        String key = p.getName().toLowerCase(Locale.ROOT);
        if ("filename".equals(key) || "filename*".equals(key)) {
          frame.fileName = fileName(p.getValue());
        }
      }
    }
  }

  /** The current entity is a multipart of this (parser-resolved) type. */
  public void multipart(String mimeType) {
    Frame frame = frames.peekLast();
    if (frame == null) {
      return;
    }
    frame.mimeType = lower(mimeType);
    if (frame.context != Context.CLEAR) {
      return;
    }
    if ("multipart/encrypted".equals(frame.mimeType)) {
      if (!"application/pgp-encrypted".equals(frame.protocol)) {
        diagnostics.add("unknown-protection-protocol");
      }
      // RFC 1847 multipart/encrypted is in use for OpenPGP only.
      encryptions.add(Encryption.PGP_MIME);
    } else if ("multipart/signed".equals(frame.mimeType)) {
      Signature kind = signedProtocol(frame.protocol);
      if (kind == null) {
        frame.signedProtocolUnknown = true;
      } else {
        sign(kind);
      }
    }
  }

  /** The current entity is a leaf of this (parser-resolved) type: what should the walk do with its body? */
  public BodyCheck leaf(String mimeType) {
    Frame frame = frames.peekLast();
    if (frame == null) {
      return BodyCheck.SKIP;
    }
    String type = lower(mimeType);
    frame.mimeType = type;
    if (frame.context == Context.ENCRYPTED) {
      return BodyCheck.SKIP;
    }
    if (frame.context == Context.SIGNATURE) {
      signaturePart(type);
      return BodyCheck.SKIP;
    }
    if (type.startsWith("text/")) {
      Frame parent = parentOf(frame);
      if (parent != null && "multipart/alternative".equals(parent.mimeType)) {
        // Alternatives render the same content: the first text one tells for all (HTML after plain text is the
        // bulk of everyday mail, and armor in it would be in the plain text too).
        if (parent.textScanned) {
          return BodyCheck.SKIP;
        }
        parent.textScanned = true;
      }
      return BodyCheck.SCAN_TEXT;
    }
    if (type.startsWith("message/") && (type.equals("message/rfc822") || type.equals("message/global"))) {
      return BodyCheck.NESTED_MESSAGE;
    }
    if (type.equals("application/pkcs7-mime") || type.equals("application/x-pkcs7-mime")) {
      return smime(frame);
    }
    switch (type) {
      case "application/pkcs7-signature":
      case "application/x-pkcs7-signature":
      case "application/pgp-signature":
      case "application/pgp-encrypted":
      case "application/pgp-keys":
        // Signatures, keys and the PGP/MIME control part are no content of their own.
        return BodyCheck.SKIP;
      case "application/autocrypt-setup":
        // An Autocrypt Setup Message carries the sender's own secret key, encrypted to a passphrase, from one of
        // their devices to another: a key backup, not a message encrypted to its recipients. It is no content.
        return BodyCheck.SKIP;
      default:
        break;
    }
    if (hasSuffix(frame.fileName, ".pgp") || hasSuffix(frame.fileName, ".gpg")) {
      // PGP/inline senders encrypt each attachment on its own, as name.pgp.
      encryptions.add(Encryption.PGP_INLINE);
      return BodyCheck.SKIP;
    }
    clearContent = true;
    return BodyCheck.SKIP;
  }

  /** What {@link InlinePgpScanner} found in the current text leaf. */
  public void text(InlinePgpScanner.Finding finding) {
    switch (finding) {
      case ENCRYPTED:
        encryptions.add(Encryption.PGP_INLINE);
        break;
      case SIGNED:
        sign(Signature.PGP_INLINE);
        clearContent = true;
        break;
      case CLEAR:
        clearContent = true;
        break;
      default:
        break;
    }
  }

  /** What {@link CmsPeek} found in the current S/MIME leaf. */
  public void cms(CmsPeek.Kind kind) {
    Frame frame = frames.peekLast();
    switch (kind) {
      case ENVELOPED:
      case AUTH_ENVELOPED:
        encryptions.add(Encryption.SMIME);
        break;
      case SIGNED:
        sign(Signature.SMIME);
        break;
      case DATA:
      case COMPRESSED:
        clearContent = true;
        break;
      default:
        // Unreadable: without smime-type the file name is the last hint; .p7m is usually enveloped-data.
        if (frame != null && frame.smimeType == null && !hasSuffix(frame.fileName, ".p7c")
            && !hasSuffix(frame.fileName, ".p7z")) {
          diagnostics.add("smime-type-guessed");
          encryptions.add(Encryption.SMIME);
        }
        break;
    }
  }

  /** The protection of everything seen so far. */
  public ContentProtection result() {
    Encryption encrypted;
    if (encryptions.isEmpty()) {
      encrypted = Encryption.NONE;
    } else if (encryptions.size() > 1 || clearContent) {
      encrypted = Encryption.MIXED;
    } else {
      encrypted = encryptions.iterator().next();
    }
    return ContentProtection.of(encrypted, signature);
  }

  private BodyCheck smime(Frame frame) {
    String smimeType = frame.smimeType;
    if ("enveloped-data".equals(smimeType) || "authenveloped-data".equals(smimeType)) {
      encryptions.add(Encryption.SMIME);
      return BodyCheck.SKIP;
    }
    if ("signed-data".equals(smimeType)) {
      sign(Signature.SMIME);
      return BodyCheck.PEEK_CMS;
    }
    if ("certs-only".equals(smimeType)) {
      return BodyCheck.SKIP;
    }
    if ("compressed-data".equals(smimeType)) {
      clearContent = true;
      return BodyCheck.SKIP;
    }
    diagnostics.add("smime-type-guessed");
    return BodyCheck.PEEK_CMS;
  }

  private void signaturePart(String type) {
    Frame parent = parentOf(frames.peekLast());
    if (parent == null || !parent.signedProtocolUnknown) {
      return;
    }
    parent.signedProtocolUnknown = false;
    Signature kind = signedProtocol(type);
    if (kind == null) {
      diagnostics.add("unknown-protection-protocol");
    } else {
      sign(kind);
    }
  }

  private Frame parentOf(Frame frame) {
    Iterator<Frame> it = frames.descendingIterator();
    while (it.hasNext()) {
      if (it.next() == frame) {
        return it.hasNext() ? it.next() : null;
      }
    }
    return null;
  }

  private void sign(Signature kind) {
    // The outermost visible signature names the message's signature.
    if (signature == Signature.NONE) {
      signature = kind;
    }
  }

  private static Signature signedProtocol(String protocol) {
    if (protocol == null) {
      return null;
    }
    switch (protocol) {
      case "application/pgp-signature":
        return Signature.PGP_MIME;
      case "application/pkcs7-signature":
      case "application/x-pkcs7-signature":
        return Signature.SMIME;
      default:
        return null;
    }
  }

  private static RawBody parse(Field field) {
    RawField raw = field instanceof RawField ? (RawField) field : new RawField(field.getName(), field.getBody());
    return RawFieldParser.DEFAULT.parseRawBody(raw);
  }

  private static String fileName(String value) {
    if (value == null) {
      return null;
    }
    // RFC 2231: charset'language'percent-encoded; the suffix is all we need, and it is ASCII.
    int quote = value.lastIndexOf('\'');
    return lower(quote >= 0 ? value.substring(quote + 1) : value).trim();
  }

  private static boolean hasSuffix(String fileName, String suffix) {
    return fileName != null && fileName.endsWith(suffix);
  }

  private static boolean isType(String actual, String expected) {
    return expected.equals(actual);
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT).trim();
  }
}
