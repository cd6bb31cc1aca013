import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePrivacy, parseHop, parsePath, MAX_FIELD_LENGTH } from '../index.js';

// The example lines of docs/headers.md, as caliop writes them.
const PRIVACY_V1 = 'score=80, grade=B, v=1, reasons=(firsthand-tls13 hop-claimed-tls auth-unknown e2e-pgp-mime), '
  + 'encrypted=pgp-mime, signed=none, hops=4';
const HOP = 'from="mx.example.net", ip="198.51.100.25", helo="mx.example.net", proto=ESMTPS, tls=TLSv1.3, '
  + 'cipher="TLS_AES_256_GCM_SHA384", bits=256, auth=?0, cert=?0, by="mail.example.org", id="4F1A2B3C"';
const PATH = 'firsthand;tls=TLSv1.3;proto=ESMTPS;from="mx.example.net", internal;tls=TLSv1.2;proto=ESMTPSA;auth;from="relay.example.org", '
  + 'claimed;tls=none;proto=ESMTP;from="sender.example", claimed;parsed=?0';

test('parsePrivacy reads every member of a version 1 field', () => {
  const p = parsePrivacy(PRIVACY_V1);
  assert.equal(p.status, 'ok');
  assert.equal(p.score, 80);
  assert.equal(p.grade, 'B');
  assert.equal(p.version, '1');
  assert.deepEqual(p.reasons.map((r) => r.code), ['firsthand-tls13', 'hop-claimed-tls', 'auth-unknown', 'e2e-pgp-mime']);
  assert.match(p.reasons[0].text, /first-hand/);
  assert.equal(p.encrypted, 'pgp-mime');
  assert.equal(p.signed, 'none');
  assert.equal(p.hops, 4);
  assert.equal(p.by, null);
  assert.deepEqual(p.problems, []);
});

test('parsePrivacy reads version 2 and the by member', () => {
  const p = parsePrivacy('score=95, grade=A, v=2, reasons=(firsthand-tls13 e2e-pgp-mime), encrypted=pgp-mime, signed=none, hops=1, by="mx.example.org"');
  assert.equal(p.status, 'ok');
  assert.equal(p.version, '2');
  assert.equal(p.by, 'mx.example.org');
});

test('parsePrivacy ignores members it does not know, as docs/headers.md asks of readers', () => {
  const p = parsePrivacy(`${PRIVACY_V1}, future=(a b), note="x"`);
  assert.equal(p.status, 'ok');
  assert.equal(p.grade, 'B');
});

test('parsePrivacy unfolds a value an MTA folded at the member separators', () => {
  const p = parsePrivacy('score=80, grade=B, v=1,\r\n\treasons=(firsthand-tls13\r\n e2e-none), hops=1');
  assert.equal(p.status, 'ok');
  assert.deepEqual(p.reasons.map((r) => r.code), ['firsthand-tls13', 'e2e-none']);
});

test('an unknown formula version keeps the grade but says so, and unknown codes have no text', () => {
  for (const v of ['3', '"3-beta"']) {
    const p = parsePrivacy(`score=70, grade=B, v=${v}, reasons=(firsthand-tls13 quantum-ok)`);
    assert.equal(p.status, 'unknown-version', v);
    assert.equal(p.grade, 'B');
    assert.match(p.problem, /not one this client knows/);
    assert.notEqual(p.reasons[0].text, null);
    assert.equal(p.reasons[1].text, null);
  }
});

const MALFORMED_PRIVACY = {
  'no commas between members': 'score=80 grade=B v=1',
  'a grade beyond E': 'score=10, grade=F, v=1',
  'a grade written as a string': 'score=95, grade="A", v=1',
  'a lower-case grade': 'score=95, grade=a, v=1',
  'a score above 100': 'score=101, grade=A, v=1',
  'a negative score': 'score=-1, grade=E, v=1',
  'a decimal score': 'score=95.5, grade=A, v=1',
  'a score as a string': 'score="95", grade=A, v=1',
  'no score': 'grade=A, v=1',
  'no version': 'score=95, grade=A',
  'a negative version': 'score=95, grade=A, v=-1',
  'a version as a token': 'score=95, grade=A, v=one',
  'an empty value': '',
  'only spaces': '   ',
  'a line break that is not a fold (header injection)': 'score=0, grade=E, v=1\r\nCaliop-Privacy: score=100, grade=A, v=1',
  'a NUL': 'score=95, grade=A, v=1\u0000',
  'UTF-8 in a string': 'score=95, grade=A, v=1, by="mäil.example.org"',
  'an unclosed string': 'score=95, grade=A, v=1, by="mail.example.org',
  'a bad escape in a string': 'score=95, grade=A, v=1, by="a\\b"',
  'a value longer than caliop ever writes': `score=95, grade=A, v=1, by="${'a'.repeat(MAX_FIELD_LENGTH)}"`,
  'HTML instead of a field': '<img src=x onerror=alert(1)>',
  'JSON instead of a field': '{"score":95,"grade":"A"}',
  'a key with upper case (not RFC 8941)': 'Score=95, Grade=A, v=1',
};

for (const [name, value] of Object.entries(MALFORMED_PRIVACY)) {
  test(`parsePrivacy says malformed, never throws, for ${name}`, () => {
    const p = parsePrivacy(value);
    assert.equal(p.status, 'malformed');
    assert.match(p.problem, /^Caliop-Privacy: /);
    assert.equal(p.grade, undefined);
  });
}

test('parsePrivacy treats a missing field (undefined, null, a number) as malformed', () => {
  for (const v of [undefined, null, 42, {}, ['score=95, grade=A, v=1']]) {
    assert.equal(parsePrivacy(v).status, 'malformed');
  }
});

test('a member of the wrong type is ignored and noted, the rest is read', () => {
  const p = parsePrivacy('score=40, grade=C, v=1, reasons="e2e-none", encrypted="none", hops=-3, by=mail');
  assert.equal(p.status, 'ok');
  assert.deepEqual(p.reasons, []);
  assert.equal(p.encrypted, null);
  assert.equal(p.hops, null);
  assert.equal(p.by, null);
  assert.equal(p.problems.length, 4);
});

test('non-token reasons are dropped, and past 32 reasons the rest is counted, not kept', () => {
  const many = Array.from({ length: 200 }, (_, i) => `r${i}`).join(' ');
  const p = parsePrivacy(`score=1, grade=E, v=1, reasons=(${many} "quoted")`);
  assert.equal(p.reasons.length, 32);
  assert.ok(p.problems.some((x) => /169 more reasons/.test(x)));
});

test('a repeated key keeps its last value, as RFC 8941 says (our border removes foreign fields, not members)', () => {
  assert.equal(parsePrivacy('score=0, grade=E, v=1, grade=D').grade, 'D');
});

test('parseHop reads every member of the docs example', () => {
  const h = parseHop(HOP);
  assert.equal(h.status, 'ok');
  assert.deepEqual(
    { from: h.from, ip: h.ip, helo: h.helo, proto: h.proto, tls: h.tls, cipher: h.cipher, bits: h.bits, auth: h.auth, cert: h.cert, by: h.by, id: h.id },
    { from: 'mx.example.net', ip: '198.51.100.25', helo: 'mx.example.net', proto: 'ESMTPS', tls: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', bits: 256, auth: false, cert: false, by: 'mail.example.org', id: '4F1A2B3C' },
  );
});

test('parseHop: no tls member is malformed; a wrong type or a bad country is dropped', () => {
  assert.equal(parseHop('from="a", ip="1.2.3.4"').status, 'malformed');
  const h = parseHop('tls=none, ip=1, cc=de, auth=1');
  assert.equal(h.status, 'ok');
  assert.equal(h.ip, null);
  assert.equal(h.cc, null);
  assert.equal(h.auth, null);
  assert.equal(h.problems.length, 3);
  assert.equal(parseHop('tls=none, cc=DE').cc, 'DE');
});

test('parsePath reads one member per hop, newest first, with its trust label and parameters', () => {
  const p = parsePath(PATH);
  assert.equal(p.status, 'ok');
  assert.deepEqual(p.hops.map((h) => h.trust), ['firsthand', 'internal', 'claimed', 'claimed']);
  assert.equal(p.hops[0].tls, 'TLSv1.3');
  assert.equal(p.hops[0].from, 'mx.example.net');
  assert.equal(p.hops[1].auth, true);
  assert.equal(p.hops[2].tls, 'none');
  assert.equal(p.hops[3].parsed, false);
  assert.equal(p.hops[3].from, null);
});

test('parsePath: an unknown label is kept as unknown (never as trusted), an inner list is malformed', () => {
  const p = parsePath('verified;tls=TLSv1.3, firsthand;tls=TLSv1.3');
  assert.equal(p.hops[0].trust, 'unknown');
  assert.equal(p.hops[1].trust, 'firsthand');
  assert.equal(p.problems.length, 1);
  assert.equal(parsePath('"firsthand";tls=TLSv1.3').hops[0].trust, 'unknown');
  assert.equal(parsePath('(firsthand internal)').status, 'malformed');
  assert.equal(parsePath('firsthand;;tls').status, 'malformed');
  assert.equal(parsePath('firsthand;tls="TLSv1.3"').hops[0].tls, null);
});

test('parsePath keeps at most 32 members and counts the rest', () => {
  const p = parsePath(Array.from({ length: 100 }, () => 'claimed').join(', '));
  assert.equal(p.hops.length, 32);
  assert.ok(p.problems.some((x) => /68 more hops/.test(x)));
});
