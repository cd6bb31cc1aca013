// The renderer: DOM nodes built with textContent only, so nothing a header says can become markup or script.
// Colour is never the only signal: the badge always carries the grade letter (and "?" when not verified).

/** Badge colours per tone (grades a–e, unverified, error, none): background and text. */
export const TONE_COLOURS = Object.freeze({
  a: ['#1b7f3b', '#ffffff'],
  b: ['#7cc46a', '#000000'],
  c: ['#f2d24b', '#000000'],
  d: ['#f0913a', '#000000'],
  e: ['#c8321e', '#ffffff'],
  unverified: ['#6b6b6b', '#ffffff'],
  error: ['#ffffff', '#c8321e'],
  none: ['#f4f4f4', '#555555'],
});

const toneRules = Object.entries(TONE_COLOURS)
  .map(([tone, [bg, fg]]) => `.caliop-tone-${tone}{background:${bg};color:${fg}}`)
  .join('\n');

/** The stylesheet the renderer's classes need; clients add it once (a <style> element or a file). */
export const STYLE = `
.caliop-badge{display:inline-block;min-width:1.6em;padding:0 .35em;border-radius:.3em;font:bold 0.95em/1.4 system-ui,sans-serif;text-align:center;border:1px solid #0005;vertical-align:middle}
${toneRules}
.caliop-tone-unverified{border-style:dashed}
.caliop-tone-error{border:2px solid #c8321e}
.caliop-report{font:14px/1.45 system-ui,sans-serif;color:#111;max-width:46em}
.caliop-report h2{font-size:1.15em;margin:.2em 0 .4em;display:flex;gap:.5em;align-items:center}
.caliop-report .caliop-badge{font-size:1.3em}
.caliop-summary{margin:.3em 0}
.caliop-verification{margin:.3em 0;font-style:italic}
.caliop-verification.caliop-unverified{color:#8a4b00}
.caliop-report table{border-collapse:collapse;margin:.5em 0;width:100%}
.caliop-report th,.caliop-report td{border:1px solid #bbb;padding:.15em .4em;text-align:left;vertical-align:top}
.caliop-report th{background:#f2f2f2}
.caliop-report caption{caption-side:top;text-align:left;font-weight:bold;padding:.2em 0}
.caliop-trust-claimed td,.caliop-trust-unknown td{color:#555;font-style:italic}
.caliop-report ul{margin:.3em 0;padding-left:1.3em}
.caliop-code{font-family:ui-monospace,monospace;font-size:.9em;color:#444}
.caliop-notices{border-left:3px solid #c8321e;padding-left:.5em;margin:.5em 0}
.caliop-button{background:none;border:0;padding:0 .4em 0 0;margin:0;cursor:pointer;font:inherit;vertical-align:baseline}
`;

function el(doc, tag, className, text) {
  const node = doc.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined && text !== null) {
    node.textContent = String(text);
  }
  return node;
}

/** The grade badge: the letter (with "?" when not verified) on the grade's colour, with a spoken label. */
export function renderBadge(doc, view) {
  const b = el(doc, 'span', `caliop-badge caliop-tone-${view.badge.tone}`, view.badge.text);
  b.setAttribute('title', view.badge.label);
  b.setAttribute('aria-label', view.badge.label);
  b.setAttribute('role', 'img');
  b.dataset.caliopState = view.state;
  return b;
}

function hopTable(doc, view) {
  const table = el(doc, 'table', 'caliop-hops');
  table.append(el(doc, 'caption', null, 'Hops, newest first'));
  const head = el(doc, 'tr');
  ['#', 'from', 'trust', 'in transit', 'notes'].forEach((h) => head.append(el(doc, 'th', null, h)));
  table.append(head);
  for (const h of view.hops) {
    const row = el(doc, 'tr', `caliop-hop caliop-trust-${h.trust}`);
    const notes = [];
    if (h.proto) notes.push(h.proto);
    if (h.auth) notes.push(h.trust === 'claimed' ? 'claims the sender logged in' : 'sender logged in');
    if (!h.parsed) notes.push('could not be read');
    if (h.ccText) notes.push(h.ccText);
    [String(h.number), h.from, h.trustText, h.tlsText, notes.join(', ')].forEach((cell) => row.append(el(doc, 'td', null, cell)));
    table.append(row);
  }
  if (view.hopsNotListed > 0) {
    const row = el(doc, 'tr', 'caliop-hop-more');
    const cell = el(doc, 'td', null, `${view.hopsNotListed} more hop${view.hopsNotListed === 1 ? '' : 's'} counted by the server, not listed in the message`);
    cell.colSpan = 5;
    row.append(cell);
    table.append(row);
  }
  return table;
}

/** The whole report: badge and headline, verification, summary, content, hop table, reasons, notices. */
export function renderReport(doc, view) {
  const root = el(doc, 'section', 'caliop-report');
  root.dataset.caliopState = view.state;
  const h = el(doc, 'h2');
  h.append(renderBadge(doc, view), el(doc, 'span', 'caliop-headline', view.headline));
  root.append(h);
  root.append(el(doc, 'p', `caliop-verification${view.verified ? '' : ' caliop-unverified'}`, view.verification));
  if (view.summary) {
    root.append(el(doc, 'p', 'caliop-summary', view.summary));
  }
  if (view.content) {
    root.append(el(doc, 'p', 'caliop-content', `Content: ${view.content.encryptedText}; ${view.content.signedText}.`));
  }
  if (view.hops.length > 0) {
    root.append(hopTable(doc, view));
  }
  if (view.ourHop) {
    const o = view.ourHop;
    const facts = [];
    if (o.ip) facts.push(`client address ${o.ip}`);
    if (o.helo) facts.push(`introduced itself as ${o.helo}`);
    if (o.cipher) facts.push(`cipher ${o.cipher}${o.bits ? ` (${o.bits} bits)` : ''}`);
    if (o.id) facts.push(`queue id ${o.id}`);
    if (facts.length > 0) {
      root.append(el(doc, 'p', 'caliop-ourhop', `Our server's hop${o.by ? ` (${o.by})` : ''}: ${facts.join(', ')}.`));
    }
  }
  if (view.reasons.length > 0) {
    root.append(el(doc, 'h3', null, 'Why this grade'));
    const ul = el(doc, 'ul', 'caliop-reasons');
    for (const r of view.reasons) {
      const li = el(doc, 'li', 'caliop-reason');
      li.append(el(doc, 'span', null, r.text ?? 'A reason this client has no words for: '), el(doc, 'span', 'caliop-code', ` ${r.code}`));
      ul.append(li);
    }
    root.append(ul);
  }
  if (view.notices.length > 0) {
    const box = el(doc, 'div', 'caliop-notices');
    view.notices.forEach((n) => box.append(el(doc, 'p', 'caliop-notice', n)));
    root.append(box);
  }
  return root;
}
