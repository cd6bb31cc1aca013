// End to end: Debian's Roundcube (roundcube-core) with this plugin, served by PHP's built-in server, reading stamped
// messages from a real IMAP server (GreenMail), looked at in Debian's headless Chromium. Everything on 127.0.0.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, chromiumMissing, SCREENSHOTS, CLIENTS } from '../../test/browser.js';
import { startGreenMail, imapAppend, freePort } from '../../test/mailstore.js';
import { stampedExample, PROOF, OUR_SERVER } from '../../test/stamped.js';
import { sleep } from '../../test/x11.js';


const ROUNDCUBE = '/usr/share/roundcube';
const DEFAULTS = '/etc/roundcube/defaults.inc.php';

function missing() {
  const chromium = chromiumMissing();
  const needed = [`${ROUNDCUBE}/index.php`, DEFAULTS, '/usr/bin/php'].filter((p) => !existsSync(p));
  if (needed.length === 0) {
    return chromium;
  }
  if (process.env.CI) {
    throw new Error(`${needed.join(', ')} missing: .ci/run installs roundcube-core, roundcube-sqlite3 and php-cli`);
  }
  return `${needed.join(', ')} not installed`;
}

/** A private Roundcube: the packaged code by symbolic link, our config, database, logs and the plugin. */
function roundcubeInstance(imapPort) {
  const dir = mkdtempSync(join(tmpdir(), 'caliop-rc-'));
  for (const d of ['config', 'plugins', 'temp', 'logs', 'public_html/program']) {
    mkdirSync(join(dir, d), { recursive: true });
  }
  symlinkSync(`${ROUNDCUBE}/index.php`, join(dir, 'index.php'));
  symlinkSync(`${ROUNDCUBE}/program`, join(dir, 'program'));
  symlinkSync(`${ROUNDCUBE}/skins`, join(dir, 'skins'));
  symlinkSync(join(CLIENTS, 'roundcube'), join(dir, 'plugins', 'caliop'));
  for (const packaged of ['filesystem_attachments', 'jqueryui']) { // Roundcube requires these
    symlinkSync(`${ROUNDCUBE}/plugins/${packaged}`, join(dir, 'plugins', packaged));
  }
  copyFileSync('/var/lib/roundcube/public_html/index.php', join(dir, 'public_html', 'index.php'));
  for (const link of ['plugins', 'skins']) {
    symlinkSync(`../${link}`, join(dir, 'public_html', link));
  }
  symlinkSync(`${ROUNDCUBE}/program/js`, join(dir, 'public_html/program/js'));
  symlinkSync(`${ROUNDCUBE}/program/resources`, join(dir, 'public_html/program/resources'));
  copyFileSync(DEFAULTS, join(dir, 'config', 'defaults.inc.php'));
  const db = join(dir, 'roundcube.db');
  writeFileSync(join(dir, 'config', 'config.inc.php'), `<?php
$config = [];
$config['db_dsnw'] = 'sqlite:///${db}?mode=0600';
$config['imap_host'] = '127.0.0.1:${imapPort}';
$config['smtp_host'] = '127.0.0.1:9';
$config['des_key'] = 'caliop-e2e-0123456789abc';
$config['plugins'] = ['caliop'];
$config['skin'] = 'elastic';
$config['log_dir'] = '${dir}/logs/';
$config['temp_dir'] = '${dir}/temp/';
$config['enable_installer'] = false;
$config['support_url'] = '';
$config['caliop_trusted_stampers'] = ['mail.example.org', '${OUR_SERVER}'];
`);
  execFileSync('php', ['-r', `$db = new PDO('sqlite:${db}'); $db->exec(file_get_contents('${ROUNDCUBE}/SQL/sqlite.initial.sql'));`]);
  return dir;
}

const skip = missing();
let mail;
let php;
let dir;
let base;
let browser;

before(async () => {
  if (skip) return;
  mail = await startGreenMail(['bob', 'milter', 'james']);
  await imapAppend(mail, [
    stampedExample('grade-C-pgp-encrypted-from-outside.eml'),
  ]);
  // The end-to-end proof (test/proof.test.js): what the milter and James delivered, one mailbox each.
  for (const p of PROOF.filter((x) => existsSync(x.file))) {
    await imapAppend({ ...mail, user: p.adapter }, [readFileSync(p.file, 'latin1').replace(/\r?\n/g, '\r\n')]);
  }
  dir = roundcubeInstance(mail.port);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  php = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', join(dir, 'public_html')], { stdio: 'ignore', cwd: join(dir, 'public_html') });
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`${base}/`).then(() => true, () => false);
    if (up) break;
    await sleep(100);
  }
  browser = await launch();
});

after(async () => {
  await browser?.close();
  php?.kill('SIGTERM');
  mail?.stop();
  if (dir && !process.env.CALIOP_KEEP) rmSync(dir, { recursive: true, force: true });
  if (dir && process.env.CALIOP_KEEP) console.log(`kept ${dir}`);
});

/** Logs in as `user`, opens the only message; returns the page and the message frame. */
async function openMessage(user) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await page.goto(`${base}/`);
  await page.fill('#rcmloginuser', user);
  await page.fill('#rcmloginpwd', mail.password);
  await page.click('#rcmloginsubmit');
  await page.waitForSelector('#messagelist tbody tr', { timeout: 30000 });
  await page.click('#messagelist tbody tr');
  return { page, frame: page.frameLocator('#messagecontframe') };
}

test('Roundcube shows the badge next to the subject and the report on click', { skip, timeout: 120000 }, async () => {
  const { page, frame } = await openMessage(mail.user);
  const badge = frame.locator('#message-header .subject .caliop-badge');
  await badge.waitFor({ timeout: 30000 });
  assert.equal(await badge.textContent(), 'C');
  const report = frame.locator('.caliop-report');
  assert.equal(await report.isVisible(), false);
  await frame.locator('.caliop-button').click();
  assert.equal(await report.isVisible(), true);
  assert.equal(await frame.locator('.caliop-headline').textContent(), 'Privacy grade C (40/100)');
  assert.equal(await frame.locator('.caliop-verification').textContent(), 'Checked by your server mail.example.org.');
  const rows = await frame.locator('.caliop-hop').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  assert.deepEqual(rows.map((r) => r[2]), ['claimed, not verified', 'claimed, not verified', 'claimed, not verified']);
  await page.screenshot({ path: join(SCREENSHOTS, 'roundcube-C.png') });
  await page.close();
});

const proofSkip = skip || (PROOF.every((p) => existsSync(p.file)) ? false : 'the stamped messages of the proof are missing');

test('Roundcube shows what the milter and James stamped the same way', { skip: proofSkip, timeout: 120000 }, async () => {
  const seen = [];
  for (const p of PROOF) {
    const { page, frame } = await openMessage(p.adapter);
    await frame.locator('.caliop-button').click();
    await frame.locator('.caliop-report').waitFor();
    seen.push({
      badge: await frame.locator('#message-header .subject .caliop-badge').textContent(),
      headline: await frame.locator('.caliop-headline').textContent(),
      verification: await frame.locator('.caliop-verification').textContent(),
      rows: (await frame.locator('.caliop-hop').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent))))
        .map((r) => [r[0], r[2], r[3]]),
      reasons: await frame.locator('.caliop-reason').allTextContents(),
    });
    await page.screenshot({ path: join(SCREENSHOTS, `proof-roundcube-${p.adapter}.png`) });
    await page.close();
  }
  assert.equal(seen[0].badge, 'C');
  assert.equal(seen[0].verification, `Checked by your server ${OUR_SERVER}.`);
  assert.deepEqual(seen[1], seen[0]);
});
