// What each reason code of docs/score.md means, in words for the person reading the mail.
// The header carries only codes; the engine's per-hop texts (with host names) stay on the server.
// Wording rules (docs/clients.md): never "secure" or "safe"; say whose word a fact is.

/** How a reason counts: 'up' raised the score, 'down' lowered it, 'none' changed nothing. */
const TEXTS = new Map();

function put(code, effect, text) {
  TEXTS.set(code, { effect, text });
}

const TLS_LEVELS = [
  ['tls13', 'up', 'encrypted in transit with TLS 1.3'],
  ['tls12', 'up', 'encrypted in transit with TLS 1.2'],
  ['tls', 'up', 'encrypted in transit (TLS, version not reported)'],
  ['local', 'up', 'handed over on the same machine, no network crossed'],
  ['tls11', 'down', 'encrypted in transit with obsolete TLS 1.1'],
  ['tls10', 'down', 'encrypted in transit with obsolete TLS 1.0'],
  ['sslv3', 'down', 'encrypted in transit with broken SSL 3'],
  ['no-tls', 'down', 'not encrypted in transit'],
];
for (const [suffix, effect, words] of TLS_LEVELS) {
  put(`firsthand-${suffix}`, effect, `Our server's own hop (seen first-hand): ${words}.`);
  put(`hop-internal-${suffix}`, effect, `A hop between our own servers: ${words}.`);
}
put('firsthand-no-address', 'none',
  "Our server's own hop (seen first-hand) named no client address: how the message travelled is unknown, so it counts as nothing.");
put('hop-internal-tls-unknown', 'none', "A hop between our own servers: its record does not say whether it was encrypted.");
put('transport-unknown', 'none',
  'No trusted record of how the message reached our server: the transport counts as nothing.');
put('hop-claimed-tls', 'none',
  "An earlier hop claimed TLS: claimed by the sender's servers, not verified, so it earns nothing.");
put('hop-claimed-weak-tls', 'down',
  "An earlier hop claimed obsolete TLS (claimed by the sender's servers, not verified): it lowers the score.");
put('hop-claimed-no-tls', 'down',
  "An earlier hop claimed no encryption in transit (claimed by the sender's servers, not verified): it lowers the score.");
put('hop-unparsed', 'none', 'An earlier hop could not be read.');
put('hops-not-listed', 'none', 'More hops than are listed here (they still count).');

put('sender-authenticated', 'up', "The sender logged in to our server to send it (SMTP AUTH).");
put('auth-unknown', 'none', 'No trusted result says who sent it (no login to our server, no trusted DKIM, SPF or DMARC).');
put('dmarc-pass', 'up', "DMARC pass: the sender's domain is authenticated (checked by our server).");
put('dkim-pass', 'up', 'DKIM pass (checked by our server).');
put('spf-pass', 'up', 'SPF pass (checked by our server).');
put('arc-pass', 'up', 'ARC pass (checked by our server).');
put('dmarc-fail', 'down', "DMARC fail: the sender's domain is not authenticated (checked by our server).");
// Score version 2: a pass counts only for the author's own domain (or a listed ARC forwarder).
put('dkim-pass-unaligned', 'none',
  "DKIM pass for another domain than the sender's (checked by our server): it says nothing about the sender, earns nothing.");
put('spf-pass-unaligned', 'none',
  "SPF pass for another domain than the sender's (checked by our server): it says nothing about the sender, earns nothing.");
put('dmarc-pass-unaligned', 'none',
  "DMARC pass for another domain than the sender's (checked by our server): earns nothing.");
put('arc-pass-unlisted-sealer', 'none',
  'ARC pass, but forwarded by a server our admin does not vouch for: earns nothing.');
put('authres-not-believed', 'none',
  "An authentication result claiming to come from our server was not written by it (the sender's word): ignored and taken out.");
const METHODS = { dmarc: 'DMARC', dkim: 'DKIM', spf: 'SPF', arc: 'ARC' };
const RESULTS = ['fail', 'none', 'neutral', 'softfail', 'temperror', 'permerror', 'policy', 'other'];
for (const [method, name] of Object.entries(METHODS)) {
  for (const result of RESULTS) {
    if (!TEXTS.has(`${method}-${result}`)) {
      put(`${method}-${result}`, 'none', `${name} result "${result}" (checked by our server): earns nothing.`);
    }
  }
}

put('e2e-pgp-mime', 'up', 'End-to-end encrypted (OpenPGP/MIME).');
put('e2e-smime', 'up', 'End-to-end encrypted (S/MIME).');
put('e2e-pgp-inline', 'up',
  'End-to-end encrypted inline (PGP text): the subject, structure and attachments may be readable.');
put('e2e-mixed', 'up', 'Partly end-to-end encrypted: some parts are not encrypted.');
put('e2e-none', 'none', 'Not end-to-end encrypted: every server on the way could read it.');
put('e2e-label-without-ciphertext', 'none',
  'Labelled as encrypted, but no ciphertext behind the label: counted as not encrypted.');
// Score v2 credits a signature only when our server verified it and anchored its signer (v1 did not verify);
// the words say what both versions share.
put('signed-pgp-mime', 'up', 'Signed (OpenPGP/MIME).');
put('signed-pgp-inline', 'up', 'Signed inline (PGP).');
put('signed-smime', 'up', 'Signed (S/MIME).');
put('signed-unverified', 'none',
  'Signed, but our server could not verify who signed it (signer unknown to it): earns nothing.');
put('signed-invalid', 'none', 'Signed, but the signature is wrong: the content may have been changed on the way: earns nothing.');

/** The words for a reason code, or null when this version of the client does not know the code. */
export function reasonText(code) {
  const r = TEXTS.get(code);
  return r ? r.text : null;
}

/** 'up', 'down', 'none', or null for an unknown code. */
export function reasonEffect(code) {
  const r = TEXTS.get(code);
  return r ? r.effect : null;
}

/** Every code this client can put in words (a test checks docs/score.md lists no other). */
export function knownReasonCodes() {
  return [...TEXTS.keys()];
}
