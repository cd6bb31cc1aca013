import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, chromiumMissing, TARGET, SCREENSHOTS, CLIENTS } from '../../test/browser.js';
import { stampedExample } from '../../test/stamped.js';

const skip = chromiumMissing();
const PAGE = pathToFileURL(join(TARGET, 'caliop-viewer.html')).href;
let browser;
let page;
const requests = [];

before(async () => {
  if (skip) return;
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 900, height: 900 } });
  page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
  await page.goto(PAGE);
});
after(async () => { await browser?.close(); });

async function paste(text, stampers) {
  await page.fill('#stampers', stampers);
  await page.fill('#headers', text);
}

const rows = () => page.$$eval('.caliop-hop', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));

test('a pasted stamped message shows its grade, hops with trust labels, and reasons', { skip }, async () => {
  await paste(stampedExample('grade-C-pgp-encrypted-from-outside.eml'), 'mail.example.org');
  assert.equal(await page.textContent('.caliop-report .caliop-badge'), 'C');
  assert.equal(await page.textContent('.caliop-headline'), 'Privacy grade C (40/100)');
  assert.equal(await page.textContent('.caliop-verification'), 'Checked by your server mail.example.org.');
  const hops = await rows();
  assert.ok(hops.length >= 2, JSON.stringify(hops));
  assert.ok(hops.every((r) => r[2] === 'claimed, not verified'), JSON.stringify(hops));
  const reasons = await page.$$eval('.caliop-reason', (li) => li.map((x) => x.textContent));
  assert.ok(reasons.some((r) => r.includes('End-to-end encrypted (OpenPGP/MIME).')), reasons.join('\n'));
  await page.screenshot({ path: join(SCREENSHOTS, 'viewer-C.png'), fullPage: true });
});

test('the same grade from a server that is not yours shows a ? and says not verified', { skip }, async () => {
  await paste(stampedExample('grade-C-pgp-encrypted-from-outside.eml'), 'mx.other.example');
  assert.equal(await page.textContent('.caliop-report .caliop-badge'), 'C?');
  assert.match(await page.textContent('.caliop-verification'), /^Not verified by your server/);
});

test('a dropped .eml file is read like a paste', { skip }, async () => {
  await page.fill('#headers', '');
  await page.fill('#stampers', 'mail.example.org');
  await page.setInputFiles('#file', {
    name: 'a.eml', mimeType: 'message/rfc822',
    buffer: Buffer.from(stampedExample('grade-A-local-authenticated-pgp-encrypted.eml')),
  });
  await page.waitForSelector('.caliop-report');
  assert.equal(await page.textContent('.caliop-report .caliop-badge'), 'A');
  await page.screenshot({ path: join(SCREENSHOTS, 'viewer-A.png'), fullPage: true });
});

test('hostile field values stay text: no markup, no script, no request', { skip }, async () => {
  const hostile = [
    'Caliop-Privacy: score=10, grade=E, v=1, reasons=(e2e-none), encrypted=none, hops=2, by="<img src=x onerror=window.pwned=1>"',
    'Caliop-Path: claimed;from="<script>window.pwned=2</script>", claimed;from="\\"><iframe src=https://example.com>"',
    'Caliop-Hop: tls=none, helo="<b>bold</b>", ip="javascript:alert(1)", id="</td></tr><tr><td>"',
    '', '',
  ].join('\n');
  await paste(hostile, '<img src=y onerror=window.pwned=3>');
  assert.equal(await page.textContent('.caliop-report .caliop-badge'), 'E?');
  assert.equal(await page.$$eval('#result img, #result script, #result iframe, #result b', (x) => x.length), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  const hops = await rows();
  assert.equal(hops[0][1], '<script>window.pwned=2</script>');
  assert.deepEqual(requests, []);
});

test('a malformed field and an unknown version say so plainly', { skip }, async () => {
  await paste('Caliop-Privacy: score=95 grade=A\n\n', 'mail.example.org');
  assert.equal(await page.textContent('.caliop-report .caliop-badge'), '!');
  assert.match(await page.textContent('.caliop-notices'), /cannot be read/);
  await paste('Caliop-Privacy: score=70, grade=B, v=7, reasons=(firsthand-tls13 new-code), by="mail.example.org"\n\n', 'mail.example.org');
  assert.equal(await page.textContent('.caliop-report .caliop-badge'), 'B');
  assert.match(await page.textContent('.caliop-notices'), /version 7/);
  assert.match(await page.textContent('.caliop-reasons'), /new-code/);
});

test('the page loads nothing from anywhere and keeps one file', { skip }, async () => {
  const html = readFileSync(join(TARGET, 'caliop-viewer.html'), 'utf8');
  assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=|@import/i);
  assert.match(html, /default-src 'none'/);
  assert.ok(CLIENTS);
});
