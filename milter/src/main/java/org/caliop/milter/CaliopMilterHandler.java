package org.caliop.milter;

import io.netty.channel.Channel;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.caliop.engine.Assessment;
import org.caliop.engine.Disposition;
import org.caliop.facts.ConnectionFacts;
import org.caliop.milter.config.MilterConfig;
import org.caliop.milter.config.OnError;
import org.caliop.milter.message.MessageInProgress;
import org.caliop.message.SpillBuffer;
import org.caliop.policy.SmtpReply;
import org.caliop.milter.ops.Metrics;
import org.caliop.milter.seal.FactsSeal;
import org.caliop.milter.seal.SealedFacts;
import org.caliop.milter.seal.Unsealed;
import org.caliop.policy.Policy;
import org.nightcode.milter.AbstractMilterHandler;
import org.nightcode.milter.Actions;
import org.nightcode.milter.CommandCode;
import org.nightcode.milter.MilterContext;
import org.nightcode.milter.MilterException;
import org.nightcode.milter.MilterMacros;
import org.nightcode.milter.ProtocolSteps;
import org.nightcode.milter.ResponseCode;
import org.nightcode.milter.codec.MilterPacket;
import org.nightcode.milter.net.MilterPacketSender;
import org.nightcode.milter.util.ByteArrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The milter: collects first-hand facts and the message on the network threads (never blocking them beyond a
 * buffered write), then judges at end of message: a small message held in memory right there, anything larger (or
 * to be encrypted) on a bounded worker pool, under a timeout.
 */
final class CaliopMilterHandler extends AbstractMilterHandler implements MilterChannel.Shortcut {
  private static final Logger LOG = LoggerFactory.getLogger("caliop");
  private static final int BODY_CHUNK = 65_535;
  /** SMFIP_NR_DATA: the MTA does not wait for our answer to DATA. */
  private static final int NR_DATA = 0x10000;

  /** What we may do to a message; Postfix grants all of these. */
  static final Actions ACTIONS = Actions.builder()
      .addHeader()
      .changeDeleteHeaders()
      .replaceBody()
      .addRecipients()
      .deleteRecipients()
      .quarantineEnvelope()
      .setSymList()
      .build();

  /**
   * Every event, but answered only where an answer matters: end of message, and DATA on a TCP connection without
   * TCP_QUICKACK. The MTA pipelines the rest without waiting for us (each answer we skip saves a round trip). Over
   * TCP the MTA's small writes would otherwise wait ~40 ms on our delayed ACK; replying to DATA, or re-arming
   * TCP_QUICKACK after every read (what {@link MilterServer} does on Linux), prevents it. A unix socket has no ACKs.
   * Raw header values keep their leading space.
   */
  static final ProtocolSteps STEPS = ProtocolSteps.builder()
      .noUnknownCommands()
      .noReplyForConnect()
      .noReplyForHelo()
      .noReplyForMailFrom()
      .noReplyForRecipients()
      .noReplyForHeaders()
      .noReplyForEoh()
      .noReplyForBodyChunk()
      .headerValueLeadingSpace()
      .build();

  /** {@link #STEPS}, and DATA unanswered too: a round trip less per message where no delayed ACK can stall. */
  static final ProtocolSteps STEPS_NO_DATA_REPLY = ProtocolSteps.builder()
      .noUnknownCommands()
      .noReplyForConnect()
      .noReplyForHelo()
      .noReplyForMailFrom()
      .noReplyForRecipients()
      .noReplyForData()
      .noReplyForHeaders()
      .noReplyForEoh()
      .noReplyForBodyChunk()
      .headerValueLeadingSpace()
      .build();

  /** The macros we ask the MTA for, per stage (milter protocol 6 lets the milter choose). */
  static final MilterMacros MACROS = MilterMacros.builder()
      .connectMacros("j {daemon_name} {daemon_addr} {daemon_port} {client_addr} {client_name} {client_ptr} _ v")
      .heloMacros("{tls_version} {cipher} {cipher_bits} {cert_subject} {cert_issuer}")
      .envfromMacros("i {auth_type} {auth_authen} {auth_author} {mail_addr}")
      .envrcptMarcos("{rcpt_addr}")
      .dataMacros("i")
      .eomMacros("i")
      .build();

  private final MilterConfig config;
  private final Supplier<Policy> policy;
  private final Judge judge;
  /** Bytes of one connection waiting for the spill executor beyond which we stop reading from the MTA. */
  private static final long DISK_HIGH_WATER = 256 * 1024;
  private static final long DISK_LOW_WATER = 64 * 1024;

  private final ExecutorService workers;
  private final Executor spill;
  private final Timer timers;
  private final Metrics metrics;
  /** Opens the facts sealed into re-injected mail; null when caliop does not seal. */
  private final FactsSeal seal;
  private final Stamps stamps;
  private volatile boolean draining;

  CaliopMilterHandler(MilterConfig config, Supplier<Policy> policy, Judge judge, ExecutorService workers,
      Executor spill, Timer timers, Metrics metrics) {
    this(config, policy, judge, workers, spill, timers, metrics, null);
  }

  /** @param seal seals and opens first-hand facts (docs/milter.md, "Postfix set-ups"), or null when caliop does not */
  CaliopMilterHandler(MilterConfig config, Supplier<Policy> policy, Judge judge, ExecutorService workers,
      Executor spill, Timer timers, Metrics metrics, FactsSeal seal) {
    super(ACTIONS, STEPS, MACROS);
    this.config = config;
    this.policy = policy;
    this.judge = judge;
    this.workers = workers;
    this.spill = spill;
    this.timers = timers;
    this.metrics = metrics;
    this.seal = seal;
    this.stamps = new Stamps(seal, java.time.Clock.systemUTC());
  }

  /**
   * Graceful stop has begun: messages already started go on; a message started from now on is refused with a 4xx,
   * at DATA when the MTA waits for our DATA answer, else at end of message (MAIL and RCPT are not answered), so the
   * sender retries later.
   */
  void drain() {
    draining = true;
  }

  @Override
  public MilterContext createContext(MilterPacketSender sender) {
    metrics.sessionOpened();
    boolean answerData = !(sender instanceof MilterChannel.Sender c && MilterServer.noDelayedAck(c.channel()));
    return new MilterSession(this, ACTIONS, answerData ? STEPS : STEPS_NO_DATA_REPLY, MACROS, sender);
  }

  /**
   * jmilter's negotiation, without its debug line: that one was formatted with {@code String.format} on every
   * connection, logged or not. The same rules: the lower protocol version, refuse an MTA that does not grant our
   * actions, and agree on the steps both sides want.
   */
  @Override
  public void optneg(MilterContext context, int mtaVersion, Actions mtaActions, ProtocolSteps mtaSteps)
      throws MilterException {
    context.setMtaProtocolVersion(mtaVersion);
    context.setSessionProtocolVersion(Math.min(context.milterProtocolVersion(), mtaVersion));
    Actions granted = mtaActions.bitmap() == 0 ? Actions.DEF_ACTIONS : mtaActions;
    context.setMtaActions(granted);
    int wanted = context.milterActions().bitmap();
    if ((granted.bitmap() & wanted) != wanted) {
      LOG.warn("caliop: the MTA grants actions {}, caliop needs {}: closing", granted, context.milterActions());
      abortSession(context, null);
      return;
    }
    ProtocolSteps offered = mtaSteps.bitmap() == 0 ? ProtocolSteps.DEF_PROTOCOL_STEPS : mtaSteps;
    context.setMtaProtocolSteps(offered);
    byte[] mine = context.milterProtocolSteps().array();
    byte[] theirs = offered.array();
    byte[] agreed = new byte[4];
    for (int i = 0; i < agreed.length; i++) {
      agreed[i] = (byte) (theirs[i] & mine[i]);
    }
    ProtocolSteps steps = new ProtocolSteps(agreed, 0);
    context.setSessionProtocolSteps(steps);
    byte[] actions = context.milterActions().array();
    byte[] macros = context.milterMacros().array();
    byte[] payload = new byte[4 + actions.length + agreed.length + macros.length];
    ByteArrays.intToByteArray(context.getSessionProtocolVersion(), payload, 0);
    System.arraycopy(actions, 0, payload, 4, actions.length);
    System.arraycopy(agreed, 0, payload, 4 + actions.length, agreed.length);
    System.arraycopy(macros, 0, payload, 4 + actions.length + agreed.length, macros.length);
    context.sendPacket(MilterPacket.builder().command(CommandCode.SMFIC_OPTNEG).payload(payload).build());
  }

  @Override
  public void macro(MilterContext context, int type, Map<String, String> macros) {
    ((MilterSession) context).macros(type, macros);
  }

  @Override
  public void connect(MilterContext context, String hostname, int family, int port, SocketAddress address)
      throws MilterException {
    ((MilterSession) context).connected(hostname, address);
    context.sendContinue();
  }

  @Override
  public void helo(MilterContext context, String helohost) throws MilterException {
    ((MilterSession) context).helo(helohost);
    context.sendContinue();
  }

  @Override
  public void envfrom(MilterContext context, List<String> from) throws MilterException {
    MilterSession s = (MilterSession) context;
    MessageInProgress m = startMessage(s);
    // {mail_addr}/{rcpt_addr}: the address as the MTA canonicalised it (Postfix unquotes "ceo"@example.org), which
    // is what its tables match and what a user rule must see
    m.sender(from.isEmpty() ? "" : from.get(0), s.macro("{mail_addr}"));
    context.sendContinue();
  }

  @Override
  public void envrcpt(MilterContext context, List<String> recipients) throws MilterException {
    MilterSession s = (MilterSession) context;
    MessageInProgress m = s.message() != null ? s.message() : startMessage(s);
    if (!recipients.isEmpty()) {
      m.addRecipient(recipients.get(0), s.macro("{rcpt_addr}"));
    }
    context.sendContinue();
  }

  @Override
  public void data(MilterContext context, byte[] payload) throws MilterException {
    MilterSession s = (MilterSession) context;
    MessageInProgress m = s.message();
    if (m != null && m.refused() && (s.getSessionProtocolSteps().bitmap() & NR_DATA) == 0) {
      s.discardMessage();
      LOG.info("{}: caliop: refused, shutting down", queueId(s.macro("i")));
      SmtpReply r = SmtpReply.SHUTTING_DOWN;
      messageModificationService.sendReply(s, r.code(), r.enhanced(), r.milterText());
      return;
    }
    context.sendContinue();
  }

  /**
   * Header fields from the packet's bytes: jmilter decodes name and value as UTF-8, which turns every byte of
   * another charset into U+FFFD, so the engine would judge a message other than the one Postfix delivers.
   */
  @Override
  public boolean handled(MilterContext context, MilterPacket packet) throws MilterException {
    if (packet.command() != CommandCode.SMFIC_HEADER.code()) {
      return false;
    }
    context.setSessionStep(CommandCode.SMFIC_HEADER);
    byte[] p = packet.payload();
    int nul = 0;
    while (nul < p.length && p[nul] != 0) {
      nul++;
    }
    if (nul == 0 || nul >= p.length - 1 || p[p.length - 1] != 0) {
      LOG.info("caliop: malformed header packet from the MTA: closing the milter connection");
      abortSession(context, packet);
      return true;
    }
    addHeader(context, new String(p, 0, nul, StandardCharsets.ISO_8859_1), p, nul + 1, p.length - nul - 2);
    return true;
  }

  /** Only reached without {@link MilterChannel} in front (which hands header packets to {@link #handled}). */
  @Override
  public void header(MilterContext context, String headerName, String headerValue) throws MilterException {
    byte[] value = headerValue.getBytes(StandardCharsets.UTF_8);
    addHeader(context, headerName, value, 0, value.length);
  }

  private void addHeader(MilterContext context, String name, byte[] value, int offset, int length)
      throws MilterException {
    MessageInProgress m = current((MilterSession) context);
    try {
      m.header(name, value, offset, length);
    } catch (IOException | RuntimeException | VirtualMachineError e) {
      m.fail("buffer: " + e);
    }
    context.sendContinue();
  }

  @Override
  public void eoh(MilterContext context) throws MilterException {
    MessageInProgress m = current((MilterSession) context);
    try {
      m.endOfHeaders();
    } catch (IOException | RuntimeException | VirtualMachineError e) {
      m.fail("buffer: " + e);
    }
    context.sendContinue();
  }

  @Override
  public void body(MilterContext context, byte[] bodyChunk) throws MilterException {
    MessageInProgress m = current((MilterSession) context);
    try {
      m.body(bodyChunk);
    } catch (IOException | RuntimeException | VirtualMachineError e) {
      m.fail("buffer: " + e);
    }
    context.sendContinue();
  }

  @Override
  public void eom(MilterContext context, byte[] bodyChunk) {
    MilterSession s = (MilterSession) context;
    MessageInProgress m = current(s);
    ConnectionFacts facts = null;
    try {
      m.body(bodyChunk);
      facts = s.facts();
    } catch (IOException | RuntimeException | VirtualMachineError e) {
      m.fail("buffer: " + e);
    }
    s.detachMessage();
    ConnectionFacts f = intake(s, m, facts);
    if (m.refused()) {
      // An MTA that did not stop at DATA: still refuse what started after the stop began.
      m.close();
      LOG.info("{}: caliop: refused, shutting down", queueId(m, f));
      answer(s, List.of(new Answer.Reply(SmtpReply.SHUTTING_DOWN)), queueId(m, f));
      return;
    }
    Optional<String> smuggled = m.foreignFields().smuggled();
    if (smuggled.isPresent()) {
      // Readers that end a line at a bare CR would show the hidden field; a milter can delete or rewrite whole
      // fields only by their index among every field of their name, which it does not count: refuse.
      m.close();
      LOG.info("{}: caliop: refused, {}", queueId(m, f), smuggled.get());
      metrics.message("reject", null, 0);
      answer(s, List.of(new Answer.Reply(SmtpReply.cleaned(550, "5.6.0", "caliop: " + smuggled.get(),
          "caliop: a header field hides another after a bare CR"))), queueId(m, f));
      return;
    }
    if (m.foreignFields().overflow().isPresent()) {
      try {
        answerLimit(s, m, f, m.foreignFields().overflow().get());
      } finally {
        m.close();
      }
      return;
    }
    // A small message held in memory is judged here: two thread hand-offs (to a worker and back) cost more than
    // judging it. Anything larger, on disk, or to be encrypted goes to a worker, under caliop_eval_timeout.
    CompletableFuture<Void> stored = m.stored();
    if (stored.isDone() && !m.raw().spilled() && m.raw().total() <= config.inlineJudgeSize()) {
      judgeHere(s, m, f);
    } else {
      // At once when every byte is stored; a message that went to disk once its last bytes are written.
      stored.whenComplete((v, e) -> {
        if (e != null) {
          m.fail("buffer: " + e);
        }
        judgeOnWorker(s, m, f, null);
      });
    }
  }

  /** Judges on the calling (network) thread; the message is ours to close. */
  private void judgeHere(MilterSession s, MessageInProgress m, ConnectionFacts facts) {
    long start = System.nanoTime();
    boolean handedOver = false;
    try {
      Assessment assessment = judge.assess(ready(m, facts), facts);
      if (Judge.overBound(assessment)) {
        answerLimit(s, m, facts, "the engine counted more foreign header fields than it keeps");
        return;
      }
      if (assessment.encrypts()) {
        handedOver = true;
        judgeOnWorker(s, m, facts, assessment);
        return;
      }
      deliver(s, m, facts, judge.answer(m, assessment), start);
    } catch (Exception | Error e) {
      answerOnError(s, m, facts, e instanceof NotStored ? "spill" : "internal", e);
    } finally {
      if (!handedOver) {
        m.close();
      }
    }
  }

  /**
   * Judges on a worker, answering {@code caliop_on_error} if that takes longer than {@code caliop_eval_timeout} or
   * no worker can take it; {@code evaluated} is the judgement when the engine already assessed the message. The
   * message is ours.
   */
  private void judgeOnWorker(MilterSession s, MessageInProgress m, ConnectionFacts f, Assessment evaluated) {
    AtomicBoolean answered = new AtomicBoolean();
    AtomicBoolean claimed = new AtomicBoolean();
    AtomicReference<Future<?>> future = new AtomicReference<>();
    AtomicReference<Timeout> timer = new AtomicReference<>();
    Runnable work = () -> {
      if (!claimed.compareAndSet(false, true)) {
        return;
      }
      try {
        judgeAndAnswer(s, m, f, evaluated, answered);
      } finally {
        m.close();
        // A pending timeout per message would pile up (one per message for caliop_eval_timeout).
        Timeout t = timer.get();
        if (t != null) {
          t.cancel();
        }
      }
    };
    timer.set(timers.newTimeout(t -> {
      if (answered.compareAndSet(false, true)) {
        Future<?> running = future.get();
        if (running != null) {
          running.cancel(true);
        }
        if (claimed.compareAndSet(false, true)) {
          m.close();
        }
        answerOnError(s, m, f, "timeout", null);
      }
    }, config.evalTimeout().toMillis(), TimeUnit.MILLISECONDS));
    try {
      future.set(workers.submit(work));
    } catch (RejectedExecutionException e) {
      if (answered.compareAndSet(false, true)) {
        timer.get().cancel();
        if (claimed.compareAndSet(false, true)) {
          m.close();
        }
        answerOnError(s, m, f, "overload", null);
      }
    }
  }

  @Override
  public void abort(MilterContext context, MilterPacket packet) {
    ((MilterSession) context).discardMessage();
  }

  @Override
  public void quitNc(MilterContext context) {
    ((MilterSession) context).newSmtpSession();
  }

  @Override
  public void quit(MilterContext context) {
    ((MilterSession) context).discardMessage();
  }

  @Override
  public void closeSession(MilterContext context) {
    try {
      super.closeSession(context);
    } finally {
      metrics.sessionClosed();
    }
  }

  private void judgeAndAnswer(MilterSession s, MessageInProgress m, ConnectionFacts facts, Assessment evaluated,
      AtomicBoolean answered) {
    long start = System.nanoTime();
    Judge.Judgement j = null;
    try {
      Assessment assessment = evaluated != null ? evaluated : judge.assess(ready(m, facts), facts);
      if (!Judge.overBound(assessment)) {
        j = judge.answer(m, assessment);
      }
    } catch (Exception | Error e) {
      if (answered.compareAndSet(false, true)) {
        answerOnError(s, m, facts, e instanceof NotStored ? "spill" : "internal", e);
      }
      return;
    }
    if (!answered.compareAndSet(false, true)) {
      if (j != null) {
        closeBodies(j);
      }
      return;
    }
    if (j == null) {
      answerLimit(s, m, facts, "the engine counted more foreign header fields than it keeps");
      return;
    }
    deliver(s, m, facts, j, start);
  }

  /** The message as it is to be judged, or why it cannot be. */
  private static MessageInProgress ready(MessageInProgress m, ConnectionFacts facts) throws IOException {
    if (m.failure() != null) {
      throw new NotStored(m.failure());
    }
    if (facts == null) {
      throw new IllegalStateException("no connection facts");
    }
    return m;
  }

  /** The message could not be stored whole (the spill file could not be written): it cannot be judged. */
  private static final class NotStored extends IOException {
    NotStored(String why) {
      super(why);
    }
  }

  /** Sends a judgement to the MTA, then counts and logs it. */
  private void deliver(MilterSession s, MessageInProgress m, ConnectionFacts facts, Judge.Judgement j, long start) {
    try {
      send(s, stamps.add(j.answers(), s.role(), j.verdict(), facts, m.rawSender(), m.queueId()));
    } catch (Exception e) {
      metrics.error("send");
      LOG.warn("{}: caliop: cannot answer the MTA: {}", queueId(m, facts), e.toString());
      return;
    } finally {
      closeBodies(j);
    }
    long nanos = System.nanoTime() - start;
    metrics.message(j.disposition().token(), j.verdict().score().grade().name(), nanos);
    if (LOG.isInfoEnabled()) {
      LOG.info(LogLine.of(facts, m, j, nanos));
    }
  }

  /** A message past a hard bound: {@code caliop_on_error}, logged {@code error=limit} with why. */
  private void answerLimit(MilterSession s, MessageInProgress m, ConnectionFacts facts, String why) {
    LOG.warn("{}: caliop: limit: {}", queueId(m, facts), why);
    answerOnError(s, m, facts, "limit", null);
  }

  private void answerOnError(MilterSession s, MessageInProgress m, ConnectionFacts facts, String kind, Throwable e) {
    metrics.error(kind);
    String qid = queueId(m, facts);
    // Unjudged mail may pass (on_error=accept) only with every forged Caliop-* field removed: past the foreign-field
    // bound caliop no longer knows them all, so it defers instead.
    OnError onError = config.onError() == OnError.ACCEPT && m.foreignFields().overflow().isPresent()
        ? OnError.TEMPFAIL : config.onError();
    String also = onError != config.onError() ? " (not accept: foreign fields past the bound)" : "";
    if (e instanceof NotStored) {
      // an operational condition (a full or unwritable spill directory), not a bug: no stack trace
      LOG.warn("{}: caliop: error={} on_error={}{} detail=\"{}\"", qid, kind, onError.token(), also, e.getMessage());
    } else if (e != null) {
      LOG.error("{}: caliop: error={} on_error={}: {}", qid, kind, onError.token(), e.toString(), e);
    } else {
      LOG.warn("{}: caliop: error={} on_error={}{}", qid, kind, onError.token(), also);
    }
    List<Answer> answer = switch (onError) {
      case ACCEPT -> {
        // Unjudged, but still no forged Caliop-* field gets through: we saw them arrive.
        List<Answer> a = new java.util.ArrayList<>(Judge.headerAnswers(m.foreignFields(), List.of(), List.of()));
        a.add(new Answer.Continue());
        yield a;
      }
      case REJECT -> List.of(new Answer.Reply(SmtpReply.INTERNAL_REJECT));
      default -> List.of(new Answer.Reply(SmtpReply.INTERNAL_TEMPFAIL));
    };
    try {
      send(s, answer);
    } catch (Exception ex) {
      LOG.warn("{}: caliop: cannot answer the MTA: {}", qid, ex.toString());
    }
  }

  /**
   * Sends the answers in order; the last one is final. Runs on a worker thread: the network thread gets them all
   * as one task and writes them with one flush.
   */
  void send(MilterSession s, List<Answer> answers) throws Exception {
    s.batch(() -> sendEach(s, answers));
  }

  private void sendEach(MilterSession s, List<Answer> answers) throws Exception {
    for (Answer a : answers) {
      if (a instanceof Answer.DeleteHeader d) {
        messageModificationService.changeHeader(s, d.index(), d.name(), "");
      } else if (a instanceof Answer.ChangeHeader c) {
        messageModificationService.changeHeader(s, c.index(), c.name(), c.value());
      } else if (a instanceof Answer.InsertHeader i) {
        messageModificationService.insertHeader(s, i.index(), i.name(), i.value());
      } else if (a instanceof Answer.DeleteRecipient d) {
        messageModificationService.deleteRecipient(s, d.recipient());
      } else if (a instanceof Answer.AddRecipient r) {
        messageModificationService.addRecipient(s, r.recipient());
      } else if (a instanceof Answer.Quarantine q) {
        messageModificationService.quarantine(s, q.reason());
      } else if (a instanceof Answer.ReplaceBody b) {
        replaceBody(s, b.body());
      } else if (a instanceof Answer.Continue) {
        s.sendContinue();
      } else if (a instanceof Answer.Reply r) {
        messageModificationService.sendReply(s, r.reply().code(), r.reply().enhanced(), r.reply().milterText());
      }
    }
  }

  /** SMFIR_REPLBODY in chunks of at most 64 KiB; never an empty chunk. */
  private static void replaceBody(MilterSession s, Disposition.Copy body) throws IOException, MilterException {
    byte[] buf = new byte[BODY_CHUNK];
    try (InputStream in = body.openBody()) {
      int n;
      while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
        s.sendPacket(MilterPacket.builder().command(ResponseCode.SMFIR_REPLBODY).payload(buf, 0, n).build());
      }
    }
  }

  private static void closeBodies(Judge.Judgement j) {
    j.verdict().close();
  }

  private MessageInProgress startMessage(MilterSession s) {
    // Drop a message left over without abort, but keep the macros the MTA just sent for this MAIL FROM.
    MessageInProgress leftover = s.message();
    if (leftover != null) {
      s.message(null);
      leftover.close();
    }
    metrics.inFlight(1);
    MessageInProgress m = new MessageInProgress(
        new SpillBuffer(config.memoryBufferSize(), config.maxInspectSize(), config.spillDirectory()),
        policy.get().trust()::isForeignHeaderName, () -> metrics.inFlight(-1), spill, diskQueue(s.channel()));
    if (draining) {
      m.refuse();
    }
    if (s.role() == ListenRole.REINJECT && seal != null) {
      m.keepForReinjection(SealedFacts.FIELD);
    }
    s.message(m);
    return m;
  }

  /**
   * The first-hand facts the message is judged with. On the re-injection listener, the facts sealed into it where
   * it came in, when exactly one seal opens and our first-hand line is found (else the loopback connection it is);
   * the engine then leaves out our own re-injection hops above that line. Records the queue id for the log.
   */
  private ConnectionFacts intake(MilterSession s, MessageInProgress m, ConnectionFacts facts) {
    if (facts == null) {
      return null;
    }
    String now = facts.queueId().orElse(null);
    if (s.role() != ListenRole.REINJECT || seal == null) {
      m.intake(now, s.role() == ListenRole.SMTP ? null : "via=" + s.role().token(), 0);
      return facts;
    }
    Unsealed u = Unsealed.open(seal, m.seals(), m.topReceived(), m.rawSender());
    if (u.facts().isEmpty()) {
      m.intake(now, "via=reinject seal=" + u.why().orElse("none"), 0);
      return facts;
    }
    ConnectionFacts sealed = u.facts().get();
    m.intake(now, "via=reinject sealed=" + sealed.queueId().orElse("?"), u.ownHops());
    return sealed;
  }

  private MessageInProgress current(MilterSession s) {
    MessageInProgress m = s.message();
    return m != null ? m : startMessage(s);
  }

  private static String queueId(ConnectionFacts facts) {
    return facts == null ? "NOQUEUE" : facts.queueId().orElse("NOQUEUE");
  }

  /** The queue id the MTA keeps the message under now (not a sealed one). */
  private static String queueId(MessageInProgress m, ConnectionFacts facts) {
    return m.queueId() != null ? m.queueId() : queueId(facts);
  }

  private static String queueId(String macro) {
    return macro == null || macro.isBlank() ? "NOQUEUE" : macro;
  }

  private void answer(MilterSession s, List<Answer> answers, String qid) {
    try {
      send(s, answers);
    } catch (Exception ex) {
      LOG.warn("{}: caliop: cannot answer the MTA: {}", qid, ex.toString());
    }
  }

  /**
   * Back-pressure for spill writes: past the high water mark of bytes waiting for the disk, stop reading from the
   * MTA (TCP or the socket buffer then holds it back); read again once the disk has caught up.
   */
  private static MessageInProgress.DiskQueue diskQueue(Channel channel) {
    if (channel == null) {
      return MessageInProgress.DiskQueue.NONE;
    }
    return new MessageInProgress.DiskQueue() {
      // Set before the count is read again, as the count is changed before paused is read: one side always sees
      // the other, so reading never stays paused with nothing left to write.
      private volatile boolean paused;

      @Override
      public void queued(long waitingBytes, LongSupplier now) {
        if (waitingBytes > DISK_HIGH_WATER && !paused) {
          paused = true;
          channel.config().setAutoRead(false);
          resumeIfDrained(now);
        }
      }

      @Override
      public void written(long waitingBytes, LongSupplier now) {
        if (waitingBytes <= DISK_LOW_WATER && paused) {
          try {
            channel.eventLoop().execute(() -> resumeIfDrained(now));
          } catch (RejectedExecutionException stopping) {
            // the network threads are stopping: nothing is read any more anyway
          }
        }
      }

      /** On the network thread. */
      private void resumeIfDrained(LongSupplier now) {
        if (paused && now.getAsLong() <= DISK_LOW_WATER) {
          paused = false;
          channel.config().setAutoRead(true);
        }
      }
    };
  }
}
