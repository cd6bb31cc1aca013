package org.caliop.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RawFieldParser;

/**
 * Decides the end-to-end protection of a message from the MIME walk, one entity at a time (see
 * {@code docs/content-protection.md}). Credits ciphertext, never a label: {@code multipart/encrypted} only in the
 * RFC 1847/3156 shape with OpenPGP ciphertext inside, S/MIME by the CMS content type read from the bytes, inline
 * PGP only for armor that decodes to ciphertext, {@code *.pgp} files only when their bytes are. Whatever is not
 * ciphertext, and is not a control or signature part in its protocol position, is clear content.
 *
 * <p>It sees what anyone on the path sees: the outermost layer that is not encrypted. Inside ciphertext nothing is
 * visible, so a message that was signed and then encrypted reports encrypted and not signed. Opaque S/MIME
 * signed-data is readable by anyone, so the walk looks inside it (see {@link CmsPeek}).
 *
 * <p>Each part is read for at most {@code maxPartInspectBytes} (the {@code max_part_inspect_bytes} limit); the walk
 * itself reads nothing. Not thread-safe: one detector per message.
 */
public final class ProtectionDetector {
  /** What the walk should do with the body of the current leaf. */
  public enum BodyCheck {
    /** Nothing to read. */
    SKIP,
    /** Text: hand the body to {@link #inspect}; quoted-printable may be given raw. */
    SCAN_TEXT,
    /** HTML text: the same as {@link #SCAN_TEXT}. */
    SCAN_HTML,
    /** The PGP/MIME control part: hand the decoded body to {@link #inspect}. */
    CONTROL,
    /** OpenPGP data (PGP/MIME ciphertext part, {@code *.pgp} file): hand the decoded body to {@link #inspect}. */
    OPENPGP_DATA,
    /** A CMS object: hand the decoded body to {@link #inspect}, walk the content it returns, if any, then call
     * {@link #afterNested()}. */
    CMS,
    /** The signature part of the message's multipart/signed: hand the decoded body to {@link #inspect}. */
    SIGNATURE,
    /** The body is a message: walk it as a nested message below this entity. */
    NESTED_MESSAGE;

    /** Whether the body is text, so that quoted-printable may be decoded by the scanner itself. */
    public boolean readsText() {
      return this == SCAN_TEXT || this == SCAN_HTML;
    }
  }

  /** What an entity is, given where it stands. */
  private enum Role {
    /** Content: judged by what it is. */
    CONTENT,
    /** First part of a multipart/encrypted with the OpenPGP protocol: must be the "Version: 1" control part. */
    CONTROL,
    /** Second part of it, after a good control part: must be application/octet-stream holding ciphertext. */
    CIPHERTEXT,
    /** Second part of a multipart/signed with a known protocol: must be that protocol's signature. */
    SIGNATURE
  }

  private static final class Frame {
    final Frame parent;
    Role role;
    String mimeType;
    String protocol;
    String smimeType;
    String fileName;
    /** The charset parameter of its Content-Type, or null. */
    String charset;
    boolean seenContentType;
    boolean seenDisposition;
    boolean seenTransferEncoding;
    /**
     * Readers may read it differently (two Content-Type or Content-Transfer-Encoding fields, a parameter twice or in
     * an RFC 2231 form, a header line that is no field), so nothing in it counts.
     */
    boolean ambiguous;
    /** One of its Content-Type fields claims encryption. */
    boolean claimsEncryption;
    /** Its base64 body goes on after the padding: readers may see more than we decoded, so nothing in it counts. */
    boolean dataAfterPadding;
    int children;
    /** multipart/encrypted with protocol application/pgp-encrypted. */
    boolean encryptedProtocol;
    boolean controlGood;
    boolean ciphertextGood;
    /** multipart/signed: the kind its protocol names, or null when unknown. */
    Signature signedProtocol;
    /** multipart/signed: its micalg parameter, naming the digest of its signature. */
    String micalg;
    /** The top-level multipart/signed whose signature is the message's: its signature is checked. */
    boolean checkSignature;
    /** A multipart: what was credited before its parts, to take back what they earned if it proves ambiguous. */
    Credit before;

    Frame(Frame parent, Role role) {
      this.parent = parent;
      this.role = role;
    }
  }

  static final String PART_INSPECT_LIMIT_REACHED = "part-inspect-limit-reached";
  static final String SMIME_TYPE_MISMATCH = "smime-type-mismatch";
  static final String UNKNOWN_PROTECTION_PROTOCOL = "unknown-protection-protocol";
  static final String AMBIGUOUS_CONTENT_FIELDS = "ambiguous-content-fields";
  static final String HTML_OUTSIDE_SUBSET = "html-outside-subset";
  static final String DATA_AFTER_CIPHERTEXT = "data-after-ciphertext";
  static final String DATA_AFTER_BASE64_PADDING = "data-after-base64-padding";
  static final String AMBIGUOUS_HEADER_SECTION = "ambiguous-header-section";
  /**
   * The parameters that decide an entity's structure or whether it is credited. Their RFC 2231 forms ({@code name*},
   * {@code name*0}...) are read differently by the parsers in use (mime4j ignores them, Gecko and Python prefer
   * them, continuations are joined or not), and no reading is shared by all: any such form is ambiguous.
   */
  private static final Set<String> DECIDING_PARAMETERS =
      Set.of("boundary", "charset", "protocol", "smime-type", "micalg", "name", "filename");
  /** The control part is "Version: 1" and white space: a few bytes. */
  private static final int MAX_CONTROL_BYTES = 1024;

  private final Set<String> diagnostics;
  private final long maxPartInspectBytes;
  private final Set<Encryption> encryptions = EnumSet.noneOf(Encryption.class);
  private final byte[] buffer = new byte[MAX_CONTROL_BYTES + 1];
  private Frame current;
  private InlinePgpScanner scanner;
  private boolean clearContent;
  private boolean label;
  private final SignerTrust trust;
  private Signature signature = Signature.NONE;
  private SignatureStatus signatureStatus = SignatureStatus.NONE;
  private String signatureDetail = "";
  /** A multipart/signed met before any signature, until its signature part says whether it is one. */
  private Frame signedFrame;
  /** The digests of the first part of the top-level multipart/signed, while it streams by. */
  private SignedDigests signedDigests;
  /** Top-level opaque signed-data whose content is being walked: checked when the walk is done. */
  private CmsPeek openCms;
  private SignedDigests openCmsDigests;
  private InputStream openCmsContent;
  private int fromFields;
  private String fromValue;

  /**
   * @param diagnostics where to add diagnostic codes (see {@code ScanDiagnostic})
   * @param maxPartInspectBytes the most bytes read of one part's body
   * @param trust what anchors a signature; {@link SignerTrust#none()} leaves every signature unverified
   */
  public ProtectionDetector(Set<String> diagnostics, long maxPartInspectBytes, SignerTrust trust) {
    this.diagnostics = diagnostics;
    this.maxPartInspectBytes = maxPartInspectBytes;
    this.trust = trust;
  }

  /** A message or body part starts, below the current entity. */
  public void enter() {
    Frame parent = current;
    Role role = Role.CONTENT;
    if (parent != null) {
      int index = parent.children++;
      if (parent.encryptedProtocol) {
        if (index == 0) {
          role = Role.CONTROL;
        } else if (index == 1 && parent.controlGood) {
          role = Role.CIPHERTEXT;
        }
      } else if (parent.signedProtocol != null && index == 1) {
        role = Role.SIGNATURE;
      }
    }
    current = new Frame(parent, role);
  }

  /** The current entity ends. */
  public void leave() {
    Frame frame = current;
    if (frame == null) {
      return;
    }
    if ("multipart/encrypted".equals(frame.mimeType) && !frame.ciphertextGood) {
      // The label of an encrypted message around something else: what it held was judged as clear content.
      label = true;
    }
    if (frame == signedFrame) {
      // Its signature part has been met, or never will be: a later signature may be the message's.
      signedFrame = null;
    }
    current = frame.parent;
  }

  /** A header field of the current entity; only Content-Type and Content-Disposition matter here. */
  public void field(Field field) {
    Frame frame = current;
    if (frame == null) {
      return;
    }
    String name = field.getNameLowerCase();
    if (frame.parent == null && "from".equals(name)) {
      // The address a signature must be made by; two From fields name nobody.
      if (++fromFields == 1) {
        fromValue = field.getBody();
      }
      return;
    }
    if ("content-type".equals(name) || "content-transfer-encoding".equals(name)) {
      ambiguity(frame, name, field);
    }
    if (!frame.seenContentType && "content-type".equals(name)) {
      frame.seenContentType = true;
      RawBody body = parse(field);
      parameters(frame, body.getParams(), false);
      for (NameValuePair p : body.getParams()) {
        String key = p.getName().toLowerCase(Locale.ROOT);
        if ("protocol".equals(key)) {
          frame.protocol = lower(p.getValue());
        } else if ("micalg".equals(key)) {
          frame.micalg = lower(p.getValue());
        } else if ("smime-type".equals(key)) {
          frame.smimeType = lower(p.getValue());
        } else if ("charset".equals(key)) {
          frame.charset = lower(p.getValue());
        } else if (frame.fileName == null && ("name".equals(key) || "name*".equals(key))) {
          frame.fileName = fileName(p.getValue());
        }
      }
    } else if (!frame.seenDisposition && "content-disposition".equals(name)) {
      frame.seenDisposition = true;
      List<NameValuePair> params = parse(field).getParams();
      parameters(frame, params, true);
      for (NameValuePair p : params) {
        String key = p.getName().toLowerCase(Locale.ROOT);
        if ("filename".equals(key) || "filename*".equals(key)) {
          frame.fileName = fileName(p.getValue());
        }
      }
    }
  }

  /**
   * Whether the current entity has two Content-Type or two Content-Transfer-Encoding fields. The parser takes one,
   * a mail client may take the other (a text part where we see ciphertext, another boundary): the walk reads such a
   * multipart as one opaque body, and {@link #leaf} credits nothing in it.
   */
  public boolean ambiguous() {
    return current != null && current.ambiguous;
  }

  /**
   * The current entity is a multipart of this (parser-resolved) type.
   *
   * @return true when its first part must come raw, to {@link #signedContent()}: the top-level multipart/signed,
   *     whose signature covers the exact bytes of that part
   */
  public boolean multipart(String mimeType) {
    Frame frame = current;
    if (frame == null) {
      return false;
    }
    frame.mimeType = lower(mimeType);
    frame.before = new Credit(EnumSet.copyOf(encryptions), signature, signatureStatus, signatureDetail);
    if (frame.role != Role.CONTENT) {
      // A multipart where a control, ciphertext or signature part belongs: the protocol's shape is broken.
      misplaced(frame);
    }
    if ("multipart/encrypted".equals(frame.mimeType)) {
      frame.encryptedProtocol = "application/pgp-encrypted".equals(frame.protocol);
      if (!frame.encryptedProtocol) {
        // RFC 1847 needs a protocol, and OpenPGP is the only one in use: anything else is judged part by part.
        diagnostics.add(UNKNOWN_PROTECTION_PROTOCOL);
      }
    } else if ("multipart/signed".equals(frame.mimeType)) {
      frame.signedProtocol = signedProtocol(frame.protocol);
      if (frame.signedProtocol == null) {
        diagnostics.add(UNKNOWN_PROTECTION_PROTOCOL);
      } else if (isFirstSignature()) {
        // The outermost signature names the message's; it is checked only when it covers the whole message.
        signedFrame = frame;
        if (frame.parent == null) {
          frame.checkSignature = true;
          signedDigests = SignedDigests.of(micalgNames(frame.micalg));
          return true;
        }
      }
    }
    return false;
  }

  /** Where the raw first part of the top-level multipart/signed goes, as it is read. */
  public OutputStream signedContent() {
    return signedDigests == null ? OutputStream.nullOutputStream() : signedDigests.sink();
  }

  /** The raw first part has been read to its end. */
  public void signedContentEnd() {
    if (signedDigests != null) {
      signedDigests.finish();
    }
  }

  /** The current entity is a leaf of this (parser-resolved) type: what should the walk do with its body? */
  public BodyCheck leaf(String mimeType) {
    Frame frame = current;
    if (frame == null) {
      return BodyCheck.SKIP;
    }
    String type = lower(mimeType);
    frame.mimeType = type;
    if (frame.ambiguous) {
      misplaced(frame);
      clearContent = true;
      label |= frame.claimsEncryption;
      return BodyCheck.SKIP;
    }
    switch (frame.role) {
      case CONTROL:
        if (type.equals("application/pgp-encrypted")) {
          return BodyCheck.CONTROL;
        }
        misplaced(frame);
        break;
      case CIPHERTEXT:
        if (type.equals("application/octet-stream")) {
          return BodyCheck.OPENPGP_DATA;
        }
        misplaced(frame);
        break;
      case SIGNATURE:
        if (signedProtocol(type) == frame.parent.signedProtocol) {
          if (frame.parent == signedFrame) {
            sign(frame.parent.signedProtocol);
            if (frame.parent.checkSignature) {
              return BodyCheck.SIGNATURE;
            }
            checked(SignatureOutcome.unverified("the signature covers only part of the message"));
          }
          return BodyCheck.SKIP;
        }
        // Not the signature its protocol announces: content, and no signature.
        frame.role = Role.CONTENT;
        break;
      default:
        break;
    }
    if (type.startsWith("text/")) {
      return type.equals("text/html") ? BodyCheck.SCAN_HTML : BodyCheck.SCAN_TEXT;
    }
    if (type.equals("message/rfc822") || type.equals("message/global")) {
      return BodyCheck.NESTED_MESSAGE;
    }
    if (type.equals("application/pkcs7-mime") || type.equals("application/x-pkcs7-mime")) {
      return BodyCheck.CMS;
    }
    if (hasSuffix(frame.fileName, ".pgp") || hasSuffix(frame.fileName, ".gpg") || hasSuffix(frame.fileName, ".asc")) {
      // PGP/inline senders encrypt each attachment on its own, as name.pgp; its bytes decide.
      return BodyCheck.OPENPGP_DATA;
    }
    // Any other body is readable content: an attachment, a key, a signature or control part out of its place.
    clearContent = true;
    return BodyCheck.SKIP;
  }

  /**
   * Reads the current leaf's body for the check {@link #leaf} asked for (not {@link BodyCheck#SKIP} or
   * {@link BodyCheck#NESTED_MESSAGE}).
   *
   * @param body the body, decoded unless {@code quotedPrintable}; not closed, not necessarily read to its end
   * @param quotedPrintable the body of a text check is given raw and is quoted-printable
   * @return content to walk as a nested message below this entity (opaque signed-data), or null
   */
  public InputStream inspect(BodyCheck check, InputStream body, boolean quotedPrintable) throws IOException {
    Frame frame = current;
    if (frame == null) {
      return null;
    }
    switch (check) {
      case SCAN_TEXT:
      case SCAN_HTML:
        InlinePgpScanner.Finding found = scanner().scan(body, quotedPrintable, check == BodyCheck.SCAN_HTML,
            maxPartInspectBytes);
        if (TextCharset.keepsArmor(frame.charset) && !frame.dataAfterPadding) {
          text(found);
        } else {
          // A reader decodes these bytes in another charset (UTF-7, UTF-16...), or decodes base64 on past the
          // padding where we stopped: what looks like armor to us is other text to it, neither ciphertext nor a
          // signature.
          clearContent = true;
          label |= found.ciphertextBlocks() > 0 || found.brokenArmor();
          if (found.cutShort()) {
            diagnostics.add(PART_INSPECT_LIMIT_REACHED);
          }
        }
        return null;
      case CONTROL:
        control(frame, body);
        return null;
      case OPENPGP_DATA:
        openPgpData(frame, body);
        return null;
      case CMS:
        return cms(frame, body);
      case SIGNATURE:
        signaturePart(frame, body);
        return null;
      default:
        return null;
    }
  }

  /**
   * The content {@link #inspect} returned has been walked: for the top-level opaque signed-data, the rest of its
   * content is digested and its signature checked.
   */
  public void afterNested() throws IOException {
    if (openCms == null) {
      return;
    }
    CmsPeek cms = openCms;
    SignedDigests digests = openCmsDigests;
    InputStream content = openCmsContent;
    openCms = null;
    content.transferTo(OutputStream.nullOutputStream());
    digests.finish();
    byte[] detached = cms.detachedSignedData();
    checked(detached == null ? SignatureOutcome.invalid("the S/MIME signature cannot be read")
        : SmimeSignatureCheck.check(detached, digests.byOid(), from(), trust));
  }

  /** The signature part of the top-level multipart/signed, after its content was digested. */
  private void signaturePart(Frame frame, InputStream body) throws IOException {
    byte[] bytes = new byte[(int) Math.min(CmsPeek.MAX_SIGNATURE_BYTES, maxPartInspectBytes) + 1];
    int n = readUpTo(body, bytes, bytes.length);
    if (n == bytes.length) {
      checked(SignatureOutcome.unverified("the signature part is larger than we read"));
      return;
    }
    if (frame.parent.signedProtocol == Signature.SMIME) {
      checked(SmimeSignatureCheck.check(java.util.Arrays.copyOf(bytes, n), signedDigests.byOid(), from(), trust));
      return;
    }
    byte[] packets = ArmorBody.decodeBlock(bytes, n, "SIGNATURE", CmsPeek.MAX_SIGNATURE_BYTES);
    if (packets == null && n > 0 && (bytes[0] & 0x80) != 0) {
      packets = java.util.Arrays.copyOf(bytes, n);
    }
    checked(packets == null ? SignatureOutcome.invalid("the OpenPGP signature part cannot be read")
        : PgpSignatureCheck.check(packets, signedDigests::copy, false, from(), trust));
  }

  /**
   * The current entity's base64 body holds more than white space after its padding: our decoder stopped there, a
   * lenient reader decodes on. Called when the body was read to its end, before it is judged (or after, when the
   * checks stopped early): nothing in it is credited, and it counts as clear.
   */
  public void dataAfterBase64Padding() {
    diagnostics.add(DATA_AFTER_BASE64_PADDING);
    clearContent = true;
    if (current != null) {
      current.dataAfterPadding = true;
    }
  }

  /** Part of the message was not looked at (a limit, a parse that gave up): it counts as clear. */
  public void unseen() {
    clearContent = true;
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
    SignatureStatus status = signatureStatus;
    String detail = signatureDetail;
    if (signature != Signature.NONE && status == SignatureStatus.NONE) {
      status = SignatureStatus.UNVERIFIED;
      detail = "the signature was not checked (the walk stopped before it)";
    }
    return ContentProtection.of(encrypted, signature, label, status, detail);
  }

  /** No signature yet, and no multipart/signed waiting for its signature part: the next one is the message's. */
  private boolean isFirstSignature() {
    return signature == Signature.NONE && signedFrame == null;
  }

  /** The outcome of the message's signature check. */
  private void checked(SignatureOutcome outcome) {
    if (signatureStatus == SignatureStatus.NONE) {
      signatureStatus = outcome.status();
      signatureDetail = outcome.detail();
    }
  }

  /** The one address of the top-level From field, when there is exactly one field with exactly one address. */
  private java.util.Optional<String> from() {
    return fromFields == 1 && fromValue != null ? MailAddresses.fromField(fromValue) : java.util.Optional.empty();
  }

  /** The digests a micalg parameter names; SHA-2 at 256, 384 and 512 bits when it names none we accept. */
  private static List<String> micalgNames(String micalg) {
    List<String> names = new ArrayList<>();
    if (micalg != null) {
      for (String m : micalg.split(",")) {
        String n = SignedDigests.nameOfMicalg(m);
        if (n != null) {
          names.add(n);
        }
      }
    }
    if (names.isEmpty()) {
      names.addAll(List.of("SHA-256", "SHA-384", "SHA-512"));
    }
    return names;
  }

  private void text(InlinePgpScanner.Finding f) {
    if (f.cutShort()) {
      diagnostics.add(PART_INSPECT_LIMIT_REACHED);
    }
    if (f.ciphertextBlocks() > 0) {
      encryptions.add(Encryption.PGP_INLINE);
    }
    if (f.clear()) {
      clearContent = true;
    }
    if (f.brokenArmor()) {
      label = true;
    }
    if (f.htmlOutsideSubset() && (f.ciphertextBlocks() > 0 || f.brokenArmor())) {
      // Armor in HTML we do not read as a browser would: not credited (say why, only where it matters).
      diagnostics.add(HTML_OUTSIDE_SUBSET);
    }
    if (f.clearSigned() && isFirstSignature()) {
      sign(Signature.PGP_INLINE);
      if (current == null || current.parent != null || f.unsignedText()) {
        checked(SignatureOutcome.unverified("the signature covers only part of the message"));
      } else if (f.html()) {
        checked(SignatureOutcome.unverified("a cleartext signature in HTML is not checked"));
      } else if (f.cleartextSignature() == null) {
        checked(SignatureOutcome.invalid("the OpenPGP signature block cannot be read"));
      } else {
        checked(PgpSignatureCheck.check(f.cleartextSignature(), f.cleartextDigests()::copy, true, from(), trust));
      }
    }
  }

  /** RFC 3156 section 4: the control part says "Version: 1", and nothing else. */
  private void control(Frame frame, InputStream body) throws IOException {
    int n = readUpTo(body, buffer, MAX_CONTROL_BYTES + 1);
    boolean good = n <= MAX_CONTROL_BYTES && isVersionOne(buffer, n);
    if (good) {
      frame.parent.controlGood = true;
      return;
    }
    misplaced(frame);
    if (!isBlank(buffer, n)) {
      clearContent = true;
    }
  }

  private void openPgpData(Frame frame, InputStream body) throws IOException {
    OpenPgpData data = OpenPgpData.read(body, maxPartInspectBytes, scanner());
    if (data.cutShort()) {
      diagnostics.add(PART_INSPECT_LIMIT_REACHED);
    }
    if (frame.dataAfterPadding) {
      // What a reader decodes past the padding is not what we checked: named or placed as ciphertext, it is a label.
      misplaced(frame);
      clearContent = true;
      label = true;
      return;
    }
    if (frame.role == Role.CIPHERTEXT) {
      if (data.result() == OpenPgpCheck.Result.CIPHERTEXT) {
        frame.parent.ciphertextGood = true;
        encryptions.add(Encryption.PGP_MIME);
      } else {
        misplaced(frame);
        clearContent |= !data.empty();
      }
      return;
    }
    switch (data.result()) {
      case CIPHERTEXT:
        encryptions.add(Encryption.PGP_INLINE);
        break;
      case OTHER_OPENPGP:
        // A key, a signature, signed data: readable.
        clearContent = true;
        break;
      default:
        if (!data.empty()) {
          // Named as OpenPGP, holding something else.
          clearContent = true;
          label = true;
        }
        break;
    }
  }

  private InputStream cms(Frame frame, InputStream body) throws IOException {
    // The framing sees every byte read of the body, below the prefix limit that bounds the CMS header.
    BerFraming framing = new BerFraming();
    PrefixInputStream prefix = new PrefixInputStream(new TeeInputStream(body, framing), maxPartInspectBytes);
    CmsPeek peek = CmsPeek.read(prefix);
    CmsPeek.Kind kind = peek.kind();
    String said = frame.smimeType;
    boolean saysEnveloped = "enveloped-data".equals(said) || "authenveloped-data".equals(said);
    if (said != null && !said.equals(smimeType(kind))) {
      diagnostics.add(SMIME_TYPE_MISMATCH);
    }
    switch (kind) {
      case ENVELOPED:
      case AUTH_ENVELOPED:
        // The header has the shape of ciphertext; the object must also end where the part ends, and what CmsPeek
        // left unread (the encrypted content, then a MAC or attributes) must not hold a sentence.
        prefix.lift();
        TextRun text = new TextRun();
        prefix.transferTo(text);
        BerFraming.Result end = framing.result();
        if (end == BerFraming.Result.EXACT && !frame.dataAfterPadding && !text.found()) {
          encryptions.add(Encryption.SMIME);
        } else {
          // Cut short, or bytes appended after the object: what follows the ciphertext is not the ciphertext's.
          if (end == BerFraming.Result.DATA_AFTER) {
            diagnostics.add(DATA_AFTER_CIPHERTEXT);
          }
          clearContent = true;
          label = true;
        }
        return null;
      case SIGNED:
        if (saysEnveloped) {
          // Real CMS, but signed-data: readable by anyone, whatever smime-type claims.
          label = true;
        }
        if (peek.content() == null) {
          // No content to sign (certs-only, or detached): certificates, readable by anyone.
          clearContent = true;
          return null;
        }
        // The signed content is read by the nested walk, in full: the prefix bounds the CMS header only.
        prefix.lift();
        if (!isFirstSignature()) {
          return peek.content();
        }
        sign(Signature.SMIME);
        if (frame.parent != null) {
          checked(SignatureOutcome.unverified("the signature covers only part of the message"));
          return peek.content();
        }
        List<String> names = new ArrayList<>();
        for (org.bouncycastle.asn1.ASN1ObjectIdentifier oid : peek.digestAlgorithms()) {
          String name = SignedDigests.nameOf(oid);
          if (name != null) {
            names.add(name);
          }
        }
        openCms = peek;
        openCmsDigests = SignedDigests.exact(names);
        openCmsContent = new TeeInputStream(peek.content(), openCmsDigests.sink());
        return openCmsContent;
      default:
        // Compressed, data, another type, or nothing readable: clear, whatever the label said.
        if (prefix.reachedLimit()) {
          diagnostics.add(PART_INSPECT_LIMIT_REACHED);
        }
        clearContent = true;
        if (saysEnveloped || kind == CmsPeek.Kind.UNREADABLE) {
          label = true;
        }
        return null;
    }
  }

  private static String smimeType(CmsPeek.Kind kind) {
    switch (kind) {
      case ENVELOPED:
        return "enveloped-data";
      case AUTH_ENVELOPED:
        return "authenveloped-data";
      case SIGNED:
        return "signed-data";
      case COMPRESSED:
        return "compressed-data";
      default:
        return "";
    }
  }

  /** A part that does not fit the protocol position it stands in: its multipart is no ciphertext. */
  private void misplaced(Frame frame) {
    if (frame.role == Role.CONTROL || frame.role == Role.CIPHERTEXT) {
      frame.parent.encryptedProtocol = false;
      label = true;
    }
    frame.role = Role.CONTENT;
  }

  private InlinePgpScanner scanner() {
    if (scanner == null) {
      scanner = new InlinePgpScanner();
    }
    return scanner;
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

  private static int readUpTo(InputStream in, byte[] b, int max) throws IOException {
    int n = 0;
    while (n < max) {
      int r = in.read(b, n, max - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    return n;
  }

  /** Lines of white space and exactly one "Version: 1". */
  private static boolean isVersionOne(byte[] b, int n) {
    int versions = 0;
    int i = 0;
    while (i < n) {
      int start = i;
      while (i < n && b[i] != '\n') {
        i++;
      }
      int end = i++;
      while (start < end && isSpace(b[start])) {
        start++;
      }
      while (end > start && isSpace(b[end - 1])) {
        end--;
      }
      if (start == end) {
        continue;
      }
      if (end - start == 10 && new String(b, start, 10, java.nio.charset.StandardCharsets.US_ASCII)
          .equals("Version: 1")) {
        versions++;
      } else {
        return false;
      }
    }
    return versions == 1;
  }

  private static boolean isBlank(byte[] b, int n) {
    for (int i = 0; i < n; i++) {
      if (!isSpace(b[i]) && b[i] != '\n') {
        return false;
      }
    }
    return true;
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\r';
  }

  /** A second Content-Type or Content-Transfer-Encoding field makes the entity ambiguous. */
  private void ambiguity(Frame frame, String name, Field field) {
    boolean contentType = "content-type".equals(name);
    if (contentType) {
      String type = lower(parse(field).getValue());
      frame.claimsEncryption |= "multipart/encrypted".equals(type) || "application/pgp-encrypted".equals(type)
          || "application/pkcs7-mime".equals(type) || "application/x-pkcs7-mime".equals(type);
    }
    if (contentType ? frame.seenContentType : frame.seenTransferEncoding) {
      frame.ambiguous = true;
      diagnostics.add(AMBIGUOUS_CONTENT_FIELDS);
    }
    if (!contentType) {
      frame.seenTransferEncoding = true;
    }
  }

  /**
   * A parameter given twice (mime4j takes the last, Python and Gecko the first: another boundary, another charset),
   * or a deciding parameter in an RFC 2231 form, makes the entity ambiguous.
   *
   * @param filenameOnly Content-Disposition: only {@code filename} decides anything there
   */
  private void parameters(Frame frame, List<NameValuePair> params, boolean filenameOnly) {
    Set<String> names = new HashSet<>();
    for (NameValuePair p : params) {
      String key = p.getName() == null ? "" : p.getName().toLowerCase(Locale.ROOT).trim();
      int star = key.indexOf('*');
      String base = star < 0 ? key : key.substring(0, star);
      if (filenameOnly && !"filename".equals(base)) {
        continue;
      }
      if (!names.add(key) || (star >= 0 && DECIDING_PARAMETERS.contains(base))) {
        frame.ambiguous = true;
        diagnostics.add(AMBIGUOUS_CONTENT_FIELDS);
        return;
      }
    }
  }

  /**
   * The current multipart proved ambiguous after its parts were walked (a delimiter line with junk after its
   * boundary): what its parts earned is taken back, it counts as clear, and it is a label when it claimed encryption
   * or held ciphertext.
   */
  public void ambiguousMultipart() {
    clearContent = true;
    Frame frame = current;
    if (frame == null || frame.before == null) {
      return;
    }
    Credit before = frame.before;
    boolean heldCiphertext = !before.encryptions.containsAll(encryptions);
    encryptions.clear();
    encryptions.addAll(before.encryptions);
    signature = before.signature;
    signatureStatus = before.status;
    signatureDetail = before.detail;
    frame.ciphertextGood = false;
    label |= heldCiphertext || frame.claimsEncryption;
  }

  /**
   * A line in the current entity's header section that is neither a field nor a continuation: mime4j skips it,
   * other readers take it as the start of the body (and the fields after it as text), so the entity is ambiguous.
   */
  public void headerLineNoField() {
    if (current != null) {
      current.ambiguous = true;
      diagnostics.add(AMBIGUOUS_HEADER_SECTION);
    }
  }

  /** What the message had earned at one point of the walk. */
  private static final class Credit {
    final Set<Encryption> encryptions;
    final Signature signature;
    final SignatureStatus status;
    final String detail;

    Credit(Set<Encryption> encryptions, Signature signature, SignatureStatus status, String detail) {
      this.encryptions = encryptions;
      this.signature = signature;
      this.status = status;
      this.detail = detail;
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

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT).trim();
  }
}
