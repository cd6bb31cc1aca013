package org.caliop.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the policy decided for one message. {@link #action()} is what the adapter must do; in dry-run it is
 * {@link Action#TAG} while {@link #policyAction()} says what enforcing would have done.
 */
public final class Decision {
  private final Action action;
  private final Action policyAction;
  private final boolean dryRun;
  private final String rule;
  private final String ruleLocation;
  private final SmtpReply reply;
  private final String replyText;
  private final String redirectTo;
  private final EncryptSpec encrypt;
  private final List<String> reasons;
  private final List<String> unknowns;
  private final List<String> recipients;
  private final SubjectPrefix subjectPrefix;
  private final List<SubjectPrefix> subjectShapes;

  private Decision(Builder b) {
    this.policyAction = Objects.requireNonNull(b.policyAction, "action");
    this.dryRun = b.dryRun;
    this.action = dryRun && policyAction != Action.ACCEPT ? Action.TAG : policyAction;
    this.rule = b.rule;
    this.ruleLocation = b.ruleLocation != null ? b.ruleLocation : b.rule;
    this.reply = b.reply;
    this.replyText = b.replyText;
    this.redirectTo = b.redirectTo;
    this.encrypt = b.encrypt;
    this.reasons = List.copyOf(b.reasons);
    this.unknowns = List.copyOf(b.unknowns);
    this.recipients = List.copyOf(b.recipients);
    this.subjectPrefix = b.subjectPrefix;
    this.subjectShapes = SubjectPrefix.distinct(b.subjectShapes);
  }

  public static Builder builder(Action action) {
    return new Builder(action);
  }

  /** Accept, no rule matched. */
  public static Decision accept() {
    return builder(Action.ACCEPT).build();
  }

  /** What the adapter must do now. */
  public Action action() { return action; }
  /** What the matching rule asks for (equal to {@link #action()} unless dry-run). */
  public Action policyAction() { return policyAction; }
  public boolean dryRun() { return dryRun; }
  /**
   * The rule that decided, by its stable {@code name:}, or {@code file:line} when it has none; empty when none
   * matched. What logs, headers, metrics and replay carry.
   */
  public Optional<String> rule() { return Optional.ofNullable(rule); }
  /** Where the rule that decided is written, {@code file:line}: for messages to the admin. */
  public Optional<String> ruleLocation() { return Optional.ofNullable(ruleLocation); }
  /**
   * The SMTP reply of a {@code reject} (5xx) or {@code tempfail} (4xx) decision, with the rule's code and text or
   * the defaults; empty for other actions (the engine then uses the defaults of {@link SmtpReply}).
   */
  public Optional<SmtpReply> reply() { return Optional.ofNullable(reply); }
  /** The rule's own text ({@code reply_text}, reasons substituted): the hold reason, or the reject/tempfail text. */
  public Optional<String> replyText() { return Optional.ofNullable(replyText); }
  public Optional<String> redirectTo() { return Optional.ofNullable(redirectTo); }
  public Optional<EncryptSpec> encrypt() { return Optional.ofNullable(encrypt); }
  /** Which requirements failed, in words ("TLS below TLSv1.2 on our hop"). */
  public List<String> reasons() { return reasons; }
  /**
   * The reasons that failed for want of a fact rather than on a fact (a TLS version no {@code Received:} wrote down,
   * no hop to check, no trusted Authentication-Results, an address without a country): a subset of
   * {@link #reasons()}. Live, the milter knows most of these; replay of stored mail counts the decisions resting on
   * them, since another copy of the message might have proved the requirement.
   */
  public List<String> unknowns() { return unknowns; }
  /**
   * The envelope recipients this decision is for (with several recipients, those whose own decision was this
   * action: for {@code encrypt}, the ones to encrypt to); empty when it is for the whole message.
   */
  public List<String> recipients() { return recipients; }

  /**
   * The rule's {@code subject_prefix}, to put in front of the Subject when this decision tags the message; the engine
   * adds it to inbound mail only, and never in dry-run.
   */
  public Optional<SubjectPrefix> subjectPrefix() { return Optional.ofNullable(subjectPrefix); }

  /**
   * The {@code subject_prefix} templates in force for any recipient of the message, whatever was decided: text of
   * their shape is removed from an inbound Subject (it came from outside), so a forged grade never survives.
   */
  public List<SubjectPrefix> subjectShapes() { return subjectShapes; }

  /** This decision with the shapes to remove from the Subject (see {@link #subjectShapes()}). */
  public Decision withSubjectShapes(List<SubjectPrefix> shapes) {
    if (shapes.isEmpty() && subjectShapes.isEmpty()) {
      return this;
    }
    return toBuilder().subjectShapes(shapes).build();
  }

  /** A builder holding everything this decision holds. */
  public Builder toBuilder() {
    Builder b = builder(policyAction).dryRun(dryRun).reasons(reasons).unknowns(unknowns).recipients(recipients)
        .subjectShapes(subjectShapes);
    b.rule = rule;
    b.ruleLocation = ruleLocation;
    b.reply = reply;
    b.replyText = replyText;
    b.redirectTo = redirectTo;
    b.encrypt = encrypt;
    b.subjectPrefix = subjectPrefix;
    return b;
  }

  @Override
  public String toString() {
    return "Decision[" + action.token() + (dryRun ? " (dry-run: " + policyAction.token() + ")" : "") + " rule="
        + rule + " " + reasons + "]";
  }

  public static final class Builder {
    private final Action policyAction;
    private boolean dryRun;
    private String rule;
    private String ruleLocation;
    private SmtpReply reply;
    private String replyText;
    private String redirectTo;
    private EncryptSpec encrypt;
    private List<String> reasons = List.of();
    private List<String> unknowns = List.of();
    private List<String> recipients = List.of();
    private SubjectPrefix subjectPrefix;
    private List<SubjectPrefix> subjectShapes = List.of();

    private Builder(Action policyAction) {
      this.policyAction = policyAction;
    }

    public Builder dryRun(boolean v) { dryRun = v; return this; }
    public Builder rule(String v) { rule = v; return this; }
    public Builder ruleLocation(String v) { ruleLocation = v; return this; }
    public Builder reply(SmtpReply v) { reply = v; return this; }
    public Builder replyText(String v) { replyText = v; return this; }
    public Builder redirectTo(String v) { redirectTo = v; return this; }
    public Builder encrypt(EncryptSpec v) { encrypt = v; return this; }
    public Builder reasons(List<String> v) { reasons = v; return this; }
    public Builder unknowns(List<String> v) { unknowns = v; return this; }
    public Builder recipients(List<String> v) { recipients = v; return this; }
    public Builder subjectPrefix(SubjectPrefix v) { subjectPrefix = v; return this; }
    public Builder subjectShapes(List<SubjectPrefix> v) { subjectShapes = v; return this; }

    public Decision build() {
      return new Decision(this);
    }
  }
}
