package org.caliop.dist;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TroffTablesTest {
  @Test
  void columnsThatFitShouldGetTheirWholeText() {
    assertThat(TroffTables.widths(new int[] {5, 20, 10}, new int[] {5, 8, 10}, 60)).containsExactly(5, 20, 10);
  }

  @Test
  void aLongColumnShouldTakeTheRoomTheShortOnesLeave() {
    // A key column, a type column and a long explanation in 60 columns.
    int[] w = TroffTables.widths(new int[] {15, 7, 300}, new int[] {15, 7, 12}, 60);

    assertThat(w).containsExactly(15, 7, 38);
  }

  @Test
  void noColumnShouldGetLessThanItsLongestWordWhenThereIsRoom() {
    int[] w = TroffTables.widths(new int[] {100, 100}, new int[] {30, 5}, 60);

    assertThat(w[0]).isGreaterThanOrEqualTo(30);
    assertThat(w[0] + w[1]).isEqualTo(60);
  }

  @Test
  void formatLinesShouldGetTheWidths() {
    String troff = ".TS\nallbox tab(:);\nltB ltB.\nT{\nkey\nT}:T{\nmeaning\nT}\n.T&\nlt lt.\n"
        + "T{\nmode\nT}:T{\nwhat the policy does\nT}\n.TE\n";

    assertThat(TroffTables.fit(troff)).contains("ltBw(4n) ltBw(20n).\n").contains("ltw(4n) ltw(20n).\n");
  }

  @Test
  void longNamesShouldBreakAfterTheirSeparatorsAndBeMeasuredInPieces() {
    String troff = ".TS\nallbox tab(:);\nlt lt.\nT{\n\\fBtrusted_authserv_ids:\\fP a\\-b\n.br\nc/d e=f\nT}:T{\n"
        + "x\nT}\n.TE\n";

    String fitted = TroffTables.fit(troff);

    assertThat(fitted).contains("\\fBtrusted_\\:authserv_\\:ids:\\fP a\\-\\:b\n.br\nc/\\:d e=\\:f\n")
        // The whole cell (33 characters) fits, so it gets its whole width, break points not counted.
        .contains("ltw(33n) ltw(1n).");
  }
}
