// Finding caliop's fields in a message: a pasted header block, a whole .eml, or a client's header map.

/** The header block is read up to this many characters (a larger block is cut, and the cut is reported). */
export const MAX_HEADER_BLOCK = 1024 * 1024;
/** At most this many header fields are read from one block. */
export const MAX_HEADER_FIELDS = 10000;

export const FIELD_NAMES = Object.freeze({
  privacy: 'caliop-privacy',
  path: 'caliop-path',
  hop: 'caliop-hop',
  policy: 'caliop-policy',
});

/**
 * The header fields of a message or header block, top first, as [{name, value}] with folded lines joined.
 * Reading stops at the first empty line after a field (the body is never read), after MAX_HEADER_BLOCK
 * characters or after MAX_HEADER_FIELDS fields; `truncated` says whether it stopped early.
 */
export function readHeaderBlock(text) {
  const fields = [];
  let truncated = false;
  let block = String(text ?? '');
  if (block.length > MAX_HEADER_BLOCK) {
    block = block.slice(0, MAX_HEADER_BLOCK);
    truncated = true;
  }
  const lines = block.split(/\r\n|\n|\r/);
  let current = null;
  for (const line of lines) {
    if (line === '') {
      if (fields.length > 0 || current) {
        break; // end of the header block
      }
      continue; // blank lines before a pasted block
    }
    if ((line[0] === ' ' || line[0] === '\t') && current) {
      current.value += line; // unfold: the line break goes, the whitespace stays (RFC 5322 2.2.3)
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0 || !/^[\x21-\x39\x3b-\x7e]+$/.test(line.slice(0, colon).trimEnd())) {
      current = null; // an mbox "From " line or pasted text that is not a field
      continue;
    }
    if (fields.length >= MAX_HEADER_FIELDS) {
      truncated = true;
      break;
    }
    current = { name: line.slice(0, colon).trimEnd(), value: line.slice(colon + 1).replace(/^[ \t]+/, '') };
    fields.push(current);
  }
  return { fields, truncated };
}

/**
 * caliop's fields of a message: the topmost value of each (our server adds its own on top, after removing any
 * that arrived from outside), and how many of each the message carries.
 * `source` is a header block (string), or a map of lower-case names to arrays of values, top first (as
 * Thunderbird's messages.getFull() gives), or a function name → values.
 */
export function caliopFields(source) {
  let valuesOf;
  let truncated = false;
  if (typeof source === 'string') {
    const read = readHeaderBlock(source);
    truncated = read.truncated;
    valuesOf = (name) => read.fields.filter((f) => f.name.toLowerCase() === name).map((f) => f.value);
  } else if (typeof source === 'function') {
    valuesOf = (name) => asArray(source(name));
  } else {
    const map = source ?? {};
    valuesOf = (name) => {
      const key = Object.keys(map).find((k) => k.toLowerCase() === name);
      return key === undefined ? [] : asArray(map[key]);
    };
  }
  const out = { truncated, counts: {} };
  for (const [key, name] of Object.entries(FIELD_NAMES)) {
    const values = valuesOf(name).filter((v) => typeof v === 'string');
    out[key] = values.length > 0 ? values[0] : null;
    out.counts[key] = values.length;
  }
  return out;
}

function asArray(v) {
  if (v === undefined || v === null) {
    return [];
  }
  return Array.isArray(v) ? v : [v];
}
