// Headless Chromium from Debian's package, driven by playwright-core (never a browser download).
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLIENTS = join(dirname(fileURLToPath(import.meta.url)), '..');
export const TARGET = join(CLIENTS, 'target');
export const SCREENSHOTS = join(TARGET, 'screenshots');
const EXECUTABLE = process.env.CALIOP_CHROMIUM ?? '/usr/bin/chromium';

/** Whether the browser tests can run; CI installs chromium (.ci/run), a developer machine may not have it. */
export function chromiumMissing() {
  if (existsSync(EXECUTABLE)) {
    return false;
  }
  if (process.env.CI) {
    throw new Error(`${EXECUTABLE} is missing: .ci/run installs Debian's chromium`);
  }
  return `${EXECUTABLE} not installed (apt-get install chromium)`;
}

export async function launch() {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: EXECUTABLE, args: ['--no-sandbox', '--disable-gpu'] });
}
