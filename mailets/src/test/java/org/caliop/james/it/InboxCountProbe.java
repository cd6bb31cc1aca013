package org.caliop.james.it;

import javax.inject.Inject;
import javax.mail.Flags;
import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.utils.GuiceProbe;
import reactor.core.publisher.Mono;

/**
 * Counts and empties a user's INBOX inside the server: no IMAP login (James hashes the password with PBKDF2 at each
 * one) and no protocol work, so a benchmark that waits for its deliveries adds next to nothing to the CPU it
 * measures.
 */
public class InboxCountProbe implements GuiceProbe {
  private final MailboxManager mailboxes;

  @Inject
  public InboxCountProbe(MailboxManager mailboxes) {
    this.mailboxes = mailboxes;
  }

  /**
   * Deletes every message of the user's INBOX: James's memory mailbox searches all of a user's messages at each
   * delivery (to guess the thread), so a benchmark empties the mailboxes between batches to keep that search the
   * same size in every batch and variant.
   */
  public void empty(String user) throws MailboxException {
    MailboxSession session = mailboxes.createSystemSession(Username.of(user));
    MailboxPath inbox = MailboxPath.inbox(session);
    if (Boolean.TRUE.equals(Mono.from(mailboxes.mailboxExists(inbox, session)).block())) {
      MessageManager messages = mailboxes.getMailbox(inbox, session);
      messages.setFlags(new Flags(Flags.Flag.DELETED), MessageManager.FlagsUpdateMode.ADD, MessageRange.all(),
          session);
      messages.expunge(MessageRange.all(), session);
    }
  }

  /** Messages in the INBOX of {@code user} (a full address); 0 before the first delivery made it. */
  public long count(String user) throws MailboxException {
    MailboxSession session = mailboxes.createSystemSession(Username.of(user));
    MailboxPath inbox = MailboxPath.inbox(session);
    if (!Boolean.TRUE.equals(Mono.from(mailboxes.mailboxExists(inbox, session)).block())) {
      return 0;
    }
    return mailboxes.getMailbox(inbox, session).getMessageCount(session);
  }
}
