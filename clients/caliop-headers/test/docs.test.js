// The module and the docs cannot drift: every reason code docs/score.md lists has words here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { knownReasonCodes } from '../index.js';

const doc = (name) => readFileSync(new URL(`../../../docs/${name}`, import.meta.url), 'utf8');

test('every reason code of docs/score.md has words in this client', () => {
  const score = doc('score.md');
  const reasons = score.split(/^## Reasons$/m)[1].split(/^## Worked examples$/m)[0];
  // The Reasons section of each version, and every code table anywhere (version 2 lists its new codes as it lands).
  const codes = new Set([
    ...[...reasons.matchAll(/`([a-z0-9]+(?:-[a-z0-9]+)+)`/g)].map((m) => m[1]),
    ...[...score.matchAll(/^\| `([a-z0-9]+(?:-[a-z0-9]+)+)` \|/gm)].map((m) => m[1]),
  ]);
  assert.ok(codes.size > 60, `found only ${codes.size} codes: did docs/score.md change shape?`);
  const known = new Set(knownReasonCodes());
  assert.deepEqual([...codes].filter((c) => !known.has(c)), []);
});
