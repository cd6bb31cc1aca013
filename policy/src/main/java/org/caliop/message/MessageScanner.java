package org.caliop.message;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RecursionMode;
import org.apache.james.mime4j.util.ByteArrayBuffer;
import org.apache.james.mime4j.util.ByteSequence;
import org.caliop.auth.AuthResultsHeader;
import org.caliop.auth.AuthResultsParser;
import org.caliop.mime.ProtectionDetector;
import org.caliop.mime.SignerTrust;
import org.caliop.mime.TeeInputStream;

/**
 * One streaming pass over a raw message with mime4j's pull parser: collects the top-level header fields the engine
 * needs and feeds the MIME structure to a {@link ProtectionDetector}. Never throws on content; memory bounded by
 * {@link ScanLimits}; no body is kept.
 *
 * <p>mime4j runs lenient, with its own limits opened up and ours enforced here, because its limits abort the parse
 * (a legal 998-character line, one large anti-spam header) where we want to keep the message and say what we skipped:
 * lines are cut to {@link ScanLimits#maxHeaderFieldBytes()} before the parser sees them, fields are cut by
 * {@link BoundedFieldBuilder}, and parts and nesting (which 0.8.9 does not bound) are counted here. Nested messages
 * (message/rfc822) and the content of opaque S/MIME signatures are walked by a nested token stream over the decoded
 * body, under the same limits.
 */
public final class MessageScanner {
  /** RFC 8617 allows 50 ARC sets; more seals than that are not an ARC chain we could credit. */
  private static final int MAX_ARC_SEALS = 50;

  private MessageScanner() {
  }

  /**
   * @param message the raw message; read to its end (drained past the limits), not closed
   * @param limits what one message may cost
   * @param foreignHeader which top-level header names to count in {@link ScannedMessage#foreignFields()}
   * @throws IOException only when reading {@code message} fails
   */
  public static ScannedMessage scan(InputStream message, ScanLimits limits, Predicate<String> foreignHeader)
      throws IOException {
    return scan(message, limits, ForeignFields.of(foreignHeader, false), SignerTrust.none());
  }

  /**
   * As {@link #scan(InputStream, ScanLimits, Predicate)}, checking the message's signature against {@code trust}
   * (the S/MIME trust store and OpenPGP keys the policy names).
   */
  public static ScannedMessage scan(InputStream message, ScanLimits limits, Predicate<String> foreignHeader,
      SignerTrust trust) throws IOException {
    return scan(message, limits, ForeignFields.of(foreignHeader, false), trust);
  }

  /**
   * @param foreign counts the top-level fields only our servers may write (and keeps their values to rename them);
   *     filled by the scan and returned as {@link ScannedMessage#foreignFields()}
   * @param trust what checks the message's signature
   * @throws IOException only when reading {@code message} fails
   */
  public static ScannedMessage scan(InputStream message, ScanLimits limits, ForeignFields foreign, SignerTrust trust)
      throws IOException {
    CountingInput input = new CountingInput(message);
    Walk walk = new Walk(limits, foreign, input, trust);
    walk.run(input, 0, true);
    if (input.failure() != null) {
      throw input.failure();
    }
    input.drain();
    return walk.result(input.count());
  }

  private static MimeConfig config(ScanLimits limits) {
    return MimeConfig.custom()
        .setStrictParsing(false)
        .setMalformedHeaderStartsBody(false)
        // Lines reach the parser already cut to maxHeaderFieldBytes; this is a backstop, never the bound that acts.
        .setMaxLineLen(limits.maxHeaderFieldBytes() + 64)
        // Enforced here without aborting: fields by BoundedFieldBuilder, count by Walk.
        .setMaxHeaderLen(-1)
        .setMaxHeaderCount(-1)
        .setMaxContentLen(-1)
        .setCountLineNumbers(false)
        .build();
  }

  /** The state of one scan, shared by the nested walks. */
  private static final class Walk {
    private final ScanLimits limits;
    private final ForeignFields foreign;
    private final CountingInput input;
    private final MimeConfig config;
    private final Set<String> diagnostics = new LinkedHashSet<>();
    private final DiagnosticMonitor monitor = new DiagnosticMonitor(diagnostics);
    private final ProtectionDetector detector;
    private final List<String> received = new ArrayList<>();
    private final List<AuthResultsHeader> authenticationResults = new ArrayList<>();
    private final List<String> from = new ArrayList<>(1);
    private final List<String> arcSeals = new ArrayList<>();
    /** A Received: value was dropped (over the budget): positions below it are not known, so nothing is vouched. */
    private boolean receivedDropped;
    private final List<HeaderField> subjects = new ArrayList<>(1);
    /** The boundaries of the multiparts being walked, outermost first, across nested messages. */
    private final List<OpenBoundary> boundaries = new ArrayList<>();
    private int topFields;
    private long keptBytes;
    private int parts;
    private boolean stopped;

    Walk(ScanLimits limits, ForeignFields foreign, CountingInput input, SignerTrust trust) {
      this.limits = limits;
      this.foreign = foreign;
      this.input = input;
      this.config = config(limits);
      this.detector = new ProtectionDetector(diagnostics, limits.maxPartInspectBytes(), trust);
    }

    ScannedMessage result(long size) {
      if (foreign.overflow().isPresent()) {
        diagnostics.add(ScanDiagnostic.FOREIGN_FIELDS_OVER_BOUND.code());
      }
      return ScannedMessage.of(received, authenticationResults, foreign, detector.result(), size,
          new ArrayList<>(diagnostics)).withAuthorFields(from, arcSeals).withSubjects(subjects);
    }

    /** Walks one message (the top one, or one nested in a part) whose root sits at {@code rootDepth}. */
    void run(InputStream in, int rootDepth, boolean top) throws IOException {
      int openBoundaries = boundaries.size();
      try {
        parse(in, rootDepth, top);
      } finally {
        // a walk cut short leaves its multiparts open
        boundaries.subList(openBoundaries, boundaries.size()).clear();
      }
    }

    private void parse(InputStream in, int rootDepth, boolean top) throws IOException {
      // Below the line cap: junk after a boundary counts however long the line is.
      DelimiterLines lines = new DelimiterLines(in);
      LineCappingInputStream capped = new LineCappingInputStream(lines, limits.maxHeaderFieldBytes());
      BoundedFieldBuilder fields = new BoundedFieldBuilder(limits.maxHeaderFieldBytes(), diagnostics);
      MimeTokenStream tokens = new MimeTokenStream(config, monitor, fields, null);
      tokens.setRecursionMode(RecursionMode.M_NO_RECURSE);
      tokens.parse(capped);
      try {
        walk(tokens, fields, lines, rootDepth, top);
      } catch (MimeException | IOException | RuntimeException e) {
        if (input.failure() != null) {
          throw input.failure();
        }
        diagnostics.add(ScanDiagnostic.MALFORMED_MIME.code());
        // What the parser could not walk may hold anything: it counts as clear.
        detector.unseen();
      } finally {
        // Hands mime4j's buffers back to its per-thread recycler for the next message.
        try {
          tokens.stop();
        } catch (RuntimeException ignored) {
          // only buffer bookkeeping; the scan result stands
        }
        if (capped.cutSomeLine()) {
          diagnostics.add(ScanDiagnostic.LINE_TRUNCATED.code());
        }
      }
      if (top && topFields == 0) {
        diagnostics.add(ScanDiagnostic.NO_HEADER.code());
      }
    }

    private void walk(MimeTokenStream tokens, BoundedFieldBuilder fields, DelimiterLines lines, int rootDepth,
        boolean top)
        throws IOException, MimeException {
      int depth = rootDepth - 1;
      int maxDepth = limits.maxNestingDepth();
      for (EntityState state = tokens.getState(); state != EntityState.T_END_OF_STREAM; state = tokens.next()) {
        if (stopped) {
          return;
        }
        if (overInspectLimit()) {
          diagnostics.add(ScanDiagnostic.INSPECT_LIMIT_REACHED.code());
          stopped = true;
          detector.unseen();
          return;
        }
        if (fields.takeLineNoField()) {
          // Skipped while the parser read the current entity's header section, before its body starts.
          detector.headerLineNoField();
        }
        switch (state) {
          case T_START_MESSAGE:
          case T_START_BODYPART:
            depth++;
            if (++parts > limits.maxParts()) {
              diagnostics.add(ScanDiagnostic.TOO_MANY_PARTS.code());
              stopped = true;
              detector.unseen();
              return;
            }
            detector.enter();
            fields.envelopeLines(top && depth == 0);
            if (depth >= maxDepth) {
              // Read this entity's body as one opaque body: no parts below it.
              tokens.setRecursionMode(RecursionMode.M_FLAT);
            }
            break;
          case T_FIELD:
            Field field = tokens.getField();
            if (top && depth == 0) {
              topField(field, fields.truncated());
            } else if (fields.truncated()) {
              diagnostics.add(ScanDiagnostic.HEADER_FIELD_TRUNCATED.code());
            }
            detector.field(field);
            break;
          case T_START_MULTIPART:
            String boundary = tokens.getBodyDescriptor().getBoundary();
            if (boundary != null && clashes(boundary)) {
              opaqueMultipart(tokens, ScanDiagnostic.AMBIGUOUS_BOUNDARY);
            } else if (detector.ambiguous()) {
              // The detector has said why.
              opaqueMultipart(tokens, null);
            } else {
              boundaries.add(new OpenBoundary(depth, boundary));
              if (detector.multipart(tokens.getBodyDescriptor().getMimeType())) {
                // A signature covers the exact bytes of the first part: it comes raw, and is walked from them.
                tokens.setRecursionMode(RecursionMode.M_RAW);
              }
            }
            break;
          case T_RAW_ENTITY:
            tokens.setRecursionMode(RecursionMode.M_NO_RECURSE);
            if (++parts > limits.maxParts()) {
              diagnostics.add(ScanDiagnostic.TOO_MANY_PARTS.code());
              stopped = true;
              detector.unseen();
              return;
            }
            signedPart(tokens.getInputStream(), depth);
            break;
          case T_END_MULTIPART:
            if (!boundaries.isEmpty() && boundaries.get(boundaries.size() - 1).depth == depth) {
              OpenBoundary open = boundaries.remove(boundaries.size() - 1);
              // Every line of the multipart has been read by now: mime4j reads its closing delimiter line whole.
              if (open.boundary != null && lines.junkAfter(open.boundary)) {
                diagnostics.add(ScanDiagnostic.AMBIGUOUS_DELIMITER.code());
                detector.ambiguousMultipart();
              }
            }
            break;
          case T_BODY:
            body(tokens, depth);
            break;
          case T_END_BODYPART:
          case T_END_MESSAGE:
            detector.leave();
            if (depth >= maxDepth) {
              tokens.setRecursionMode(RecursionMode.M_NO_RECURSE);
            }
            depth--;
            break;
          default:
            break;
        }
      }
    }

    /**
     * Whether a multipart's boundary is a prefix of one it is nested in, or has one as its prefix. RFC 2046 5.1.1
     * forbids the first; either makes every line of the inner part a candidate delimiter for the outer parser, and a
     * few KiB of such nesting cost milliseconds.
     */
    private boolean clashes(String boundary) {
      for (OpenBoundary open : boundaries) {
        if (open.boundary != null && (open.boundary.startsWith(boundary) || boundary.startsWith(open.boundary))) {
          return true;
        }
      }
      return false;
    }

    /** Reads an ambiguous multipart as one opaque body: its parts are not opened, nothing in it is credited. */
    private void opaqueMultipart(MimeTokenStream tokens, ScanDiagnostic why) throws IOException {
      if (why != null) {
        diagnostics.add(why.code());
      }
      detector.leaf("application/octet-stream");
      detector.unseen();
      // Reading the body here lets the parser go straight to its end, without a parser for its parts.
      new BudgetInputStream(tokens.getInputStream(), this::overInspectLimit).transferTo(OutputStream.nullOutputStream());
    }

    private void body(MimeTokenStream tokens, int depth) throws IOException {
      String mimeType = tokens.getBodyDescriptor().getMimeType();
      boolean deepest = depth >= limits.maxNestingDepth();
      if (deepest && (mimeType.startsWith("multipart/") || mimeType.startsWith("message/"))) {
        diagnostics.add(ScanDiagnostic.NESTING_TOO_DEEP.code());
        detector.leaf("application/octet-stream");
        return;
      }
      ProtectionDetector.BodyCheck check = detector.leaf(mimeType);
      switch (check) {
        case SKIP:
          break;
        case NESTED_MESSAGE: {
          Base64Body base64 = base64(tokens);
          nested(base64 != null ? base64 : tokens.getDecodedInputStream(), depth);
          finish(base64);
          break;
        }
        default:
          boolean qp = check.readsText()
              && "quoted-printable".equals(tokens.getBodyDescriptor().getTransferEncoding());
          Base64Body base64 = base64(tokens);
          InputStream in = qp ? tokens.getInputStream() : base64 != null ? base64 : tokens.getDecodedInputStream();
          InputStream inner = detector.inspect(check, new BudgetInputStream(in, this::overInspectLimit), qp);
          if (overInspectLimit()) {
            detector.unseen();
          }
          if (inner != null) {
            nested(inner, depth);
            new BudgetInputStream(inner, this::overInspectLimit).transferTo(OutputStream.nullOutputStream());
            if (overInspectLimit()) {
              detector.unseen();
            } else {
              detector.afterNested();
            }
          }
          finish(base64);
          break;
      }
    }

    /**
     * A base64 body decoded by {@link Base64Body}, which tells the detector when data follows the padding (before
     * it judges a body read to its end); null for another encoding.
     */
    private Base64Body base64(MimeTokenStream tokens) {
      if (!"base64".equals(tokens.getBodyDescriptor().getTransferEncoding())) {
        return null;
      }
      return new Base64Body(tokens.getInputStream(), monitor, detector::dataAfterBase64Padding);
    }

    /** Reads the raw rest of a base64 body the checks left unread: data after its padding still counts as clear. */
    private void finish(Base64Body base64) throws IOException {
      if (base64 != null && !overInspectLimit()) {
        base64.finish();
      }
    }

    /** The raw first part of the top-level multipart/signed: digested whole, and walked as an entity. */
    private void signedPart(InputStream raw, int depth) throws IOException {
      OutputStream digest = detector.signedContent();
      InputStream tee = new TeeInputStream(raw, digest);
      nested(tee, depth);
      // The digest covers the whole part, up to the inspect limit: past it the walk stops before the signature.
      new BudgetInputStream(tee, this::overInspectLimit).transferTo(OutputStream.nullOutputStream());
      detector.signedContentEnd();
    }

    /** Whether we have read past {@link ScanLimits#maxInspectBytes()}; also checked inside long text bodies. */
    private boolean overInspectLimit() {
      return input.count() > limits.maxInspectBytes();
    }

    private void nested(InputStream content, int depth) throws IOException {
      if (depth + 1 >= limits.maxNestingDepth()) {
        diagnostics.add(ScanDiagnostic.NESTING_TOO_DEEP.code());
        detector.unseen();
        return;
      }
      run(content, depth + 1, false);
    }

    private void topField(Field field, boolean truncated) {
      topFields++;
      if (truncated) {
        diagnostics.add(ScanDiagnostic.HEADER_FIELD_TRUNCATED.code());
      }
      String name = field.getName();
      boolean withinCount = topFields <= limits.maxHeaderFields();
      if (!withinCount) {
        diagnostics.add(ScanDiagnostic.TOO_MANY_HEADER_FIELDS.code());
      }
      // Ours arriving from outside must go wherever they stand: counted past the field limit too, and behind a bare
      // CR, which some readers take for a line break.
      if (field instanceof RawField && ((RawField) field).getRaw() != null) {
        RawField raw = (RawField) field;
        ByteSequence bytes = raw.getRaw();
        byte[] b = bytes instanceof ByteArrayBuffer ? ((ByteArrayBuffer) bytes).buffer() : bytes.toByteArray();
        foreign.field(name, b, raw.getDelimiterIdx() + 1, bytes.length());
      } else {
        foreign.field(name, field.getBody() == null ? "" : field.getBody());
      }
      if ("subject".equalsIgnoreCase(name) && subjects.size() < limits.maxHeaderFields()) {
        // Past the field count too: a forged grade in a Subject must not hide behind ten thousand fields.
        String value = keep(HeaderValues.value(field, diagnostics));
        int occurrence = subjects.size() + 1;
        subjects.add(value == null ? HeaderField.cut(name, "", occurrence)
            : truncated ? HeaderField.cut(name, value, occurrence) : HeaderField.of(name, value, occurrence));
      }
      if (!withinCount) {
        return;
      }
      String lower = field.getNameLowerCase();
      if ("received".equals(lower)) {
        String value = keep(HeaderValues.value(field, diagnostics));
        if (value != null) {
          received.add(value);
        } else {
          receivedDropped = true;
        }
      } else if ("authentication-results".equals(lower)) {
        // Parsed here, once, with where it stood: how many Received: fields are above it (RFC 8601 §5).
        String value = keep(HeaderValues.value(field, diagnostics));
        int occurrence = authenticationResults.size() + 1;
        authenticationResults.add(receivedDropped || value == null
            ? AuthResultsHeader.unreadable(occurrence, received.size())
            : AuthResultsParser.parse(value, occurrence, received.size()));
      } else if ("from".equals(lower)) {
        // Two From: fields make the author ambiguous: remembering two is enough to know.
        if (from.size() < 2) {
          from.add(keep(HeaderValues.value(field, diagnostics)));
        }
      } else if ("arc-seal".equals(lower) && arcSeals.size() < MAX_ARC_SEALS) {
        String value = keep(HeaderValues.value(field, diagnostics));
        if (value != null) {
          arcSeals.add(value);
        }
      }
    }

    /** The value when it fits the section budget; else null for Received and A-R, or "" for a foreign field. */
    private String keep(String value) {
      if (keptBytes + value.length() > limits.maxHeaderSectionBytes()) {
        diagnostics.add(ScanDiagnostic.HEADER_SECTION_TOO_LARGE.code());
        return null;
      }
      keptBytes += value.length();
      return value;
    }

    /** A multipart being walked: the depth of its entity and its boundary. */
    private static final class OpenBoundary {
      final int depth;
      final String boundary;

      OpenBoundary(int depth, String boundary) {
        this.depth = depth;
        this.boundary = boundary;
      }
    }
  }
}
