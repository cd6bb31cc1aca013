// Parsers for the values of Caliop-Privacy, Caliop-Path and Caliop-Hop (docs/headers.md), on the RFC 8941
// parser of the structured-headers library. They never throw: a value that is not what caliop writes comes
// back with status 'malformed' and a problem in words, so a client can say so instead of showing a guess.
import { parseDictionary, parseList, Token } from 'structured-headers';
import { reasonText } from './reasons.js';

/** Longest field value read, in characters. caliop writes under 1,000; anything longer is not ours. */
export const MAX_FIELD_LENGTH = 4096;
/** At most this many reasons and path members are kept from one field (caliop writes at most 24 and 8). */
export const MAX_REASONS = 32;
export const MAX_PATH_MEMBERS = 32;
/** Score formula versions this client knows (docs/score.md). */
export const KNOWN_VERSIONS = Object.freeze(['1', '2']);

export const GRADES = Object.freeze(['A', 'B', 'C', 'D', 'E']);
export const TRUST_LABELS = Object.freeze(['firsthand', 'internal', 'claimed']);
const COUNTRY_SHAPE = /^[A-Z]{2}$/;

class Malformed extends Error {}

/** Unfolded, trimmed text of a field value, or a Malformed error. */
function prepare(value) {
  if (typeof value !== 'string') {
    throw new Malformed('the field is missing');
  }
  if (value.length > MAX_FIELD_LENGTH) {
    throw new Malformed(`the field is ${value.length} characters long, more than the ${MAX_FIELD_LENGTH} caliop ever writes`);
  }
  const unfolded = value.replace(/\r?\n(?=[ \t])/g, '').replace(/^[ \t]+|[ \t]+$/g, '');
  // RFC 8941 fields are visible ASCII; the library would also accept some of what follows, we do not.
  if (/[^\x20-\x7e\t]/.test(unfolded)) {
    throw new Malformed('the field holds characters caliop never writes (control characters or non-ASCII)');
  }
  if (unfolded === '') {
    throw new Malformed('the field is empty');
  }
  return unfolded;
}

function parseWith(parser, text) {
  try {
    return parser(text);
  } catch (e) {
    throw new Malformed(`not an RFC 8941 structured field (${e && e.message ? e.message : 'parse error'})`);
  }
}

const isToken = (v) => v instanceof Token;
const tokenValue = (v) => (v instanceof Token ? v.value : null);
const isInteger = (v) => typeof v === 'number' && Number.isInteger(v);
const isString = (v) => typeof v === 'string';
const isBoolean = (v) => typeof v === 'boolean';

/** A dictionary member's bare value when it has the wanted type, else undefined (and a note). */
function member(dict, key, check, problems) {
  if (!dict.has(key)) {
    return undefined;
  }
  const entry = dict.get(key);
  const bare = entry[0];
  if (!check(bare)) {
    problems.push(`"${key}" has a type caliop never writes there; ignored`);
    return undefined;
  }
  return bare;
}

function malformedResult(kind, message) {
  return { status: 'malformed', problem: `${kind}: ${message}` };
}

/**
 * Caliop-Privacy → {status, problem?, score, grade, version, reasons: [{code, text}], encrypted, signed, hops, by,
 * problems}. status: 'ok'; 'unknown-version' (a formula this client does not know: grade and score are read
 * as usual, reason codes it does not know have text null); 'malformed' (nothing else is set).
 */
export function parsePrivacy(value) {
  try {
    const dict = parseWith(parseDictionary, prepare(value));
    const problems = [];
    const score = member(dict, 'score', isInteger, problems);
    const grade = tokenValue(member(dict, 'grade', isToken, problems));
    const v = member(dict, 'v', (x) => isInteger(x) || isString(x), problems);
    if (score === undefined || score < 0 || score > 100) {
      throw new Malformed('no score between 0 and 100');
    }
    if (!GRADES.includes(grade)) {
      throw new Malformed('no grade A to E');
    }
    if (v === undefined || (isInteger(v) && v < 0)) {
      throw new Malformed('no formula version (v)');
    }
    const version = String(v);
    const known = KNOWN_VERSIONS.includes(version);
    const reasons = [];
    const list = dict.has('reasons') ? dict.get('reasons')[0] : [];
    if (!Array.isArray(list)) {
      problems.push('"reasons" is not a list; ignored');
    } else {
      for (const [item] of list.slice(0, MAX_REASONS)) {
        const code = tokenValue(item);
        if (code === null) {
          problems.push('a reason that is not a token; ignored');
          continue;
        }
        reasons.push({ code, text: reasonText(code) });
      }
      if (list.length > MAX_REASONS) {
        problems.push(`${list.length - MAX_REASONS} more reasons not shown`);
      }
    }
    const hops = member(dict, 'hops', (x) => isInteger(x) && x >= 0, problems);
    const result = {
      status: known ? 'ok' : 'unknown-version',
      score,
      grade,
      version,
      reasons,
      encrypted: tokenValue(member(dict, 'encrypted', isToken, problems)),
      signed: tokenValue(member(dict, 'signed', isToken, problems)),
      hops: hops === undefined ? null : hops,
      by: member(dict, 'by', isString, problems) ?? null,
      problems,
    };
    if (!known) {
      result.problem = `score formula version ${version} is not one this client knows (${KNOWN_VERSIONS.join(', ')})`;
    }
    return result;
  } catch (e) {
    if (e instanceof Malformed) {
      return malformedResult('Caliop-Privacy', e.message);
    }
    throw e;
  }
}

const HOP_KEYS = {
  from: isString,
  ip: isString,
  helo: isString,
  proto: isToken,
  tls: isToken,
  cipher: isString,
  bits: isInteger,
  auth: isBoolean,
  cert: isBoolean,
  by: isString,
  id: isString,
  cc: isToken,
  ccdb: isString,
};

/** Caliop-Hop → {status, problem?, from, ip, helo, proto, tls, cipher, bits, auth, cert, by, id, cc, ccdb, problems}. */
export function parseHop(value) {
  try {
    const dict = parseWith(parseDictionary, prepare(value));
    const problems = [];
    const out = { status: 'ok' };
    for (const [key, check] of Object.entries(HOP_KEYS)) {
      const v = member(dict, key, check, problems);
      out[key] = v === undefined ? null : isToken(v) ? v.value : v;
    }
    if (out.tls === null) {
      throw new Malformed('no "tls" member (caliop always writes one)');
    }
    if (out.cc !== null && !COUNTRY_SHAPE.test(out.cc)) {
      problems.push('"cc" is not a two-letter country code; ignored');
      out.cc = null;
    }
    out.problems = problems;
    return out;
  } catch (e) {
    if (e instanceof Malformed) {
      return malformedResult('Caliop-Hop', e.message);
    }
    throw e;
  }
}

const PATH_PARAMS = {
  tls: isToken,
  proto: isToken,
  from: isString,
  local: isBoolean,
  auth: isBoolean,
  parsed: isBoolean,
  cc: isToken,
};

/**
 * Caliop-Path → {status, problem?, hops: [{trust, tls, proto, from, local, auth, parsed, cc}], problems}, newest
 * hop first. A member whose label is not firsthand/internal/claimed keeps trust 'unknown' (shown as unverified).
 */
export function parsePath(value) {
  try {
    const list = parseWith(parseList, prepare(value));
    const problems = [];
    const hops = [];
    for (const [bare, params] of list.slice(0, MAX_PATH_MEMBERS)) {
      if (Array.isArray(bare)) {
        throw new Malformed('a member is an inner list, caliop writes one item per hop');
      }
      const label = tokenValue(bare);
      const hop = { trust: TRUST_LABELS.includes(label) ? label : 'unknown' };
      if (hop.trust === 'unknown') {
        problems.push(`hop ${hops.length + 1} has a trust label this client does not know; shown as unverified`);
      }
      for (const [key, check] of Object.entries(PATH_PARAMS)) {
        if (!params.has(key)) {
          hop[key] = null;
        } else if (!check(params.get(key))) {
          problems.push(`hop ${hops.length + 1}: "${key}" has a type caliop never writes there; ignored`);
          hop[key] = null;
        } else {
          const v = params.get(key);
          hop[key] = isToken(v) ? v.value : v;
        }
      }
      if (hop.cc !== null && !COUNTRY_SHAPE.test(hop.cc)) {
        problems.push(`hop ${hops.length + 1}: "cc" is not a two-letter country code; ignored`);
        hop.cc = null;
      }
      hops.push(hop);
    }
    if (list.length > MAX_PATH_MEMBERS) {
      problems.push(`${list.length - MAX_PATH_MEMBERS} more hops not shown`);
    }
    return { status: 'ok', hops, problems };
  } catch (e) {
    if (e instanceof Malformed) {
      return malformedResult('Caliop-Path', e.message);
    }
    throw e;
  }
}
