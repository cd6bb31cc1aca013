// Stamped sample messages for the browser tests: examples/messages with the fields the Java engine writes for
// them on top (from clients/caliop-headers/test/vectors.json).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENTS, TARGET, chromiumMissing } from './browser.js';

const ROOT = join(CLIENTS, '..');
const { vectors } = JSON.parse(readFileSync(join(CLIENTS, 'caliop-headers/test/vectors.json'), 'utf8'));

/** The vector for a sample file name, as stored (`as` = 'stored') or as received by a server ('received'). */
export function vector(file, as = 'stored') {
  const v = vectors.find((x) => x.message === `examples/messages/${file}` && x.as === as)
    ?? vectors.find((x) => x.message === `examples/messages/${file}`);
  if (!v) {
    throw new Error(`no vector for ${file}`);
  }
  return v;
}

/** The sample message with caliop's fields on top, CRLF line ends, as a mail store would hold it. */
export function stampedExample(file, as = 'stored') {
  const v = vector(file, as);
  const fields = Object.entries(v.fields).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  const message = readFileSync(join(ROOT, v.message), 'utf8').replace(/\r?\n/g, '\r\n');
  return fields + message;
}

// The end-to-end proof (test/proof.test.js, roundcube/test): the C sample as the milter (through the real Postfix)
// and James delivered it; their tests write these files earlier in the same `mvn verify`.
export const STAMPED = join(TARGET, 'stamped');
export const PROOF = ['milter', 'james'].map((adapter) => ({ adapter, file: join(STAMPED, `${adapter}-grade-C.eml`) }));
export const OUR_SERVER = 'mx.caliop.test';

/** False when both stamped messages are there; else why the proof is skipped (under CI: an error). */
export function proofMissing() {
  const missing = PROOF.filter((p) => !existsSync(p.file)).map((p) => p.file);
  if (missing.length === 0) {
    return chromiumMissing();
  }
  if (process.env.CI) {
    throw new Error(`${missing.join(', ')} missing: run the whole build (mvn -B -ntp verify), the adapters' tests write them`);
  }
  return `${missing.join(', ')} not written yet (mvn -B -ntp verify writes them)`;
}

