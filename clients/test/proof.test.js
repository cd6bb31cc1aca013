// The end-to-end proof of docs/clients.md: the C sample stamped by the milter through the real Postfix
// (milter/ StampedForClientsTest) and by James (mailets/ StampedForClientsIT), both with clients/test/proof-policy.yaml,
// shows the same grade, hops and reasons in the viewer page and the Thunderbird popup (Roundcube: roundcube/test).
// The adapters' tests write the two messages into clients/target/stamped/ earlier in the same `mvn verify`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, TARGET, SCREENSHOTS } from './browser.js';
import { viewOf } from '../caliop-headers/index.js';
import { addonPage } from '../thunderbird/test/fake-messenger.js';
import { PROOF, OUR_SERVER, proofMissing } from './stamped.js';

const skip = proofMissing();
let browser;

before(async () => { if (!skip) browser = await launch(); });
after(async () => { await browser?.close(); });

/**
 * What a person is told, without what differs by nature between two deliveries: the queue id, the client's name,
 * and the protocol of our own hop (James names it, ESMTP; Postfix gives a milter no macro for it).
 */
function comparable(view) {
  return {
    state: view.state, badge: view.badge, headline: view.headline, verification: view.verification,
    summary: view.summary, reasons: view.reasons, content: view.content, hopsNotListed: view.hopsNotListed,
    hops: view.hops.map((h) => ({ number: h.number, trust: h.trustText, tls: h.tlsText, auth: h.auth })),
  };
}

test('the milter and James stamp the same grade, hops and reasons', { skip }, () => {
  const [milter, james] = PROOF.map((p) => viewOf(readFileSync(p.file, 'latin1'), { trustedStampers: [OUR_SERVER] }));
  assert.equal(milter.state, 'verified');
  assert.equal(milter.grade, 'C');
  assert.ok(milter.hops.length >= 2, JSON.stringify(milter.hops));
  assert.equal(milter.hops[0].trust, 'firsthand');
  assert.deepEqual(comparable(james), comparable(milter));
});

async function rendered(page) {
  return page.evaluate(() => ({
    badge: document.querySelector('.caliop-report .caliop-badge').textContent,
    headline: document.querySelector('.caliop-headline').textContent,
    verification: document.querySelector('.caliop-verification').textContent,
    rows: [...document.querySelectorAll('.caliop-hop')].map((tr) => [...tr.children].map((td) => td.textContent))
      .map((r) => [r[0], r[2], r[3]]),
    reasons: [...document.querySelectorAll('.caliop-reason')].map((li) => li.textContent),
  }));
}

test('the viewer page shows both the same way', { skip }, async () => {
  const seen = [];
  for (const p of PROOF) {
    const page = await browser.newPage({ viewport: { width: 900, height: 1000 } });
    await page.goto(pathToFileURL(join(TARGET, 'caliop-viewer.html')).href);
    await page.fill('#stampers', OUR_SERVER);
    await page.fill('#headers', readFileSync(p.file, 'latin1'));
    seen.push(await rendered(page));
    await page.screenshot({ path: join(SCREENSHOTS, `proof-viewer-${p.adapter}.png`), fullPage: true });
    await page.close();
  }
  assert.equal(seen[0].badge, 'C');
  assert.deepEqual(seen[1], seen[0]);
});

test('the Thunderbird popup shows both the same way', { skip }, async () => {
  const seen = [];
  for (const p of PROOF) {
    const page = await addonPage(browser, 'popup.html', {
      message: readFileSync(p.file, 'latin1'), stampers: OUR_SERVER, viewport: { width: 620, height: 820 },
    });
    await page.waitForSelector('.caliop-report');
    seen.push(await rendered(page));
    await page.screenshot({ path: join(SCREENSHOTS, `proof-thunderbird-popup-${p.adapter}.png`) });
    await page.close();
  }
  assert.equal(seen[0].badge, 'C');
  assert.deepEqual(seen[1], seen[0]);
});
