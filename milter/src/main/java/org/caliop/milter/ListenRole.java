package org.caliop.milter;

import io.netty.util.AttributeKey;

/**
 * What the MTA hands caliop on one of its listeners (docs/milter.md, "Postfix set-ups"). caliop tells them apart by
 * the listener the MTA connected to, never by anything the client or the message says.
 */
enum ListenRole {
  /** {@code caliop_listen}: mail from SMTP clients ({@code smtpd_milters}), judged with what Postfix saw of them. */
  SMTP("smtp"),
  /**
   * {@code caliop_local_listen}: local submissions ({@code non_smtpd_milters}: {@code sendmail(1)}, pickup), judged
   * as a local submission: ours for direction, whatever {@code internal_networks} say.
   */
  LOCAL("local"),
  /**
   * {@code caliop_reinject_listen}: mail Postfix re-injects after rewriting its addresses (a content filter's
   * listener), judged with the first-hand facts sealed into it where it came in.
   */
  REINJECT("reinject");

  /** The role of the listener a milter connection came in on, set when it is accepted. */
  static final AttributeKey<ListenRole> KEY = AttributeKey.valueOf("caliop.listenRole");

  private final String token;

  ListenRole(String token) {
    this.token = token;
  }

  /** {@code smtp}, {@code local}, {@code reinject}: the spelling of log lines. */
  String token() {
    return token;
  }
}
