// The popup: the report for the message displayed in the current tab.
/* global CaliopHeaders, caliopSettings */

async function displayedMessage() {
  const [tab] = await messenger.tabs.query({ active: true, currentWindow: true });
  if (!tab) {
    return null;
  }
  const list = await messenger.messageDisplay.getDisplayedMessages(tab.id); // MV3: a MessageList
  const messages = Array.isArray(list) ? list : list.messages;
  return messages.length === 1 ? messages[0] : null;
}

async function main() {
  const report = document.getElementById('report');
  const message = await displayedMessage();
  if (!message) {
    report.textContent = 'Select one message to see its privacy grade.';
    return;
  }
  const view = await caliopSettings.viewOfMessage(message.id);
  report.replaceChildren(CaliopHeaders.renderReport(document, view));
}

document.getElementById('options').addEventListener('click', (e) => {
  e.preventDefault();
  messenger.runtime.openOptionsPage();
});
main().catch((e) => {
  document.getElementById('report').textContent = `The message could not be read: ${e && e.message ? e.message : e}`;
});
