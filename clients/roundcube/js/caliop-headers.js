// Built by clients/build.mjs from clients/caliop-headers (do not edit; run `npm run build -- --update`).
var CaliopHeaders = (() => {
  var __defProp = Object.defineProperty;
  var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
  var __getOwnPropNames = Object.getOwnPropertyNames;
  var __hasOwnProp = Object.prototype.hasOwnProperty;
  var __export = (target, all) => {
    for (var name in all)
      __defProp(target, name, { get: all[name], enumerable: true });
  };
  var __copyProps = (to, from, except, desc) => {
    if (from && typeof from === "object" || typeof from === "function") {
      for (let key of __getOwnPropNames(from))
        if (!__hasOwnProp.call(to, key) && key !== except)
          __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
    }
    return to;
  };
  var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

  // caliop-headers/index.js
  var index_exports = {};
  __export(index_exports, {
    GRADES: () => GRADES,
    KNOWN_VERSIONS: () => KNOWN_VERSIONS,
    MAX_FIELD_LENGTH: () => MAX_FIELD_LENGTH,
    MAX_HEADER_BLOCK: () => MAX_HEADER_BLOCK,
    MAX_HEADER_FIELDS: () => MAX_HEADER_FIELDS,
    STYLE: () => STYLE,
    TONE_COLOURS: () => TONE_COLOURS,
    TRUST_LABELS: () => TRUST_LABELS,
    assess: () => assess,
    caliopFields: () => caliopFields,
    knownReasonCodes: () => knownReasonCodes,
    normaliseStampers: () => normaliseStampers,
    parseHop: () => parseHop,
    parsePath: () => parsePath,
    parsePrivacy: () => parsePrivacy,
    readHeaderBlock: () => readHeaderBlock,
    reasonEffect: () => reasonEffect,
    reasonText: () => reasonText,
    renderBadge: () => renderBadge,
    renderReport: () => renderReport,
    tlsWords: () => tlsWords,
    viewOf: () => viewOf
  });

  // node_modules/structured-headers/dist/util.js
  var asciiRe = /^[\x20-\x7E]*$/;
  var tokenRe = /^[a-zA-Z*][:/!#$%&'*+\-.^_`|~A-Za-z0-9]*$/;
  function isAscii(str) {
    return asciiRe.test(str);
  }
  function isValidTokenStr(str) {
    return tokenRe.test(str);
  }
  function base64ToArrayBuffer(b64) {
    const binaryString = atob(b64);
    const len = binaryString.length;
    const bytes = new Uint8Array(len);
    for (let i = 0; i < len; i++) {
      bytes[i] = binaryString.charCodeAt(i);
    }
    return bytes.buffer;
  }

  // node_modules/structured-headers/dist/token.js
  var Token = class {
    constructor(value) {
      if (!isValidTokenStr(value)) {
        throw new TypeError("Invalid character in Token string. Tokens must start with *, A-Z and the rest of the string may only contain a-z, A-Z, 0-9, :/!#$%&'*+-.^_`|~");
      }
      this.value = value;
    }
    toString() {
      return this.value;
    }
  };

  // node_modules/structured-headers/dist/displaystring.js
  var DisplayString = class {
    constructor(value) {
      this.value = value;
    }
    toString() {
      return this.value;
    }
  };

  // node_modules/structured-headers/dist/parser.js
  function parseDictionary(input) {
    const parser = new Parser(input);
    return parser.parseDictionary();
  }
  function parseList(input) {
    const parser = new Parser(input);
    return parser.parseList();
  }
  var ParseError = class extends Error {
    constructor(position, message) {
      super(`Parse error: ${message} at offset ${position}`);
    }
  };
  var Parser = class {
    constructor(input) {
      this.input = input;
      this.pos = 0;
    }
    parseDictionary() {
      this.skipWS();
      const dictionary = /* @__PURE__ */ new Map();
      while (!this.eof()) {
        const thisKey = this.parseKey();
        let member2;
        if (this.lookChar() === "=") {
          this.pos++;
          member2 = this.parseItemOrInnerList();
        } else {
          member2 = [true, this.parseParameters()];
        }
        dictionary.set(thisKey, member2);
        this.skipOWS();
        if (this.eof()) {
          return dictionary;
        }
        this.expectChar(",");
        this.pos++;
        this.skipOWS();
        if (this.eof()) {
          throw new ParseError(this.pos, "Dictionary contained a trailing comma");
        }
      }
      return dictionary;
    }
    parseList() {
      this.skipWS();
      const members = [];
      while (!this.eof()) {
        members.push(this.parseItemOrInnerList());
        this.skipOWS();
        if (this.eof()) {
          return members;
        }
        this.expectChar(",");
        this.pos++;
        this.skipOWS();
        if (this.eof()) {
          throw new ParseError(this.pos, "A list may not end with a trailing comma");
        }
      }
      return members;
    }
    parseItem(standaloneItem = true) {
      if (standaloneItem)
        this.skipWS();
      const result = [
        this.parseBareItem(),
        this.parseParameters()
      ];
      if (standaloneItem)
        this.checkTrail();
      return result;
    }
    parseItemOrInnerList() {
      if (this.lookChar() === "(") {
        return this.parseInnerList();
      } else {
        return this.parseItem(false);
      }
    }
    parseInnerList() {
      this.expectChar("(");
      this.pos++;
      const innerList = [];
      while (!this.eof()) {
        this.skipWS();
        if (this.lookChar() === ")") {
          this.pos++;
          return [
            innerList,
            this.parseParameters()
          ];
        }
        innerList.push(this.parseItem(false));
        const nextChar = this.lookChar();
        if (nextChar !== " " && nextChar !== ")") {
          throw new ParseError(this.pos, "Expected a whitespace or ) after every item in an inner list");
        }
      }
      throw new ParseError(this.pos, "Could not find end of inner list");
    }
    parseBareItem() {
      const char = this.lookChar();
      if (char === void 0) {
        throw new ParseError(this.pos, "Unexpected end of string");
      }
      if (char.match(/^[-0-9]/)) {
        return this.parseIntegerOrDecimal();
      }
      if (char === '"') {
        return this.parseString();
      }
      if (char.match(/^[A-Za-z*]/)) {
        return this.parseToken();
      }
      if (char === ":") {
        return this.parseByteSequence();
      }
      if (char === "?") {
        return this.parseBoolean();
      }
      if (char === "@") {
        return this.parseDate();
      }
      if (char === "%") {
        return this.parseDisplayString();
      }
      throw new ParseError(this.pos, "Unexpected input");
    }
    parseParameters() {
      const parameters = /* @__PURE__ */ new Map();
      while (!this.eof()) {
        const char = this.lookChar();
        if (char !== ";") {
          break;
        }
        this.pos++;
        this.skipWS();
        const key = this.parseKey();
        let value = true;
        if (this.lookChar() === "=") {
          this.pos++;
          value = this.parseBareItem();
        }
        parameters.set(key, value);
      }
      return parameters;
    }
    parseIntegerOrDecimal() {
      let type = "integer";
      let sign = 1;
      let inputNumber = "";
      if (this.lookChar() === "-") {
        sign = -1;
        this.pos++;
      }
      if (!isDigit(this.lookChar())) {
        throw new ParseError(this.pos, "Expected a digit (0-9)");
      }
      while (!this.eof()) {
        const char = this.getChar();
        if (isDigit(char)) {
          inputNumber += char;
        } else if (type === "integer" && char === ".") {
          if (inputNumber.length > 12) {
            throw new ParseError(this.pos, "Exceeded maximum decimal length");
          }
          inputNumber += ".";
          type = "decimal";
        } else {
          this.pos--;
          break;
        }
        if (type === "integer" && inputNumber.length > 15) {
          throw new ParseError(this.pos, "Exceeded maximum integer length");
        }
        if (type === "decimal" && inputNumber.length > 16) {
          throw new ParseError(this.pos, "Exceeded maximum decimal length");
        }
      }
      if (type === "integer") {
        return parseInt(inputNumber, 10) * sign;
      } else {
        if (inputNumber.endsWith(".")) {
          throw new ParseError(this.pos, "Decimal cannot end on a period");
        }
        if (inputNumber.split(".")[1].length > 3) {
          throw new ParseError(this.pos, "Number of digits after the decimal point cannot exceed 3");
        }
        return parseFloat(inputNumber) * sign;
      }
    }
    parseString() {
      let outputString = "";
      this.expectChar('"');
      this.pos++;
      while (!this.eof()) {
        const char = this.getChar();
        if (char === "\\") {
          if (this.eof()) {
            throw new ParseError(this.pos, "Unexpected end of input");
          }
          const nextChar = this.getChar();
          if (nextChar !== "\\" && nextChar !== '"') {
            throw new ParseError(this.pos, "A backslash must be followed by another backslash or double quote");
          }
          outputString += nextChar;
        } else if (char === '"') {
          return outputString;
        } else if (!isAscii(char)) {
          throw new ParseError(this.pos, "Strings must be in the ASCII range");
        } else {
          outputString += char;
        }
      }
      throw new ParseError(this.pos, "Unexpected end of input");
    }
    parseDisplayString() {
      const chars = this.getChars(2);
      if (chars !== '%"') {
        throw new ParseError(this.pos, "Unexpected character. Display strings should start with %=");
      }
      const result = [];
      while (!this.eof()) {
        const char = this.getChar();
        if (char.charCodeAt(0) <= 31 || char.charCodeAt(0) >= 127 && char.charCodeAt(0) <= 255) {
          throw new ParseError(this.pos, "Invalid char found in DisplayString. Did you forget to escape?");
        }
        if (char === "%") {
          const hexChars = this.getChars(2);
          if (/^[0-9a-f]{2}$/.test(hexChars)) {
            result.push(parseInt(hexChars, 16));
          } else {
            throw new ParseError(this.pos, `Unexpected sequence after % in DispalyString: "${hexChars}". Note that hexidecimals must be lowercase`);
          }
          continue;
        }
        if (char === '"') {
          const textDecoder = new TextDecoder("utf-8", {
            fatal: true
          });
          try {
            return new DisplayString(textDecoder.decode(new Uint8Array(result)));
          } catch {
            throw new ParseError(this.pos, "Fatal error decoding UTF-8 sequence in Display String");
          }
        }
        result.push(char.charCodeAt(0));
      }
      throw new ParseError(this.pos, "Unexpected end of input");
    }
    parseToken() {
      let outputString = "";
      while (!this.eof()) {
        const char = this.lookChar();
        if (char === void 0 || !/^[:/!#$%&'*+\-.^_`|~A-Za-z0-9]$/.test(char)) {
          return new Token(outputString);
        }
        outputString += this.getChar();
      }
      return new Token(outputString);
    }
    parseByteSequence() {
      this.expectChar(":");
      this.pos++;
      const endPos = this.input.indexOf(":", this.pos);
      if (endPos === -1) {
        throw new ParseError(this.pos, 'Could not find a closing ":" character to mark end of Byte Sequence');
      }
      const b64Content = this.input.substring(this.pos, endPos);
      this.pos += b64Content.length + 1;
      if (!/^[A-Za-z0-9+/=]*$/.test(b64Content)) {
        throw new ParseError(this.pos, "ByteSequence does not contain a valid base64 string");
      }
      try {
        return base64ToArrayBuffer(b64Content);
      } catch {
        throw new ParseError(this.pos, "ByteSequence does not contain a valid base64 string");
      }
    }
    parseBoolean() {
      this.expectChar("?");
      this.pos++;
      const char = this.getChar();
      if (char === "1") {
        return true;
      }
      if (char === "0") {
        return false;
      }
      throw new ParseError(this.pos, 'Unexpected character. Expected a "1" or a "0"');
    }
    parseDate() {
      this.expectChar("@");
      this.pos++;
      let sign = 1;
      let inputNumber = "";
      if (this.lookChar() === "-") {
        sign = -1;
        this.pos++;
      }
      if (!isDigit(this.lookChar())) {
        throw new ParseError(this.pos, "Expected a digit (0-9)");
      }
      while (!this.eof()) {
        const char = this.getChar();
        if (isDigit(char)) {
          inputNumber += char;
        } else {
          throw new ParseError(this.pos, "Expected a digit (0-9), whitespace or EOL");
        }
      }
      if (inputNumber.length > 15) {
        throw new ParseError(this.pos, "Exceeded max length for a date value");
      }
      return new Date(parseInt(inputNumber, 10) * sign * 1e3);
    }
    parseKey() {
      if (!this.lookChar()?.match(/^[a-z*]/)) {
        throw new ParseError(this.pos, "A key must begin with an asterisk or letter (a-z)");
      }
      let outputString = "";
      while (!this.eof()) {
        const char = this.lookChar();
        if (char === void 0 || !/^[a-z0-9_\-.*]$/.test(char)) {
          return outputString;
        }
        outputString += this.getChar();
      }
      return outputString;
    }
    /**
     * Looks at the next character without advancing the cursor.
     *
     * Returns undefined if we were at the end of the string.
     */
    lookChar() {
      return this.input[this.pos];
    }
    /**
     * Checks if the next character is 'char', and fail otherwise.
     */
    expectChar(char) {
      if (this.lookChar() !== char) {
        throw new ParseError(this.pos, `Expected ${char}`);
      }
    }
    getChar() {
      return this.input[this.pos++];
    }
    getChars(count) {
      const result = this.input.substr(this.pos, count);
      this.pos += count;
      return result;
    }
    eof() {
      return this.pos >= this.input.length;
    }
    // Advances the pointer to skip all whitespace.
    skipOWS() {
      while (true) {
        const c = this.input.substr(this.pos, 1);
        if (c === " " || c === "	") {
          this.pos++;
        } else {
          break;
        }
      }
    }
    // Advances the pointer to skip all spaces
    skipWS() {
      while (this.lookChar() === " ") {
        this.pos++;
      }
    }
    // At the end of parsing, we need to make sure there are no bytes after the
    // header except whitespace.
    checkTrail() {
      this.skipWS();
      if (!this.eof()) {
        throw new ParseError(this.pos, "Unexpected characters at end of input");
      }
    }
  };
  var isDigitRegex = /^[0-9]$/;
  function isDigit(char) {
    if (char === void 0)
      return false;
    return isDigitRegex.test(char);
  }

  // caliop-headers/src/reasons.js
  var TEXTS = /* @__PURE__ */ new Map();
  function put(code, effect, text) {
    TEXTS.set(code, { effect, text });
  }
  var TLS_LEVELS = [
    ["tls13", "up", "encrypted in transit with TLS 1.3"],
    ["tls12", "up", "encrypted in transit with TLS 1.2"],
    ["tls", "up", "encrypted in transit (TLS, version not reported)"],
    ["local", "up", "handed over on the same machine, no network crossed"],
    ["tls11", "down", "encrypted in transit with obsolete TLS 1.1"],
    ["tls10", "down", "encrypted in transit with obsolete TLS 1.0"],
    ["sslv3", "down", "encrypted in transit with broken SSL 3"],
    ["no-tls", "down", "not encrypted in transit"]
  ];
  for (const [suffix, effect, words] of TLS_LEVELS) {
    put(`firsthand-${suffix}`, effect, `Our server's own hop (seen first-hand): ${words}.`);
    put(`hop-internal-${suffix}`, effect, `A hop between our own servers: ${words}.`);
  }
  put(
    "firsthand-no-address",
    "none",
    "Our server's own hop (seen first-hand) named no client address: how the message travelled is unknown, so it counts as nothing."
  );
  put("hop-internal-tls-unknown", "none", "A hop between our own servers: its record does not say whether it was encrypted.");
  put(
    "transport-unknown",
    "none",
    "No trusted record of how the message reached our server: the transport counts as nothing."
  );
  put(
    "hop-claimed-tls",
    "none",
    "An earlier hop claimed TLS: claimed by the sender's servers, not verified, so it earns nothing."
  );
  put(
    "hop-claimed-weak-tls",
    "down",
    "An earlier hop claimed obsolete TLS (claimed by the sender's servers, not verified): it lowers the score."
  );
  put(
    "hop-claimed-no-tls",
    "down",
    "An earlier hop claimed no encryption in transit (claimed by the sender's servers, not verified): it lowers the score."
  );
  put("hop-unparsed", "none", "An earlier hop could not be read.");
  put("hops-not-listed", "none", "More hops than are listed here (they still count).");
  put("sender-authenticated", "up", "The sender logged in to our server to send it (SMTP AUTH).");
  put("auth-unknown", "none", "No trusted result says who sent it (no login to our server, no trusted DKIM, SPF or DMARC).");
  put("dmarc-pass", "up", "DMARC pass: the sender's domain is authenticated (checked by our server).");
  put("dkim-pass", "up", "DKIM pass (checked by our server).");
  put("spf-pass", "up", "SPF pass (checked by our server).");
  put("arc-pass", "up", "ARC pass (checked by our server).");
  put("dmarc-fail", "down", "DMARC fail: the sender's domain is not authenticated (checked by our server).");
  put(
    "dkim-pass-unaligned",
    "none",
    "DKIM pass for another domain than the sender's (checked by our server): it says nothing about the sender, earns nothing."
  );
  put(
    "spf-pass-unaligned",
    "none",
    "SPF pass for another domain than the sender's (checked by our server): it says nothing about the sender, earns nothing."
  );
  put(
    "dmarc-pass-unaligned",
    "none",
    "DMARC pass for another domain than the sender's (checked by our server): earns nothing."
  );
  put(
    "arc-pass-unlisted-sealer",
    "none",
    "ARC pass, but forwarded by a server our admin does not vouch for: earns nothing."
  );
  put(
    "authres-not-believed",
    "none",
    "An authentication result claiming to come from our server was not written by it (the sender's word): ignored and taken out."
  );
  var METHODS = { dmarc: "DMARC", dkim: "DKIM", spf: "SPF", arc: "ARC" };
  var RESULTS = ["fail", "none", "neutral", "softfail", "temperror", "permerror", "policy", "other"];
  for (const [method, name] of Object.entries(METHODS)) {
    for (const result of RESULTS) {
      if (!TEXTS.has(`${method}-${result}`)) {
        put(`${method}-${result}`, "none", `${name} result "${result}" (checked by our server): earns nothing.`);
      }
    }
  }
  put("e2e-pgp-mime", "up", "End-to-end encrypted (OpenPGP/MIME).");
  put("e2e-smime", "up", "End-to-end encrypted (S/MIME).");
  put(
    "e2e-pgp-inline",
    "up",
    "End-to-end encrypted inline (PGP text): the subject, structure and attachments may be readable."
  );
  put("e2e-mixed", "up", "Partly end-to-end encrypted: some parts are not encrypted.");
  put("e2e-none", "none", "Not end-to-end encrypted: every server on the way could read it.");
  put(
    "e2e-label-without-ciphertext",
    "none",
    "Labelled as encrypted, but no ciphertext behind the label: counted as not encrypted."
  );
  put("signed-pgp-mime", "up", "Signed (OpenPGP/MIME).");
  put("signed-pgp-inline", "up", "Signed inline (PGP).");
  put("signed-smime", "up", "Signed (S/MIME).");
  put(
    "signed-unverified",
    "none",
    "Signed, but our server could not verify who signed it (signer unknown to it): earns nothing."
  );
  put("signed-invalid", "none", "Signed, but the signature is wrong: the content may have been changed on the way: earns nothing.");
  function reasonText(code) {
    const r = TEXTS.get(code);
    return r ? r.text : null;
  }
  function reasonEffect(code) {
    const r = TEXTS.get(code);
    return r ? r.effect : null;
  }
  function knownReasonCodes() {
    return [...TEXTS.keys()];
  }

  // caliop-headers/src/fields.js
  var MAX_FIELD_LENGTH = 4096;
  var MAX_REASONS = 32;
  var MAX_PATH_MEMBERS = 32;
  var KNOWN_VERSIONS = Object.freeze(["1", "2"]);
  var GRADES = Object.freeze(["A", "B", "C", "D", "E"]);
  var TRUST_LABELS = Object.freeze(["firsthand", "internal", "claimed"]);
  var COUNTRY_SHAPE = /^[A-Z]{2}$/;
  var Malformed = class extends Error {
  };
  function prepare(value) {
    if (typeof value !== "string") {
      throw new Malformed("the field is missing");
    }
    if (value.length > MAX_FIELD_LENGTH) {
      throw new Malformed(`the field is ${value.length} characters long, more than the ${MAX_FIELD_LENGTH} caliop ever writes`);
    }
    const unfolded = value.replace(/\r?\n(?=[ \t])/g, "").replace(/^[ \t]+|[ \t]+$/g, "");
    if (/[^\x20-\x7e\t]/.test(unfolded)) {
      throw new Malformed("the field holds characters caliop never writes (control characters or non-ASCII)");
    }
    if (unfolded === "") {
      throw new Malformed("the field is empty");
    }
    return unfolded;
  }
  function parseWith(parser, text) {
    try {
      return parser(text);
    } catch (e) {
      throw new Malformed(`not an RFC 8941 structured field (${e && e.message ? e.message : "parse error"})`);
    }
  }
  var isToken = (v) => v instanceof Token;
  var tokenValue = (v) => v instanceof Token ? v.value : null;
  var isInteger = (v) => typeof v === "number" && Number.isInteger(v);
  var isString = (v) => typeof v === "string";
  var isBoolean = (v) => typeof v === "boolean";
  function member(dict, key, check, problems) {
    if (!dict.has(key)) {
      return void 0;
    }
    const entry = dict.get(key);
    const bare = entry[0];
    if (!check(bare)) {
      problems.push(`"${key}" has a type caliop never writes there; ignored`);
      return void 0;
    }
    return bare;
  }
  function malformedResult(kind, message) {
    return { status: "malformed", problem: `${kind}: ${message}` };
  }
  function parsePrivacy(value) {
    try {
      const dict = parseWith(parseDictionary, prepare(value));
      const problems = [];
      const score = member(dict, "score", isInteger, problems);
      const grade = tokenValue(member(dict, "grade", isToken, problems));
      const v = member(dict, "v", (x) => isInteger(x) || isString(x), problems);
      if (score === void 0 || score < 0 || score > 100) {
        throw new Malformed("no score between 0 and 100");
      }
      if (!GRADES.includes(grade)) {
        throw new Malformed("no grade A to E");
      }
      if (v === void 0 || isInteger(v) && v < 0) {
        throw new Malformed("no formula version (v)");
      }
      const version = String(v);
      const known = KNOWN_VERSIONS.includes(version);
      const reasons = [];
      const list = dict.has("reasons") ? dict.get("reasons")[0] : [];
      if (!Array.isArray(list)) {
        problems.push('"reasons" is not a list; ignored');
      } else {
        for (const [item] of list.slice(0, MAX_REASONS)) {
          const code = tokenValue(item);
          if (code === null) {
            problems.push("a reason that is not a token; ignored");
            continue;
          }
          reasons.push({ code, text: reasonText(code) });
        }
        if (list.length > MAX_REASONS) {
          problems.push(`${list.length - MAX_REASONS} more reasons not shown`);
        }
      }
      const hops = member(dict, "hops", (x) => isInteger(x) && x >= 0, problems);
      const result = {
        status: known ? "ok" : "unknown-version",
        score,
        grade,
        version,
        reasons,
        encrypted: tokenValue(member(dict, "encrypted", isToken, problems)),
        signed: tokenValue(member(dict, "signed", isToken, problems)),
        hops: hops === void 0 ? null : hops,
        by: member(dict, "by", isString, problems) ?? null,
        problems
      };
      if (!known) {
        result.problem = `score formula version ${version} is not one this client knows (${KNOWN_VERSIONS.join(", ")})`;
      }
      return result;
    } catch (e) {
      if (e instanceof Malformed) {
        return malformedResult("Caliop-Privacy", e.message);
      }
      throw e;
    }
  }
  var HOP_KEYS = {
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
    ccdb: isString
  };
  function parseHop(value) {
    try {
      const dict = parseWith(parseDictionary, prepare(value));
      const problems = [];
      const out = { status: "ok" };
      for (const [key, check] of Object.entries(HOP_KEYS)) {
        const v = member(dict, key, check, problems);
        out[key] = v === void 0 ? null : isToken(v) ? v.value : v;
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
        return malformedResult("Caliop-Hop", e.message);
      }
      throw e;
    }
  }
  var PATH_PARAMS = {
    tls: isToken,
    proto: isToken,
    from: isString,
    local: isBoolean,
    auth: isBoolean,
    parsed: isBoolean,
    cc: isToken
  };
  function parsePath(value) {
    try {
      const list = parseWith(parseList, prepare(value));
      const problems = [];
      const hops = [];
      for (const [bare, params] of list.slice(0, MAX_PATH_MEMBERS)) {
        if (Array.isArray(bare)) {
          throw new Malformed("a member is an inner list, caliop writes one item per hop");
        }
        const label = tokenValue(bare);
        const hop = { trust: TRUST_LABELS.includes(label) ? label : "unknown" };
        if (hop.trust === "unknown") {
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
      return { status: "ok", hops, problems };
    } catch (e) {
      if (e instanceof Malformed) {
        return malformedResult("Caliop-Path", e.message);
      }
      throw e;
    }
  }

  // caliop-headers/src/message.js
  var MAX_HEADER_BLOCK = 1024 * 1024;
  var MAX_HEADER_FIELDS = 1e4;
  var FIELD_NAMES = Object.freeze({
    privacy: "caliop-privacy",
    path: "caliop-path",
    hop: "caliop-hop",
    policy: "caliop-policy"
  });
  function readHeaderBlock(text) {
    const fields = [];
    let truncated = false;
    let block = String(text ?? "");
    if (block.length > MAX_HEADER_BLOCK) {
      block = block.slice(0, MAX_HEADER_BLOCK);
      truncated = true;
    }
    const lines = block.split(/\r\n|\n|\r/);
    let current = null;
    for (const line of lines) {
      if (line === "") {
        if (fields.length > 0 || current) {
          break;
        }
        continue;
      }
      if ((line[0] === " " || line[0] === "	") && current) {
        current.value += line;
        continue;
      }
      const colon = line.indexOf(":");
      if (colon <= 0 || !/^[\x21-\x39\x3b-\x7e]+$/.test(line.slice(0, colon).trimEnd())) {
        current = null;
        continue;
      }
      if (fields.length >= MAX_HEADER_FIELDS) {
        truncated = true;
        break;
      }
      current = { name: line.slice(0, colon).trimEnd(), value: line.slice(colon + 1).replace(/^[ \t]+/, "") };
      fields.push(current);
    }
    return { fields, truncated };
  }
  function caliopFields(source) {
    let valuesOf;
    let truncated = false;
    if (typeof source === "string") {
      const read = readHeaderBlock(source);
      truncated = read.truncated;
      valuesOf = (name) => read.fields.filter((f) => f.name.toLowerCase() === name).map((f) => f.value);
    } else if (typeof source === "function") {
      valuesOf = (name) => asArray(source(name));
    } else {
      const map = source ?? {};
      valuesOf = (name) => {
        const key = Object.keys(map).find((k) => k.toLowerCase() === name);
        return key === void 0 ? [] : asArray(map[key]);
      };
    }
    const out = { truncated, counts: {} };
    for (const [key, name] of Object.entries(FIELD_NAMES)) {
      const values = valuesOf(name).filter((v) => typeof v === "string");
      out[key] = values.length > 0 ? values[0] : null;
      out.counts[key] = values.length;
    }
    return out;
  }
  function asArray(v) {
    if (v === void 0 || v === null) {
      return [];
    }
    return Array.isArray(v) ? v : [v];
  }

  // caliop-headers/src/assess.js
  var TRUST_WORDS = {
    firsthand: "first-hand",
    internal: "internal",
    claimed: "claimed, not verified",
    unknown: "unknown label, not verified"
  };
  var TLS_WORDS = {
    "TLSv1.3": "TLS 1.3",
    "TLSv1.2": "TLS 1.2",
    "TLSv1.1": "TLS 1.1 (obsolete)",
    "TLSv1.0": "TLS 1.0 (obsolete)",
    SSLv3: "SSL 3 (broken)",
    unknown: "TLS, version not reported",
    none: "not encrypted"
  };
  var CONTENT_WORDS = {
    none: "not end-to-end encrypted",
    "pgp-mime": "end-to-end encrypted (OpenPGP/MIME)",
    smime: "end-to-end encrypted (S/MIME)",
    "pgp-inline": "end-to-end encrypted inline (subject and attachments may be readable)",
    mixed: "partly end-to-end encrypted (some parts are not)"
  };
  var SIGNED_WORDS = {
    none: "not signed",
    "pgp-mime": "signed (OpenPGP/MIME, signature not verified by the server)",
    "pgp-inline": "signed inline (PGP, signature not verified by the server)",
    smime: "signed (S/MIME, signature not verified by the server)"
  };
  function tlsWords(tls, local) {
    if (local) {
      return "local, no network crossed";
    }
    if (tls === null || tls === void 0) {
      return "not stated";
    }
    return TLS_WORDS[tls] ?? tls;
  }
  function normaliseStampers(stampers) {
    const list = Array.isArray(stampers) ? stampers : String(stampers ?? "").split(/[\s,]+/);
    return list.map((s) => String(s).trim().toLowerCase().replace(/\.$/, "")).filter((s) => s.length > 0 && s.length <= 255);
  }
  function verification(privacy, stampers) {
    if (!privacy.by) {
      return { verified: false, text: "Not verified by your server: the field does not name the server that wrote it." };
    }
    if (stampers.length === 0) {
      return {
        verified: false,
        text: `Not verified by your server: written by "${privacy.by}", and no server is set as yours.`
      };
    }
    if (!stampers.includes(privacy.by.toLowerCase().replace(/\.$/, ""))) {
      return {
        verified: false,
        text: `Not verified by your server: written by "${privacy.by}", which is not a server set as yours.`
      };
    }
    return { verified: true, text: `Checked by your server ${privacy.by}.` };
  }
  var TRUSTED_PREFIXES = ["firsthand-", "hop-internal-"];
  function transportSummary(codes) {
    if (codes.includes("transport-unknown")) {
      return "no trusted record of how it reached our server";
    }
    const trusted = codes.filter((c) => TRUSTED_PREFIXES.some((p) => c.startsWith(p)));
    if (trusted.length === 0) {
      return null;
    }
    const ends = (suffixes) => trusted.some((c) => suffixes.some((s) => c.endsWith(`-${s}`)));
    if (ends(["no-tls"])) {
      return "not encrypted in transit on a hop our server saw";
    }
    if (ends(["tls11", "tls10", "sslv3"])) {
      return "encrypted in transit on the hops our server saw, some with obsolete TLS";
    }
    if (ends(["tls-unknown"])) {
      return "our server's records do not say whether every hop it saw was encrypted in transit";
    }
    if (trusted.every((c) => c.endsWith("-local"))) {
      return "no network crossed on the hops our server saw";
    }
    return "encrypted in transit on the hops our server saw";
  }
  function summaryLine(privacy, pathHops) {
    const codes = privacy.reasons.map((r) => r.code);
    const parts = [];
    const transport = transportSummary(codes);
    if (transport) {
      parts.push(transport);
    }
    const claimed = codes.some((c) => c.startsWith("hop-claimed-")) || pathHops.some((h) => h.trust !== "firsthand" && h.trust !== "internal");
    if (claimed) {
      parts.push("earlier hops claimed by the sender's servers, not verified");
    }
    const content = CONTENT_WORDS[privacy.encrypted];
    parts.push(content ?? `end-to-end encryption: "${privacy.encrypted ?? "not stated"}"`);
    const line = parts.join("; ");
    return line.charAt(0).toUpperCase() + line.slice(1) + ".";
  }
  function hopRows(path, hop) {
    if (path && path.status === "ok" && path.hops.length > 0) {
      return path.hops.map((h, i) => ({
        number: i + 1,
        trust: h.trust,
        trustText: TRUST_WORDS[h.trust],
        from: h.from ?? "unknown",
        tls: h.tls,
        tlsText: tlsWords(h.tls, h.local === true) + (h.trust === "firsthand" || h.trust === "internal" ? "" : " (claimed)"),
        proto: h.proto,
        auth: h.auth === true,
        parsed: h.parsed !== false,
        cc: h.cc,
        ccText: h.cc ? `registered in ${h.cc} per the server's database (an estimate)` : null
      }));
    }
    if (hop && hop.status === "ok") {
      return [{
        number: 1,
        trust: "firsthand",
        trustText: TRUST_WORDS.firsthand,
        from: hop.from ?? hop.ip ?? hop.helo ?? "unknown",
        tls: hop.tls,
        tlsText: tlsWords(hop.tls, false),
        proto: hop.proto,
        auth: hop.auth === true,
        parsed: true,
        cc: hop.cc,
        ccText: hop.cc ? `registered in ${hop.cc} per ${hop.ccdb ?? "the server's database"} (an estimate)` : null
      }];
    }
    return [];
  }
  function badge(state, privacy, verified) {
    if (state === "absent") {
      return { text: "\u2013", tone: "none", label: "no privacy grade: caliop did not judge this message" };
    }
    if (state === "malformed") {
      return { text: "!", tone: "error", label: "privacy grade unreadable" };
    }
    if (!verified) {
      return { text: `${privacy.grade}?`, tone: "unverified", label: `privacy grade ${privacy.grade}, not verified by your server` };
    }
    return { text: privacy.grade, tone: privacy.grade.toLowerCase(), label: `privacy grade ${privacy.grade}, checked by your server` };
  }
  function assess(fields, options = {}) {
    const stampers = normaliseStampers(options.trustedStampers ?? []);
    const notices = [];
    if (fields.truncated) {
      notices.push("The header block was too long to read whole; only its beginning was read.");
    }
    if (!fields.privacy) {
      const state2 = "absent";
      return {
        state: state2,
        grade: null,
        score: null,
        version: null,
        badge: badge(state2),
        verified: false,
        headline: "No privacy grade",
        verification: "This message has no Caliop-Privacy field: caliop did not judge it.",
        summary: null,
        hops: [],
        hopsNotListed: 0,
        reasons: [],
        content: null,
        ourHop: null,
        notices,
        stamper: null
      };
    }
    const privacy = parsePrivacy(fields.privacy);
    if (privacy.status === "malformed") {
      const state2 = "malformed";
      notices.push(`The grade cannot be read: ${privacy.problem}.`);
      return {
        state: state2,
        grade: null,
        score: null,
        version: null,
        badge: badge(state2),
        verified: false,
        headline: "Privacy grade unreadable",
        verification: "Not verified by your server.",
        summary: null,
        hops: [],
        hopsNotListed: 0,
        reasons: [],
        content: null,
        ourHop: null,
        notices,
        stamper: null
      };
    }
    if (privacy.status === "unknown-version") {
      notices.push(`This grade uses score formula version ${privacy.version}, which this client does not know: reasons it does not know are shown as codes (docs/score.md of your caliop explains them).`);
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
      if (parsed && parsed.status === "malformed") {
        notices.push(`${parsed.problem}; not shown.`);
      } else if (parsed) {
        parsed.problems.forEach((p) => notices.push(`${p}.`));
      }
    }
    const hops = hopRows(path, hop);
    const pathHops = path && path.status === "ok" ? path.hops : [];
    const hopsNotListed = privacy.hops !== null && privacy.hops > hops.length ? privacy.hops - hops.length : 0;
    const state = verified ? "verified" : "unverified";
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
        signedText: SIGNED_WORDS[privacy.signed] ?? privacy.signed
      },
      ourHop: hop && hop.status === "ok" ? hop : null,
      notices,
      stamper: privacy.by
    };
  }

  // caliop-headers/src/render.js
  var TONE_COLOURS = Object.freeze({
    a: ["#1b7f3b", "#ffffff"],
    b: ["#7cc46a", "#000000"],
    c: ["#f2d24b", "#000000"],
    d: ["#f0913a", "#000000"],
    e: ["#c8321e", "#ffffff"],
    unverified: ["#6b6b6b", "#ffffff"],
    error: ["#ffffff", "#c8321e"],
    none: ["#f4f4f4", "#555555"]
  });
  var toneRules = Object.entries(TONE_COLOURS).map(([tone, [bg, fg]]) => `.caliop-tone-${tone}{background:${bg};color:${fg}}`).join("\n");
  var STYLE = `
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
    if (text !== void 0 && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }
  function renderBadge(doc, view) {
    const b = el(doc, "span", `caliop-badge caliop-tone-${view.badge.tone}`, view.badge.text);
    b.setAttribute("title", view.badge.label);
    b.setAttribute("aria-label", view.badge.label);
    b.setAttribute("role", "img");
    b.dataset.caliopState = view.state;
    return b;
  }
  function hopTable(doc, view) {
    const table = el(doc, "table", "caliop-hops");
    table.append(el(doc, "caption", null, "Hops, newest first"));
    const head = el(doc, "tr");
    ["#", "from", "trust", "in transit", "notes"].forEach((h) => head.append(el(doc, "th", null, h)));
    table.append(head);
    for (const h of view.hops) {
      const row = el(doc, "tr", `caliop-hop caliop-trust-${h.trust}`);
      const notes = [];
      if (h.proto) notes.push(h.proto);
      if (h.auth) notes.push(h.trust === "claimed" ? "claims the sender logged in" : "sender logged in");
      if (!h.parsed) notes.push("could not be read");
      if (h.ccText) notes.push(h.ccText);
      [String(h.number), h.from, h.trustText, h.tlsText, notes.join(", ")].forEach((cell) => row.append(el(doc, "td", null, cell)));
      table.append(row);
    }
    if (view.hopsNotListed > 0) {
      const row = el(doc, "tr", "caliop-hop-more");
      const cell = el(doc, "td", null, `${view.hopsNotListed} more hop${view.hopsNotListed === 1 ? "" : "s"} counted by the server, not listed in the message`);
      cell.colSpan = 5;
      row.append(cell);
      table.append(row);
    }
    return table;
  }
  function renderReport(doc, view) {
    const root = el(doc, "section", "caliop-report");
    root.dataset.caliopState = view.state;
    const h = el(doc, "h2");
    h.append(renderBadge(doc, view), el(doc, "span", "caliop-headline", view.headline));
    root.append(h);
    root.append(el(doc, "p", `caliop-verification${view.verified ? "" : " caliop-unverified"}`, view.verification));
    if (view.summary) {
      root.append(el(doc, "p", "caliop-summary", view.summary));
    }
    if (view.content) {
      root.append(el(doc, "p", "caliop-content", `Content: ${view.content.encryptedText}; ${view.content.signedText}.`));
    }
    if (view.hops.length > 0) {
      root.append(hopTable(doc, view));
    }
    if (view.ourHop) {
      const o = view.ourHop;
      const facts = [];
      if (o.ip) facts.push(`client address ${o.ip}`);
      if (o.helo) facts.push(`introduced itself as ${o.helo}`);
      if (o.cipher) facts.push(`cipher ${o.cipher}${o.bits ? ` (${o.bits} bits)` : ""}`);
      if (o.id) facts.push(`queue id ${o.id}`);
      if (facts.length > 0) {
        root.append(el(doc, "p", "caliop-ourhop", `Our server's hop${o.by ? ` (${o.by})` : ""}: ${facts.join(", ")}.`));
      }
    }
    if (view.reasons.length > 0) {
      root.append(el(doc, "h3", null, "Why this grade"));
      const ul = el(doc, "ul", "caliop-reasons");
      for (const r of view.reasons) {
        const li = el(doc, "li", "caliop-reason");
        li.append(el(doc, "span", null, r.text ?? "A reason this client has no words for: "), el(doc, "span", "caliop-code", ` ${r.code}`));
        ul.append(li);
      }
      root.append(ul);
    }
    if (view.notices.length > 0) {
      const box = el(doc, "div", "caliop-notices");
      view.notices.forEach((n) => box.append(el(doc, "p", "caliop-notice", n)));
      root.append(box);
    }
    return root;
  }

  // caliop-headers/index.js
  function viewOf(source, options = {}) {
    return assess(caliopFields(source), options);
  }
  return __toCommonJS(index_exports);
})();
