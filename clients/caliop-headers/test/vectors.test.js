// The Java engine's own output (clients/caliop-headers/test/vectors.json, regenerated and checked by a Maven test)
// read back by this module: the two sides cannot drift.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parsePrivacy, parsePath, parseHop } from '../index.js';

const { vectors } = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8'));

test('there is a vector for every grade', () => {
  assert.deepEqual([...new Set(vectors.map((v) => v.expected.grade))].sort(), ['A', 'B', 'C', 'D', 'E']);
});

for (const v of vectors) {
  test(`${v.message} (${v.as}) reads back as the engine scored it`, () => {
    const e = v.expected;
    const p = parsePrivacy(v.fields['Caliop-Privacy']);
    assert.equal(p.status, 'ok', p.problem);
    assert.deepEqual(p.problems, []);
    assert.deepEqual(
      { score: p.score, grade: p.grade, version: p.version, reasons: p.reasons.map((r) => r.code), encrypted: p.encrypted, signed: p.signed, hops: p.hops, by: p.by },
      { score: e.score, grade: e.grade, version: e.version, reasons: e.reasons, encrypted: e.encrypted, signed: e.signed, hops: e.hops, by: e.by },
    );
    assert.ok(p.reasons.every((r) => r.text !== null), 'every reason has words');
    if (e.path) {
      const path = parsePath(v.fields['Caliop-Path']);
      assert.equal(path.status, 'ok', path.problem);
      assert.deepEqual(path.hops.map((h) => ({ trust: h.trust, tls: h.tls, local: h.local === true, proto: h.proto, auth: h.auth === true, parsed: h.parsed !== false, from: h.from })), e.path);
    } else {
      assert.equal(v.fields['Caliop-Path'], undefined, 'no path expected, none written');
    }
    if (e.hop) {
      const hop = parseHop(v.fields['Caliop-Hop']);
      assert.equal(hop.status, 'ok', hop.problem);
      for (const [key, value] of Object.entries(e.hop)) {
        assert.equal(hop[key], value, key);
      }
    }
  });
}
