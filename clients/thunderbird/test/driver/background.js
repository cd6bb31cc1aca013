// Test only (clients/thunderbird/test/thunderbird.test.js): show the first message of Local Folders/Inbox.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function attempt() {
  const [tab] = await messenger.mailTabs.query({});
  const folders = await messenger.folders.query({ specialUse: ['inbox'] });
  if (!tab || folders.length === 0) {
    return false;
  }
  await messenger.mailTabs.update(tab.id, { displayedFolderId: folders[0].id });
  const list = await messenger.messages.list(folders[0].id);
  if (list.messages.length === 0) {
    return false;
  }
  await messenger.mailTabs.setSelectedMessages(tab.id, [list.messages[0].id]);
  return true;
}

async function main() {
  for (let i = 0; i < 120; i++) {
    try {
      if (await attempt()) {
        console.log('caliop test driver: message selected');
        return;
      }
    } catch (e) {
      console.log(`caliop test driver: ${e}`);
    }
    await sleep(500);
  }
}
main();
