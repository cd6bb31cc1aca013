// A private X server (Xvfb) for desktop programs in tests, screenshots with xwd decoded here (no ImageMagick), and
// PNG files written with node:zlib.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

/** Starts Xvfb on the first free display from :71; resolves once it accepts clients. */
export async function startXvfb(width = 1280, height = 900) {
  for (let n = 71; n < 90; n++) {
    if (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) {
      continue;
    }
    const display = `:${n}`;
    const proc = spawn('Xvfb', [display, '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp'], { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      await sleep(100);
      if (existsSync(`/tmp/.X11-unix/X${n}`)) {
        return { display, stop: () => proc.kill('SIGTERM') };
      }
      if (proc.exitCode !== null) {
        break;
      }
    }
    proc.kill('SIGTERM');
  }
  throw new Error('no free X display between :71 and :89');
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The whole screen as {width, height, rgb(x, y) → [r, g, b], png()}. */
export function screenshot(display) {
  const xwd = execFileSync('xwd', ['-root', '-silent', '-display', display], { maxBuffer: 64 * 1024 * 1024 });
  return decodeXwd(xwd);
}

function decodeXwd(buf) {
  const u32 = (i) => buf.readUInt32BE(i * 4);
  const headerSize = u32(0);
  const [width, height] = [u32(4), u32(5)];
  const bitsPerPixel = u32(11);
  const bytesPerLine = u32(12);
  const byteOrder = u32(7); // 0 = LSBFirst
  const ncolors = u32(19);
  if (bitsPerPixel !== 32 && bitsPerPixel !== 24) {
    throw new Error(`xwd: ${bitsPerPixel} bits per pixel, expected 24 or 32`);
  }
  const bytes = bitsPerPixel / 8;
  const data = headerSize + ncolors * 12;
  const rgb = (x, y) => {
    const p = data + y * bytesPerLine + x * bytes;
    return byteOrder === 0 ? [buf[p + 2], buf[p + 1], buf[p]] : [buf[p + bytes - 3], buf[p + bytes - 2], buf[p + bytes - 1]];
  };
  return { width, height, rgb, png: () => encodePng(width, height, rgb) };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, body) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}

function encodePng(width, height, rgb) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      const [r, g, b] = rgb(x, y);
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Bounding box of the pixels of one colour (within `tolerance` per channel), or null; counts them too. */
export function findColour(shot, [r, g, b], { tolerance = 6, region } = {}) {
  const [x0, y0, x1, y1] = region ?? [0, 0, shot.width, shot.height];
  let box = null;
  let count = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const [pr, pg, pb] = shot.rgb(x, y);
      if (Math.abs(pr - r) <= tolerance && Math.abs(pg - g) <= tolerance && Math.abs(pb - b) <= tolerance) {
        count++;
        box = box ? [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)] : [x, y, x, y];
      }
    }
  }
  return box ? { box, count } : null;
}

export function savePng(shot, path) {
  writeFileSync(path, shot.png());
}

export const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
