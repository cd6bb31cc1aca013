package org.caliop.message;

import java.io.IOException;
import java.io.InputStream;
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
import org.caliop.mime.ProtectionDetector;

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
    return scan(message, limits, ForeignFields.of(foreignHeader, false));
  }

  /**
   * @param foreign counts the top-level fields only our servers may write (and keeps their values to rename them);
   *     filled by the scan and returned as {@link ScannedMessage#foreignFields()}
   * @throws IOException only when reading {@code message} fails
   */
  public static ScannedMessage scan(InputStream message, ScanLimits limits, ForeignFields foreign)
      throws IOException {
    CountingInput input = new CountingInput(message);
    Walk walk = new Walk(limits, foreign, input);
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
    private final List<String> authenticationResults = new ArrayList<>();
    private int topFields;
    private long keptBytes;
    private int parts;
    private boolean stopped;

    Walk(ScanLimits limits, ForeignFields foreign, CountingInput input) {
      this.limits = limits;
      this.foreign = foreign;
      this.input = input;
      this.config = config(limits);
      this.detector = new ProtectionDetector(diagnostics, limits.maxPartInspectBytes());
    }

    ScannedMessage result(long size) {
      return ScannedMessage.of(received, authenticationResults, foreign, detector.result(), size,
          new ArrayList<>(diagnostics));
    }

    /** Walks one message (the top one, or one nested in a part) whose root sits at {@code rootDepth}. */
    void run(InputStream in, int rootDepth, boolean top) throws IOException {
      LineCappingInputStream capped = new LineCappingInputStream(in, limits.maxHeaderFieldBytes());
      BoundedFieldBuilder fields = new BoundedFieldBuilder(limits.maxHeaderFieldBytes());
      MimeTokenStream tokens = new MimeTokenStream(config, monitor, fields, null);
      tokens.setRecursionMode(RecursionMode.M_NO_RECURSE);
      tokens.parse(capped);
      try {
        walk(tokens, fields, rootDepth, top);
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

    private void walk(MimeTokenStream tokens, BoundedFieldBuilder fields, int rootDepth, boolean top)
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
            detector.multipart(tokens.getBodyDescriptor().getMimeType());
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
        case NESTED_MESSAGE:
          nested(tokens.getDecodedInputStream(), depth);
          break;
        default:
          boolean qp = check.readsText()
              && "quoted-printable".equals(tokens.getBodyDescriptor().getTransferEncoding());
          InputStream in = qp ? tokens.getInputStream() : tokens.getDecodedInputStream();
          InputStream inner = detector.inspect(check, new BudgetInputStream(in, this::overInspectLimit), qp);
          if (overInspectLimit()) {
            detector.unseen();
          }
          if (inner != null) {
            nested(inner, depth);
          }
          break;
      }
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
      if (!withinCount) {
        return;
      }
      String lower = field.getNameLowerCase();
      if ("received".equals(lower)) {
        String value = keep(HeaderValues.value(field, diagnostics));
        if (value != null) {
          received.add(value);
        }
      } else if ("authentication-results".equals(lower)) {
        String value = keep(HeaderValues.value(field, diagnostics));
        if (value != null) {
          authenticationResults.add(value);
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
  }
}
