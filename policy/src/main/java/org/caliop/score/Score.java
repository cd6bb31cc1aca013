package org.caliop.score;

import java.util.List;
import java.util.Objects;

/** A privacy score 0-100, its grade, the formula version that computed it, and the reasons. */
public final class Score {
  private final int value;
  private final Grade grade;
  private final String version;
  private final List<Reason> reasons;

  private Score(int value, Grade grade, String version, List<Reason> reasons) {
    if (value < 0 || value > 100) {
      throw new IllegalArgumentException("score out of 0..100: " + value);
    }
    this.value = value;
    this.grade = Objects.requireNonNull(grade);
    this.version = Objects.requireNonNull(version);
    this.reasons = List.copyOf(reasons);
  }

  public static Score of(int value, Grade grade, String version, List<Reason> reasons) {
    return new Score(value, grade, version, reasons);
  }

  public int value() { return value; }
  public Grade grade() { return grade; }
  public String version() { return version; }
  public List<Reason> reasons() { return reasons; }

  @Override
  public String toString() {
    return "Score[" + value + " " + grade + " v" + version + " " + reasons + "]";
  }
}
