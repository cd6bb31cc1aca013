package org.caliop.milter.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.caliop.policy.Spelling;

/**
 * Every setting of the milter daemon, the one source of truth for names, values, defaults and the help text: the
 * command line's options, {@code --help} and the man page {@code caliop-milter.cf(5)} are made from it. Names follow
 * Postfix: lowercase, underscores, a component prefix. {@code docs/milter.md} documents each one (a test checks).
 */
public enum Knob {
  LISTEN("caliop_listen", "ADDRESS[,ADDRESS...]", "inet:127.0.0.1:8891",
      "Where the milter listens: inet:host:port, inet:port@host or unix:/path; several separated by commas."),
  POLICY_FILE("caliop_policy_file", "FILE", "",
      "The policy file; empty uses the built-in policy (score and stamp, accept everything)."),
  POLICY_WATCH("caliop_policy_watch", "yes|no", "yes",
      "Reload the policy when its file changes (SIGHUP reloads in any case)."),
  ON_ERROR("caliop_on_error", "tempfail|accept|reject", "tempfail",
      "The answer when caliop cannot decide (internal error, overload, timeout): tempfail, accept or reject."),
  OUTBOUND_HEADERS("caliop_outbound_headers", "private|full", "private",
      "What our header fields say about mail from our own users (authenticated or from an internal network):"
          + " private leaves the client's address, name and HELO out of Caliop-Hop and the rule's file and line out"
          + " of Caliop-Policy; full writes them as for inbound mail."),
  MAX_INSPECT_SIZE("caliop_max_inspect_size", "SIZE", "50m",
      "Bytes of a message that are kept and judged; the rest passes uninspected (and cannot be encrypted)."),
  MEMORY_BUFFER_SIZE("caliop_memory_buffer_size", "SIZE", "256k",
      "Bytes of a message held in memory; beyond, the message spills to a file in caliop_spill_directory."),
  INLINE_JUDGE_SIZE("caliop_inline_judge_size", "SIZE", "64k",
      "Messages up to this size, held in memory, are judged on the network thread (two thread hand-offs less);"
          + " larger ones, and encryption, go to the workers. 0 sends every message to the workers."),
  SPILL_DIRECTORY("caliop_spill_directory", "DIRECTORY", "",
      "Directory for spilled messages; empty uses java.io.tmpdir. Files are deleted after each message."),
  MAX_FRAME_SIZE("caliop_max_frame_size", "SIZE", "1m",
      "Largest milter protocol frame accepted; a peer sending more is disconnected."),
  WORKERS("caliop_workers", "N", "0",
      "Threads that judge messages; 0 means twice the number of processors."),
  QUEUE_SIZE("caliop_queue_size", "N", "1000",
      "Messages waiting for a worker; when full, new messages get the caliop_on_error answer."),
  EVENT_LOOP_THREADS("caliop_event_loop_threads", "N", "1",
      "Network threads (they move bytes and judge small messages, see caliop_inline_judge_size); 0 means the"
          + " number of processors."),
  EVAL_TIMEOUT("caliop_eval_timeout", "TIME", "60s",
      "Longest time to judge one message on a worker before answering caliop_on_error. Keep it below Postfix's"
          + " milter_content_timeout."),
  IDLE_TIMEOUT("caliop_idle_timeout", "TIME", "1h",
      "A milter connection silent this long is closed."),
  SHUTDOWN_TIMEOUT("caliop_shutdown_timeout", "TIME", "30s",
      "On stop, how long in-flight messages may take before connections are closed."),
  UNIX_SOCKET_MODE("caliop_unix_socket_mode", "MODE", "0660",
      "Permissions of a unix listening socket (the Postfix user must be able to connect)."),
  LOCAL_LISTEN("caliop_local_listen", "ADDRESS[,ADDRESS...]", "",
      "Where caliop listens for Postfix's non_smtpd_milters (sendmail(1), pickup): mail there is a local submission,"
          + " ours for direction, never a loopback SMTP client. Empty: none (same syntax as caliop_listen)."),
  REINJECT_LISTEN("caliop_reinject_listen", "ADDRESS[,ADDRESS...]", "",
      "Where caliop listens for the re-injection listener that judges mail after Postfix rewrote its addresses"
          + " (aliases, virtual_alias_maps), with the first-hand facts sealed into it where it came in. Empty: none."),
  SEAL_KEY_FILE("caliop_seal_key_file", "FILE", "",
      "The key file that seals first-hand facts into mail kept for the re-injection listener (Caliop-Facts); made"
          + " when missing. Needed with caliop_reinject_listen; shared by every caliop daemon of one mail system."),
  METRICS_LISTEN("caliop_metrics_listen", "HOST:PORT", "",
      "host:port of the Prometheus metrics endpoint (/metrics); empty turns it off. Use a loopback address.");

  private final String key;
  private final String syntax;
  private final String defaultValue;
  private final String doc;

  Knob(String key, String syntax, String defaultValue, String doc) {
    this.key = key;
    this.syntax = syntax;
    this.defaultValue = defaultValue;
    this.doc = doc;
  }

  public String key() {
    return key;
  }

  /**
   * What the setting takes, as a usage line writes it: a word in capitals is a kind of value (SIZE, TIME, FILE,
   * ADDRESS, N, MODE: docs/milter.md, "Settings"), lower-case words separated by {@code |} are the choices.
   */
  public String syntax() {
    return syntax;
  }

  /** The command-line flag: the name without {@code caliop_}, {@code _} written {@code -}. */
  public String flag() {
    return "--" + key.substring("caliop_".length()).replace('_', '-');
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String doc() {
    return doc;
  }

  /**
   * {@code unknown setting 'NAME'} with what was likely meant: the nearest setting (a typing slip, {@code -} for
   * {@code _}, the name without {@code caliop_}), or that a Postfix parameter belongs in {@code main.cf}.
   */
  public static String unknown(String name) {
    List<String> keys = new ArrayList<>();
    for (Knob k : values()) {
      keys.add(k.key);
    }
    String n = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    String near = Spelling.nearest(n, keys);
    if (near == null && !n.startsWith("caliop_")) {
      near = Spelling.nearest("caliop_" + n, keys);
    }
    String hint = near != null ? "did you mean '" + near + "'?"
        : POSTFIX_PARAMETER.matcher(n).matches() ? "a Postfix parameter: it goes in Postfix's main.cf" : null;
    return "unknown setting '" + name + "'" + (hint == null ? "" : " (" + hint + ")");
  }

  /** Prefixes of Postfix's own parameters (postconf(5)), which an admin may paste into the wrong file. */
  private static final java.util.regex.Pattern POSTFIX_PARAMETER = java.util.regex.Pattern.compile(
      "(milter|smtpd|smtp|lmtp|non_smtpd|postscreen|virtual|local|mydestination|myhostname|mynetworks|relayhost"
          + "|transport|tls)(_.*)?");

  /**
   * Settings that existed and were removed, with what to do instead: the daemon refuses to start with them rather
   * than silently ignore what the admin meant.
   */
  private static final Map<String, String> REMOVED = Map.of(
      "caliop_encrypt_fallback", "caliop_encrypt_fallback was removed: what happens when encryption fails is the"
          + " policy's encrypt.on_failure (tempfail, reject or hold; docs/policy.md), the same in every adapter",
      "caliop_dry_run", "caliop_dry_run was removed: put 'mode: dry-run' in the policy file (docs/policy.md), the"
          + " one dry-run switch of every adapter");

  /** Why {@code key} is no longer a setting, when it was one. */
  public static Optional<String> removed(String key) {
    return Optional.ofNullable(REMOVED.get(key.trim().toLowerCase(Locale.ROOT).replace('-', '_')));
  }

  /** The setting called {@code key}; a removed one is a {@link ConfigException} saying what replaced it. */
  public static Optional<Knob> byKey(String key) {
    removed(key).ifPresent(why -> {
      throw new ConfigException(why);
    });
    String k = key.trim().toLowerCase(Locale.ROOT);
    for (Knob knob : values()) {
      if (knob.key.equals(k)) {
        return Optional.of(knob);
      }
    }
    return Optional.empty();
  }
}
