// The add-on in the real Thunderbird (Debian's package) under a private Xvfb: a fresh profile whose Local Folders
// inbox holds one stamped message, the built .xpi sideloaded into it, the admin's servers set through managed
// storage (a manifest under $HOME, as an admin would under /usr/lib/mozilla/managed-storage). A small test-only
// add-on (test/driver) selects the message: no Marionette or geckodriver is packaged here. What a person sees is
// read from the screen: the badge's grade colour must appear on the add-on's button; screenshots are kept.
// Nothing leaves the machine: every HTTP(S) request goes to a proxy on 127.0.0.1:9 where nothing listens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TARGET, SCREENSHOTS, CLIENTS } from '../../test/browser.js';
import { startXvfb, screenshot, findColour, savePng, sleep, hex } from '../../test/x11.js';
import { stampedExample } from '../../test/stamped.js';
import { TONE_COLOURS } from '../../caliop-headers/index.js';

const ADDON_ID = 'privacy-grade@caliop.org';
const DRIVER_ID = 'test-driver@caliop.org';
const THUNDERBIRD = '/usr/bin/thunderbird';

function missing() {
  const needed = [THUNDERBIRD, '/usr/bin/Xvfb', '/usr/bin/xwd', '/usr/bin/xdotool'].filter((p) => !existsSync(p));
  if (needed.length === 0) {
    return false;
  }
  if (process.env.CI) {
    throw new Error(`${needed.join(', ')} missing: .ci/run installs thunderbird, xvfb, x11-apps and xdotool`);
  }
  return `${needed.join(', ')} not installed`;
}

const PREFS = {
  'xpinstall.signatures.required': false,
  'extensions.autoDisableScopes': 0,
  'extensions.enabledScopes': 15,
  'mail.account.account1.server': 'server1',
  'mail.accountmanager.accounts': 'account1',
  'mail.accountmanager.localfoldersserver': 'server1',
  'mail.server.server1.directory-rel': '[ProfD]Mail/Local Folders',
  'mail.server.server1.hostname': 'Local Folders',
  'mail.server.server1.name': 'Local Folders',
  'mail.server.server1.type': 'none',
  'mail.server.server1.userName': 'nobody',
  'mail.provider.suppress_dialog_on_startup': true,
  'mail.provider.enabled': false,
  'mail.shell.checkDefaultClient': false,
  'mailnews.start_page.enabled': false,
  'mail.spotlight.firstRunDone': true,
  'mail.rights.version': 1,
  'mailnews.auto_config.fetchFromISP.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'app.update.enabled': false,
  'app.update.auto': false,
  'extensions.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'browser.region.update.enabled': false,
  'browser.region.network.url': '',
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'services.settings.server': 'http://127.0.0.1:9/v1',
  'network.connectivity-service.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.trr.mode': 5,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.http.speculative-parallel-limit': 0,
  'network.proxy.type': 1,
  'network.proxy.http': '127.0.0.1',
  'network.proxy.http_port': 9,
  'network.proxy.ssl': '127.0.0.1',
  'network.proxy.ssl_port': 9,
  'network.proxy.no_proxies_on': '',
  'geo.enabled': false,
  'devtools.console.stdout.chrome': true,
  'devtools.console.stdout.content': true,
};

function userJs() {
  return Object.entries(PREFS).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});\n`).join('');
}

function profileWith(message) {
  const dir = mkdtempSync(join(tmpdir(), 'caliop-tb-'));
  const profile = join(dir, 'profile');
  const folders = join(profile, 'Mail', 'Local Folders');
  mkdirSync(join(profile, 'extensions'), { recursive: true });
  mkdirSync(folders, { recursive: true });
  writeFileSync(join(profile, 'user.js'), userJs());
  // An mbox: one message after its "From " line.
  writeFileSync(join(folders, 'Inbox'), `From - Tue May 14 10:21:07 2024\r\n${message}\r\n`);
  copyFileSync(join(TARGET, 'caliop-thunderbird.xpi'), join(profile, 'extensions', `${ADDON_ID}.xpi`));
  execFileSync(join(CLIENTS, 'node_modules/.bin/web-ext'),
    ['build', '--source-dir', join(CLIENTS, 'thunderbird/test/driver'), '--artifacts-dir', dir, '--filename', 'driver.xpi', '--overwrite-dest'],
    { stdio: 'ignore' });
  copyFileSync(join(dir, 'driver.xpi'), join(profile, 'extensions', `${DRIVER_ID}.xpi`));
  // The admin's list of servers, as managed storage: Thunderbird on Linux reads ~/.mozilla/managed-storage/ (and
  // /usr/lib/mozilla/managed-storage/ for every user).
  const managed = JSON.stringify({ name: ADDON_ID, description: 'caliop test', type: 'storage', data: { trustedStampers: 'mail.example.org' } });
  mkdirSync(join(dir, '.mozilla', 'managed-storage'), { recursive: true });
  writeFileSync(join(dir, '.mozilla', 'managed-storage', `${ADDON_ID}.json`), managed);
  return { dir, profile };
}

const skip = missing();
let x;

before(async () => {
  if (!skip) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    x = await startXvfb(1280, 900);
  }
});
after(() => { x?.stop(); });

/** Runs Thunderbird on a profile holding `message` until the badge colour shows on screen (bounded). */
async function showInThunderbird(message, tone, name) {
  const { dir, profile } = profileWith(message);
  const log = openSync(join(SCREENSHOTS, `thunderbird-${name}.log`), 'w');
  const tb = spawn(THUNDERBIRD, ['-profile', profile, '-no-remote'], {
    env: { ...process.env, HOME: dir, DISPLAY: x.display, MOZ_CRASHREPORTER_DISABLE: '1' },
    stdio: ['ignore', log, log],
  });
  try {
    const colour = hex(TONE_COLOURS[tone][0]);
    let badge = null;
    for (let i = 0; i < 90 && !badge; i++) { // at most ~90 s: a cold start on a busy 2-core machine
      await sleep(1000);
      badge = findColour(screenshot(x.display), colour, { tolerance: 4 });
    }
    if (!badge) {
      savePng(screenshot(x.display), join(SCREENSHOTS, `thunderbird-${name}-failed.png`));
    }
    assert.ok(badge, `no badge in ${tone} (${TONE_COLOURS[tone][0]}) on screen; see target/screenshots/thunderbird-${name}*`);
    await sleep(1500);
    // Hover over the button: its tooltip is the badge's spoken label and the one-line summary.
    const [bx0, by0, bx1, by1] = badge.box;
    execFileSync('xdotool', ['mousemove', String(bx1 + 12), String(by1 + 6)], { env: { ...process.env, DISPLAY: x.display } });
    await sleep(2500);
    const shot = screenshot(x.display);
    savePng(shot, join(SCREENSHOTS, `thunderbird-${name}.png`));
    return { badge: [bx0, by0, bx1, by1], count: badge.count };
  } finally {
    tb.kill('SIGTERM');
    for (let i = 0; i < 50 && tb.exitCode === null && tb.signalCode === null; i++) {
      await sleep(100);
    }
    if (tb.exitCode === null && tb.signalCode === null) {
      tb.kill('SIGKILL');
    }
    closeSync(log);
    rmSync(dir, { recursive: true, force: true });
  }
}

test('real Thunderbird shows the grade badge of a stamped message on the add-on button', { skip, timeout: 240000 }, async () => {
  const seen = await showInThunderbird(stampedExample('grade-A-local-authenticated-pgp-encrypted.eml'), 'a', 'A');
  assert.ok(seen.count >= 20, `badge too small: ${JSON.stringify(seen)}`);
});
