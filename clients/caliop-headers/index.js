// caliop-headers: read caliop's header fields (docs/headers.md) and show them (docs/clients.md).
//   parsePrivacy(value), parseHop(value), parsePath(value)   one field value → plain object, never throws
//   caliopFields(source)                                     the topmost Caliop-* fields of a message
//   assess(fields, {trustedStampers})                        what a person is shown
//   renderBadge(document, view), renderReport(document, view), STYLE
export { parsePrivacy, parseHop, parsePath, MAX_FIELD_LENGTH, KNOWN_VERSIONS, GRADES, TRUST_LABELS } from './src/fields.js';
export { caliopFields, readHeaderBlock, MAX_HEADER_BLOCK, MAX_HEADER_FIELDS } from './src/message.js';
export { assess, normaliseStampers, tlsWords } from './src/assess.js';
export { renderBadge, renderReport, STYLE, TONE_COLOURS } from './src/render.js';
export { reasonText, reasonEffect, knownReasonCodes } from './src/reasons.js';

import { caliopFields } from './src/message.js';
import { assess } from './src/assess.js';

/** One step for clients: the view of a message (header block, header map or lookup function). */
export function viewOf(source, options = {}) {
  return assess(caliopFields(source), options);
}
