// The badge: the grade letter (with "?" when not checked by your server) on the grade's colour, for the message
// shown in each tab. The popup (popup.html) shows the whole report.
/* global CaliopHeaders, caliopSettings */

async function showBadge(tab, messages) {
  const one = messages && messages.length === 1 ? messages[0] : null;
  if (!one) {
    await messenger.messageDisplayAction.setBadgeText({ tabId: tab.id, text: '' });
    return;
  }
  let view;
  try {
    view = await caliopSettings.viewOfMessage(one.id);
  } catch (e) {
    view = null; // the message could not be read (deleted meanwhile, offline IMAP): no badge rather than a guess
  }
  if (!view) {
    await messenger.messageDisplayAction.setBadgeText({ tabId: tab.id, text: '' });
    return;
  }
  const [background, text] = CaliopHeaders.TONE_COLOURS[view.badge.tone];
  await messenger.messageDisplayAction.setBadgeText({ tabId: tab.id, text: view.badge.text });
  await messenger.messageDisplayAction.setBadgeBackgroundColor({ tabId: tab.id, color: background });
  if (messenger.messageDisplayAction.setBadgeTextColor) {
    await messenger.messageDisplayAction.setBadgeTextColor({ tabId: tab.id, color: text });
  }
  await messenger.messageDisplayAction.setTitle({ tabId: tab.id, title: `${view.badge.label}. ${view.summary ?? view.verification}` });
}

// Manifest V3: the second argument is a MessageList ({id, messages}).
messenger.messageDisplay.onMessagesDisplayed.addListener((tab, displayed) => showBadge(tab, displayed.messages));
