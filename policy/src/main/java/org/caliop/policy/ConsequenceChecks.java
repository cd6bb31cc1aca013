package org.caliop.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.caliop.crypto.EncryptionSettings;
import org.caliop.facts.Direction;

/**
 * Checks effective rules (global under an entry, in each direction) for consequences that cannot work: a redirect
 * without an address, encrypt without keys, a reply code of the wrong class. A problem found in several directions
 * of one block is reported once ("for domain x" when in every direction, "for domain x, outbound" otherwise).
 */
final class ConsequenceChecks {
  private final ProblemSink problems;
  private final EncryptionSettings encryption;
  /** Problems of the current block, by position and message, with the directions they occur in. */
  private final Map<At, List<String>> pending = new LinkedHashMap<>();
  private boolean usesEncryption;

  ConsequenceChecks(ProblemSink problems, EncryptionSettings encryption) {
    this.problems = problems;
    this.encryption = encryption;
  }

  /** Some effective rule checked so far ends in {@code encrypt}. */
  boolean usesEncryption() {
    return usesEncryption;
  }

  /** Checks an effective rule (global under an entry) for consequences that cannot work. */
  void check(Settings eff, Direction direction) {
    String where = direction.token();
    Action action = eff.get(Knob.ACTION, Action.class);
    if (action == Action.REDIRECT && !eff.has(Knob.REDIRECT_TO)) {
      pend(eff, Knob.ACTION, "action redirect needs redirect_to (the address to deliver to instead)", where);
    }
    usesEncryption |= action == Action.ENCRYPT;
    if (action == Action.ENCRYPT && !encryption.configured() && !problems.errorsUnder(List.of("encryption"))) {
      pend(eff, Knob.ACTION, "action encrypt needs an 'encryption:' section with keys_dir (where the"
          + " recipients' certificates and public keys are)", where);
    }
    if (action == Action.REJECT || action == Action.TEMPFAIL) {
      char cls = action == Action.REJECT ? '5' : '4';
      String want = action == Action.REJECT ? "5xx" : "4xx";
      Integer code = eff.get(Knob.REPLY_CODE, Integer.class);
      if (code != null && String.valueOf(code).charAt(0) != cls) {
        pend(eff, Knob.REPLY_CODE, "reply_code " + code + " does not fit action "
            + action.token() + " (needs " + want + ")", where);
      }
      String enhanced = eff.get(Knob.ENHANCED_CODE, String.class);
      if (enhanced != null && enhanced.charAt(0) != cls) {
        pend(eff, Knob.ENHANCED_CODE, "enhanced_code " + enhanced + " does not fit action "
            + action.token() + " (needs " + cls + ".x.x)", where);
      }
    }
  }

  /** Reports the problems of the block just checked, labelled {@code label} ("global", "domain example.org"). */
  void flush(String label) {
    for (Map.Entry<At, List<String>> e : pending.entrySet()) {
      At at = e.getKey();
      String where = e.getValue().size() == Direction.values().length ? label
          : label + ", " + String.join(" and ", e.getValue());
      problems.errorAt(at.line, at.column, at.message + ", for " + where);
    }
    pending.clear();
  }

  private void pend(Settings eff, Knob k, String message, String direction) {
    pending.computeIfAbsent(new At(eff.line(k), eff.column(k), message), x -> new ArrayList<>()).add(direction);
  }

  /** A problem's position and message: the same in several directions is one problem. */
  private static final class At {
    final int line;
    final int column;
    final String message;

    At(int line, int column, String message) {
      this.line = line;
      this.column = column;
      this.message = message;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof At)) {
        return false;
      }
      At a = (At) o;
      return line == a.line && column == a.column && message.equals(a.message);
    }

    @Override
    public int hashCode() {
      return Objects.hash(line, column, message);
    }
  }
}
