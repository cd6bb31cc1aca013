package org.caliop.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.caliop.facts.Envelope;
import org.caliop.facts.HeaderEdit;
import org.caliop.message.ForeignFields;
import org.caliop.message.ScanDiagnostic;
import org.junit.jupiter.api.Test;

/** Forged {@code Caliop-*} fields never survive the engine's edits: wherever they stand, or past its bound. */
class ForeignFieldsEngineTest {
  private static final Engine ENGINE = Engine.withBuiltInPolicy();

  private static Assessment judge(String message) throws IOException {
    byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
    return ENGINE.assess(null, Envelope.empty(), new ByteArrayInputStream(bytes));
  }

  @Test
  void aForgedFieldAfterTenThousandOtherForeignFieldsShouldBeRemoved() throws IOException {
    StringBuilder m = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      m.append("Caliop-Junk: ").append(i).append("\r\n");
    }
    // past the 10,000 header fields the engine reads: still counted
    m.append("Caliop-Privacy: v=2, score=100, grade=A\r\nSubject: x\r\n\r\nbody\r\n");

    Assessment v = judge(m.toString());

    assertThat(v.headerEdits()).contains(HeaderEdit.removeAll("Caliop-Junk"), HeaderEdit.removeAll("Caliop-Privacy"));
  }

  @Test
  void aForgedFieldAfterABareCrShouldBeRemovedByName() throws IOException {
    Assessment v = judge("Subject: hi\rCaliop-Privacy: v=2, score=100, grade=A\r\n\r\nbody\r\n");

    assertThat(v.headerEdits()).contains(HeaderEdit.removeAll("Caliop-Privacy"));
  }

  @Test
  void pastTheBoundTheEngineShouldSaySoForTheAdaptersOnError() throws IOException {
    StringBuilder m = new StringBuilder();
    for (int i = 0; i <= ForeignFields.MAX_NAMES; i++) {
      m.append("Caliop-X").append(i).append(": x\r\n");
    }
    m.append("\r\nbody\r\n");

    Assessment v = judge(m.toString());

    assertThat(v.facts().diagnostics()).contains(ScanDiagnostic.FOREIGN_FIELDS_OVER_BOUND.code());
  }
}
