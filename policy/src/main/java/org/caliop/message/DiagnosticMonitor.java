package org.caliop.message;

import java.util.Set;
import org.apache.james.mime4j.codec.DecodeMonitor;

/**
 * A lenient mime4j monitor (never asks the parser to throw, like {@code DecodeMonitor.SILENT}) that turns the
 * parser's warnings into our diagnostics. mime4j only says what went wrong in English text, so the mapping reads
 * the stable start of its {@code Event} messages and of its decoders' warnings.
 */
final class DiagnosticMonitor extends DecodeMonitor {
  private final Set<String> diagnostics;

  DiagnosticMonitor(Set<String> diagnostics) {
    this.diagnostics = diagnostics;
  }

  @Override
  public boolean warn(String error, String dropDesc) {
    diagnostics.add(classify(error).code());
    return false;
  }

  @Override
  public boolean isListening() {
    return true;
  }

  static ScanDiagnostic classify(String error) {
    String e = error == null ? "" : error;
    if (e.contains("Invalid header")) {
      return ScanDiagnostic.INVALID_HEADER_FIELD;
    }
    if (e.contains("Obsolete header")) {
      return ScanDiagnostic.OBSOLETE_HEADER_SYNTAX;
    }
    if (e.contains("end of headers")) {
      return ScanDiagnostic.HEADERS_PREMATURE_END;
    }
    if (e.contains("Body part ended prematurely")) {
      return ScanDiagnostic.MIME_BODY_PREMATURE_END;
    }
    return ScanDiagnostic.BAD_TRANSFER_ENCODING;
  }
}
