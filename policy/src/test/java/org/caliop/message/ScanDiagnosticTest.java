package org.caliop.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScanDiagnosticTest {
  private static final List<String> CODES =
      Arrays.stream(ScanDiagnostic.values()).map(ScanDiagnostic::code).collect(Collectors.toList());

  @Test
  void codesShouldBeUniqueLowercaseDashWords() {
    assertThat(CODES).doesNotHaveDuplicates().allMatch(c -> c.matches("[a-z0-9]+(-[a-z0-9]+)*"));
  }

  @Test
  void codesWrittenByTheProtectionDetectorShouldBeDeclared() {
    // org.caliop.mime writes these as text, to keep the mime package free of the message package.
    assertThat(CODES).contains("smime-type-mismatch", "unknown-protection-protocol", "part-inspect-limit-reached",
        "data-after-ciphertext", "data-after-base64-padding", "html-outside-subset");
  }

  @Test
  void mime4jWarningsShouldMapToStableCodes() {
    assertThat(DiagnosticMonitor.classify("Invalid header encountered")).isEqualTo(ScanDiagnostic.INVALID_HEADER_FIELD);
    assertThat(DiagnosticMonitor.classify("Obsolete header encountered"))
        .isEqualTo(ScanDiagnostic.OBSOLETE_HEADER_SYNTAX);
    assertThat(DiagnosticMonitor.classify("Unexpected end of headers detected. Higher level boundary detected or "
        + "EOF reached.")).isEqualTo(ScanDiagnostic.HEADERS_PREMATURE_END);
    assertThat(DiagnosticMonitor.classify("Body part ended prematurely. Boundary detected in header or EOF reached."))
        .isEqualTo(ScanDiagnostic.MIME_BODY_PREMATURE_END);
  }
}
