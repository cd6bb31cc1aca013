// Builds what the clients ship, into clients/target/:
//   caliop-headers.js         the module as one classic script (global CaliopHeaders), for pages that cannot import
//   caliop-viewer.html        the header viewer: one self-contained file, module and page script inlined, so it
//                             works from file:// (Chromium refuses ES-module imports there) and offline
//   thunderbird/ and caliop-thunderbird.xpi   the Thunderbird add-on
// and checks that the copy of caliop-headers.js committed in the Roundcube plugin is the one built here
// (`node build.mjs --update` refreshes it).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, 'target');
const update = process.argv.includes('--update');

async function bundle(entry, globalName) {
  const result = await build({
    absWorkingDir: here,
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    globalName,
    target: ['es2020', 'firefox115', 'chrome110'],
    charset: 'ascii',
    legalComments: 'inline',
    write: false,
  });
  const code = result.outputFiles[0].text;
  if (/<\/script/i.test(code)) {
    throw new Error(`${entry}: the bundle contains "</script", it cannot be inlined into a page`);
  }
  return code;
}

function fill(template, values) {
  return template.replace(/@([A-Z_]+)@/g, (whole, key) => (key in values ? values[key] : whole));
}

const header = '// Built by clients/build.mjs from clients/caliop-headers (do not edit; run `npm run build -- --update`).\n';

async function main() {
  // Only what this build makes: target/stamped/ (the adapters' tests) and target/screenshots/ stay.
  for (const made of ['caliop-headers.js', 'caliop-viewer.html', 'thunderbird', 'caliop-thunderbird.xpi']) {
    rmSync(join(target, made), { recursive: true, force: true });
  }
  mkdirSync(target, { recursive: true });

  const headers = header + (await bundle('caliop-headers/index.js', 'CaliopHeaders'));
  writeFileSync(join(target, 'caliop-headers.js'), headers);

  // The viewer page: its script is allowed by hash only, so nothing else can run in it.
  const { STYLE } = await import('./caliop-headers/index.js');
  const script = await bundle('viewer/viewer.js');
  const hash = `sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}`;
  const page = fill(readFileSync(join(here, 'viewer/viewer.html'), 'utf8'), { STYLE, SCRIPT: script, SCRIPT_HASH: hash });
  writeFileSync(join(target, 'caliop-viewer.html'), page);

  // The Thunderbird add-on: its own files plus the module and the stylesheet.
  if (existsSync(join(here, 'thunderbird/manifest.json'))) {
    const staged = join(target, 'thunderbird');
    cpSync(join(here, 'thunderbird'), staged, { recursive: true, filter: (src) => !src.includes(`${join('thunderbird', 'test')}`) });
    writeFileSync(join(staged, 'caliop-headers.js'), headers);
    writeFileSync(join(staged, 'caliop.css'), STYLE);
    execFileSync(join(here, 'node_modules/.bin/web-ext'),
      ['build', '--source-dir', staged, '--artifacts-dir', target, '--filename', 'caliop-thunderbird.xpi', '--overwrite-dest'],
      { stdio: ['ignore', 'ignore', 'inherit'] });
  }

  // The Roundcube plugin carries a copy, so it installs as a plain folder under plugins/.
  const committed = join(here, 'roundcube/js/caliop-headers.js');
  if (existsSync(join(here, 'roundcube'))) {
    if (update) {
      mkdirSync(dirname(committed), { recursive: true });
      writeFileSync(committed, headers);
      writeFileSync(join(here, 'roundcube/caliop.css'), STYLE);
    } else if (!existsSync(committed) || readFileSync(committed, 'utf8') !== headers
      || readFileSync(join(here, 'roundcube/caliop.css'), 'utf8') !== STYLE) {
      throw new Error('clients/roundcube/js/caliop-headers.js or caliop.css differs from the module: run `npm run build -- --update` and commit');
    }
  }
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
