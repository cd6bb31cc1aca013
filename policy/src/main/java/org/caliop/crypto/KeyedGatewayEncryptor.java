package org.caliop.crypto;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.SequenceInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.james.mime4j.codec.EncoderUtil;
import org.caliop.facts.HeaderEdit;
import org.caliop.message.MessageScanner;
import org.caliop.message.ScanLimits;
import org.caliop.mime.ContentProtection;
import org.caliop.mime.TeeInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link GatewayEncryptor} over a {@link RecipientKeys} index. Immutable and thread-safe: one instance serves
 * every message; reload the key directory by building a new one.
 */
final class KeyedGatewayEncryptor implements GatewayEncryptor {
  static final String FORMAT_PGP = "pgp-mime";
  static final String FORMAT_SMIME = "smime";
  /** Bounds the header section we hold in memory; bigger is refused rather than buffered. */
  static final int MAX_HEADER_BYTES = 1 << 20;
  private static final Logger LOG = LoggerFactory.getLogger(KeyedGatewayEncryptor.class);
  private static final int READ_BUFFER = 1 << 14;
  private static final int WRITE_BUFFER = 1 << 14;

  private final RecipientKeys keys;
  private final Clock clock;
  private final SecureRandom random;
  private final SmimeEnveloper smime;
  private final PgpMimeEnveloper pgp;

  KeyedGatewayEncryptor(RecipientKeys keys, Clock clock, Provider bc, SecureRandom random) {
    this.keys = Objects.requireNonNull(keys);
    this.clock = Objects.requireNonNull(clock);
    this.random = Objects.requireNonNull(random);
    this.smime = new SmimeEnveloper(bc, random);
    this.pgp = new PgpMimeEnveloper(random, clock);
  }

  @Override
  public EncryptionResult encrypt(InputStream message, List<String> recipients, EncryptOptions options,
      OutputStream newBody) throws IOException {
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("no recipient to encrypt to");
    }
    BufferedInputStream in = new BufferedInputStream(message, READ_BUFFER);
    HeaderSection headers = HeaderSection.read(in, MAX_HEADER_BYTES);
    Plan plan = plan(recipients, options, clock.instant(), NamedRecipients.of(headers));
    // Whether the message is ciphertext already is known only once all of it was read: the engine's own
    // detector reads the body while it streams into the encryption (or, without keys, on its own).
    Detection detection = new Detection(headers, in);
    if (!plan.missing.isEmpty()) {
      detection.copyTo(OutputStream.nullOutputStream());
      return detection.alreadyProtected() ? EncryptionResult.alreadyProtected()
          : EncryptionResult.missingKeys(plan.missing);
    }
    List<HeaderEdit> edits = new ArrayList<>(contentRemovals(headers));
    // The encoders below write in small pieces; the adapter's stream may be a socket or a file.
    BufferedOutputStream out = new BufferedOutputStream(new NonClosingOutputStream(newBody), WRITE_BUFFER);
    if (plan.format.equals(FORMAT_SMIME)) {
      boolean gcm = SmimeEnveloper.useAuthEnveloped(plan.smimeKeys);
      smime.write(headers, detection, plan.smimeKeys, out);
      edits.add(HeaderEdit.add("Content-Type",
          gcm ? SmimeEnveloper.CONTENT_TYPE_AUTH_ENVELOPED : SmimeEnveloper.CONTENT_TYPE_ENVELOPED));
      edits.add(HeaderEdit.add("Content-Transfer-Encoding", "base64"));
      edits.add(HeaderEdit.add("Content-Disposition", SmimeEnveloper.CONTENT_DISPOSITION));
    } else {
      String boundary = boundary();
      pgp.write(headers, detection, plan.pgpKeys, boundary, out);
      edits.add(HeaderEdit.add("Content-Type", PgpMimeEnveloper.contentType(boundary)));
    }
    out.flush();
    if (detection.alreadyProtected()) {
      // What was written is discarded by the adapter: a message that is all ciphertext passes untouched.
      return EncryptionResult.alreadyProtected();
    }
    if (headers.count("MIME-Version") == 0) {
      edits.add(HeaderEdit.add("MIME-Version", "1.0"));
    }
    options.outerSubject().ifPresent(subject -> {
      edits.addAll(removeAll(headers, "Subject"));
      edits.add(HeaderEdit.add("Subject", EncoderUtil.encodeIfNecessary(subject, EncoderUtil.Usage.TEXT_TOKEN,
          "Subject: ".length())));
    });
    return EncryptionResult.encrypted(plan.format, edits);
  }

  /** Every Content-* field moves inside; removals go last occurrence first, so indexes stay right either way. */
  private static List<HeaderEdit> contentRemovals(HeaderSection headers) {
    Map<String, String> names = new LinkedHashMap<>();
    for (RawHeader f : headers.fields()) {
      if (f.isContentField()) {
        names.putIfAbsent(f.lowerName(), f.name());
      }
    }
    List<HeaderEdit> edits = new ArrayList<>();
    for (String name : names.values()) {
      edits.addAll(removeAll(headers, name));
    }
    return edits;
  }

  private static List<HeaderEdit> removeAll(HeaderSection headers, String name) {
    List<HeaderEdit> edits = new ArrayList<>();
    for (int i = headers.count(name); i >= 1; i--) {
      edits.add(HeaderEdit.remove(name, i));
    }
    return edits;
  }

  private String boundary() {
    byte[] bytes = new byte[12];
    random.nextBytes(bytes);
    StringBuilder sb = new StringBuilder("caliop-pgp-");
    for (byte b : bytes) {
      sb.append(String.format(Locale.ROOT, "%02x", b & 0xff));
    }
    return sb.toString();
  }

  /**
   * The body, read by the engine's content-protection walk ({@link MessageScanner}, the detector the score uses)
   * while every byte it reads goes on into the encryption. Already protected means all of the content is
   * ciphertext ({@link ContentProtection#isFullyEncrypted()}): a label around clear text is clear text.
   */
  private static final class Detection implements InnerEntity.Body {
    private final HeaderSection headers;
    private final InputStream body;
    private ContentProtection found;

    Detection(HeaderSection headers, InputStream body) {
      this.headers = headers;
      this.body = body;
    }

    @Override
    public void copyTo(OutputStream out) throws IOException {
      InputStream whole = new SequenceInputStream(new ByteArrayInputStream(headers.bytes()),
          new TeeInputStream(body, out));
      found = MessageScanner.scan(whole, ScanLimits.defaults(), name -> false).content();
    }

    boolean alreadyProtected() {
      if (found == null) {
        throw new IllegalStateException("the body was not read");
      }
      if (found.isFullyEncrypted()) {
        LOG.info("caliop: encrypt action=pass reason=already-encrypted kind={}", found.encrypted().token());
        return true;
      }
      return false;
    }
  }

  /**
   * Picks one format all recipients have a usable key in, trying the requested formats in order. When none fits,
   * the missing recipients are those without a key in the first (preferred) format.
   */
  Plan plan(List<String> recipients, EncryptOptions options, Instant now, NamedRecipients named) {
    Selection s = select(recipients, options, now);
    if (s.format != null) {
      return chosen(s.format, recipients, s.pgpKeys, s.smimeKeys, options, named);
    }
    for (String r : s.missing) {
      LOG.info("caliop: encrypt to=<{}> format={} key=none reason=no-usable-key", r, String.join("|", s.order));
    }
    return Plan.missing(s.missing);
  }

  @Override
  public List<KeyChoice> keysFor(List<String> recipients, EncryptOptions options) {
    Selection s = select(recipients, options, clock.instant());
    String format = s.format != null ? s.format : s.order.get(0);
    List<KeyChoice> out = new ArrayList<>(recipients.size());
    for (String r : recipients) {
      Optional<String> a = RecipientAddresses.normalize(r);
      KeyChoice choice = KeyChoice.none(r);
      if (a.isPresent() && format.equals(FORMAT_PGP)) {
        choice = s.pgpKeys.getOrDefault(a.get(), Optional.empty())
            .map(k -> KeyChoice.of(r, FORMAT_PGP, k.keyId(), k.source())).orElse(choice);
      } else if (a.isPresent()) {
        choice = s.smimeKeys.getOrDefault(a.get(), Optional.empty())
            .map(k -> KeyChoice.of(r, FORMAT_SMIME, k.keyId(), k.source())).orElse(choice);
      }
      out.add(choice);
    }
    return out;
  }

  /** The first format in {@code options}' order that every recipient has a key in, with the keys looked up. */
  private Selection select(List<String> recipients, EncryptOptions options, Instant now) {
    List<String> order = formats(options.format());
    Map<String, Optional<PgpRecipientKey>> pgpKeys = new LinkedHashMap<>();
    Map<String, Optional<SmimeRecipientKey>> smimeKeys = new LinkedHashMap<>();
    List<String> firstMissing = null;
    for (String format : order) {
      List<String> missing = new ArrayList<>();
      for (String r : recipients) {
        Optional<String> address = RecipientAddresses.normalize(r);
        boolean has;
        if (address.isEmpty()) {
          has = false;
        } else if (format.equals(FORMAT_PGP)) {
          has = pgpKeys.computeIfAbsent(address.get(), a -> keys.pgp(a, now)).isPresent();
        } else {
          has = smimeKeys.computeIfAbsent(address.get(), a -> keys.smime(a, now)).isPresent();
        }
        if (!has) {
          missing.add(r);
        }
      }
      if (missing.isEmpty()) {
        return new Selection(order, format, pgpKeys, smimeKeys, List.of());
      }
      if (firstMissing == null) {
        firstMissing = missing;
      }
    }
    return new Selection(order, null, pgpKeys, smimeKeys, firstMissing);
  }

  /** What {@link #select} found: the format (null when none fits) and who lacks a key in the first one. */
  private static final class Selection {
    final List<String> order;
    final String format;
    final Map<String, Optional<PgpRecipientKey>> pgpKeys;
    final Map<String, Optional<SmimeRecipientKey>> smimeKeys;
    final List<String> missing;

    Selection(List<String> order, String format, Map<String, Optional<PgpRecipientKey>> pgpKeys,
        Map<String, Optional<SmimeRecipientKey>> smimeKeys, List<String> missing) {
      this.order = order;
      this.format = format;
      this.pgpKeys = pgpKeys;
      this.smimeKeys = smimeKeys;
      this.missing = missing;
    }
  }

  private static Plan chosen(String format, List<String> recipients, Map<String, Optional<PgpRecipientKey>> pgpKeys,
      Map<String, Optional<SmimeRecipientKey>> smimeKeys, EncryptOptions options, NamedRecipients named) {
    List<PgpRecipientKey> pgpChosen = new ArrayList<>();
    List<SmimeRecipientKey> smimeChosen = new ArrayList<>();
    for (String r : recipients) {
      String a = RecipientAddresses.normalize(r).orElseThrow();
      if (format.equals(FORMAT_PGP)) {
        PgpRecipientKey k = pgpKeys.get(a).orElseThrow().named(named.names(a));
        int same = -1;
        for (int i = 0; i < pgpChosen.size(); i++) {
          if (pgpChosen.get(i).encryptionKey().getKeyID() == k.encryptionKey().getKeyID()) {
            same = i;
          }
        }
        if (same < 0) {
          pgpChosen.add(k);
        } else if (k.isNamed()) {
          pgpChosen.set(same, k); // two addresses on one key: one session-key packet, named if either is
        }
        LOG.info("caliop: encrypt to=<{}> format=pgp key={} primary={} file={}{}", a, k.keyId(), k.primaryKeyId(),
            k.source().getFileName(), candidates(k.candidates()));
      } else {
        SmimeRecipientKey k = smimeKeys.get(a).orElseThrow().with(options.smimeFor(a));
        int same = -1;
        for (int i = 0; i < smimeChosen.size(); i++) {
          if (smimeChosen.get(i).certificate().equals(k.certificate())) {
            same = i;
          }
        }
        if (same < 0) {
          smimeChosen.add(k);
        } else {
          // Two addresses on one certificate: one RecipientInfo, in what both of their clients read.
          smimeChosen.set(same, k.with(weakest(smimeChosen.get(same).algorithms(), k.algorithms())));
        }
      }
    }
    if (format.equals(FORMAT_PGP)) {
      long hidden = pgpChosen.stream().filter(k -> PgpMimeEnveloper.hidesKeyId(k, pgpChosen)).count();
      if (hidden > 0) {
        LOG.info("caliop: encrypt format=pgp keys={} wildcard_key_ids={}", pgpChosen.size(), hidden);
      }
    }
    if (format.equals(FORMAT_SMIME)) {
      String content = SmimeEnveloper.useAuthEnveloped(smimeChosen) ? "aes256-gcm" : "aes256-cbc";
      for (String r : recipients) {
        String a = RecipientAddresses.normalize(r).orElseThrow();
        SmimeRecipientKey k = smimeKeys.get(a).orElseThrow();
        SmimeRecipientKey used = smimeChosen.stream().filter(c -> c.certificate().equals(k.certificate()))
            .findFirst().orElseThrow();
        LOG.info("caliop: encrypt to=<{}> format=smime key={} alg={} content={} file={}{}", a, used.keyId(),
            used.keyAlgorithm(), content, used.source().getFileName(), candidates(used.candidates()));
      }
    }
    return Plan.of(format, pgpChosen, smimeChosen);
  }

  /** What two clients both open: PKCS#1 v1.5 if either needs it, CBC unless both read GCM. */
  private static SmimeAlgorithms weakest(SmimeAlgorithms a, SmimeAlgorithms b) {
    SmimeAlgorithms.KeyTransport kt = a.keyTransport() == SmimeAlgorithms.KeyTransport.RSA_PKCS1V15
        ? a.keyTransport() : b.keyTransport();
    SmimeAlgorithms.ContentCipher cc = a.contentCipher() == SmimeAlgorithms.ContentCipher.AES_CBC
        ? a.contentCipher() : b.contentCipher();
    return SmimeAlgorithms.of(kt, cc);
  }

  private static String candidates(int n) {
    return n > 1 ? " candidates=" + n : "";
  }

  private static List<String> formats(EncryptOptions.Format format) {
    switch (format) {
      case PGP:
        return List.of(FORMAT_PGP);
      case SMIME:
        return List.of(FORMAT_SMIME);
      case PREFER_PGP:
        return List.of(FORMAT_PGP, FORMAT_SMIME);
      case PREFER_SMIME:
        return List.of(FORMAT_SMIME, FORMAT_PGP);
      default:
        throw new IllegalArgumentException("unknown format " + format);
    }
  }

  /** Which format and keys one message gets, or who lacks a key. */
  static final class Plan {
    final String format;
    final List<PgpRecipientKey> pgpKeys;
    final List<SmimeRecipientKey> smimeKeys;
    final List<String> missing;

    private Plan(String format, List<PgpRecipientKey> pgpKeys, List<SmimeRecipientKey> smimeKeys,
        List<String> missing) {
      this.format = format;
      this.pgpKeys = List.copyOf(pgpKeys);
      this.smimeKeys = List.copyOf(smimeKeys);
      this.missing = List.copyOf(missing);
    }

    static Plan of(String format, List<PgpRecipientKey> pgpKeys, List<SmimeRecipientKey> smimeKeys) {
      return new Plan(format, pgpKeys, smimeKeys, List.of());
    }

    static Plan missing(List<String> missing) {
      return new Plan(null, List.of(), List.of(), missing);
    }
  }
}
