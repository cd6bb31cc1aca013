import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caliopFields, readHeaderBlock, viewOf, assess, MAX_HEADER_BLOCK, normaliseStampers } from '../index.js';

const OURS = 'mail.example.org';
const PRIVACY = `Caliop-Privacy: score=95, grade=A, v=1, reasons=(firsthand-tls13 sender-authenticated e2e-pgp-mime), encrypted=pgp-mime, signed=none, hops=3, by="${OURS}"`;
const PATH = 'Caliop-Path: firsthand;tls=TLSv1.3;proto=ESMTPSA;auth;from="laptop.example.org", claimed;tls=none;proto=ESMTP;from="sender.example"';
const HOP = 'Caliop-Hop: ip="203.0.113.7", helo="laptop", proto=ESMTPSA, tls=TLSv1.3, cipher="TLS_AES_128_GCM_SHA256", bits=128, auth, cert=?0, by="mail.example.org", id="4AB12"';
const block = (...lines) => `${lines.join('\r\n')}\r\n\r\nbody`;

test('a grade written by the configured server is verified and shows its letter', () => {
  const v = viewOf(block(PRIVACY, PATH, HOP, 'Subject: hi'), { trustedStampers: [OURS] });
  assert.equal(v.state, 'verified');
  assert.deepEqual(v.badge, { text: 'A', tone: 'a', label: 'privacy grade A, checked by your server' });
  assert.equal(v.headline, 'Privacy grade A (95/100)');
  assert.equal(v.verification, 'Checked by your server mail.example.org.');
  assert.equal(v.summary, "Encrypted in transit on the hops our server saw; earlier hops claimed by the sender's servers, not verified; end-to-end encrypted (OpenPGP/MIME).");
  assert.deepEqual(v.hops.map((h) => [h.number, h.from, h.trustText, h.tlsText]), [
    [1, 'laptop.example.org', 'first-hand', 'TLS 1.3'],
    [2, 'sender.example', 'claimed, not verified', 'not encrypted (claimed)'],
  ]);
  assert.equal(v.hopsNotListed, 1);
  assert.equal(v.ourHop.id, '4AB12');
});

test('a country is an estimate per the database, never a jurisdiction', () => {
  const v = viewOf(block(PRIVACY, 'Caliop-Path: firsthand;tls=TLSv1.3;from="mx.example.net";cc=DE', 'Caliop-Hop: tls=TLSv1.3, cc=DE, ccdb="DB-IP 2026-11"'));
  assert.equal(v.hops[0].ccText, "registered in DE per the server's database (an estimate)");
  const hopOnly = viewOf(block(PRIVACY, 'Caliop-Hop: tls=TLSv1.3, cc=DE, ccdb="DB-IP 2026-11"'));
  assert.equal(hopOnly.hops[0].ccText, 'registered in DE per DB-IP 2026-11 (an estimate)');
  assert.doesNotMatch(JSON.stringify(v), /jurisdiction/i);
});

test('stampers are compared without case or a final dot', () => {
  assert.deepEqual(normaliseStampers(' Mail.Example.ORG., mx2.example.org\nmx3 '), [OURS, 'mx2.example.org', 'mx3']);
  assert.equal(viewOf(block(PRIVACY.replace(OURS, 'MAIL.example.org.')), { trustedStampers: OURS }).state, 'verified');
});

test('a grade from another server, a look-alike name, or with no server set is not verified and says so', () => {
  const cases = [
    [{ trustedStampers: ['mx.other.example'] }, /written by "mail.example.org", which is not a server set as yours/],
    [{}, /no server is set as yours/],
  ];
  for (const [options, words] of cases) {
    const v = viewOf(block(PRIVACY), options);
    assert.equal(v.state, 'unverified');
    assert.equal(v.badge.text, 'A?');
    assert.equal(v.badge.tone, 'unverified');
    assert.match(v.verification, /^Not verified by your server/);
    assert.match(v.verification, words);
  }
  for (const forged of ['mail.example.org.evil.example', 'xmail.example.org', 'mail.example.org ']) {
    const v = viewOf(block(PRIVACY.replace(`by="${OURS}"`, `by="${forged}"`)), { trustedStampers: [OURS] });
    assert.equal(v.state, 'unverified', forged);
  }
});

test('a field without by (a caliop before by=) is never verified', () => {
  const v = viewOf(block(PRIVACY.replace(`, by="${OURS}"`, '')), { trustedStampers: [OURS] });
  assert.equal(v.state, 'unverified');
  assert.match(v.verification, /does not name the server/);
});

test('only the topmost Caliop-Privacy counts; renamed untrusted copies and fields in the body are ignored', () => {
  const forgedBelow = 'Caliop-Privacy: score=0, grade=E, v=1, by="mail.example.org"';
  const v = viewOf(block(PRIVACY, forgedBelow, 'X-Untrusted-Caliop-Privacy: score=100, grade=A, v=1'), { trustedStampers: [OURS] });
  assert.equal(v.grade, 'A');
  assert.ok(v.notices.some((n) => /2 Caliop-Privacy fields; only the topmost/.test(n)));
  const inBody = viewOf('Subject: x\r\n\r\nCaliop-Privacy: score=95, grade=A, v=1', { trustedStampers: [OURS] });
  assert.equal(inBody.state, 'absent');
});

test('no Caliop-Privacy: absent, a dash badge, no grade', () => {
  const v = viewOf(block('Subject: x', 'Caliop-Hop: tls=none'));
  assert.equal(v.state, 'absent');
  assert.equal(v.badge.text, '–');
  assert.equal(v.grade, null);
});

test('a malformed Caliop-Privacy: an error badge, the problem in words, nothing guessed', () => {
  const v = viewOf(block('Caliop-Privacy: grade=A'), { trustedStampers: [OURS] });
  assert.equal(v.state, 'malformed');
  assert.equal(v.badge.text, '!');
  assert.equal(v.grade, null);
  assert.match(v.notices[0], /no score/);
});

test('a malformed path or hop is reported and left out; the grade still shows', () => {
  const v = viewOf(block(PRIVACY, 'Caliop-Path: (firsthand)', 'Caliop-Hop: from="x"'), { trustedStampers: [OURS] });
  assert.equal(v.state, 'verified');
  assert.deepEqual(v.hops, []);
  assert.ok(v.notices.some((n) => /^Caliop-Path: /.test(n)));
  assert.ok(v.notices.some((n) => /^Caliop-Hop: /.test(n)));
});

test('without Caliop-Path the table shows our own hop from Caliop-Hop', () => {
  const v = viewOf(block(PRIVACY, HOP), { trustedStampers: [OURS] });
  assert.deepEqual(v.hops.map((h) => [h.from, h.trust, h.tlsText, h.auth]), [['203.0.113.7', 'firsthand', 'TLS 1.3', true]]);
  assert.equal(v.hopsNotListed, 2);
});

test('the summary follows the reason codes', () => {
  const summary = (reasons, encrypted = 'none') => viewOf(
    `Caliop-Privacy: score=40, grade=C, v=1, reasons=(${reasons}), encrypted=${encrypted}`,
  ).summary;
  assert.equal(summary('firsthand-no-tls e2e-none'), 'Not encrypted in transit on a hop our server saw; not end-to-end encrypted.');
  assert.equal(summary('firsthand-tls13 hop-internal-tls10'), 'Encrypted in transit on the hops our server saw, some with obsolete TLS; not end-to-end encrypted.');
  assert.equal(summary('firsthand-local hop-internal-local', 'smime'), 'No network crossed on the hops our server saw; end-to-end encrypted (S/MIME).');
  assert.equal(summary('transport-unknown hop-claimed-tls', 'pgp-inline'), "No trusted record of how it reached our server; earlier hops claimed by the sender's servers, not verified; end-to-end encrypted inline (subject and attachments may be readable).");
  assert.equal(summary('hop-internal-tls-unknown'), "Our server's records do not say whether every hop it saw was encrypted in transit; not end-to-end encrypted.");
});

test('no sentence a client shows says secure or safe (docs/clients.md)', () => {
  const inputs = [
    block(PRIVACY, PATH, HOP), block('Caliop-Privacy: nonsense'), block('Subject: x'),
    block('Caliop-Privacy: score=70, grade=B, v=9, reasons=(firsthand-tls12 hop-internal-no-tls e2e-mixed signed-smime)'),
  ];
  for (const input of inputs) {
    for (const stampers of [[], [OURS]]) {
      const text = JSON.stringify(viewOf(input, { trustedStampers: stampers }));
      assert.doesNotMatch(text, /secure|safe/i);
    }
  }
});

test('readHeaderBlock unfolds, skips an mbox From line and stops at the body', () => {
  const { fields } = readHeaderBlock('From alice@example.org Mon Jan  1 00:00:00 2024\nSubject: a\n b\nX: 1\n\nY: 2');
  assert.deepEqual(fields, [{ name: 'Subject', value: 'a b' }, { name: 'X', value: '1' }]);
});

test('readHeaderBlock reads at most 1 MiB and says it cut', () => {
  const huge = `Subject: ${'x'.repeat(MAX_HEADER_BLOCK)}\n${PRIVACY}\n\n`;
  const fields = caliopFields(huge);
  assert.equal(fields.truncated, true);
  assert.equal(fields.privacy, null);
  assert.ok(assess(fields).notices[0].includes('too long'));
});

test('caliopFields reads a Thunderbird header map (lower-case names, arrays top first) and a lookup', () => {
  const map = { 'caliop-privacy': ['score=20, grade=D, v=1', 'score=95, grade=A, v=1'], subject: ['x'] };
  assert.equal(caliopFields(map).privacy, 'score=20, grade=D, v=1');
  assert.equal(caliopFields(map).counts.privacy, 2);
  assert.equal(caliopFields((name) => (name === 'caliop-privacy' ? 'score=1, grade=E, v=1' : undefined)).privacy, 'score=1, grade=E, v=1');
  assert.equal(caliopFields({ 'Caliop-Privacy': 42 }).privacy, null);
  assert.equal(caliopFields(null).privacy, null);
});
