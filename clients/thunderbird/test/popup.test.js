// The add-on's popup and badge in Debian's headless Chromium, with a fake `messenger` API serving real stamped
// messages; and `web-ext lint` on the built add-on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { launch, chromiumMissing, TARGET, SCREENSHOTS, CLIENTS } from '../../test/browser.js';
import { stampedExample } from '../../test/stamped.js';
import { addonPage as openAddonPage } from './fake-messenger.js';

const skip = chromiumMissing();
const ADDON = join(TARGET, 'thunderbird');
const addonPage = (file, options) => openAddonPage(browser, file, options);
let browser;

before(async () => { if (!skip) browser = await launch(); });
after(async () => { await browser?.close(); });

test('the popup shows the grade, the hops with their trust labels, and the reasons', { skip }, async () => {
  const page = await addonPage('popup.html', { message: stampedExample('grade-B-local-authenticated-smime-signed.eml'), stampers: 'mail.example.org' });
  await page.waitForSelector('.caliop-report');
  assert.equal(await page.textContent('.caliop-badge'), 'B');
  assert.equal(await page.textContent('.caliop-headline'), 'Privacy grade B (60/100)');
  const hops = await page.$$eval('.caliop-hop', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  assert.deepEqual(hops.map((r) => [r[1], r[2], r[3]]), [
    ['mail.example.org', 'internal', 'local, no network crossed'],
    ['localhost', 'internal', 'local, no network crossed'],
  ]);
  assert.match(await page.textContent('.caliop-reasons'), /Signed \(S\/MIME\)\./);
  await page.screenshot({ path: join(SCREENSHOTS, 'thunderbird-popup-B.png') });
  await page.click('#options');
  assert.deepEqual(await page.evaluate(() => window.caliopCalls.at(-1)), ['options']);
  await page.close();
});

test('the popup says "not verified by your server" when no server is set', { skip }, async () => {
  const page = await addonPage('popup.html', { message: stampedExample('grade-E-plain-from-outside.eml'), stampers: '' });
  await page.waitForSelector('.caliop-report');
  assert.equal(await page.textContent('.caliop-badge'), 'E?');
  assert.match(await page.textContent('.caliop-verification'), /^Not verified by your server/);
  await page.close();
});

test('the badge carries the letter and the grade colour of the displayed message', { skip }, async () => {
  const page = await addonPage('popup.html', { message: stampedExample('grade-A-local-authenticated-pgp-encrypted.eml'), stampers: 'mail.example.org' });
  await page.addScriptTag({ path: join(ADDON, 'background.js') });
  await page.evaluate(() => { window.caliopCalls.length = 0; return window.caliopDisplay([{ id: 7 }]); });
  const calls = Object.fromEntries(await page.evaluate(() => window.caliopCalls));
  assert.deepEqual(calls.text, { tabId: 1, text: 'A' });
  assert.deepEqual(calls.background, { tabId: 1, color: '#1b7f3b' });
  assert.match(calls.title.title, /^privacy grade A, checked by your server\. /);
  await page.evaluate(() => { window.caliopCalls.length = 0; return window.caliopDisplay([{ id: 7 }, { id: 8 }]); });
  assert.deepEqual(await page.evaluate(() => window.caliopCalls), [['text', { tabId: 1, text: '' }]]);
  await page.evaluate(() => { window.caliopCalls.length = 0; return window.caliopDisplay([{ id: 99 }]); });
  assert.deepEqual(await page.evaluate(() => window.caliopCalls), [['text', { tabId: 1, text: '' }]]);
  await page.close();
});

test('a message without caliop fields gets a dash, a hostile one stays text', { skip }, async () => {
  const hostile = 'Caliop-Privacy: score=95, grade=A, v=1, reasons=(e2e-none), by="<img src=x onerror=window.pwned=1>"\r\nSubject: x\r\n\r\n';
  const page = await addonPage('popup.html', { message: hostile, stampers: '<img src=x onerror=window.pwned=1>' });
  await page.waitForSelector('.caliop-report');
  assert.equal(await page.textContent('.caliop-badge'), 'A?');
  assert.equal(await page.$$eval('#report img', (x) => x.length), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  await page.close();
  const plain = await addonPage('popup.html', { message: 'Subject: x\r\n\r\n', stampers: 'mail.example.org' });
  await plain.waitForSelector('.caliop-report');
  assert.equal(await plain.textContent('.caliop-badge'), '–');
  await plain.close();
});

test('web-ext lint finds no error in the add-on (Thunderbird-only APIs are warnings)', () => {
  const out = execFileSync(join(CLIENTS, 'node_modules/.bin/web-ext'), ['lint', '--source-dir', ADDON, '--output', 'json', '--no-input'], { encoding: 'utf8' });
  const report = JSON.parse(out);
  assert.deepEqual(report.errors, []);
  assert.equal(report.summary.errors, 0);
});
