// A real IMAP server for the Roundcube test: GreenMail standalone (Maven Central), on loopback ports, and a minimal
// IMAP client that APPENDs messages to a mailbox.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './x11.js';

export const GREENMAIL = 'com.icegreen:greenmail-standalone:2.1.3';

/** A port nobody listens on right now, on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The GreenMail jar from the local Maven repository, fetched from Maven Central by Maven when missing. */
export function greenmailJar() {
  const [group, artifact, version] = GREENMAIL.split(':');
  const jar = join(homedir(), '.m2/repository', ...group.split('.'), artifact, version, `${artifact}-${version}.jar`);
  if (!existsSync(jar)) {
    execFileSync('mvn', ['-B', '-ntp', '-q', 'dependency:get', `-Dartifact=${GREENMAIL}`], { stdio: 'inherit' });
  }
  return jar;
}

async function waitForPort(port, proc) {
  for (let i = 0; i < 300; i++) { // at most ~30 s
    if (proc.exitCode !== null) {
      throw new Error(`the server exited with ${proc.exitCode}`);
    }
    const open = await new Promise((resolve) => {
      const c = connect(port, '127.0.0.1');
      c.once('connect', () => { c.destroy(); resolve(true); });
      c.once('error', () => resolve(false));
    });
    if (open) {
      return;
    }
    await sleep(100);
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

/** Starts GreenMail with IMAP users (password "secret"); resolves to {port, user (the first), password, stop}. */
export async function startGreenMail(users = ['bob']) {
  const port = await freePort();
  const password = 'secret';
  const proc = spawn('java', [
    `-Dgreenmail.imap.port=${port}`, '-Dgreenmail.imap.hostname=127.0.0.1',
    `-Dgreenmail.users=${users.map((u) => `${u}:${password}@example.org`).join(',')}`, '-jar', greenmailJar(),
  ], { stdio: 'ignore' });
  await waitForPort(port, proc);
  return { port, user: users[0], password, stop: () => proc.kill('SIGTERM') };
}

/** APPENDs each message (CRLF text) to INBOX over IMAP. */
export function imapAppend({ port, user, password }, messages) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const steps = [
      () => `a1 LOGIN ${user} ${password}\r\n`,
      ...messages.flatMap((m, i) => {
        const bytes = Buffer.from(m, 'utf8');
        return [() => `b${i} APPEND INBOX {${bytes.length}}\r\n`, () => Buffer.concat([bytes, Buffer.from('\r\n')])];
      }),
      () => 'z LOGOUT\r\n',
    ];
    let buffer = '';
    let step = 0;
    const next = () => {
      if (step < steps.length) {
        socket.write(steps[step++]());
      }
    };
    socket.setTimeout(20000, () => socket.destroy(new Error('IMAP server did not answer in 20 s')));
    socket.on('data', (d) => {
      buffer += d.toString('latin1');
      let nl;
      while ((nl = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        if (/^\* OK/.test(line) && step === 0) next();
        else if (/^\+/.test(line)) next();
        else if (/^[ab]\d* OK/.test(line)) next();
        else if (/^[ab]\d* (NO|BAD)/.test(line)) socket.destroy(new Error(`IMAP: ${line}`));
        else if (/^z OK/.test(line)) socket.end();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => (step === steps.length ? resolve() : reject(new Error(`IMAP stopped at step ${step}`))));
  });
}
