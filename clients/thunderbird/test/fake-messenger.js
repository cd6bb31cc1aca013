// A fake `messenger` API for the add-on's pages in Chromium, serving one real stamped message (as Thunderbird's
// messages.getFull() would) and recording what the add-on does to its badge.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TARGET } from '../../test/browser.js';
import { readHeaderBlock } from '../../caliop-headers/index.js';

/** Thunderbird's messages.getFull().headers: lower-case names → values, top first. */
export function headerMap(message) {
  const map = {};
  for (const { name, value } of readHeaderBlock(message).fields) {
    (map[name.toLowerCase()] ??= []).push(value);
  }
  return map;
}

/** A page of the add-on with a fake messenger API; returns the page and the calls made to the badge. */
export async function addonPage(browser, file, { message, stampers, viewport = { width: 620, height: 760 } }) {
  const page = await browser.newPage({ viewport });
  await page.addInitScript(({ headers, stampers }) => {
    const calls = [];
    const listeners = [];
    window.caliopCalls = calls;
    window.caliopDisplay = (messages) => Promise.all(listeners.map((l) => l({ id: 1 }, { id: null, messages })));
    const record = (name) => async (details) => { calls.push([name, details]); };
    window.messenger = {
      tabs: { query: async () => [{ id: 1 }] },
      messageDisplay: {
        getDisplayedMessages: async () => ({ id: null, messages: [{ id: 7 }] }),
        onMessagesDisplayed: { addListener: (l) => listeners.push(l) },
      },
      messages: { getFull: async (id) => { if (id !== 7) throw new Error('no such message'); return { headers }; } },
      messageDisplayAction: {
        setBadgeText: record('text'), setBadgeBackgroundColor: record('background'),
        setBadgeTextColor: record('colour'), setTitle: record('title'),
      },
      storage: { local: { get: async (d) => ({ ...d, trustedStampers: stampers }), set: async () => {} } },
      runtime: { openOptionsPage: () => calls.push(['options']) },
    };
  }, { headers: headerMap(message), stampers });
  await page.goto(pathToFileURL(join(TARGET, 'thunderbird', file)).href);
  return page;
}
