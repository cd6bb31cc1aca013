package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.Socket;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.caliop.milter.config.Knob;
import org.junit.jupiter.api.Test;

/** Stops and timeouts while a worker judges (a slow policy stands for a slow judgement), so nothing is judged inline. */
class GracefulShutdownTest {
  @Test
  void closeShouldStopAcceptingButLetTheMessageInProgressFinishAndBeAnswered() throws Exception {
    RecipientPolicy policy = new RecipientPolicy();
    LoopbackMilter daemon = startSlow(policy, Map.of(Knob.SHUTDOWN_TIMEOUT, "20s"));
    CaliopMilter milter = daemon.daemon;
    int port = daemon.port;

    try (RawMilterClient mta = new RawMilterClient(port)) {
      mta.negotiate().messageUpToEom("Q1", "slow@y.test", "Subject", "hi");
      mta.endOfMessage();
      awaitJudging(policy, "Q1");
      CompletableFuture<Void> closing = CompletableFuture.runAsync(milter::close);
      awaitRefused(port);
      assertThat(closing).isNotDone();

      policy.slow.countDown();

      assertThat(mta.finalAnswer()).isEqualTo('c');
      closing.get(20, TimeUnit.SECONDS);
    } finally {
      policy.slow.countDown();
      milter.close();
    }
  }

  @Test
  void closeShouldRefuseWith4xxAMessageStartedAfterTheStopBeganOnAnOpenConnection() throws Exception {
    RecipientPolicy policy = new RecipientPolicy();
    LoopbackMilter daemon = startSlow(policy, Map.of(Knob.SHUTDOWN_TIMEOUT, "20s"));
    CaliopMilter milter = daemon.daemon;
    int port = daemon.port;

    try (RawMilterClient inProgress = new RawMilterClient(port); RawMilterClient late = new RawMilterClient(port)) {
      late.negotiate().connect();
      inProgress.negotiate().messageUpToEom("Q1", "slow@y.test", "Subject", "hi");
      inProgress.endOfMessage();
      awaitJudging(policy, "Q1");
      CompletableFuture<Void> closing = CompletableFuture.runAsync(milter::close);
      awaitRefused(port);

      late.message(new String[] {"i", "Q3"}, "someone@y.test", "Subject", "late");
      late.endOfMessage();

      assertThat(late.finalReply()).startsWith("y451 4.3.2 ");
      assertThat(closing).isNotDone();
      policy.slow.countDown();
      assertThat(inProgress.finalAnswer()).isEqualTo('c');
      closing.get(20, TimeUnit.SECONDS);
    } finally {
      policy.slow.countDown();
      milter.close();
    }
  }

  /**
   * A daemon whose judgements wait for {@code policy.slow}, on a worker (nothing judged inline), with
   * {@code settings}.
   */
  private static LoopbackMilter startSlow(RecipientPolicy policy, Map<Knob, String> settings) throws Exception {
    policy.slow = new CountDownLatch(1);
    Map<Knob, String> all = new EnumMap<>(Knob.class);
    all.putAll(settings);
    all.put(Knob.INLINE_JUDGE_SIZE, "0");
    return LoopbackMilter.start(policy, all);
  }

  /** The message is in progress only once a worker is judging it; closing before that would find nothing to wait for. */
  private static void awaitJudging(RecipientPolicy policy, String queueId) throws InterruptedException {
    for (int i = 0; i < 400; i++) {
      if (policy.factsByQueueId.containsKey(queueId)) {
        return;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("message " + queueId + " never reached the policy");
  }

  private static void awaitRefused(int port) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        Thread.sleep(25);
      } catch (ConnectException refused) {
        return;
      } catch (java.io.IOException other) {
        return;
      }
    }
    throw new AssertionError("still accepting connections");
  }

  @Test
  void onErrorAcceptShouldStillRemoveForgedCaliopFieldsWhenTheJudgementTimesOut() throws Exception {
    RecipientPolicy policy = new RecipientPolicy();
    LoopbackMilter daemon = startSlow(policy, Map.of(Knob.ON_ERROR, "accept", Knob.EVAL_TIMEOUT, "300ms"));
    CaliopMilter milter = daemon.daemon;
    int port = daemon.port;
    try (RawMilterClient mta = new RawMilterClient(port)) {
      mta.negotiate().messageUpToEom("Q2", "slow@y.test", "Subject", "hi", "Caliop-Privacy", "score=100");
      mta.endOfMessage();

      assertThat(mta.answers()).containsExactly("m:caliop-privacy[1]", "c");
    } finally {
      policy.slow.countDown();
      milter.close();
    }
  }
}
