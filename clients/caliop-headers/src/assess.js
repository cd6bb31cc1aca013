// From caliop's raw fields to what a person is shown: the badge, one line of summary, the hop table, the reasons
// and notices. Every sentence here follows the wording rules of docs/clients.md.
import { parsePrivacy, parseHop, parsePath } from './fields.js';

const TRUST_WORDS = {
  firsthand: 'first-hand',
  internal: 'internal',
  claimed: 'claimed, not verified',
  unknown: 'unknown label, not verified',
};

const TLS_WORDS = {
  'TLSv1.3': 'TLS 1.3',
  'TLSv1.2': 'TLS 1.2',
  'TLSv1.1': 'TLS 1.1 (obsolete)',
  'TLSv1.0': 'TLS 1.0 (obsolete)',
  SSLv3: 'SSL 3 (broken)',
  unknown: 'TLS, version not reported',
  none: 'not encrypted',
};

const CONTENT_WORDS = {
  none: 'not end-to-end encrypted',
  'pgp-mime': 'end-to-end encrypted (OpenPGP/MIME)',
  smime: 'end-to-end encrypted (S/MIME)',
  'pgp-inline': 'end-to-end encrypted inline (subject and attachments may be readable)',
  mixed: 'partly end-to-end encrypted (some parts are not)',
};

const SIGNED_WORDS = {
  none: 'not signed',
  'pgp-mime': 'signed (OpenPGP/MIME, signature not verified by the server)',
  'pgp-inline': 'signed inline (PGP, signature not verified by the server)',
  smime: 'signed (S/MIME, signature not verified by the server)',
};

/** The words for a TLS token as caliop writes it, or the token itself when unknown to this client. */
export function tlsWords(tls, local) {
  if (local) {
    return 'local, no network crossed';
  }
  if (tls === null || tls === undefined) {
    return 'not stated';
  }
  return TLS_WORDS[tls] ?? tls;
}

/** Lower-case host names a user or admin set as theirs, from a list or a comma/space/newline-separated text. */
export function normaliseStampers(stampers) {
  const list = Array.isArray(stampers) ? stampers : String(stampers ?? '').split(/[\s,]+/);
  return list
    .map((s) => String(s).trim().toLowerCase().replace(/\.$/, ''))
    .filter((s) => s.length > 0 && s.length <= 255);
}

function verification(privacy, stampers) {
  if (!privacy.by) {
    return { verified: false, text: 'Not verified by your server: the field does not name the server that wrote it.' };
  }
  if (stampers.length === 0) {
    return {
      verified: false,
      text: `Not verified by your server: written by "${privacy.by}", and no server is set as yours.`,
    };
  }
  if (!stampers.includes(privacy.by.toLowerCase().replace(/\.$/, ''))) {
    return {
      verified: false,
      text: `Not verified by your server: written by "${privacy.by}", which is not a server set as yours.`,
    };
  }
  return { verified: true, text: `Checked by your server ${privacy.by}.` };
}

const TRUSTED_PREFIXES = ['firsthand-', 'hop-internal-'];

/** The transport half of the summary line, from the score's own reason codes (they exist in every version). */
function transportSummary(codes) {
  if (codes.includes('transport-unknown')) {
    return 'no trusted record of how it reached our server';
  }
  const trusted = codes.filter((c) => TRUSTED_PREFIXES.some((p) => c.startsWith(p)));
  if (trusted.length === 0) {
    return null;
  }
  const ends = (suffixes) => trusted.some((c) => suffixes.some((s) => c.endsWith(`-${s}`)));
  if (ends(['no-tls'])) {
    return 'not encrypted in transit on a hop our server saw';
  }
  if (ends(['tls11', 'tls10', 'sslv3'])) {
    return 'encrypted in transit on the hops our server saw, some with obsolete TLS';
  }
  if (ends(['tls-unknown'])) {
    return "our server's records do not say whether every hop it saw was encrypted in transit";
  }
  if (trusted.every((c) => c.endsWith('-local'))) {
    return 'no network crossed on the hops our server saw';
  }
  return 'encrypted in transit on the hops our server saw';
}

function summaryLine(privacy, pathHops) {
  const codes = privacy.reasons.map((r) => r.code);
  const parts = [];
  const transport = transportSummary(codes);
  if (transport) {
    parts.push(transport);
  }
  const claimed = codes.some((c) => c.startsWith('hop-claimed-')) || pathHops.some((h) => h.trust !== 'firsthand' && h.trust !== 'internal');
  if (claimed) {
    parts.push("earlier hops claimed by the sender's servers, not verified");
  }
  const content = CONTENT_WORDS[privacy.encrypted];
  parts.push(content ?? `end-to-end encryption: "${privacy.encrypted ?? 'not stated'}"`);
  const line = parts.join('; ');
  return line.charAt(0).toUpperCase() + line.slice(1) + '.';
}

function hopRows(path, hop) {
  if (path && path.status === 'ok' && path.hops.length > 0) {
    return path.hops.map((h, i) => ({
      number: i + 1,
      trust: h.trust,
      trustText: TRUST_WORDS[h.trust],
      from: h.from ?? 'unknown',
      tls: h.tls,
      tlsText: tlsWords(h.tls, h.local === true) + (h.trust === 'firsthand' || h.trust === 'internal' ? '' : ' (claimed)'),
      proto: h.proto,
      auth: h.auth === true,
      parsed: h.parsed !== false,
      cc: h.cc,
      ccText: h.cc ? `registered in ${h.cc} per the server's database (an estimate)` : null,
    }));
  }
  if (hop && hop.status === 'ok') {
    // Without Caliop-Path only our own hop is known (a caliop before the path field, or outbound mail).
    return [{
      number: 1,
      trust: 'firsthand',
      trustText: TRUST_WORDS.firsthand,
      from: hop.from ?? hop.ip ?? hop.helo ?? 'unknown',
      tls: hop.tls,
      tlsText: tlsWords(hop.tls, false),
      proto: hop.proto,
      auth: hop.auth === true,
      parsed: true,
      cc: hop.cc,
      ccText: hop.cc ? `registered in ${hop.cc} per ${hop.ccdb ?? "the server's database"} (an estimate)` : null,
    }];
  }
  return [];
}

function badge(state, privacy, verified) {
  if (state === 'absent') {
    return { text: '–', tone: 'none', label: 'no privacy grade: caliop did not judge this message' };
  }
  if (state === 'malformed') {
    return { text: '!', tone: 'error', label: 'privacy grade unreadable' };
  }
  if (!verified) {
    return { text: `${privacy.grade}?`, tone: 'unverified', label: `privacy grade ${privacy.grade}, not verified by your server` };
  }
  return { text: privacy.grade, tone: privacy.grade.toLowerCase(), label: `privacy grade ${privacy.grade}, checked by your server` };
}

/**
 * The view of one message. `fields` is what caliopFields() returns; `options.trustedStampers` the host names the
 * user or admin set as their server(s). state: 'absent' | 'malformed' | 'unverified' | 'verified'.
 */
export function assess(fields, options = {}) {
  const stampers = normaliseStampers(options.trustedStampers ?? []);
  const notices = [];
  if (fields.truncated) {
    notices.push('The header block was too long to read whole; only its beginning was read.');
  }
  if (!fields.privacy) {
    const state = 'absent';
    return {
      state, grade: null, score: null, version: null, badge: badge(state), verified: false,
      headline: 'No privacy grade',
      verification: 'This message has no Caliop-Privacy field: caliop did not judge it.',
      summary: null, hops: [], hopsNotListed: 0, reasons: [], content: null, ourHop: null, notices, stamper: null,
    };
  }
  const privacy = parsePrivacy(fields.privacy);
  if (privacy.status === 'malformed') {
    const state = 'malformed';
    notices.push(`The grade cannot be read: ${privacy.problem}.`);
    return {
      state, grade: null, score: null, version: null, badge: badge(state), verified: false,
      headline: 'Privacy grade unreadable',
      verification: 'Not verified by your server.',
      summary: null, hops: [], hopsNotListed: 0, reasons: [], content: null, ourHop: null, notices, stamper: null,
    };
  }
  if (privacy.status === 'unknown-version') {
    notices.push(`This grade uses score formula version ${privacy.version}, which this client does not know: `
      + 'reasons it does not know are shown as codes (docs/score.md of your caliop explains them).');
  }
  if (fields.counts.privacy > 1) {
    notices.push(`The message carries ${fields.counts.privacy} Caliop-Privacy fields; only the topmost is read.`);
  }
  for (const p of privacy.problems) {
    notices.push(`Caliop-Privacy: ${p}.`);
  }
  const { verified, text } = verification(privacy, stampers);
  const path = fields.path ? parsePath(fields.path) : null;
  const hop = fields.hop ? parseHop(fields.hop) : null;
  for (const parsed of [path, hop]) {
    if (parsed && parsed.status === 'malformed') {
      notices.push(`${parsed.problem}; not shown.`);
    } else if (parsed) {
      parsed.problems.forEach((p) => notices.push(`${p}.`));
    }
  }
  const hops = hopRows(path, hop);
  const pathHops = path && path.status === 'ok' ? path.hops : [];
  const hopsNotListed = privacy.hops !== null && privacy.hops > hops.length ? privacy.hops - hops.length : 0;
  const state = verified ? 'verified' : 'unverified';
  return {
    state,
    grade: privacy.grade,
    score: privacy.score,
    version: privacy.version,
    badge: badge(state, privacy, verified),
    verified,
    headline: `Privacy grade ${privacy.grade} (${privacy.score}/100)`,
    verification: text,
    summary: summaryLine(privacy, pathHops),
    hops,
    hopsNotListed,
    reasons: privacy.reasons.map((r) => ({ code: r.code, text: r.text })),
    content: {
      encrypted: privacy.encrypted,
      encryptedText: CONTENT_WORDS[privacy.encrypted] ?? privacy.encrypted,
      signed: privacy.signed,
      signedText: SIGNED_WORDS[privacy.signed] ?? privacy.signed,
    },
    ourHop: hop && hop.status === 'ok' ? hop : null,
    notices,
    stamper: privacy.by,
  };
}
