/*
 * postrun: the libraries Postman scripts expect, for the QuickJS sandbox.
 *
 * Our own implementations of the parts of crypto-js 4, Buffer, atob/btoa, uuid 3, lodash 4 (and the
 * lodash 3 names of the legacy `_` global), moment 2, ajv 6, tv4 1.3, xml2js 0.4 / xml2Json and
 * querystring that scripts use. Byte crunching, schema validation and XML parsing are delegated to
 * Python through `__host` (see runner/sandbox/libs.py): bytes cross as hex, structures as JSON text.
 *
 * Evaluated after host.py's HOST_JS. Defines the globals CryptoJS, atob, btoa, Buffer, _, moment, tv4,
 * xml2Json and the module table `__modules` (name -> exports) that the sandbox's require() reads.
 * Nothing here iterates with for...in, so scripts that add enumerable properties to Object.prototype
 * (PayPal's collection does) cannot disturb it.
 */
(function (g) {
  'use strict';

  const host = g.__host;
  const modules = g.__modules || (g.__modules = {});
  const hasOwn = (obj, key) => obj != null && Object.prototype.hasOwnProperty.call(obj, key);

  // ------------------------------------------------------------------------------------------------
  // Bytes: plain arrays (or Uint8Arrays) of numbers 0..255

  /** UTF-8 as a binary string (one char per byte), natively when there are no lone surrogates. */
  function utf8Binary(str) {
    try {
      return unescape(encodeURIComponent(str));
    } catch (e) {
      return latin1Decode(utf8Encode(str, true));
    }
  }

  /** UTF-8 bytes of a JS string; lone surrogates become U+FFFD as in Node. */
  function utf8Encode(str, slow) {
    if (!slow) {
      const bin = utf8Binary(str);
      const out = new Array(bin.length);
      for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
      return out;
    }
    const out = [];
    for (let i = 0; i < str.length; i++) {
      let c = str.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = str.charCodeAt(i + 1);
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
        } else {
          c = 0xfffd;
        }
      }
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return out;
  }

  /** Decode UTF-8 the WHATWG way (bad sequences become U+FFFD), or throw when `strict`. */
  function utf8Decode(bytes, strict) {
    const parts = [];
    let chars = [];
    const bad = () => {
      if (strict) throw new Error('Malformed UTF-8 data');
      chars.push(0xfffd);
    };
    for (let i = 0; i < bytes.length; ) {
      const b = bytes[i];
      let need = 0;
      let cp = 0;
      let lo = 0x80;
      let hi = 0xbf;
      if (b < 0x80) {
        chars.push(b);
        i++;
      } else {
        if (b >= 0xc2 && b <= 0xdf) [need, cp] = [1, b & 0x1f];
        else if (b >= 0xe0 && b <= 0xef) [need, cp, lo, hi] = [2, b & 0xf, b === 0xe0 ? 0xa0 : 0x80, b === 0xed ? 0x9f : 0xbf];
        else if (b >= 0xf0 && b <= 0xf4) [need, cp, lo, hi] = [3, b & 7, b === 0xf0 ? 0x90 : 0x80, b === 0xf4 ? 0x8f : 0xbf];
        i++;
        if (!need) {
          bad();
        } else {
          let ok = true;
          for (let k = 0; k < need; k++, i++) {
            const c = bytes[i];
            if (i >= bytes.length || c < lo || c > hi) {
              ok = false;
              break;
            }
            cp = (cp << 6) | (c & 63);
            lo = 0x80;
            hi = 0xbf;
          }
          if (!ok) bad();
          else if (cp >= 0x10000) chars.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
          else chars.push(cp);
        }
      }
      if (chars.length > 8192) {
        parts.push(String.fromCharCode.apply(null, chars));
        chars = [];
      }
    }
    parts.push(String.fromCharCode.apply(null, chars));
    return parts.join('');
  }

  /** One byte per UTF-16 code unit (low 8 bits): Node's 'latin1'/'binary'/'ascii' input encodings. */
  function latin1Encode(str) {
    const out = new Array(str.length);
    for (let i = 0; i < str.length; i++) out[i] = str.charCodeAt(i) & 0xff;
    return out;
  }

  function latin1Decode(bytes, mask) {
    const parts = [];
    for (let i = 0; i < bytes.length; i += 8192) {
      const chunk = Array.prototype.slice.call(bytes, i, i + 8192);
      parts.push(String.fromCharCode.apply(null, mask ? chunk.map((b) => b & mask) : chunk));
    }
    return parts.join('');
  }

  const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));

  function hexEncode(bytes) {
    const out = new Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) out[i] = HEX_PAIRS[bytes[i] & 0xff];
    return out.join('');
  }

  function binaryToHex(bin) {
    const out = new Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = HEX_PAIRS[bin.charCodeAt(i) & 0xff];
    return out.join('');
  }

  /** Hex to bytes, stopping at the first pair that is not hex (Node's rule). */
  function hexDecode(str) {
    const out = [];
    for (let i = 0; i + 1 < str.length; i += 2) {
      const pair = str.slice(i, i + 2);
      if (!/^[0-9a-fA-F]{2}$/.test(pair)) break;
      out.push(parseInt(pair, 16));
    }
    return out;
  }

  const base64Encode = (bytes, urlsafe) => host('b64encode', hexEncode(bytes), !!urlsafe);
  const base64Decode = (str) => hexDecode(host('b64decode', String(str)));

  function utf16leEncode(str) {
    const out = [];
    for (let i = 0; i < str.length; i++) out.push(str.charCodeAt(i) & 0xff, str.charCodeAt(i) >> 8);
    return out;
  }

  function utf16leDecode(bytes) {
    let s = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode(bytes[i] | (bytes[i + 1] << 8));
    return s;
  }

  const randomBytes = (n) => hexDecode(host('random_hex', n));

  // ------------------------------------------------------------------------------------------------
  // CryptoJS (crypto-js 4.2): WordArrays, encoders, hashes, HMAC, PBKDF2

  /** Big-endian 32-bit words plus a byte count, exactly the shape crypto-js exposes. */
  class WordArray {
    constructor(words, sigBytes) {
      this.words = words || [];
      this.sigBytes = sigBytes !== undefined ? sigBytes : this.words.length * 4;
    }

    /** create(words, sigBytes) or create(typedArray | ArrayBuffer | DataView) like lib-typedarrays. */
    static create(words, sigBytes) {
      if (words instanceof ArrayBuffer) return WordArray.fromBytes(new Uint8Array(words));
      if (ArrayBuffer.isView(words)) {
        return WordArray.fromBytes(new Uint8Array(words.buffer, words.byteOffset, words.byteLength));
      }
      return new WordArray(words, sigBytes);
    }

    static random(nBytes) {
      return WordArray.fromBytes(randomBytes(nBytes));
    }

    static fromBytes(bytes) {
      const words = [];
      for (let i = 0; i < bytes.length; i++) words[i >>> 2] |= (bytes[i] & 0xff) << (24 - (i % 4) * 8);
      return new WordArray(words, bytes.length);
    }

    toHex() {
      const n = Math.max(0, this.sigBytes);
      const out = new Array(Math.ceil(n / 4));
      for (let i = 0; i < out.length; i++) out[i] = ((this.words[i] | 0) >>> 0).toString(16).padStart(8, '0');
      return out.join('').slice(0, n * 2);
    }

    toBytes() {
      const out = new Array(Math.max(0, this.sigBytes));
      for (let i = 0; i < this.sigBytes; i++) out[i] = (this.words[i >>> 2] >>> (24 - (i % 4) * 8)) & 0xff;
      return out;
    }

    toString(encoder) {
      return (encoder || Hex).stringify(this);
    }

    /** Appends in place and returns this (crypto-js semantics). */
    concat(other) {
      const bytes = this.toBytes().concat(other.toBytes ? other.toBytes() : WordArray.create(other).toBytes());
      const joined = WordArray.fromBytes(bytes);
      this.words = joined.words;
      this.sigBytes = joined.sigBytes;
      return this;
    }

    clamp() {
      const n = this.sigBytes;
      if (n % 4) this.words[n >>> 2] &= 0xffffffff << (32 - (n % 4) * 8);
      this.words.length = Math.ceil(n / 4);
      return this;
    }

    clone() {
      return new WordArray(this.words.slice(0), this.sigBytes);
    }
  }

  const encoder = (stringify, parse) => ({
    stringify: (wa) => stringify(wa.toBytes()),
    parse: (str) => WordArray.fromBytes(parse(String(str))),
  });
  const Hex = encoder(hexEncode, (s) => {
    const out = [];
    for (let i = 0; i < s.length; i += 2) out.push(parseInt(s.substr(i, 2), 16) || 0);
    return out;
  });
  Hex.stringify = (wa) => wa.toHex();
  const Utf16LE = encoder(utf16leDecode, utf16leEncode);
  const Utf16BE = encoder(
    (b) => utf16leDecode(b.map((_, i) => b[i ^ 1])),
    (s) => utf16leEncode(s).map((_, i, a) => a[i ^ 1]),
  );
  const enc = {
    Hex,
    Latin1: encoder((b) => latin1Decode(b), latin1Encode),
    Utf8: encoder((b) => utf8Decode(b, true), utf8Encode),
    Base64: encoder((b) => base64Encode(b, false), base64Decode),
    Base64url: {
      stringify: (wa, urlSafe) => (urlSafe === false ? base64Encode(wa.toBytes()) : base64Encode(wa.toBytes(), true)),
      parse: (str) => WordArray.fromBytes(base64Decode(str)),
    },
    Utf16: Utf16BE,
    Utf16BE,
    Utf16LE,
  };

  /** Hash input: strings are UTF-8, WordArrays as is, byte arrays/typed arrays as bytes. */
  function toWordArray(data) {
    if (data instanceof WordArray) return data;
    if (data && Array.isArray(data.words)) return new WordArray(data.words, data.sigBytes);
    if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return WordArray.create(data);
    return enc.Utf8.parse(data == null ? '' : String(data));
  }

  /** Hex of a hash input; strings skip the WordArray detour. */
  function hexOf(data) {
    if (typeof data === 'string') return binaryToHex(utf8Binary(data));
    return toWordArray(data).toHex();
  }
  const fromHex = (hex) => WordArray.fromBytes(hexDecode(hex));

  /** A progressive hasher (update/finalize) that hashes everything at finalize in Python. */
  function makeHasher(name, hostName) {
    const algo = {
      name,
      hostName,
      create() {
        const parts = [];
        return {
          update(data) {
            parts.push(hexOf(data));
            return this;
          },
          finalize(data) {
            if (data !== undefined) parts.push(hexOf(data));
            return fromHex(host('hash', hostName, parts.join('')));
          },
          reset() {
            parts.length = 0;
            return this;
          },
        };
      },
    };
    const helper = (message) => algo.create().finalize(message);
    const hmacHelper = (message, key) => HMAC.create(algo, key).finalize(message);
    return { algo, helper, hmacHelper };
  }

  const HMAC = {
    create(hasher, key) {
      const keyHex = hexOf(key);
      const parts = [];
      return {
        update(data) {
          parts.push(hexOf(data));
          return this;
        },
        finalize(data) {
          if (data !== undefined) parts.push(hexOf(data));
          return fromHex(host('hmac', hasher.hostName, keyHex, parts.join('')));
        },
        reset() {
          parts.length = 0;
          return this;
        },
      };
    },
  };

  const CryptoJS = { lib: { WordArray }, enc, algo: { HMAC } };
  const HASHES = [
    ['MD5', 'md5'],
    ['SHA1', 'sha1'],
    ['SHA224', 'sha224'],
    ['SHA256', 'sha256'],
    ['SHA384', 'sha384'],
    ['SHA512', 'sha512'],
    ['RIPEMD160', 'ripemd160'],
  ];
  for (const [name, hostName] of HASHES) {
    const h = makeHasher(name, hostName);
    CryptoJS.algo[name] = h.algo;
    CryptoJS[name] = h.helper;
    CryptoJS['Hmac' + name] = h.hmacHelper;
  }

  /** PBKDF2 with crypto-js 4.2 defaults: 128-bit key, SHA256, 250000 iterations. */
  function pbkdf2(password, salt, cfg) {
    cfg = cfg || {};
    const hasher = cfg.hasher || CryptoJS.algo.SHA256;
    const keySize = cfg.keySize !== undefined ? cfg.keySize : 128 / 32;
    const iterations = cfg.iterations !== undefined ? cfg.iterations : 250000;
    return fromHex(host('pbkdf2', hasher.hostName, hexOf(password), hexOf(salt), iterations, keySize * 4));
  }
  CryptoJS.PBKDF2 = pbkdf2;
  CryptoJS.algo.PBKDF2 = { create: (cfg) => ({ compute: (password, salt) => pbkdf2(password, salt, cfg) }) };

  // Ciphers need AES/DES primitives that Python's standard library lacks: fail loudly, not obscurely.
  for (const name of ['AES', 'DES', 'TripleDES', 'RC4', 'RC4Drop', 'Rabbit', 'RabbitLegacy', 'Blowfish']) {
    const unsupported = () => {
      throw new Error('CryptoJS.' + name + ' is not supported by postrun');
    };
    CryptoJS[name] = { encrypt: unsupported, decrypt: unsupported };
  }
  for (const name of ['SHA3', 'EvpKDF']) {
    CryptoJS[name] = () => {
      throw new Error('CryptoJS.' + name + ' is not supported by postrun');
    };
  }

  // ------------------------------------------------------------------------------------------------
  // Buffer (the Node API subset scripts use), atob/btoa (the npm packages Postman ships)

  const ENCODINGS = ['utf8', 'utf-8', 'hex', 'base64', 'base64url', 'latin1', 'binary', 'ascii', 'ucs2',
    'ucs-2', 'utf16le', 'utf-16le'];

  function normEncoding(encoding) {
    const e = encoding === undefined || encoding === null ? 'utf8' : String(encoding).toLowerCase();
    if (ENCODINGS.indexOf(e) < 0) throw new TypeError('Unknown encoding: ' + encoding);
    return e;
  }

  function encodeString(str, encoding) {
    switch (normEncoding(encoding)) {
      case 'hex': return hexDecode(str);
      case 'base64': case 'base64url': return base64Decode(str);
      case 'latin1': case 'binary': case 'ascii': return latin1Encode(str);
      case 'ucs2': case 'ucs-2': case 'utf16le': case 'utf-16le': return utf16leEncode(str);
      default: return utf8Encode(str);
    }
  }

  function decodeBytes(bytes, encoding) {
    switch (normEncoding(encoding)) {
      case 'hex': return hexEncode(bytes);
      case 'base64': return base64Encode(bytes, false);
      case 'base64url': return base64Encode(bytes, true);
      case 'latin1': case 'binary': return latin1Decode(bytes);
      case 'ascii': return latin1Decode(bytes, 0x7f);
      case 'ucs2': case 'ucs-2': case 'utf16le': case 'utf-16le': return utf16leDecode(bytes);
      default: return utf8Decode(bytes, false);
    }
  }

  /** Node's Buffer: a Uint8Array subclass with encodings. */
  class Buffer extends Uint8Array {
    constructor(arg, encodingOrOffset, length) {
      if (typeof arg === 'string' || Array.isArray(arg)) return Buffer.from(arg, encodingOrOffset); // legacy new Buffer(x)
      if (arg === undefined) super(0);
      else if (length === undefined && encodingOrOffset === undefined) super(arg);
      else super(arg, encodingOrOffset, length);
    }

    static from(value, encodingOrOffset, length) {
      if (typeof value === 'string') return Buffer.fromBytes(encodeString(value, encodingOrOffset));
      if (value instanceof ArrayBuffer) {
        const offset = encodingOrOffset || 0;
        return new Buffer(value, offset, length === undefined ? value.byteLength - offset : length);
      }
      if (ArrayBuffer.isView(value)) {
        return Buffer.fromBytes(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      }
      if (value && value.type === 'Buffer' && Array.isArray(value.data)) return Buffer.fromBytes(value.data);
      if (value && typeof value === 'object' && typeof value.length === 'number') return Buffer.fromBytes(value);
      if (value && typeof value.valueOf === 'function' && value.valueOf() !== value) {
        return Buffer.from(value.valueOf(), encodingOrOffset, length);
      }
      throw new TypeError('The first argument must be of type string or an instance of Buffer, ArrayBuffer, '
        + 'or Array or an Array-like Object. Received ' + (value === null ? 'null' : typeof value));
    }

    static fromBytes(bytes) {
      const buf = new Buffer(bytes.length);
      for (let i = 0; i < bytes.length; i++) buf[i] = bytes[i] & 0xff;
      return buf;
    }

    static alloc(size, fill, encoding) {
      const buf = new Buffer(size);
      if (fill !== undefined && fill !== 0) buf.fill(fill, 0, size, encoding);
      return buf;
    }

    static allocUnsafe(size) {
      return new Buffer(size);
    }

    static isBuffer(value) {
      return value instanceof Buffer;
    }

    static isEncoding(encoding) {
      return typeof encoding === 'string' && ENCODINGS.indexOf(encoding.toLowerCase()) >= 0;
    }

    static byteLength(value, encoding) {
      if (typeof value === 'string') return encodeString(value, encoding).length;
      return value.byteLength;
    }

    static concat(list, totalLength) {
      const total = totalLength !== undefined ? totalLength : list.reduce((n, b) => n + b.length, 0);
      const out = Buffer.alloc(total);
      let pos = 0;
      for (const item of list) {
        for (let i = 0; i < item.length && pos < total; i++) out[pos++] = item[i];
      }
      return out;
    }

    static compare(a, b) {
      return a.compare(b);
    }

    toString(encoding, start, end) {
      const view = this.subarray(start || 0, end === undefined ? this.length : end);
      return decodeBytes(view, encoding);
    }

    toJSON() {
      return { type: 'Buffer', data: Array.prototype.slice.call(this) };
    }

    /** Node's slice is a view, unlike Uint8Array's copy. */
    slice(start, end) {
      return this.subarray(start, end);
    }

    equals(other) {
      return this.compare(other) === 0;
    }

    compare(other) {
      const n = Math.min(this.length, other.length);
      for (let i = 0; i < n; i++) {
        if (this[i] !== other[i]) return this[i] < other[i] ? -1 : 1;
      }
      return this.length === other.length ? 0 : this.length < other.length ? -1 : 1;
    }

    fill(value, start, end, encoding) {
      if (typeof start === 'string') [encoding, start, end] = [start, 0, this.length];
      start = start || 0;
      end = end === undefined ? this.length : end;
      const bytes = typeof value === 'string' ? encodeString(value, encoding) : [value & 0xff];
      if (!bytes.length) return this;
      for (let i = start, k = 0; i < end; i++, k = (k + 1) % bytes.length) this[i] = bytes[k];
      return this;
    }

    write(string, offset, length, encoding) {
      if (typeof offset === 'string') [encoding, offset, length] = [offset, 0, undefined];
      else if (typeof length === 'string') [encoding, length] = [length, undefined];
      offset = offset || 0;
      const bytes = encodeString(string, encoding);
      const n = Math.min(bytes.length, this.length - offset, length === undefined ? Infinity : length);
      for (let i = 0; i < n; i++) this[offset + i] = bytes[i];
      return n;
    }

    copy(target, targetStart, sourceStart, sourceEnd) {
      const src = this.subarray(sourceStart || 0, sourceEnd === undefined ? this.length : sourceEnd);
      const n = Math.min(src.length, target.length - (targetStart || 0));
      for (let i = 0; i < n; i++) target[(targetStart || 0) + i] = src[i];
      return n;
    }

    indexOf(value, byteOffset, encoding) {
      if (typeof value === 'number') return Uint8Array.prototype.indexOf.call(this, value & 0xff, byteOffset);
      const needle = typeof value === 'string' ? encodeString(value, encoding) : Array.from(value);
      const from = byteOffset || 0;
      for (let i = from < 0 ? Math.max(0, this.length + from) : from; i + needle.length <= this.length; i++) {
        let k = 0;
        while (k < needle.length && this[i + k] === needle[k]) k++;
        if (k === needle.length) return i;
      }
      return -1;
    }

    includes(value, byteOffset, encoding) {
      return this.indexOf(value, byteOffset, encoding) !== -1;
    }

  }
  const dataView = (buf) => new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  // readUInt8/readInt16BE/readUInt32LE/... and their write counterparts, through DataView.
  for (const [suffix, bits, signed] of [['UInt8', 8, false], ['Int8', 8, true], ['UInt16', 16, false],
    ['Int16', 16, true], ['UInt32', 32, false], ['Int32', 32, true]]) {
    const getter = 'get' + (signed ? 'Int' : 'Uint') + bits;
    const setter = 'set' + (signed ? 'Int' : 'Uint') + bits;
    const ends = bits === 8 ? [['', false]] : [['BE', false], ['LE', true]];
    for (const [end, little] of ends) {
      Buffer.prototype['read' + suffix + end] = function (offset) {
        return dataView(this)[getter](offset || 0, little);
      };
      Buffer.prototype['write' + suffix + end] = function (value, offset) {
        dataView(this)[setter](offset || 0, value, little);
        return (offset || 0) + bits / 8;
      };
    }
  }

  /** npm `atob` 2: lenient base64 decode to a binary string. */
  function atob(str) {
    return Buffer.from(str, 'base64').toString('binary');
  }

  /** npm `btoa` 1: each char's low byte (or a Buffer's bytes) to base64. */
  function btoa(str) {
    return (str instanceof Buffer ? str : Buffer.from(str.toString(), 'binary')).toString('base64');
  }

  // ------------------------------------------------------------------------------------------------
  // uuid 3 (require('uuid') is v4, with .v1 and .v4), querystring

  function uuidV4() {
    return host('uuid4');
  }

  const uuidV1State = { node: null, clockseq: 0, lastMs: 0, nsecs: 0 };

  /** Time-based UUID with a random multicast node id, as uuid 3 makes when no node is given. */
  function uuidV1() {
    const st = uuidV1State;
    if (!st.node) {
      const rnd = randomBytes(8);
      st.node = rnd.slice(0, 6);
      st.node[0] |= 1;
      st.clockseq = ((rnd[6] << 8) | rnd[7]) & 0x3fff;
    }
    const ms = Date.now();
    st.nsecs = ms === st.lastMs ? st.nsecs + 1 : 0;
    if (st.nsecs >= 10000) throw new Error("uuid.v1(): Can't create more than 10M uuids/sec");
    st.lastMs = ms;
    const t = ms + 12219292800000; // since 1582-10-15
    const tl = ((t & 0xfffffff) * 10000 + st.nsecs) % 0x100000000;
    const tmh = ((t / 0x100000000) * 10000) & 0xfffffff;
    const bytes = [tl >>> 24, (tl >>> 16) & 0xff, (tl >>> 8) & 0xff, tl & 0xff, (tmh >>> 8) & 0xff, tmh & 0xff,
      ((tmh >>> 24) & 0xf) | 0x10, (tmh >>> 16) & 0xff, (st.clockseq >>> 8) | 0x80, st.clockseq & 0xff]
      .concat(st.node);
    const hex = hexEncode(bytes);
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
  }

  const uuid = function v4() {
    return uuidV4();
  };
  uuid.v4 = uuid;
  uuid.v1 = uuidV1;

  const querystring = {
    escape: (str) => encodeURIComponent(str),
    unescape(str) {
      try {
        return decodeURIComponent(str);
      } catch (e) {
        return str.replace(/%([0-9a-fA-F]{2})/g, (m, h) => String.fromCharCode(parseInt(h, 16)));
      }
    },

    /** 'a=1&a=2&b' -> {a: ['1', '2'], b: ''}; '+' is a space. */
    parse(str, sep, eq, options) {
      const out = {};
      if (typeof str !== 'string' || !str.length) return out;
      sep = sep || '&';
      eq = eq || '=';
      const max = options && typeof options.maxKeys === 'number' ? options.maxKeys : 1000;
      let pieces = str.split(sep);
      if (max > 0) pieces = pieces.slice(0, max);
      for (const piece of pieces) {
        if (!piece.length) continue;
        const at = piece.indexOf(eq);
        const rawKey = at >= 0 ? piece.slice(0, at) : piece;
        const rawValue = at >= 0 ? piece.slice(at + eq.length) : '';
        const key = querystring.unescape(rawKey.replace(/\+/g, ' '));
        const value = querystring.unescape(rawValue.replace(/\+/g, ' '));
        if (!hasOwn(out, key)) out[key] = value;
        else if (Array.isArray(out[key])) out[key].push(value);
        else out[key] = [out[key], value];
      }
      return out;
    },

    stringify(obj, sep, eq) {
      sep = sep || '&';
      eq = eq || '=';
      const prim = (v) => (typeof v === 'string' ? v : (typeof v === 'number' && isFinite(v)) || typeof v === 'boolean'
        || typeof v === 'bigint' ? String(v) : '');
      if (obj === null || typeof obj !== 'object') return '';
      return Object.keys(obj).map((k) => {
        const key = querystring.escape(prim(k)) + eq;
        const v = obj[k];
        if (Array.isArray(v)) return v.map((x) => key + querystring.escape(prim(x))).join(sep);
        return key + querystring.escape(prim(v));
      }).filter((s) => s.length).join(sep);
    },
  };
  querystring.decode = querystring.parse;
  querystring.encode = querystring.stringify;

  // ------------------------------------------------------------------------------------------------
  // lodash: `require('lodash')` is lodash 4; the legacy `_` global (lodash 3 in Postman) is the same
  // functions plus the lodash 3 names that lodash 4 dropped. Objects are walked by their own keys only.

  const tagOf = (v) => Object.prototype.toString.call(v);
  const isObject = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');
  const isObjectLike = (v) => v !== null && typeof v === 'object';
  const isFunction = (v) => typeof v === 'function';
  const isLength = (n) => typeof n === 'number' && n > -1 && n % 1 === 0 && n <= Number.MAX_SAFE_INTEGER;
  const isArrayLike = (v) => v != null && typeof v !== 'function' && isLength(v.length);
  const isString = (v) => typeof v === 'string' || (isObjectLike(v) && tagOf(v) === '[object String]');
  const isNumber = (v) => typeof v === 'number' || (isObjectLike(v) && tagOf(v) === '[object Number]');
  const isPlainObject = (v) => {
    if (!isObjectLike(v) || tagOf(v) !== '[object Object]') return false;
    const proto = Object.getPrototypeOf(v);
    return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
  };
  const sameValueZero = (a, b) => a === b || (a !== a && b !== b);
  const identity = (v) => v;
  const toStr = (v) => {
    if (v == null) return '';
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) return v.map((x) => (x == null ? x : toStr(x))).join(',');
    if (typeof v === 'symbol') return v.toString();
    return v === 0 && 1 / v === -Infinity ? '-0' : String(v);
  };

  /** [key, value] pairs of an array-like (by index) or an object (own enumerable keys). */
  function pairsOf(coll) {
    if (coll == null) return [];
    if (isArrayLike(coll)) {
      const out = new Array(coll.length);
      for (let i = 0; i < coll.length; i++) out[i] = [i, coll[i]];
      return out;
    }
    return Object.keys(Object(coll)).map((k) => [k, coll[k]]);
  }
  const valuesOf = (coll) => pairsOf(coll).map((p) => p[1]);

  /** 'a.b[0]["c"]' -> ['a', 'b', '0', 'c']; a key in brackets may be quoted (then it may hold dots). */
  function stringToPath(str) {
    const out = [];
    let cur = '';
    let closed = false; // just after a bracket: a following '.' starts a key, it does not end an empty one
    for (let i = 0; i < str.length; i++) {
      const c = str[i];
      if (c === '.') {
        if (!closed) out.push(cur);
        cur = '';
        closed = false;
        if (i === str.length - 1) out.push('');
      } else if (c === '[' && str.indexOf(']', i) > i) {
        if (cur || (i > 0 && !closed)) out.push(cur);
        const quote = str[i + 1] === '"' || str[i + 1] === "'" ? str[i + 1] : '';
        let j = i + 1 + quote.length;
        let key = '';
        while (j < str.length && !(quote ? str[j] === quote && str[j + 1] === ']' : str[j] === ']')) {
          if (quote && str[j] === '\\' && j + 1 < str.length) j++;
          key += str[j++];
        }
        out.push(quote ? key : key.trim());
        i = j + quote.length;
        cur = '';
        closed = true;
      } else {
        cur += c;
        closed = false;
      }
    }
    if (cur || (!closed && !out.length)) out.push(cur);
    return out;
  }

  function toPath(path, obj) {
    if (Array.isArray(path)) return path.map((k) => (typeof k === 'symbol' ? k : toStr(k)));
    if (typeof path === 'symbol' || typeof path === 'number') return [path];
    const s = toStr(path);
    if (!/\.|\[.*\]/.test(s)) return [s];
    if (obj != null && s in Object(obj)) return [s];
    return stringToPath(s);
  }

  function get(obj, path, dflt) {
    const keys = toPath(path, obj);
    let cur = obj;
    let i = 0;
    for (; i < keys.length && cur != null; i++) cur = cur[keys[i]];
    return cur === undefined || i < keys.length || !keys.length ? dflt : cur;
  }

  const isIndex = (k) => /^(?:0|[1-9]\d*)$/.test(String(k));

  function set(obj, path, value) {
    if (!isObject(obj)) return obj;
    const keys = toPath(path, obj);
    let cur = obj;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') return obj;
      if (i === keys.length - 1) {
        cur[key] = value;
      } else {
        if (!isObject(cur[key])) cur[key] = isIndex(keys[i + 1]) ? [] : {};
        cur = cur[key];
      }
    }
    return obj;
  }

  function has(obj, path, inherited) {
    const keys = toPath(path, obj);
    let cur = obj;
    for (const key of keys) {
      if (cur == null || !(inherited ? key in Object(cur) : hasOwn(cur, key))) return false;
      cur = cur[key];
    }
    return keys.length > 0;
  }

  function unset(obj, path) {
    const keys = toPath(path, obj);
    const parent = keys.length > 1 ? get(obj, keys.slice(0, -1)) : obj;
    if (parent != null) delete parent[keys[keys.length - 1]];
    return true;
  }

  function isEqual(a, b, seen) {
    if (sameValueZero(a, b)) return true;
    if (a == null || b == null || (!isObjectLike(a) && !isObjectLike(b))) return false;
    const tag = tagOf(a);
    if (tag !== tagOf(b)) return false;
    switch (tag) {
      case '[object Number]': case '[object String]': case '[object Boolean]':
        return sameValueZero(a.valueOf(), b.valueOf()) || a == b; // eslint-disable-line eqeqeq
      case '[object Date]': return +a === +b;
      case '[object RegExp]': return String(a) === String(b);
      case '[object Error]': return a.name === b.name && a.message === b.message;
    }
    seen = seen || [];
    for (const [x, y] of seen) if (x === a) return y === b;
    seen.push([a, b]);
    if (tag === '[object Map]' || tag === '[object Set]') {
      if (a.size !== b.size) return false;
      const ea = Array.from(a.entries());
      const eb = Array.from(b.entries());
      return ea.every((e, i) => isEqual(e, eb[i], seen));
    }
    if (isArrayLike(a) && tag !== '[object Object]') {
      if (a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) if (!isEqual(a[i], b[i], seen)) return false;
      return true;
    }
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    if (!ka.every((k) => hasOwn(b, k) && isEqual(a[k], b[k], seen))) return false;
    const ca = a.constructor;
    const cb = b.constructor;
    return ca === cb || !('constructor' in a && 'constructor' in b)
      || !(typeof ca === 'function' && ca instanceof ca && typeof cb === 'function' && cb instanceof cb);
  }

  function isMatch(obj, src) {
    if (obj == null) return !Object.keys(Object(src)).length;
    return Object.keys(src).every((k) => {
      const want = src[k];
      const got = Object(obj)[k];
      if (isPlainObject(want) && isObjectLike(got)) return isMatch(got, want);
      if (Array.isArray(want) && Array.isArray(got)) return want.every((w) => got.some((v) => isEqual(v, w)));
      return k in Object(obj) && isEqual(got, want);
    });
  }

  const property = (path) => (obj) => get(obj, path);
  const matches = (src) => {
    const copy = cloneDeep(src);
    return (obj) => isMatch(obj, copy);
  };
  const matchesProperty = (path, value) => {
    const copy = cloneDeep(value);
    return (obj) => {
      const got = get(obj, path);
      return isPlainObject(copy) ? isMatch(got, copy) : isEqual(got, copy);
    };
  };

  /** lodash's iteratee shorthands: function, 'path', [path, value], {partial object}. */
  function iteratee(fn) {
    if (fn == null) return identity;
    if (typeof fn === 'function') return fn;
    if (Array.isArray(fn)) return fn.length === 2 ? matchesProperty(fn[0], fn[1]) : property(fn[0]);
    if (typeof fn === 'object') return matches(fn);
    return property(fn);
  }

  function cloneValue(value, deep, seen) {
    if (!isObject(value)) return value;
    if (typeof value === 'function') return seen.size ? value : {};
    if (seen.has(value)) return seen.get(value);
    const tag = tagOf(value);
    let out;
    if (Array.isArray(value)) out = [];
    else if (tag === '[object Date]') return new Date(+value);
    else if (tag === '[object RegExp]') {
      out = new RegExp(value.source, value.flags);
      out.lastIndex = value.lastIndex;
      return out;
    } else if (ArrayBuffer.isView(value)) return value.slice();
    else if (tag === '[object Map]') out = new Map();
    else if (tag === '[object Set]') out = new Set();
    else if (tag === '[object Number]' || tag === '[object String]' || tag === '[object Boolean]') {
      return Object(value.valueOf());
    } else if (tag === '[object Error]' || tag === '[object WeakMap]') return seen.size ? value : {};
    else out = Object.create(Object.getPrototypeOf(value));
    seen.set(value, out);
    const copy = (v) => (deep ? cloneValue(v, true, seen) : v);
    if (out instanceof Map) value.forEach((v, k) => out.set(k, copy(v)));
    else if (out instanceof Set) value.forEach((v) => out.add(copy(v)));
    for (const k of Object.keys(value)) out[k] = copy(value[k]);
    return out;
  }
  const clone = (v) => cloneValue(v, false, new Map());
  const cloneDeep = (v) => cloneValue(v, true, new Map());

  /** lodash's merge: plain objects and arrays are merged recursively, undefined never overwrites. */
  function mergeInto(target, source, customizer, seen) {
    for (const key of Object.keys(Object(source))) {
      if (key === '__proto__' || (key === 'constructor' && typeof target[key] === 'function')) continue;
      const src = source[key];
      const cur = target[key];
      let value = customizer ? customizer(cur, src, key, target, source) : undefined;
      if (value === undefined) {
        if (Array.isArray(src) || isPlainObject(src)) {
          if (seen.has(src)) {
            value = seen.get(src);
          } else {
            if (Array.isArray(src)) value = Array.isArray(cur) ? cur : isArrayLike(cur) && isObjectLike(cur) ? Array.from(cur) : [];
            else value = isObject(cur) && typeof cur !== 'function' ? cur : {};
            seen.set(src, value);
            mergeInto(value, src, customizer, seen);
          }
        } else {
          value = src;
        }
      }
      if ((value !== undefined && !sameValueZero(cur, value)) || (value === undefined && !(key in Object(target)))) {
        target[key] = value;
      }
    }
    return target;
  }

  function compareValues(a, b) {
    if (a === b) return 0;
    const rank = (v) => (v === undefined ? 3 : v !== v ? 2 : v === null ? 1 : 0);
    const ra = rank(a);
    const rb = rank(b);
    if (ra || rb) return ra - rb;
    return a > b ? 1 : a < b ? -1 : 0;
  }

  /** Stable sort by several iteratees; orders are 'asc'/'desc'. */
  function orderBy(coll, iteratees, orders) {
    const fns = (Array.isArray(iteratees) ? iteratees : [iteratees]).flat(Infinity);
    const its = (fns.length ? fns : [identity]).map(iteratee);
    orders = Array.isArray(orders) ? orders : [orders];
    const rows = valuesOf(coll).map((v, i) => ({ v, i, keys: its.map((f) => f(v)) }));
    rows.sort((x, y) => {
      for (let k = 0; k < its.length; k++) {
        const c = compareValues(x.keys[k], y.keys[k]);
        if (c) return orders[k] === 'desc' ? -c : c;
      }
      return x.i - y.i;
    });
    return rows.map((r) => r.v);
  }

  function baseFlatten(arr, depth, out) {
    for (const v of arr || []) {
      if (depth > 0 && (Array.isArray(v) || tagOf(v) === '[object Arguments]')) baseFlatten(v, depth - 1, out);
      else out.push(v);
    }
    return out;
  }

  function uniqBy(arr, fn) {
    const it = iteratee(fn);
    const seenKeys = [];
    const out = [];
    for (const v of arr || []) {
      const k = it(v);
      if (!seenKeys.some((s) => sameValueZero(s, k))) {
        seenKeys.push(k);
        out.push(v);
      }
    }
    return out;
  }

  const includesValue = (arr, v) => Array.prototype.some.call(arr || [], (x) => sameValueZero(x, v));

  function deburr(str) {
    const special = { 'ß': 'ss', 'Æ': 'Ae', 'æ': 'ae', 'Ø': 'O', 'ø': 'o', 'Ð': 'D', 'ð': 'd', 'Þ': 'Th',
      'þ': 'th', 'Đ': 'D', 'đ': 'd', 'Ł': 'L', 'ł': 'l', 'Œ': 'Oe', 'œ': 'oe', 'Ĳ': 'IJ', 'ĳ': 'ij', 'ŉ': "'n",
      'ſ': 's', 'Ħ': 'H', 'ħ': 'h', 'ı': 'i', 'Ŧ': 'T', 'ŧ': 't', 'Ŀ': 'L', 'ŀ': 'l', 'ĸ': 'k' };
    return toStr(str).replace(/[\xc0-\u017f]/g, (c) => special[c] || c.normalize('NFD').replace(/[\u0300-\u036f]/g, ''))
      .replace(/[\u0300-\u036f\ufe20-\ufe2f\u20d0-\u20ff]/g, '');
  }

  const UP = 'A-Z\\xc0-\\xd6\\xd8-\\xde';
  const LO = 'a-z\\xdf-\\xf6\\xf8-\\xff';
  const WORDS = new RegExp([
    '\\d*(?:1st|2nd|3rd|[04-9]th)(?![' + LO + '])',
    '[' + UP + ']+(?=[' + UP + '][' + LO + '])',
    '[' + UP + ']?[' + LO + ']+(?:[\'\u2019](?:d|ll|m|re|s|t|ve))?',
    '[' + UP + ']+(?:[\'\u2019](?:D|LL|M|RE|S|T|VE))?',
    '\\d+',
    '[\\u0100-\\uffff]+',
  ].join('|'), 'g');

  function words(str, pattern) {
    str = toStr(str);
    if (pattern !== undefined) return str.match(pattern) || [];
    return (str.match(WORDS) || []).filter((w) => !/^[\u2000-\u206f\u2190-\u2bff\u3000-\u303f]+$/.test(w));
  }

  const caseWords = (str) => words(deburr(str).replace(/['\u2019]/g, ''));
  const upperFirst = (s) => toStr(s).charAt(0).toUpperCase() + toStr(s).slice(1);
  const lowerFirst = (s) => toStr(s).charAt(0).toLowerCase() + toStr(s).slice(1);

  function trimChars(str, chars, start, end) {
    str = toStr(str);
    if (chars === undefined) {
      if (start && end) return str.trim();
      return start ? str.replace(/^\s+/, '') : str.replace(/\s+$/, '');
    }
    const set = new Set(toStr(chars));
    let i = 0;
    let j = str.length;
    while (start && i < j && set.has(str[i])) i++;
    while (end && j > i && set.has(str[j - 1])) j--;
    return str.slice(i, j);
  }

  function padding(length, chars) {
    chars = chars === undefined ? ' ' : toStr(chars);
    if (length <= 0 || !chars) return '';
    return chars.repeat(Math.ceil(length / chars.length)).slice(0, length);
  }

  const toNumber = (v) => {
    if (typeof v === 'number') return v;
    if (typeof v === 'symbol') return NaN;
    if (isObject(v)) v = typeof v.valueOf === 'function' ? v.valueOf() : v;
    if (typeof v !== 'string') return v === 0 ? v : +v;
    const s = v.trim();
    if (/^[-+]0x[0-9a-f]+$/i.test(s)) return NaN;
    if (/^0b[01]+$/i.test(s)) return parseInt(s.slice(2), 2);
    if (/^0o[0-7]+$/i.test(s)) return parseInt(s.slice(2), 8);
    return +s;
  };
  const toFinite = (v) => {
    if (!v) return v === 0 ? v : 0;
    v = toNumber(v);
    if (v === Infinity || v === -Infinity) return (v < 0 ? -1 : 1) * Number.MAX_VALUE;
    return v === v ? v : 0;
  };
  const toInteger = (v) => {
    const n = toFinite(v);
    const r = n % 1;
    return n === n ? (r ? n - r : n) : 0;
  };

  function baseRange(start, end, step, fromRight) {
    if (end === undefined) [start, end] = [0, start];
    start = toFinite(start);
    end = toFinite(end);
    step = step === undefined ? (start < end ? 1 : -1) : toFinite(step);
    const n = Math.max(Math.ceil((end - start) / (step || 1)), 0);
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[fromRight ? n - 1 - i : i] = start + i * step;
    return out;
  }

  function extremum(arr, fn, better) {
    const it = iteratee(fn);
    let best;
    let bestKey;
    for (const v of arr || []) {
      const k = it(v);
      if (k != null && (bestKey === undefined ? k === k && typeof k !== 'symbol' : better(k, bestKey))) {
        best = v;
        bestKey = k;
      }
    }
    return best;
  }

  function sumBy(arr, fn) {
    const it = iteratee(fn);
    let total;
    for (const v of arr || []) {
      const k = it(v);
      if (k !== undefined) total = total === undefined ? k : total + k;
    }
    return total;
  }

  function randomNumber(lower, upper, floating) {
    if (floating !== undefined && typeof floating !== 'boolean') floating = undefined; // used as an iteratee
    if (floating === undefined) {
      if (typeof upper === 'boolean') [floating, upper] = [upper, undefined];
      else if (typeof lower === 'boolean') [floating, lower] = [lower, undefined];
    }
    if (lower === undefined && upper === undefined) [lower, upper] = [0, 1];
    else {
      lower = toFinite(lower);
      if (upper === undefined) [lower, upper] = [0, lower];
      else upper = toFinite(upper);
    }
    if (lower > upper) [lower, upper] = [upper, lower];
    if (floating || lower % 1 || upper % 1) return Math.min(lower + Math.random() * (upper - lower), upper);
    return lower + Math.floor(Math.random() * (upper - lower + 1));
  }

  function shuffle(coll) {
    const arr = valuesOf(coll);
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [arr[i], arr[j]] = [arr[j], arr[i]];
    }
    return arr;
  }

  /** The lodash function table (shared by both `_` flavours; each flavour gets its own copy). */
  function lodashFunctions() {
    const it = iteratee;
    const groupInto = (coll, fn, add) => {
      const f = it(fn);
      const out = {};
      for (const v of valuesOf(coll)) add(out, toStr(f(v)), v);
      return out;
    };
    const findIn = (coll, fn, from, last) => {
      const f = it(fn);
      const ps = pairsOf(coll);
      const n = ps.length;
      let i = from === undefined ? (last ? n - 1 : 0) : toInteger(from);
      if (i < 0) i = Math.max(n + i, 0);
      for (; last ? i >= 0 : i < n; last ? i-- : i++) {
        if (i < n && f(ps[i][1], ps[i][0], coll)) return ps[i];
      }
      return undefined;
    };
    const F = {
      // Collections
      forEach(coll, fn) {
        const f = it(fn);
        for (const [k, v] of pairsOf(coll)) if (f(v, k, coll) === false) break;
        return coll;
      },
      forEachRight(coll, fn) {
        const f = it(fn);
        for (const [k, v] of pairsOf(coll).reverse()) if (f(v, k, coll) === false) break;
        return coll;
      },
      map: (coll, fn) => {
        const f = it(fn);
        return pairsOf(coll).map(([k, v]) => f(v, k, coll));
      },
      flatMap: (coll, fn) => baseFlatten(F.map(coll, fn), 1, []),
      flatMapDeep: (coll, fn) => baseFlatten(F.map(coll, fn), Infinity, []),
      filter: (coll, fn) => {
        const f = it(fn);
        return pairsOf(coll).filter(([k, v]) => f(v, k, coll)).map((p) => p[1]);
      },
      reject: (coll, fn) => {
        const f = it(fn);
        return pairsOf(coll).filter(([k, v]) => !f(v, k, coll)).map((p) => p[1]);
      },
      find: (coll, fn, from) => (findIn(coll, fn, from, false) || [])[1],
      findLast: (coll, fn, from) => (findIn(coll, fn, from, true) || [])[1],
      findIndex: (arr, fn, from) => {
        const hit = findIn(arr, fn, from, false);
        return hit ? hit[0] : -1;
      },
      findLastIndex: (arr, fn, from) => {
        const hit = findIn(arr, fn, from, true);
        return hit ? hit[0] : -1;
      },
      some: (coll, fn) => pairsOf(coll).some(([k, v]) => it(fn)(v, k, coll)),
      every: (coll, fn) => pairsOf(coll).every(([k, v]) => it(fn)(v, k, coll)),
      reduce(coll, fn, acc) {
        const ps = pairsOf(coll);
        let i = 0;
        if (arguments.length < 3) acc = ps.length ? ps[i++][1] : undefined;
        for (; i < ps.length; i++) acc = fn(acc, ps[i][1], ps[i][0], coll);
        return acc;
      },
      reduceRight(coll, fn, acc) {
        const ps = pairsOf(coll).reverse();
        let i = 0;
        if (arguments.length < 3) acc = ps.length ? ps[i++][1] : undefined;
        for (; i < ps.length; i++) acc = fn(acc, ps[i][1], ps[i][0], coll);
        return acc;
      },
      includes(coll, value, from) {
        from = from ? toInteger(from) : 0;
        if (isString(coll)) return String(coll).indexOf(value, from < 0 ? Math.max(coll.length + from, 0) : from) > -1;
        const vals = valuesOf(coll);
        if (from < 0) from = Math.max(vals.length + from, 0);
        return vals.slice(from).some((v) => sameValueZero(v, value));
      },
      size(coll) {
        if (coll == null) return 0;
        if (isArrayLike(coll)) return coll.length;
        if (coll instanceof Map || coll instanceof Set) return coll.size;
        return Object.keys(Object(coll)).length;
      },
      groupBy: (coll, fn) => groupInto(coll, fn, (o, k, v) => (hasOwn(o, k) ? o[k].push(v) : (o[k] = [v]))),
      countBy: (coll, fn) => groupInto(coll, fn, (o, k) => (o[k] = hasOwn(o, k) ? o[k] + 1 : 1)),
      keyBy: (coll, fn) => groupInto(coll, fn, (o, k, v) => (o[k] = v)),
      partition: (coll, fn) => {
        const f = it(fn);
        const out = [[], []];
        for (const v of valuesOf(coll)) out[f(v) ? 0 : 1].push(v);
        return out;
      },
      sortBy: (coll, ...fns) => orderBy(coll, baseFlatten(fns, 1, []), []),
      orderBy: (coll, fns, orders) => orderBy(coll, fns === undefined ? [] : fns, orders),
      sample: (coll) => {
        const vals = valuesOf(coll);
        return vals.length ? vals[Math.floor(Math.random() * vals.length)] : undefined;
      },
      sampleSize: (coll, n) => shuffle(coll).slice(0, n === undefined ? 1 : Math.max(toInteger(n), 0)),
      shuffle,
      invokeMap: (coll, path, ...args) => valuesOf(coll).map((v) => {
        const fn = typeof path === 'function' ? path : get(v, path);
        return fn == null ? undefined : fn.apply(v, args);
      }),

      // Arrays
      chunk: (arr, n) => {
        n = n === undefined ? 1 : Math.max(toInteger(n), 0);
        const out = [];
        for (let i = 0; n && i < (arr || []).length; i += n) out.push(Array.prototype.slice.call(arr, i, i + n));
        return out;
      },
      compact: (arr) => Array.prototype.filter.call(arr || [], Boolean),
      difference: (arr, ...others) => {
        const ex = baseFlatten(others, 1, []);
        return Array.prototype.filter.call(arr || [], (v) => !includesValue(ex, v));
      },
      differenceBy: (arr, ...others) => {
        const f = isArrayLike(others[others.length - 1]) ? identity : it(others.pop());
        const ex = baseFlatten(others, 1, []).map(f);
        return Array.prototype.filter.call(arr || [], (v) => !includesValue(ex, f(v)));
      },
      drop: (arr, n) => Array.prototype.slice.call(arr || [], n === undefined ? 1 : Math.max(toInteger(n), 0)),
      dropRight: (arr, n) => {
        n = n === undefined ? 1 : Math.max(toInteger(n), 0);
        const a = Array.prototype.slice.call(arr || []);
        return a.slice(0, Math.max(a.length - n, 0));
      },
      dropWhile: (arr, fn) => {
        const a = Array.prototype.slice.call(arr || []);
        const f = it(fn);
        let i = 0;
        while (i < a.length && f(a[i], i, a)) i++;
        return a.slice(i);
      },
      takeWhile: (arr, fn) => {
        const a = Array.prototype.slice.call(arr || []);
        const f = it(fn);
        let i = 0;
        while (i < a.length && f(a[i], i, a)) i++;
        return a.slice(0, i);
      },
      fill: (arr, value, start, end) => {
        if (!arr) return [];
        return Array.prototype.fill.call(arr, value, start, end);
      },
      head: (arr) => (arr && arr.length ? arr[0] : undefined),
      last: (arr) => (arr && arr.length ? arr[arr.length - 1] : undefined),
      nth: (arr, n) => {
        if (!arr || !arr.length) return undefined;
        n = toInteger(n);
        return arr[n < 0 ? arr.length + n : n];
      },
      initial: (arr) => Array.prototype.slice.call(arr || [], 0, -1),
      tail: (arr) => Array.prototype.slice.call(arr || [], 1),
      take: (arr, n) => Array.prototype.slice.call(arr || [], 0, n === undefined ? 1 : Math.max(toInteger(n), 0)),
      takeRight: (arr, n) => {
        n = n === undefined ? 1 : Math.max(toInteger(n), 0);
        const a = Array.prototype.slice.call(arr || []);
        return n ? a.slice(-n) : [];
      },
      flatten: (arr) => baseFlatten(arr, 1, []),
      flattenDeep: (arr) => baseFlatten(arr, Infinity, []),
      flattenDepth: (arr, d) => baseFlatten(arr, d === undefined ? 1 : toInteger(d), []),
      fromPairs: (ps) => {
        const out = {};
        for (const p of ps || []) out[p[0]] = p[1];
        return out;
      },
      indexOf: (arr, v, from) => {
        const a = Array.prototype.slice.call(arr || []);
        from = from === undefined ? 0 : toInteger(from);
        if (from < 0) from = Math.max(a.length + from, 0);
        for (let i = from; i < a.length; i++) if (sameValueZero(a[i], v)) return i;
        return -1;
      },
      lastIndexOf: (arr, v, from) => {
        const a = Array.prototype.slice.call(arr || []);
        let i = from === undefined ? a.length - 1 : toInteger(from);
        if (i < 0) i = a.length + i;
        for (i = Math.min(i, a.length - 1); i >= 0; i--) if (sameValueZero(a[i], v)) return i;
        return -1;
      },
      intersection: (...arrays) => F.uniq(arrays.length ? Array.prototype.filter.call(arrays[0] || [],
        (v) => arrays.slice(1).every((a) => includesValue(a, v))) : []),
      union: (...arrays) => F.uniq(baseFlatten(arrays.filter((a) => isArrayLike(a) && isObjectLike(a)), 1, [])),
      unionBy: (...arrays) => {
        const f = isArrayLike(arrays[arrays.length - 1]) ? identity : arrays.pop();
        return uniqBy(baseFlatten(arrays, 1, []), f);
      },
      uniq: (arr) => uniqBy(arr, identity),
      uniqBy,
      uniqWith: (arr, cmp) => {
        const out = [];
        for (const v of arr || []) if (!out.some((o) => cmp(v, o))) out.push(v);
        return out;
      },
      without: (arr, ...vals) => Array.prototype.filter.call(arr || [], (v) => !includesValue(vals, v)),
      xor: (...arrays) => {
        const all = arrays.map((a) => F.uniq(a));
        const flat = baseFlatten(all, 1, []);
        return F.uniq(flat.filter((v) => all.filter((a) => includesValue(a, v)).length === 1));
      },
      pull: (arr, ...vals) => F.pullAll(arr, vals),
      pullAll: (arr, vals) => {
        for (let i = arr.length - 1; i >= 0; i--) if (includesValue(vals, arr[i])) arr.splice(i, 1);
        return arr;
      },
      remove: (arr, fn) => {
        const f = it(fn);
        const removed = [];
        const idx = [];
        for (let i = 0; i < (arr || []).length; i++) {
          if (f(arr[i], i, arr)) {
            removed.push(arr[i]);
            idx.push(i);
          }
        }
        for (let k = idx.length - 1; k >= 0; k--) arr.splice(idx[k], 1);
        return removed;
      },
      reverse: (arr) => (arr == null ? arr : Array.prototype.reverse.call(arr)),
      slice: (arr, start, end) => Array.prototype.slice.call(arr || [], start, end),
      join: (arr, sep) => Array.prototype.join.call(arr || [], sep === undefined ? ',' : sep),
      zip: (...arrays) => F.unzip(arrays),
      unzip: (arrays) => {
        const n = Math.max(0, ...(arrays || []).map((a) => (a ? a.length : 0)));
        return Array.from({ length: n }, (_, i) => arrays.map((a) => (a ? a[i] : undefined)));
      },
      zipObject: (keys, vals) => {
        const out = {};
        (keys || []).forEach((k, i) => (out[k] = vals ? vals[i] : undefined));
        return out;
      },
      zipObjectDeep: (keys, vals) => {
        const out = {};
        (keys || []).forEach((k, i) => set(out, k, vals ? vals[i] : undefined));
        return out;
      },
      sortedUniq: (arr) => uniqBy(arr, identity),
      castArray(...args) {
        if (!args.length) return [];
        return Array.isArray(args[0]) ? args[0] : [args[0]];
      },

      // Objects
      keys: (obj) => (obj == null ? [] : Object.keys(Object(obj))),
      keysIn: (obj) => (obj == null ? [] : Object.keys(Object(obj))),
      values: (obj) => (obj == null ? [] : Object.keys(Object(obj)).map((k) => Object(obj)[k])),
      valuesIn: (obj) => F.values(obj),
      toPairs: (obj) => (obj instanceof Map ? Array.from(obj.entries()) : obj instanceof Set
        ? Array.from(obj).map((v) => [v, v]) : F.keys(obj).map((k) => [k, obj[k]])),
      get,
      set,
      setWith: (obj, path, value) => set(obj, path, value),
      has: (obj, path) => has(obj, path, false),
      hasIn: (obj, path) => has(obj, path, true),
      unset: (obj, path) => (obj == null ? true : unset(obj, path)),
      update: (obj, path, fn) => set(obj, path, fn(get(obj, path))),
      result: (obj, path, dflt) => {
        const keys = toPath(path, obj);
        let cur = obj;
        let parent;
        for (let i = 0; i < keys.length; i++) {
          parent = cur;
          cur = cur == null ? undefined : cur[keys[i]];
          if (cur === undefined) {
            cur = dflt;
            break;
          }
          if (typeof cur === 'function' && i < keys.length) cur = cur.call(parent);
        }
        return cur;
      },
      assign: (obj, ...sources) => {
        obj = Object(obj);
        for (const src of sources) if (src != null) for (const k of Object.keys(Object(src))) obj[k] = src[k];
        return obj;
      },
      defaults: (obj, ...sources) => {
        obj = Object(obj);
        for (const src of sources) {
          if (src == null) continue;
          for (const k of Object.keys(Object(src))) {
            if (obj[k] === undefined || (!hasOwn(obj, k) && sameValueZero(obj[k], Object.prototype[k]))) obj[k] = src[k];
          }
        }
        return obj;
      },
      defaultsDeep: (obj, ...sources) => {
        const fill = (target, src) => {
          for (const k of Object.keys(Object(src))) {
            if (target[k] === undefined) target[k] = cloneDeep(src[k]);
            else if (isPlainObject(target[k]) && isPlainObject(src[k])) fill(target[k], src[k]);
          }
        };
        obj = Object(obj);
        for (const src of sources) if (src != null) fill(obj, src);
        return obj;
      },
      merge: (obj, ...sources) => {
        obj = Object(obj);
        for (const src of sources) if (src != null) mergeInto(obj, src, null, new Map());
        return obj;
      },
      mergeWith: (obj, ...sources) => {
        const customizer = typeof sources[sources.length - 1] === 'function' ? sources.pop() : null;
        obj = Object(obj);
        for (const src of sources) if (src != null) mergeInto(obj, src, customizer, new Map());
        return obj;
      },
      pick: (obj, ...paths) => {
        const out = {};
        if (obj == null) return out;
        for (const p of baseFlatten(paths, 1, [])) if (has(obj, p, true)) set(out, toPath(p, obj), get(obj, p));
        return out;
      },
      pickBy: (obj, fn) => {
        const f = it(fn);
        const out = {};
        for (const k of F.keys(obj)) if (f(obj[k], k)) out[k] = obj[k];
        return out;
      },
      omit: (obj, ...paths) => {
        if (obj == null) return {};
        const list = baseFlatten(paths, 1, []).map((p) => toPath(p, obj));
        const deep = list.some((p) => p.length > 1);
        const out = deep ? cloneDeep(F.assign({}, obj)) : F.assign({}, obj);
        for (const p of list) unset(out, p);
        return out;
      },
      omitBy: (obj, fn) => {
        const f = it(fn);
        return F.pickBy(obj, (v, k) => !f(v, k));
      },
      mapValues: (obj, fn) => {
        const f = it(fn);
        const out = {};
        for (const k of F.keys(obj)) out[k] = f(obj[k], k, obj);
        return out;
      },
      mapKeys: (obj, fn) => {
        const f = it(fn);
        const out = {};
        for (const k of F.keys(obj)) out[f(obj[k], k, obj)] = obj[k];
        return out;
      },
      invert: (obj) => {
        const out = {};
        for (const k of F.keys(obj)) out[toStr(obj[k])] = k;
        return out;
      },
      forOwn: (obj, fn) => {
        for (const k of F.keys(obj)) if (fn(obj[k], k, obj) === false) break;
        return obj;
      },
      transform: (obj, fn, acc) => {
        if (acc === undefined) acc = Array.isArray(obj) ? [] : isObject(obj) ? Object.create(Object.getPrototypeOf(obj)) : {};
        for (const [k, v] of pairsOf(obj)) if (fn(acc, v, k, obj) === false) break;
        return acc;
      },
      at: (obj, ...paths) => baseFlatten(paths, 1, []).map((p) => get(obj, p)),
      invoke: (obj, path, ...args) => {
        const keys = toPath(path, obj);
        const parent = keys.length > 1 ? get(obj, keys.slice(0, -1)) : obj;
        const fn = parent == null ? undefined : parent[keys[keys.length - 1]];
        return fn == null ? undefined : fn.apply(parent, args);
      },
      functions: (obj) => F.keys(obj).filter((k) => typeof obj[k] === 'function'),
      create: (proto, props) => F.assign(Object.create(proto), props),

      // Lang
      clone,
      cloneDeep,
      cloneWith: (v, fn) => {
        const r = fn ? fn(v) : undefined;
        return r === undefined ? clone(v) : r;
      },
      cloneDeepWith: (v, fn) => {
        const r = fn ? fn(v) : undefined;
        return r === undefined ? cloneDeep(v) : r;
      },
      isEqual: (a, b) => isEqual(a, b),
      isEqualWith: (a, b, fn) => {
        const r = fn ? fn(a, b) : undefined;
        return r === undefined ? isEqual(a, b) : !!r;
      },
      isMatch: (obj, src) => isMatch(obj, src),
      isEmpty(v) {
        if (v == null) return true;
        if (isArrayLike(v) && (Array.isArray(v) || typeof v === 'string' || typeof v.splice === 'function'
          || ArrayBuffer.isView(v) || tagOf(v) === '[object Arguments]')) return !v.length;
        if (v instanceof Map || v instanceof Set) return !v.size;
        return !Object.keys(Object(v)).length;
      },
      isArray: Array.isArray,
      isArrayLike,
      isArrayLikeObject: (v) => isObjectLike(v) && isArrayLike(v),
      isArguments: (v) => tagOf(v) === '[object Arguments]',
      isArrayBuffer: (v) => v instanceof ArrayBuffer,
      isBoolean: (v) => v === true || v === false || (isObjectLike(v) && tagOf(v) === '[object Boolean]'),
      isBuffer: (v) => v instanceof Buffer,
      isDate: (v) => isObjectLike(v) && tagOf(v) === '[object Date]',
      isElement: () => false,
      isError: (v) => isObjectLike(v) && (tagOf(v) === '[object Error]' || v instanceof Error),
      isFinite: (v) => typeof v === 'number' && isFinite(v),
      isFunction,
      isInteger: (v) => typeof v === 'number' && Number.isInteger(v),
      isSafeInteger: (v) => Number.isSafeInteger(v),
      isLength,
      isMap: (v) => v instanceof Map,
      isSet: (v) => v instanceof Set,
      isNaN: (v) => isNumber(v) && +v !== +v,
      isNative: (v) => typeof v === 'function' && /\[native code\]/.test(Function.prototype.toString.call(v)),
      isNil: (v) => v == null,
      isNull: (v) => v === null,
      isNumber,
      isObject,
      isObjectLike,
      isPlainObject,
      isRegExp: (v) => isObjectLike(v) && tagOf(v) === '[object RegExp]',
      isString,
      isSymbol: (v) => typeof v === 'symbol',
      isTypedArray: (v) => ArrayBuffer.isView(v) && !(v instanceof DataView),
      isUndefined: (v) => v === undefined,
      isWeakMap: (v) => v instanceof WeakMap,
      isWeakSet: (v) => v instanceof WeakSet,
      eq: sameValueZero,
      gt: (a, b) => a > b,
      gte: (a, b) => a >= b,
      lt: (a, b) => a < b,
      lte: (a, b) => a <= b,
      toArray: (v) => (v == null ? [] : isString(v) ? Array.from(String(v)) : v instanceof Map || v instanceof Set
        ? Array.from(v.values()) : valuesOf(v)),
      toNumber,
      toFinite,
      toInteger,
      toSafeInteger: (v) => Math.min(Math.max(toInteger(v), -Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER),
      toLength: (v) => Math.min(Math.max(toInteger(v), 0), 4294967295),
      toString: toStr,
      toPath: (v) => toPath(v),
      toPlainObject: (v) => F.assign({}, v),

      // Math
      add: (a, b) => (a === undefined ? b : b === undefined ? a : a + b),
      subtract: (a, b) => a - b,
      multiply: (a, b) => a * b,
      divide: (a, b) => a / b,
      ceil: (n, p) => Math.ceil(n * 10 ** (p || 0)) / 10 ** (p || 0),
      floor: (n, p) => Math.floor(n * 10 ** (p || 0)) / 10 ** (p || 0),
      round: (n, p) => Math.round(n * 10 ** (p || 0)) / 10 ** (p || 0),
      max: (arr) => extremum(arr, identity, (a, b) => a > b),
      maxBy: (arr, fn) => extremum(arr, fn, (a, b) => a > b),
      min: (arr) => extremum(arr, identity, (a, b) => a < b),
      minBy: (arr, fn) => extremum(arr, fn, (a, b) => a < b),
      sum: (arr) => (arr && arr.length ? sumBy(arr, identity) : 0),
      sumBy: (arr, fn) => (arr && arr.length ? sumBy(arr, fn) : 0),
      mean: (arr) => F.meanBy(arr, identity),
      meanBy: (arr, fn) => (arr && arr.length ? sumBy(arr, fn) / arr.length : NaN),
      clamp: (n, lower, upper) => {
        if (upper === undefined) [lower, upper] = [undefined, lower];
        n = toNumber(n);
        if (upper !== undefined) n = Math.min(n, toNumber(upper));
        if (lower !== undefined) n = Math.max(n, toNumber(lower));
        return n;
      },
      inRange: (n, start, end) => {
        if (end === undefined) [start, end] = [0, start];
        [start, end] = [Math.min(start, end), Math.max(start, end)];
        return n >= start && n < end;
      },
      random: randomNumber,

      // Strings
      camelCase: (s) => caseWords(s).reduce((out, w, i) => {
        w = w.toLowerCase();
        return out + (i ? upperFirst(w) : w);
      }, ''),
      kebabCase: (s) => caseWords(s).map((w) => w.toLowerCase()).join('-'),
      snakeCase: (s) => caseWords(s).map((w) => w.toLowerCase()).join('_'),
      lowerCase: (s) => caseWords(s).map((w) => w.toLowerCase()).join(' '),
      upperCase: (s) => caseWords(s).map((w) => w.toUpperCase()).join(' '),
      startCase: (s) => caseWords(s).map(upperFirst).join(' '),
      capitalize: (s) => upperFirst(toStr(s).toLowerCase()),
      upperFirst,
      lowerFirst,
      deburr,
      words,
      toLower: (s) => toStr(s).toLowerCase(),
      toUpper: (s) => toStr(s).toUpperCase(),
      trim: (s, chars) => trimChars(s, chars, true, true),
      trimStart: (s, chars) => trimChars(s, chars, true, false),
      trimEnd: (s, chars) => trimChars(s, chars, false, true),
      pad: (s, n, chars) => {
        s = toStr(s);
        const total = toInteger(n) - s.length;
        if (total <= 0) return s;
        return padding(Math.floor(total / 2), chars) + s + padding(Math.ceil(total / 2), chars);
      },
      padStart: (s, n, chars) => padding(toInteger(n) - toStr(s).length, chars) + toStr(s),
      padEnd: (s, n, chars) => toStr(s) + padding(toInteger(n) - toStr(s).length, chars),
      repeat: (s, n) => (n === undefined ? toStr(s) : toStr(s).repeat(Math.max(toInteger(n), 0))),
      startsWith: (s, target, pos) => toStr(s).startsWith(toStr(target), pos === undefined ? 0 : toInteger(pos)),
      endsWith: (s, target, pos) => toStr(s).endsWith(toStr(target), pos === undefined ? undefined : toInteger(pos)),
      replace: (s, pattern, replacement) => toStr(s).replace(pattern, replacement),
      split: (s, sep, limit) => toStr(s).split(sep, limit),
      parseInt: (s, radix) => parseInt(toStr(s).trim(), radix || (/^0x/i.test(toStr(s).trim()) ? 16 : 10)),
      escape: (s) => toStr(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]),
      unescape: (s) => toStr(s).replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ({ '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" })[e]),
      escapeRegExp: (s) => toStr(s).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'),
      truncate: (s, opts) => {
        s = toStr(s);
        opts = opts || {};
        const length = opts.length === undefined ? 30 : toInteger(opts.length);
        const omission = opts.omission === undefined ? '...' : toStr(opts.omission);
        if (s.length <= length) return s;
        let cut = s.slice(0, Math.max(length - omission.length, 0));
        const sep = opts.separator;
        if (sep !== undefined) {
          let at = -1;
          if (sep instanceof RegExp) {
            const re = new RegExp(sep.source, sep.flags.indexOf('g') < 0 ? sep.flags + 'g' : sep.flags);
            let m;
            while ((m = re.exec(cut)) && m[0].length >= 0) {
              at = m.index;
              if (!m[0].length) re.lastIndex++;
            }
          } else {
            at = cut.lastIndexOf(toStr(sep));
          }
          if (at > -1) cut = cut.slice(0, at);
        }
        return cut + omission;
      },

      // Utilities and functions
      identity,
      noop: () => undefined,
      constant: (v) => () => v,
      iteratee,
      property,
      propertyOf: (obj) => (path) => get(obj, path),
      matches,
      matchesProperty,
      range: (start, end, step) => baseRange(start, end, step, false),
      rangeRight: (start, end, step) => baseRange(start, end, step, true),
      times: (n, fn) => {
        const f = fn === undefined ? identity : fn;
        return Array.from({ length: Math.max(toInteger(n), 0) }, (_, i) => f(i));
      },
      now: () => Date.now(),
      defaultTo: (v, d) => (v == null || v !== v ? d : v),
      attempt: (fn, ...args) => {
        try {
          return fn(...args);
        } catch (e) {
          return e instanceof Error ? e : new Error(e);
        }
      },
      stubArray: () => [],
      stubObject: () => ({}),
      stubString: () => '',
      stubTrue: () => true,
      stubFalse: () => false,
      once: (fn) => {
        let done = false;
        let result;
        return function (...args) {
          if (!done) {
            done = true;
            result = fn.apply(this, args);
            fn = undefined;
          }
          return result;
        };
      },
      before: (n, fn) => {
        let result;
        return function (...args) {
          if (--n > 0) result = fn.apply(this, args);
          return result;
        };
      },
      after: (n, fn) => function (...args) {
        if (--n < 1) return fn.apply(this, args);
        return undefined;
      },
      negate: (fn) => function (...args) {
        return !fn.apply(this, args);
      },
      memoize: (fn, resolver) => {
        const memo = function (...args) {
          const key = resolver ? resolver.apply(this, args) : args[0];
          if (memo.cache.has(key)) return memo.cache.get(key);
          const value = fn.apply(this, args);
          memo.cache.set(key, value);
          return value;
        };
        memo.cache = new Map();
        return memo;
      },
      partial: (fn, ...bound) => function (...args) {
        return fn.apply(this, bound.concat(args));
      },
      flow: (...fns) => {
        fns = baseFlatten(fns, 1, []);
        return function (...args) {
          let r = fns.length ? fns[0].apply(this, args) : args[0];
          for (let i = 1; i < fns.length; i++) r = fns[i].call(this, r);
          return r;
        };
      },
      delay: (fn, wait, ...args) => g.setTimeout(() => fn(...args), toNumber(wait) || 0),
      defer: (fn, ...args) => g.setTimeout(() => fn(...args), 1),
      tap: (v, fn) => {
        fn(v);
        return v;
      },
      thru: (v, fn) => fn(v),
    };
    F.each = F.forEach;
    F.eachRight = F.forEachRight;
    F.first = F.head;
    F.entries = F.toPairs;
    F.entriesIn = F.toPairs;
    F.toPairsIn = F.toPairs;
    F.extend = F.assign;
    F.assignIn = F.assign;
    F.forIn = F.forOwn;
    F.findLastKey = (obj, fn) => F.keys(obj).reverse().find((k) => it(fn)(obj[k], k, obj));
    F.findKey = (obj, fn) => F.keys(obj).find((k) => it(fn)(obj[k], k, obj));
    F.concat = (arr, ...rest) => [].concat(Array.isArray(arr) ? arr : [arr], ...rest.map((v) => (Array.isArray(v) ? v : [v])));
    return F;
  }

  // Methods that end an implicit chain: `_([1, 2]).head()` is 1, not a wrapper.
  const UNCHAINED = new Set(('add attempt camelCase capitalize ceil clamp clone cloneDeep cloneDeepWith cloneWith '
    + 'deburr defaultTo divide each eachRight endsWith eq escape escapeRegExp every find findIndex findKey '
    + 'findLast findLastIndex findLastKey first floor forEach forEachRight forIn forOwn get gt gte has hasIn '
    + 'head identity includes indexOf inRange invoke join kebabCase last lastIndexOf lowerCase lowerFirst lt '
    + 'lte max maxBy mean meanBy min minBy multiply noop now nth pad padEnd padStart parseInt random reduce '
    + 'reduceRight repeat result round sample size snakeCase some startCase startsWith subtract sum sumBy times '
    + 'toFinite toInteger toLength toLower toNumber toSafeInteger toString toUpper trim trimEnd trimStart '
    + 'truncate unescape uniqueId upperCase upperFirst words contains include any all detect findWhere '
    + 'foldl foldr inject trunc padLeft padRight trimLeft trimRight').split(' '));

  /** Builds a callable `_` with the given functions and chaining wrappers. */
  function makeLodash(extra) {
    let idCounter = 0;
    function Wrapper(value, explicit) {
      this.__wrapped__ = value;
      this.__chain__ = !!explicit;
    }
    const _ = function lodash(value) {
      return value instanceof Wrapper ? value : new Wrapper(value, false);
    };
    const install = (name, fn) => {
      _[name] = fn;
      Wrapper.prototype[name] = function (...args) {
        const result = fn(this.__wrapped__, ...args);
        return this.__chain__ || !(UNCHAINED.has(name) || /^is[A-Z]/.test(name)) ? new Wrapper(result, this.__chain__) : result;
      };
    };
    const F = Object.assign(lodashFunctions(), extra || {});
    for (const name of Object.keys(F)) install(name, F[name]);
    _.uniqueId = (prefix) => toStr(prefix) + ++idCounter;
    _.chain = (value) => new Wrapper(value instanceof Wrapper ? value.__wrapped__ : value, true);
    _.mixin = (obj, source) => {
      if (source !== undefined) obj = source;
      for (const name of Object.keys(Object(obj))) if (typeof obj[name] === 'function') install(name, obj[name]);
      return _;
    };
    _.noConflict = () => _;
    _.runInContext = () => makeLodash(extra);
    _.templateSettings = { escape: /<%-([\s\S]+?)%>/g, evaluate: /<%([\s\S]+?)%>/g, interpolate: /<%=([\s\S]+?)%>/g };
    Object.assign(Wrapper.prototype, {
      value() {
        return this.__wrapped__;
      },
      chain() {
        return new Wrapper(this.__wrapped__, true);
      },
      commit() {
        return this;
      },
      toString() {
        return toStr(this.__wrapped__);
      },
    });
    Wrapper.prototype.valueOf = Wrapper.prototype.value;
    Wrapper.prototype.toJSON = Wrapper.prototype.value;
    Wrapper.prototype.run = Wrapper.prototype.value;
    for (const name of ['push', 'pop', 'shift', 'unshift', 'sort', 'splice']) {
      Wrapper.prototype[name] = function (...args) {
        const result = Array.prototype[name].apply(this.__wrapped__, args);
        return name === 'pop' || name === 'shift' ? result : new Wrapper(name === 'splice' ? result : this.__wrapped__, this.__chain__);
      };
    }
    _.prototype = Wrapper.prototype;
    return _;
  }

  /** lodash 3 names (Postman's legacy `_` global is lodash 3.10). */
  function lodash3Extras() {
    const F = lodashFunctions();
    return {
      pluck: (coll, path) => F.map(coll, property(path)),
      contains: F.includes,
      include: F.includes,
      any: F.some,
      all: F.every,
      collect: F.map,
      detect: F.find,
      select: F.filter,
      foldl: F.reduce,
      inject: F.reduce,
      foldr: F.reduceRight,
      where: (coll, src) => F.filter(coll, matches(src)),
      findWhere: (coll, src) => F.find(coll, matches(src)),
      indexBy: F.keyBy,
      rest: F.tail,
      object: (keys, vals) => (vals === undefined && Array.isArray(keys) && Array.isArray(keys[0]) ? F.fromPairs(keys) : F.zipObject(keys, vals)),
      pairs: F.toPairs,
      methods: F.functions,
      unique: F.uniq,
      sortByOrder: F.orderBy,
      trunc: (s, opts) => F.truncate(s, typeof opts === 'number' ? { length: opts } : opts),
      padLeft: F.padStart,
      padRight: F.padEnd,
      trimLeft: F.trimStart,
      trimRight: F.trimEnd,
      max: (coll, fn) => extremum(valuesOf(coll), fn, (a, b) => a > b) ?? -Infinity,
      min: (coll, fn) => extremum(valuesOf(coll), fn, (a, b) => a < b) ?? Infinity,
      sum: (coll, fn) => sumBy(valuesOf(coll), fn) || 0,
    };
  }

  const lodash4 = makeLodash();
  lodash4.VERSION = '4.17.21';
  const lodashGlobal = makeLodash(lodash3Extras());
  lodashGlobal.VERSION = '3.10.1';

  // ------------------------------------------------------------------------------------------------
  // moment 2 (English locale): parsing, formatting, arithmetic, comparisons, durations

  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
    'October', 'November', 'December'];
  const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const LOCALE_FORMATS = { LTS: 'h:mm:ss A', LT: 'h:mm A', L: 'MM/DD/YYYY', LL: 'MMMM D, YYYY',
    LLL: 'MMMM D, YYYY h:mm A', LLLL: 'dddd, MMMM D, YYYY h:mm A', l: 'M/D/YYYY', ll: 'MMM D, YYYY',
    lll: 'MMM D, YYYY h:mm A', llll: 'ddd, MMM D, YYYY h:mm A' };
  const UNIT_ALIASES = { y: 'year', Q: 'quarter', M: 'month', w: 'week', W: 'isoWeek', d: 'day', D: 'date',
    h: 'hour', m: 'minute', s: 'second', ms: 'millisecond', E: 'isoWeekday', e: 'weekday', DDD: 'dayOfYear',
    isoweek: 'isoWeek', isoweeks: 'isoWeek', isoweekday: 'isoWeekday', isoweekdays: 'isoWeekday',
    dayofyear: 'dayOfYear', dayofyears: 'dayOfYear', dates: 'date', weekdays: 'weekday' };

  /** 'days' | 'd' | 'Day' -> 'day' (short aliases are case sensitive, like moment's). */
  function normalizeUnit(unit) {
    if (unit == null) return undefined;
    unit = String(unit);
    if (hasOwn(UNIT_ALIASES, unit)) return UNIT_ALIASES[unit];
    const lower = unit.toLowerCase();
    if (hasOwn(UNIT_ALIASES, lower) && lower.length > 2) return UNIT_ALIASES[lower];
    const single = lower.replace(/s$/, '');
    const known = ['year', 'quarter', 'month', 'week', 'day', 'date', 'hour', 'minute', 'second', 'millisecond',
      'weekday'];
    return known.indexOf(single) >= 0 ? single : undefined;
  }

  const pad0 = (n, width) => {
    const s = String(Math.abs(n));
    return (n < 0 ? '-' : '') + (s.length >= width ? s : '0'.repeat(width - s.length) + s);
  };
  const absFloor = (n) => (n < 0 ? Math.ceil(n) || 0 : Math.floor(n));
  const isLeap = (y) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const daysInMonth = (y, m) => {
    const mm = ((m % 12) + 12) % 12;
    return mm === 1 ? (isLeap(y + (m - mm) / 12) ? 29 : 28) : 31 - ((mm % 7) % 2);
  };
  const ordinal = (n) => {
    const b = n % 10;
    const suffix = Math.floor((n % 100) / 10) === 1 ? 'th' : b === 1 ? 'st' : b === 2 ? 'nd' : b === 3 ? 'rd' : 'th';
    return n + suffix;
  };

  /** Milliseconds of a UTC wall-clock time (years below 100 kept as such). */
  function utcMs(y, M, D, h, m, s, ms) {
    const d = new Date(Date.UTC(2000, M, D, h, m, s, ms));
    d.setUTCFullYear(d.getUTCFullYear() - 2000 + y);
    return d.getTime();
  }

  function localMs(y, M, D, h, m, s, ms) {
    const d = new Date(2000, M, D, h, m, s, ms);
    d.setFullYear(d.getFullYear() - 2000 + y);
    return d.getTime();
  }

  /** Offset of the week that holds the first 'first-week day' of the year (dow: week start, doy: rule). */
  function firstWeekOffset(year, dow, doy) {
    const fwd = 7 + dow - doy;
    const fwdlw = (7 + new Date(utcMs(year, 0, fwd, 0, 0, 0, 0)).getUTCDay() - dow) % 7;
    return -fwdlw + fwd - 1;
  }
  const daysInYear = (y) => (isLeap(y) ? 366 : 365);
  const weeksInYear = (y, dow, doy) => (daysInYear(y) - firstWeekOffset(y, dow, doy) + firstWeekOffset(y + 1, dow, doy)) / 7;

  function weekOfYear(year, dayOfYear, dow, doy) {
    const week = Math.floor((dayOfYear - firstWeekOffset(year, dow, doy) - 1) / 7) + 1;
    if (week < 1) return { week: week + weeksInYear(year - 1, dow, doy), year: year - 1 };
    if (week > weeksInYear(year, dow, doy)) return { week: week - weeksInYear(year, dow, doy), year: year + 1 };
    return { week, year };
  }

  class Moment {
    constructor(time, utc, offset) {
      this._t = time;
      this._isUTC = !!utc;
      this._offset = utc ? offset || 0 : undefined;
      this._isAMomentObject = true;
    }

    /** Wall-clock fields in this moment's zone. */
    _f() {
      if (this._isUTC) {
        const d = new Date(this._t + this._offset * 60000);
        return { y: d.getUTCFullYear(), M: d.getUTCMonth(), D: d.getUTCDate(), h: d.getUTCHours(),
          m: d.getUTCMinutes(), s: d.getUTCSeconds(), ms: d.getUTCMilliseconds(), day: d.getUTCDay() };
      }
      const d = new Date(this._t);
      return { y: d.getFullYear(), M: d.getMonth(), D: d.getDate(), h: d.getHours(), m: d.getMinutes(),
        s: d.getSeconds(), ms: d.getMilliseconds(), day: d.getDay() };
    }

    /** Set this moment from wall-clock fields in its zone. */
    _setF(f) {
      if (this._t !== this._t) return this;
      this._t = this._isUTC ? utcMs(f.y, f.M, f.D, f.h, f.m, f.s, f.ms) - this._offset * 60000
        : localMs(f.y, f.M, f.D, f.h, f.m, f.s, f.ms);
      return this;
    }

    _with(changes) {
      const f = Object.assign(this._f(), changes);
      if ('M' in changes || 'y' in changes) f.D = Math.min(f.D, daysInMonth(f.y, f.M));
      return this._setF(f);
    }

    clone() {
      return new Moment(this._t, this._isUTC, this._offset);
    }

    isValid() {
      return this._t === this._t;
    }

    valueOf() {
      return this._t;
    }

    unix() {
      return Math.floor(this._t / 1000);
    }

    toDate() {
      return new Date(this._t);
    }

    toISOString(keepOffset) {
      if (!this.isValid()) return null;
      if (keepOffset) return this.format('YYYY-MM-DD[T]HH:mm:ss.SSSZ');
      const y = new Date(this._t).getUTCFullYear();
      if (y < 0 || y > 9999) return moment.utc(this._t).format('YYYYYY-MM-DD[T]HH:mm:ss.SSS[Z]');
      return new Date(this._t).toISOString();
    }

    toJSON() {
      return this.isValid() ? this.toISOString() : null;
    }

    toString() {
      return this.isValid() ? this.format('ddd MMM DD YYYY HH:mm:ss [GMT]ZZ') : 'Invalid date';
    }

    toArray() {
      const f = this._f();
      return [f.y, f.M, f.D, f.h, f.m, f.s, f.ms];
    }

    toObject() {
      const f = this._f();
      return { years: f.y, months: f.M, date: f.D, hours: f.h, minutes: f.m, seconds: f.s, milliseconds: f.ms };
    }

    locale(name) {
      return name === undefined ? 'en' : this;
    }

    lang(name) {
      return this.locale(name);
    }

    utcOffset(input, keepLocalTime) {
      if (input === undefined || input === null) {
        return this._isUTC ? this._offset : -Math.round(new Date(this._t).getTimezoneOffset());
      }
      let minutes = typeof input === 'string' ? parseOffset(input) : +input;
      if (minutes === null) return this;
      if (Math.abs(minutes) < 16 && typeof input !== 'string') minutes *= 60;
      const f = this._f();
      this._isUTC = true;
      this._offset = minutes;
      if (keepLocalTime) this._setF(f);
      return this;
    }

    utc(keepLocalTime) {
      return this.utcOffset(0, keepLocalTime);
    }

    local(keepLocalTime) {
      if (this._isUTC) {
        const f = this._f();
        this._isUTC = false;
        this._offset = undefined;
        if (keepLocalTime) this._setF(f);
      }
      return this;
    }

    isUTC() {
      return this._isUTC && this._offset === 0;
    }

    isLocal() {
      return !this._isUTC;
    }

    isUtcOffset() {
      return this._isUTC;
    }

    isDST() {
      if (this._isUTC) return false;
      const y = this._f().y;
      const jan = -new Date(localMs(y, 0, 1, 0, 0, 0, 0)).getTimezoneOffset();
      const jul = -new Date(localMs(y, 6, 1, 0, 0, 0, 0)).getTimezoneOffset();
      return this.utcOffset() > Math.min(jan, jul);
    }

    zoneAbbr() {
      return this._isUTC ? 'UTC' : '';
    }

    zoneName() {
      return this.zoneAbbr();
    }

    format(pattern) {
      if (!this.isValid()) return 'Invalid date';
      if (pattern === undefined) pattern = this.isUTC() ? moment.defaultFormatUtc : moment.defaultFormat;
      return formatMoment(this, String(pattern));
    }

    add(amount, unit) {
      return addDuration(this, amount, unit, 1);
    }

    subtract(amount, unit) {
      return addDuration(this, amount, unit, -1);
    }

    startOf(unit) {
      unit = normalizeUnit(unit);
      if (!unit || unit === 'millisecond' || !this.isValid()) return this;
      const f = this._f();
      const reset = { year: 1, quarter: 1, month: 2, week: 3, isoWeek: 3, day: 3, date: 3, hour: 4, minute: 5, second: 6 }[unit];
      if (reset === undefined) return this;
      if (unit === 'year') f.M = 0;
      if (unit === 'quarter') f.M -= f.M % 3;
      if (reset <= 2) f.D = 1;
      if (unit === 'week') f.D -= f.day;
      if (unit === 'isoWeek') f.D -= (f.day + 6) % 7;
      if (reset <= 3) f.h = 0;
      if (reset <= 4) f.m = 0;
      if (reset <= 5) f.s = 0;
      f.ms = 0;
      return this._setF(f);
    }

    endOf(unit) {
      unit = normalizeUnit(unit);
      if (!unit || unit === 'millisecond' || !this.isValid()) return this;
      const step = unit === 'isoWeek' ? 'week' : unit === 'date' ? 'day' : unit;
      return this.startOf(unit).add(1, step).subtract(1, 'ms');
    }

    diff(input, unit, asFloat) {
      const that = toMoment(input);
      if (!this.isValid() || !that.isValid()) return NaN;
      unit = normalizeUnit(unit);
      const zoneDelta = (that.utcOffset() - this.utcOffset()) * 6e4;
      let out;
      switch (unit) {
        case 'year': out = monthDiff(this, that) / 12; break;
        case 'quarter': out = monthDiff(this, that) / 3; break;
        case 'month': out = monthDiff(this, that); break;
        case 'week': out = (this._t - that._t - zoneDelta) / 6048e5; break;
        case 'day': out = (this._t - that._t - zoneDelta) / 864e5; break;
        case 'hour': out = (this._t - that._t) / 36e5; break;
        case 'minute': out = (this._t - that._t) / 6e4; break;
        case 'second': out = (this._t - that._t) / 1e3; break;
        default: out = this._t - that._t;
      }
      return asFloat ? out : absFloor(out);
    }

    isBefore(input, unit) {
      return compareMoments(this, input, unit) < 0;
    }

    isAfter(input, unit) {
      return compareMoments(this, input, unit) > 0;
    }

    isSame(input, unit) {
      return compareMoments(this, input, unit) === 0;
    }

    isSameOrBefore(input, unit) {
      const c = compareMoments(this, input, unit);
      return c === 0 || c < 0;
    }

    isSameOrAfter(input, unit) {
      const c = compareMoments(this, input, unit);
      return c === 0 || c > 0;
    }

    isBetween(from, to, unit, inclusivity) {
      inclusivity = inclusivity || '()';
      const a = compareMoments(this, from, unit);
      const b = compareMoments(this, to, unit);
      return (inclusivity[0] === '(' ? a > 0 : a >= 0) && (inclusivity[1] === ')' ? b < 0 : b <= 0);
    }

    from(input, withoutSuffix) {
      const that = toMoment(input);
      if (!this.isValid() || !that.isValid()) return 'Invalid date';
      return humanize(new Duration({ ms: this._t - that._t }), !withoutSuffix);
    }

    fromNow(withoutSuffix) {
      return this.from(moment(), withoutSuffix);
    }

    to(input, withoutSuffix) {
      return toMoment(input).from(this, withoutSuffix);
    }

    toNow(withoutSuffix) {
      return this.to(moment(), withoutSuffix);
    }

    calendar(reference, formats) {
      const ref = reference === undefined ? moment() : toMoment(reference);
      const days = this.diff(ref.clone().utcOffset(this.utcOffset()).startOf('day'), 'days', true);
      const kind = days < -6 ? 'sameElse' : days < -1 ? 'lastWeek' : days < 0 ? 'lastDay' : days < 1 ? 'sameDay'
        : days < 2 ? 'nextDay' : days < 7 ? 'nextWeek' : 'sameElse';
      const defaults = { sameDay: '[Today at] LT', nextDay: '[Tomorrow at] LT', nextWeek: 'dddd [at] LT',
        lastDay: '[Yesterday at] LT', lastWeek: '[Last] dddd [at] LT', sameElse: 'L' };
      let fmt = (formats && formats[kind]) || defaults[kind];
      if (typeof fmt === 'function') fmt = fmt.call(this, ref);
      return this.format(fmt);
    }

    daysInMonth() {
      const f = this._f();
      return daysInMonth(f.y, f.M);
    }

    isLeapYear() {
      return isLeap(this._f().y);
    }

    dayOfYear(value) {
      const f = this._f();
      const doy = Math.round((utcMs(f.y, f.M, f.D, 0, 0, 0, 0) - utcMs(f.y, 0, 1, 0, 0, 0, 0)) / 864e5) + 1;
      return value === undefined ? doy : this.add(value - doy, 'd');
    }

    week(value) {
      const w = weekOfYear(this._f().y, this.dayOfYear(), 0, 6).week;
      return value === undefined ? w : this.add((value - w) * 7, 'd');
    }

    isoWeek(value) {
      const w = weekOfYear(this._f().y, this.dayOfYear(), 1, 4).week;
      return value === undefined ? w : this.add((value - w) * 7, 'd');
    }

    weekYear() {
      return weekOfYear(this._f().y, this.dayOfYear(), 0, 6).year;
    }

    isoWeekYear() {
      return weekOfYear(this._f().y, this.dayOfYear(), 1, 4).year;
    }

    weeksInYear() {
      return weeksInYear(this._f().y, 0, 6);
    }

    isoWeeksInYear() {
      return weeksInYear(this._f().y, 1, 4);
    }

    day(value) {
      const d = this._f().day;
      if (value === undefined) return d;
      if (typeof value === 'string') value = parseWeekday(value);
      return this.add(value - d, 'd');
    }

    weekday(value) {
      return this.day(value);
    }

    isoWeekday(value) {
      const d = this._f().day || 7;
      if (value === undefined) return d;
      if (typeof value === 'string') value = parseWeekday(value) || 7;
      return this.add(value - d, 'd');
    }

    quarter(value) {
      const q = Math.floor(this._f().M / 3) + 1;
      return value === undefined ? q : this._with({ M: (value - 1) * 3 + (this._f().M % 3) });
    }

    get(unit) {
      unit = normalizeUnit(unit);
      return typeof this[unit] === 'function' ? this[unit]() : undefined;
    }

    set(unit, value) {
      if (isObjectLike(unit)) {
        const order = ['year', 'quarter', 'month', 'week', 'isoWeek', 'date', 'day', 'weekday', 'isoWeekday',
          'dayOfYear', 'hour', 'minute', 'second', 'millisecond'];
        const units = Object.keys(unit).map((k) => [normalizeUnit(k), unit[k]]).filter((p) => p[0]);
        units.sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
        for (const [u, v] of units) this.set(u, v);
        return this;
      }
      unit = normalizeUnit(unit);
      return typeof this[unit] === 'function' ? this[unit](value) : this;
    }

    max(...args) {
      return moment.max(this, ...args);
    }

    min(...args) {
      return moment.min(this, ...args);
    }
  }

  // year/month/date/hour/... getters and setters (plural aliases too)
  for (const [name, key, plural] of [['year', 'y', 'years'], ['month', 'M', 'months'], ['date', 'D', 'dates'],
    ['hour', 'h', 'hours'], ['minute', 'm', 'minutes'], ['second', 's', 'seconds'],
    ['millisecond', 'ms', 'milliseconds']]) {
    Moment.prototype[name] = function (value) {
      if (value === undefined) return this.isValid() ? this._f()[key] : NaN;
      if (key === 'M' && typeof value === 'string') {
        value = /^\d+$/.test(value) ? +value : parseMonth(value);
        if (value === undefined) return this;
      }
      return this._with({ [key]: +value });
    };
    Moment.prototype[plural] = Moment.prototype[name];
  }
  Moment.prototype.days = Moment.prototype.day;
  Moment.prototype.weeks = Moment.prototype.week;
  Moment.prototype.isoWeeks = Moment.prototype.isoWeek;
  Moment.prototype.quarters = Moment.prototype.quarter;
  Moment.prototype.isUtc = Moment.prototype.isUTC;

  function parseMonth(name) {
    const s = String(name).toLowerCase();
    const i = MONTHS.findIndex((m) => m.toLowerCase() === s || m.slice(0, 3).toLowerCase() === s);
    return i < 0 ? undefined : i;
  }

  function parseWeekday(name) {
    const s = String(name).toLowerCase();
    const i = WEEKDAYS.findIndex((d) => d.toLowerCase() === s || d.slice(0, 3).toLowerCase() === s
      || d.slice(0, 2).toLowerCase() === s);
    return i < 0 ? NaN : i;
  }

  /** '+05:30' / '-0800' / 'Z' -> minutes, or null. Takes the last offset found in a longer string. */
  function parseOffset(str) {
    const found = String(str).match(/Z|[+-]\d\d(?::?\d\d)?/gi);
    if (!found) return null;
    const last = found[found.length - 1];
    if (last.toUpperCase() === 'Z') return 0;
    const sign = last[0] === '-' ? -1 : 1;
    const digits = last.slice(1).replace(':', '');
    return sign * (parseInt(digits.slice(0, 2), 10) * 60 + (parseInt(digits.slice(2), 10) || 0));
  }

  function monthDiff(a, b) {
    if (a.date() < b.date()) return -monthDiff(b, a);
    const whole = (b.year() - a.year()) * 12 + (b.month() - a.month());
    const anchor = a.clone().add(whole, 'months');
    let adjust;
    if (b._t - anchor._t < 0) {
      const anchor2 = a.clone().add(whole - 1, 'months');
      adjust = (b._t - anchor._t) / (anchor._t - anchor2._t);
    } else {
      const anchor2 = a.clone().add(whole + 1, 'months');
      adjust = (b._t - anchor._t) / (anchor2._t - anchor._t);
    }
    return -(whole + adjust) || 0;
  }

  function compareMoments(a, input, unit) {
    const b = toMoment(input);
    if (!a.isValid() || !b.isValid()) return NaN;
    unit = normalizeUnit(unit) || 'millisecond';
    if (unit === 'millisecond') return a._t - b._t;
    const start = a.clone().startOf(unit)._t;
    const end = a.clone().endOf(unit)._t;
    return b._t < start ? 1 : b._t > end ? -1 : 0;
  }

  function addDuration(mom, amount, unit, sign) {
    if (typeof amount === 'string' && typeof unit === 'number') [amount, unit] = [unit, amount]; // legacy add('days', 1)
    const dur = amount instanceof Duration ? amount : moment.duration(amount, unit);
    if (!mom.isValid()) return mom;
    const months = Math.round(dur._months) * sign;
    const days = Math.round(dur._days) * sign;
    if (months) {
      const f = mom._f();
      const target = f.M + months;
      f.y += Math.floor(target / 12);
      f.M = ((target % 12) + 12) % 12;
      f.D = Math.min(f.D, daysInMonth(f.y, f.M));
      mom._setF(f);
    }
    if (days) {
      const f = mom._f();
      f.D += days;
      mom._setF(f);
    }
    if (dur._ms) mom._t += dur._ms * sign;
    return mom;
  }

  // ---- formatting

  const FORMAT_TOKENS = /\[[^\]]*\]|YYYYYY|YYYYY|YYYY|YY|Y|Qo|Q|MMMM|MMM|Mo|MM|M|DDDD|DDDo|DDD|Do|DD|D|dddd|ddd|do|dd|d|E|e|wo|ww|w|Wo|WW|W|gggg|gg|GGGG|GG|HH|H|hh|h|kk|k|mm|m|ss|s|S{1,9}|A|a|X|x|ZZ|Z|zz|z|LTS|LT|LLLL|LLL|LL|L|llll|lll|ll|l|[\s\S]/g;

  function expandLocale(pattern) {
    return pattern.replace(/\[[^\]]*\]|LTS|LT|LLLL|LLL|LL|L|llll|lll|ll|l/g, (tok) => {
      if (tok[0] === '[') return tok;
      return LOCALE_FORMATS[tok];
    });
  }

  function formatMoment(mom, pattern) {
    const f = mom._f();
    const offset = mom.utcOffset();
    const zone = (sep) => (offset < 0 ? '-' : '+') + pad0(Math.floor(Math.abs(offset) / 60), 2) + sep
      + pad0(Math.abs(offset) % 60, 2);
    const h12 = f.h % 12 || 12;
    return expandLocale(pattern).replace(FORMAT_TOKENS, (tok) => {
      if (tok[0] === '[') return tok.slice(1, -1);
      if (/^S+$/.test(tok)) return pad0(f.ms, 3).padEnd(tok.length, '0').slice(0, tok.length);
      switch (tok) {
        case 'YYYYYY': return (f.y < 0 ? '-' : '+') + pad0(Math.abs(f.y), 6);
        case 'YYYYY': return pad0(f.y, 5);
        case 'YYYY': return f.y <= 9999 ? pad0(f.y, 4) : '+' + f.y;
        case 'YY': return pad0(f.y % 100, 2);
        case 'Y': return f.y <= 9999 ? String(f.y) : '+' + f.y;
        case 'Q': return String(Math.floor(f.M / 3) + 1);
        case 'Qo': return ordinal(Math.floor(f.M / 3) + 1);
        case 'M': return String(f.M + 1);
        case 'Mo': return ordinal(f.M + 1);
        case 'MM': return pad0(f.M + 1, 2);
        case 'MMM': return MONTHS[f.M].slice(0, 3);
        case 'MMMM': return MONTHS[f.M];
        case 'D': return String(f.D);
        case 'Do': return ordinal(f.D);
        case 'DD': return pad0(f.D, 2);
        case 'DDD': return String(mom.dayOfYear());
        case 'DDDo': return ordinal(mom.dayOfYear());
        case 'DDDD': return pad0(mom.dayOfYear(), 3);
        case 'd': case 'e': return String(f.day);
        case 'do': return ordinal(f.day);
        case 'dd': return WEEKDAYS[f.day].slice(0, 2);
        case 'ddd': return WEEKDAYS[f.day].slice(0, 3);
        case 'dddd': return WEEKDAYS[f.day];
        case 'E': return String(f.day || 7);
        case 'w': return String(mom.week());
        case 'wo': return ordinal(mom.week());
        case 'ww': return pad0(mom.week(), 2);
        case 'W': return String(mom.isoWeek());
        case 'Wo': return ordinal(mom.isoWeek());
        case 'WW': return pad0(mom.isoWeek(), 2);
        case 'gg': return pad0(mom.weekYear() % 100, 2);
        case 'gggg': return pad0(mom.weekYear(), 4);
        case 'GG': return pad0(mom.isoWeekYear() % 100, 2);
        case 'GGGG': return pad0(mom.isoWeekYear(), 4);
        case 'H': return String(f.h);
        case 'HH': return pad0(f.h, 2);
        case 'h': return String(h12);
        case 'hh': return pad0(h12, 2);
        case 'k': return String(f.h || 24);
        case 'kk': return pad0(f.h || 24, 2);
        case 'm': return String(f.m);
        case 'mm': return pad0(f.m, 2);
        case 's': return String(f.s);
        case 'ss': return pad0(f.s, 2);
        case 'A': return f.h < 12 ? 'AM' : 'PM';
        case 'a': return f.h < 12 ? 'am' : 'pm';
        case 'X': return String(Math.floor(mom._t / 1000));
        case 'x': return String(mom._t);
        case 'Z': return zone(':');
        case 'ZZ': return zone('');
        case 'z': case 'zz': return mom.zoneAbbr();
        default: return tok;
      }
    });
  }

  // ---- parsing

  const ISO_RE = new RegExp('^\\s*([+-]\\d{6}|\\d{4})(?:-(\\d\\d)(?:-(\\d\\d))?|(\\d\\d)(\\d\\d))?'
    + '(?:[T ](\\d\\d(?::?\\d\\d(?::?\\d\\d(?:[.,]\\d+)?)?)?))?\\s*(Z|[+-]\\d\\d(?::?\\d\\d)?)?\\s*$', 'i');
  const ISO_TIME = { extended: /^(\d\d)(?::(\d\d)(?::(\d\d)(?:[.,](\d+))?)?)?$/, basic: /^(\d\d)(?:(\d\d)(?:(\d\d)(?:[.,](\d+))?)?)?$/ };

  /** ISO 8601 (moment's accepted subset) -> {fields, offset|null}, or null. Date and time must agree on
   * extended (with separators) or basic form. */
  function parseIso(str) {
    const m = ISO_RE.exec(str);
    if (!m) return null;
    let t = [];
    if (m[6]) {
      if (!m[2] && !m[4]) return null; // 'YYYY' alone may not carry a time
      t = (m[4] ? ISO_TIME.basic : ISO_TIME.extended).exec(m[6]);
      if (!t) return null;
    }
    const frac = t[4] ? Math.floor(Number('0.' + t[4]) * 1000) : 0;
    const fields = [+m[1], (+(m[2] || m[4] || 1)) - 1, +(m[3] || m[5] || 1), +(t[1] || 0), +(t[2] || 0), +(t[3] || 0), frac];
    return { fields, offset: m[7] ? parseOffset(m[7]) : null };
  }

  const PARSE_TOKENS = /\[[^\]]*\]|YYYYYY|YYYY|YY|Y|Q|MMMM|MMM|MM|M|DDDD|DDD|Do|DD|D|dddd|ddd|dd|d|E|e|HH|H|hh|h|kk|k|mm|m|ss|s|S{1,9}|A|a|X|x|ZZ|Z|ww|w|WW|W|[\s\S]/g;

  function parseTokenRegex(tok, strict) {
    if (/^S+$/.test(tok)) return strict ? new RegExp('\\d{' + tok.length + '}') : /\d+/;
    const two = strict ? /\d\d/ : /\d\d?/;
    switch (tok) {
      case 'YYYYYY': return /[+-]\d{6}/;
      case 'YYYY': return strict ? /\d{4}/ : /[+-]?\d{1,6}/;
      case 'YY': return two;
      case 'Y': return /[+-]?\d+/;
      case 'Q': case 'E': case 'e': case 'd': return /\d/;
      case 'MMMM': case 'MMM': return /[A-Za-z]+\.?/;
      case 'dddd': case 'ddd': case 'dd': return /[A-Za-z]+/;
      case 'Do': return /\d\d?(?:st|nd|rd|th)?/;
      case 'DDD': case 'DDDD': return strict ? /\d{3}/ : /\d{1,3}/;
      case 'M': case 'D': case 'H': case 'h': case 'k': case 'm': case 's': case 'w': case 'W': return /\d\d?/;
      case 'A': case 'a': return /[ap]\.?m?\.?/i;
      case 'X': return /[+-]?\d+(?:\.\d{1,3})?/;
      case 'x': return /[+-]?\d+/;
      case 'Z': case 'ZZ': return /Z|[+-]\d\d:?\d\d/i;
      default: return two;
    }
  }

  /** Parse `str` with a moment format; returns {fields, offset, time} or null when invalid. */
  function parseWithFormat(str, format, strict) {
    const tokens = expandLocale(format).match(PARSE_TOKENS) || [];
    const a = [undefined, undefined, undefined, undefined, undefined, undefined, undefined];
    let rest = String(str);
    let offset = null;
    let time = null;
    let pm = null;
    let doy = null;
    for (const tok of tokens) {
      const literal = tok[0] === '[' ? tok.slice(1, -1) : tok.length === 1 && !/[YQMDdEeHhkmsSAaXxZwW]/.test(tok) ? tok : null;
      if (literal !== null) {
        if (rest.startsWith(literal)) rest = rest.slice(literal.length);
        else if (strict) return null;
        continue;
      }
      const re = parseTokenRegex(tok, strict);
      const m = strict ? new RegExp('^(?:' + re.source + ')', re.flags).exec(rest) : re.exec(rest);
      if (!m) {
        if (strict) return null;
        continue;
      }
      const v = m[0];
      rest = rest.slice(m.index + v.length);
      switch (tok) {
        case 'YYYYYY': case 'YYYY': case 'Y': a[0] = parseInt(v, 10); break;
        case 'YY': a[0] = +v + (+v > 68 ? 1900 : 2000); break;
        case 'Q': a[1] = (+v - 1) * 3; break;
        case 'M': case 'MM': a[1] = +v - 1; break;
        case 'MMM': case 'MMMM': {
          const i = MONTHS.findIndex((name) => name.toLowerCase().startsWith(v.replace('.', '').toLowerCase())
            && v.replace('.', '').length >= 3);
          if (i < 0) return null;
          a[1] = i;
          break;
        }
        case 'D': case 'DD': case 'Do': a[2] = parseInt(v, 10); break;
        case 'DDD': case 'DDDD': doy = +v; break;
        case 'H': case 'HH': case 'h': case 'hh': case 'k': case 'kk': a[3] = +v; break;
        case 'm': case 'mm': a[4] = +v; break;
        case 's': case 'ss': a[5] = +v; break;
        case 'A': case 'a': pm = /^p/i.test(v); break;
        case 'X': time = Math.round(parseFloat(v) * 1000); break;
        case 'x': time = parseInt(v, 10); break;
        case 'Z': case 'ZZ': offset = parseOffset(v); break;
        default: if (/^S+$/.test(tok)) a[6] = Math.floor(Number('0.' + v) * 1000);
      }
    }
    if (strict && rest.length) return null;
    if (pm !== null && a[3] !== undefined) {
      if (pm && a[3] < 12) a[3] += 12;
      if (!pm && a[3] === 12) a[3] = 0;
    }
    return { a, doy, offset, time };
  }

  /** moment's defaults: fields before the first given one come from today, later ones from the start. */
  function completeFields(a, utc, doy) {
    const now = utc ? new Date() : null;
    const today = utc ? [now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()] : (() => {
      const d = new Date();
      return [d.getFullYear(), d.getMonth(), d.getDate()];
    })();
    const out = a.slice();
    let i = 0;
    for (; i < 3 && out[i] === undefined; i++) out[i] = today[i];
    for (; i < 7; i++) if (out[i] === undefined) out[i] = i === 2 ? 1 : 0;
    if (doy !== null && doy !== undefined) {
      if (doy < 1 || doy > daysInYear(out[0])) return null;
      out[1] = 0;
      out[2] = doy;
    }
    return out;
  }

  function fieldsValid(f) {
    return f[1] >= 0 && f[1] <= 11 && f[2] >= 1 && f[2] <= daysInMonth(f[0], f[1])
      && ((f[3] >= 0 && f[3] <= 23) || (f[3] === 24 && !f[4] && !f[5] && !f[6]))
      && f[4] >= 0 && f[4] <= 59 && f[5] >= 0 && f[5] <= 59 && f[6] >= 0 && f[6] <= 999;
  }

  /** Build a moment from wall-clock fields: in UTC (utc), at a parsed offset, or in local time. */
  function fromFields(f, utc, offset) {
    if (!f || !fieldsValid(f)) return new Moment(NaN, utc, 0);
    const ms = utcMs(f[0], f[1], f[2], f[3], f[4], f[5], f[6]);
    if (offset !== null && offset !== undefined) return new Moment(ms - offset * 60000, utc, utc ? 0 : undefined);
    if (utc) return new Moment(ms, true, 0);
    return new Moment(localMs(f[0], f[1], f[2], f[3], f[4], f[5], f[6]), false);
  }

  function createMoment(input, format, strict, utc) {
    if (typeof format === 'boolean') [strict, format] = [format, undefined];
    if (input === undefined) return new Moment(Date.now(), utc, 0);
    if (input === null || input === '') return new Moment(NaN, utc, 0);
    if (input instanceof Moment || (input && input._isAMomentObject)) {
      const m = new Moment(input._t, input._isUTC, input._offset);
      return utc ? m.utc() : m;
    }
    if (input instanceof Date) return new Moment(input.getTime(), utc, 0);
    if (typeof input === 'number') return new Moment(input, utc, 0);
    if (Array.isArray(input)) {
      const a = [0, 1, 2, 3, 4, 5, 6].map((i) => (input[i] === undefined ? undefined : +input[i]));
      return fromFields(completeFields(a, utc, null), utc, null);
    }
    if (isObjectLike(input) && !(input instanceof String)) {
      const get1 = (...names) => {
        for (const n of names) if (input[n] !== undefined) return +input[n];
        return undefined;
      };
      const a = [get1('year', 'years', 'y'), get1('month', 'months', 'M'), get1('date', 'dates', 'day', 'days', 'D', 'd'),
        get1('hour', 'hours', 'h'), get1('minute', 'minutes', 'm'), get1('second', 'seconds', 's'),
        get1('millisecond', 'milliseconds', 'ms')];
      return fromFields(completeFields(a, utc, null), utc, null);
    }
    const str = String(input);
    if (format !== undefined && format !== moment.ISO_8601) {
      const formats = Array.isArray(format) ? format : [format];
      for (const fmt of formats) {
        if (fmt === moment.ISO_8601) {
          const iso = parseIso(str);
          if (iso) return fromFields(iso.fields, utc, iso.offset);
          continue;
        }
        const parsed = parseWithFormat(str, String(fmt), !!strict);
        if (!parsed) continue;
        if (parsed.time !== null) return new Moment(parsed.time, utc, 0);
        const m = fromFields(completeFields(parsed.a, utc, parsed.doy), utc, parsed.offset);
        if (m.isValid()) return m;
      }
      return new Moment(NaN, utc, 0);
    }
    const iso = parseIso(str);
    if (iso) return fromFields(iso.fields, utc, iso.offset);
    if (format === moment.ISO_8601) return new Moment(NaN, utc, 0);
    return new Moment(new Date(str).getTime(), utc, 0); // RFC 2822 and whatever Date understands
  }

  const toMoment = (input) => (input instanceof Moment ? input : createMoment(input));

  // ---- durations

  const daysToMonths = (days) => (days * 4800) / 146097;
  const monthsToDays = (months) => (months * 146097) / 4800;

  class Duration {
    constructor(parts) {
      const p = (k) => +(parts[k] || 0);
      this._ms = p('ms') + p('s') * 1e3 + p('m') * 6e4 + p('h') * 36e5;
      this._days = p('d') + p('w') * 7;
      this._months = p('M') + p('Q') * 3 + p('y') * 12;
      this._isValid = [this._ms, this._days, this._months].every((n) => n === n);
      this._data = bubble(this);
    }

    as(unit) {
      unit = normalizeUnit(unit);
      if (!this._isValid) return NaN;
      if (unit === 'month' || unit === 'quarter' || unit === 'year') {
        const months = this._months + daysToMonths(this._days + this._ms / 864e5);
        return unit === 'month' ? months : unit === 'quarter' ? months / 3 : months / 12;
      }
      const days = this._days + Math.round(monthsToDays(this._months));
      switch (unit) {
        case 'week': return days / 7 + this._ms / 6048e5;
        case 'day': return days + this._ms / 864e5;
        case 'hour': return days * 24 + this._ms / 36e5;
        case 'minute': return days * 1440 + this._ms / 6e4;
        case 'second': return days * 86400 + this._ms / 1000;
        case 'millisecond': return Math.floor(days * 864e5) + this._ms;
        default: throw new Error('Unknown unit ' + unit);
      }
    }

    get(unit) {
      unit = normalizeUnit(unit);
      return typeof this[unit + 's'] === 'function' ? this[unit + 's']() : NaN;
    }

    add(amount, unit) {
      const other = amount instanceof Duration ? amount : moment.duration(amount, unit);
      this._ms += other._ms;
      this._days += other._days;
      this._months += other._months;
      this._data = bubble(this);
      return this;
    }

    subtract(amount, unit) {
      const other = amount instanceof Duration ? amount : moment.duration(amount, unit);
      return this.add(new Duration({ ms: -other._ms, d: -other._days, M: -other._months }));
    }

    clone() {
      return new Duration({ ms: this._ms, d: this._days, M: this._months });
    }

    isValid() {
      return this._isValid;
    }

    valueOf() {
      return this.as('ms');
    }

    humanize(withSuffix) {
      return humanize(this, !!withSuffix);
    }

    locale(name) {
      return name === undefined ? 'en' : this;
    }

    toISOString() {
      if (!this._isValid) return 'Invalid date';
      const total = this.as('ms');
      if (!total && !this._months) return 'P0D';
      const sec = Math.abs(this._ms) / 1000;
      const minutes = absFloor(sec / 60);
      const hours = absFloor(minutes / 60);
      const s = +(sec % 60).toFixed(3);
      const years = absFloor(Math.abs(this._months) / 12);
      const months = Math.abs(this._months) % 12;
      const days = Math.abs(this._days);
      const sign = total < 0 ? '-' : '';
      const part = (n, u) => (n ? n + u : '');
      return sign + 'P' + part(years, 'Y') + part(months, 'M') + part(days, 'D')
        + (hours || minutes % 60 || s ? 'T' : '') + part(hours, 'H') + part(minutes % 60, 'M') + part(s, 'S');
    }

    toJSON() {
      return this.toISOString();
    }

    toString() {
      return this.toISOString();
    }
  }
  for (const [name, key] of [['milliseconds', 'ms'], ['seconds', 's'], ['minutes', 'm'], ['hours', 'h'],
    ['days', 'd'], ['months', 'M'], ['years', 'y']]) {
    Duration.prototype[name] = function () {
      return this._isValid ? this._data[key] : NaN;
    };
    const as = 'as' + name[0].toUpperCase() + name.slice(1);
    Duration.prototype[as] = function () {
      return this.as(name);
    };
  }
  Duration.prototype.weeks = function () {
    return absFloor(this.days() / 7);
  };
  Duration.prototype.asWeeks = function () {
    return this.as('week');
  };
  Duration.prototype.asQuarters = function () {
    return this.as('quarter');
  };

  /** Spread ms/days/months into second, minute, hour, day, month and year components. */
  function bubble(dur) {
    let ms = dur._ms;
    let days = dur._days;
    let months = dur._months;
    if (!((ms >= 0 && days >= 0 && months >= 0) || (ms <= 0 && days <= 0 && months <= 0))) {
      const total = monthsToDays(months) + days;
      ms += (total < 0 ? Math.floor(total) : Math.ceil(total)) * 864e5;
      days = 0;
      months = 0;
    }
    const data = { ms: ms % 1000 };
    const seconds = absFloor(ms / 1000);
    data.s = seconds % 60;
    const minutes = absFloor(seconds / 60);
    data.m = minutes % 60;
    const hours = absFloor(minutes / 60);
    data.h = hours % 24;
    days += absFloor(hours / 24);
    const extraMonths = absFloor(daysToMonths(days));
    months += extraMonths;
    const back = monthsToDays(extraMonths);
    days -= back < 0 ? Math.floor(back) : Math.ceil(back);
    data.d = days;
    data.y = absFloor(months / 12);
    data.M = months % 12;
    return data;
  }

  function humanize(dur, withSuffix) {
    const r = (unit) => Math.round(Math.abs(dur.as(unit)));
    const s = r('s');
    const m = r('m');
    const h = r('h');
    const d = r('d');
    const M = r('M');
    const y = r('y');
    const text = s < 45 ? 'a few seconds' : m <= 1 ? 'a minute' : m < 45 ? m + ' minutes' : h <= 1 ? 'an hour'
      : h < 22 ? h + ' hours' : d <= 1 ? 'a day' : d < 26 ? d + ' days' : M <= 1 ? 'a month'
        : M < 11 ? M + ' months' : y <= 1 ? 'a year' : y + ' years';
    if (!withSuffix) return text;
    return dur.as('ms') > 0 ? 'in ' + text : text + ' ago';
  }

  const DURATION_KEYS = { year: 'y', quarter: 'Q', month: 'M', week: 'w', day: 'd', date: 'd', hour: 'h',
    minute: 'm', second: 's', millisecond: 'ms' };

  function createDuration(input, unit) {
    if (input instanceof Duration) return input.clone();
    if (input == null) return new Duration({});
    if (typeof input === 'number' || (typeof input === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/.test(input))) {
      const key = DURATION_KEYS[normalizeUnit(unit) || 'millisecond'] || 'ms';
      return new Duration({ [key]: +input });
    }
    if (typeof input === 'string') {
      const asp = /^(-|\+)?(?:(\d*)[. ])?(\d+):(\d+)(?::(\d+)(\.\d*)?)?$/.exec(input);
      if (asp) {
        const sign = asp[1] === '-' ? -1 : 1;
        return new Duration({ d: sign * (+asp[2] || 0), h: sign * +asp[3], m: sign * +asp[4],
          s: sign * (+asp[5] || 0), ms: sign * Math.round((+asp[6] || 0) * 1000) });
      }
      const iso = /^(-|\+)?P(?:([-+]?[\d,.]*)Y)?(?:([-+]?[\d,.]*)M)?(?:([-+]?[\d,.]*)W)?(?:([-+]?[\d,.]*)D)?(?:T(?:([-+]?[\d,.]*)H)?(?:([-+]?[\d,.]*)M)?(?:([-+]?[\d,.]*)S)?)?$/.exec(input);
      if (iso) {
        const sign = iso[1] === '-' ? -1 : 1;
        const n = (i) => sign * (parseFloat((iso[i] || '0').replace(',', '.')) || 0);
        return new Duration({ y: n(2), M: n(3), w: n(4), d: n(5), h: n(6), m: n(7), s: n(8) });
      }
      return new Duration({ ms: NaN });
    }
    if (isObjectLike(input)) {
      const parts = {};
      for (const k of Object.keys(input)) {
        const key = DURATION_KEYS[normalizeUnit(k)];
        if (key) parts[key] = (parts[key] || 0) + +input[k];
      }
      return new Duration(parts);
    }
    return new Duration({ ms: NaN });
  }

  // ---- the moment function

  const moment = function moment(input, format, strict) {
    return createMoment(input, format, strict, false);
  };
  Object.assign(moment, {
    version: '2.29.4',
    ISO_8601: function ISO_8601() {},
    RFC_2822: function RFC_2822() {},
    defaultFormat: 'YYYY-MM-DDTHH:mm:ssZ',
    defaultFormatUtc: 'YYYY-MM-DDTHH:mm:ss[Z]',
    fn: Moment.prototype,
    utc: (input, format, strict) => createMoment(input, format, strict, true),
    unix: (seconds) => new Moment(seconds * 1000, false),
    parseZone(input, format, strict) {
      const m = createMoment(input, format, strict, true);
      const offset = typeof input === 'string' ? parseOffset(input) : null;
      return offset === null ? m : m.utcOffset(offset);
    },
    now: () => Date.now(),
    invalid: () => new Moment(NaN, false),
    isMoment: (v) => v instanceof Moment,
    isDate: (v) => v instanceof Date,
    duration: createDuration,
    isDuration: (v) => v instanceof Duration,
    normalizeUnits: normalizeUnit,
    locale: (name) => (name === undefined || typeof name === 'string' ? 'en' : 'en'),
    locales: () => ['en'],
    lang: () => 'en',
    updateLocale: () => undefined,
    defineLocale: () => undefined,
    localeData: () => ({ months: () => MONTHS.slice(), weekdays: () => WEEKDAYS.slice(), firstDayOfWeek: () => 0 }),
    months: () => MONTHS.slice(),
    monthsShort: () => MONTHS.map((m) => m.slice(0, 3)),
    weekdays: () => WEEKDAYS.slice(),
    weekdaysShort: () => WEEKDAYS.map((d) => d.slice(0, 3)),
    weekdaysMin: () => WEEKDAYS.map((d) => d.slice(0, 2)),
    max: (...args) => {
      const list = (Array.isArray(args[0]) ? args[0] : args).map(toMoment);
      return list.length ? list.reduce((a, b) => (!b.isValid() || b._t > a._t ? b : a)) : moment();
    },
    min: (...args) => {
      const list = (Array.isArray(args[0]) ? args[0] : args).map(toMoment);
      return list.length ? list.reduce((a, b) => (!b.isValid() || b._t < a._t ? b : a)) : moment();
    },
  });
  moment.duration.fn = Duration.prototype;

  // ------------------------------------------------------------------------------------------------
  // JSON Schema: ajv 6 and tv4 1.3 APIs over Python's jsonschema (see libs.py for the error shapes)

  const jsonText = (value) => {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  };

  /** Formats given as RegExp (or string) go to Python as regex source; functions can't, so they pass. */
  function formatSource(format) {
    if (format instanceof RegExp) return format.source;
    if (typeof format === 'string') return format;
    if (format && typeof format === 'object' && format.validate !== undefined) return formatSource(format.validate);
    return '';
  }

  /** ajv 6: new Ajv(opts), compile, validate, addSchema, getSchema, addFormat, errorsText. */
  function Ajv(opts) {
    if (!(this instanceof Ajv)) return new Ajv(opts);
    this._opts = Object.assign({}, opts);
    this._schemas = {};
    this._formats = {};
    this._compiled = new Map();
    this.errors = null;
    const formats = this._opts.formats || {};
    for (const name of Object.keys(formats)) this.addFormat(name, formats[name]);
    const unknown = this._opts.unknownFormats;
    if (Array.isArray(unknown)) for (const name of unknown) this._formats[name] = '';
    const schemas = this._opts.schemas;
    if (Array.isArray(schemas)) schemas.forEach((s) => this.addSchema(s));
    else if (schemas) for (const key of Object.keys(schemas)) this.addSchema(schemas[key], key);
  }

  Object.assign(Ajv.prototype, {
    _hostOptions() {
      const o = this._opts;
      const unknown = o.unknownFormats === undefined || o.unknownFormats === true;
      return JSON.stringify({ allErrors: !!o.allErrors, jsonPointers: !!o.jsonPointers, verbose: !!o.verbose,
        format: o.format === false ? false : undefined, unknownFormats: unknown, formats: this._formats,
        schemas: this._schemas, validateSchema: o.validateSchema === false ? false : undefined });
    },

    _errors(schema, data) {
      return JSON.parse(host('ajv_validate', jsonText(schema), jsonText(data), this._hostOptions()));
    },

    compile(schema) {
      const key = jsonText(schema);
      if (this._compiled.has(key)) return this._compiled.get(key);
      this._errors(schema, null); // ajv rejects bad schemas, unknown formats and unresolvable refs up front
      const self = this;
      const validate = function (data) {
        const errors = self._errors(schema, data);
        validate.errors = errors.length ? errors : null;
        return !errors.length;
      };
      validate.schema = schema;
      validate.errors = null;
      this._compiled.set(key, validate);
      return validate;
    },

    validate(schemaOrKey, data) {
      let validate;
      if (typeof schemaOrKey === 'string') {
        validate = this.getSchema(schemaOrKey);
        if (!validate) throw new Error('no schema with key or ref "' + schemaOrKey + '"');
      } else {
        validate = this.compile(schemaOrKey);
      }
      const valid = validate(data);
      this.errors = validate.errors;
      return valid;
    },

    addSchema(schema, key) {
      if (Array.isArray(schema)) {
        schema.forEach((s) => this.addSchema(s));
        return this;
      }
      const id = key || (schema && (schema.$id || schema.id));
      if (!id) throw new Error('schema must have $id when added without a key');
      if (hasOwn(this._schemas, id)) throw new Error('schema with key or id "' + id + '" already exists');
      this._schemas[id] = schema;
      this._compiled.clear();
      return this;
    },

    addMetaSchema(schema, key) {
      return this.addSchema(schema, key);
    },

    getSchema(key) {
      const id = String(key).replace(/#$/, '');
      const schema = hasOwn(this._schemas, key) ? this._schemas[key] : this._schemas[id];
      return schema === undefined ? undefined : this.compile(schema);
    },

    removeSchema(key) {
      if (key === undefined) this._schemas = {};
      else if (typeof key === 'string') delete this._schemas[key];
      else for (const id of Object.keys(this._schemas)) if (this._schemas[id] === key) delete this._schemas[id];
      this._compiled.clear();
      return this;
    },

    validateSchema(schema) {
      try {
        const o = JSON.parse(this._hostOptions());
        host('ajv_validate', jsonText(schema), 'null', JSON.stringify(Object.assign(o, { unknownFormats: false })));
        this.errors = null;
        return true;
      } catch (e) {
        this.errors = [{ keyword: 'schema', dataPath: '', schemaPath: '#', params: {}, message: e.message }];
        return false;
      }
    },

    addFormat(name, format) {
      this._formats[name] = formatSource(format);
      this._compiled.clear();
      return this;
    },

    /** Custom keywords need JS callbacks during validation, which Python can't call: accepted, ignored. */
    addKeyword(name) {
      const logger = this._opts.logger;
      if (logger && typeof logger.warn === 'function') logger.warn('postrun: ajv keyword "' + name + '" is ignored');
      return this;
    },

    getKeyword: () => false,
    removeKeyword() {
      return this;
    },

    errorsText(errors, options) {
      errors = errors === undefined ? this.errors : errors;
      if (!errors || !errors.length) return 'No errors';
      options = options || {};
      const sep = options.separator === undefined ? ', ' : options.separator;
      const dataVar = options.dataVar === undefined ? 'data' : options.dataVar;
      return errors.map((e) => dataVar + e.dataPath + ' ' + e.message).join(sep);
    },
  });
  Ajv.default = Ajv;
  Ajv.ValidationError = class ValidationError extends Error {
    constructor(errors) {
      super('validation failed');
      this.errors = errors;
      this.ajv = this.validation = true;
    }
  };

  /** tv4's ValidationError: an Error carrying code, params, dataPath, schemaPath and subErrors. */
  class Tv4Error extends Error {
    constructor(raw) {
      super(raw.message);
      // Enumerable, in tv4's order, so JSON.stringify(tv4.error) shows what it shows in Postman.
      Object.defineProperty(this, 'message', { value: raw.message, enumerable: true, writable: true, configurable: true });
      this.params = raw.params;
      this.code = raw.code;
      this.dataPath = raw.dataPath;
      this.schemaPath = raw.schemaPath;
      this.subErrors = raw.subErrors ? raw.subErrors.map((e) => new Tv4Error(e)) : null;
    }
  }

  Tv4Error.prototype.name = 'ValidationError';

  const TV4_CODES = { INVALID_TYPE: 0, ENUM_MISMATCH: 1, ANY_OF_MISSING: 10, ONE_OF_MISSING: 11,
    ONE_OF_MULTIPLE: 12, NOT_PASSED: 13, NUMBER_MULTIPLE_OF: 100, NUMBER_MINIMUM: 101,
    NUMBER_MINIMUM_EXCLUSIVE: 102, NUMBER_MAXIMUM: 103, NUMBER_MAXIMUM_EXCLUSIVE: 104, NUMBER_NOT_A_NUMBER: 105,
    STRING_LENGTH_SHORT: 200, STRING_LENGTH_LONG: 201, STRING_PATTERN: 202, OBJECT_PROPERTIES_MINIMUM: 300,
    OBJECT_PROPERTIES_MAXIMUM: 301, OBJECT_REQUIRED: 302, OBJECT_ADDITIONAL_PROPERTIES: 303,
    OBJECT_DEPENDENCY_KEY: 304, ARRAY_LENGTH_SHORT: 400, ARRAY_LENGTH_LONG: 401, ARRAY_UNIQUE: 402,
    ARRAY_ADDITIONAL_ITEMS: 403, FORMAT_CUSTOM: 500, KEYWORD_CUSTOM: 501, CIRCULAR_REFERENCE: 600,
    UNKNOWN_PROPERTY: 1000 };

  /** tv4 1.3: validate/validateResult/validateMultiple with `error`, `missing`, schemas and formats. */
  function makeTv4() {
    let schemas = {};
    let formats = {};
    const api = { error: null, missing: [], valid: true, errorCodes: TV4_CODES };
    const resolve = (schema) => (typeof schema === 'string' ? api.getSchema(schema) : schema);
    const run = (data, schema, all) => {
      const target = resolve(schema);
      if (target === undefined) return { errors: [], missing: typeof schema === 'string' ? [schema] : [] };
      const out = JSON.parse(host('tv4_validate', jsonText(target), jsonText(data),
        JSON.stringify({ allErrors: all, schemas, formats })));
      return { errors: out.errors.map((e) => new Tv4Error(e)), missing: out.missing };
    };
    Object.assign(api, {
      validate(data, schema) {
        const r = run(data, schema, false);
        api.error = r.errors[0] || null;
        api.missing = r.missing;
        api.valid = api.error === null;
        return api.valid;
      },
      validateResult(data, schema) {
        const r = run(data, schema, false);
        const error = r.errors[0] || null;
        return { error, missing: r.missing, valid: error === null };
      },
      validateMultiple(data, schema) {
        const r = run(data, schema, true);
        return { errors: r.errors, missing: r.missing, valid: !r.errors.length };
      },
      addSchema(uri, schema) {
        if (typeof uri !== 'string') [schema, uri] = [uri, uri && (uri.id || uri.$id)];
        if (!uri) return false;
        schemas[uri.replace(/#$/, '')] = schema;
        return true;
      },
      getSchema(uri) {
        const base = String(uri).split('#')[0];
        const schema = schemas[base];
        if (schema === undefined) return undefined;
        const fragment = String(uri).slice(base.length + 1);
        return fragment ? get(schema, fragment.split('/').filter(Boolean).map((k) => decodeURIComponent(k)
          .replace(/~1/g, '/').replace(/~0/g, '~'))) : schema;
      },
      getSchemaMap: () => Object.assign({}, schemas),
      getSchemaUris: (filter) => Object.keys(schemas).filter((u) => !filter || filter.test(u)),
      getMissingUris: (filter) => api.missing.filter((u) => !filter || filter.test(u)),
      dropSchemas() {
        schemas = {};
      },
      reset() {
        schemas = {};
        formats = {};
        api.error = null;
        api.missing = [];
      },
      /** Formats are checked in Python: RegExp formats work; function formats are accepted but not run. */
      addFormat(name, format) {
        if (typeof name === 'object') for (const k of Object.keys(name)) formats[k] = formatSource(name[k]);
        else formats[name] = formatSource(format);
      },
      freshApi: () => makeTv4(),
      normSchema: (schema) => schema,
      resolveUrl: (base, href) => new URL(href, base).toString(),
      getDocumentUri: (uri) => String(uri).split('#')[0],
      language: () => 'en',
      addLanguage: () => undefined,
      defineError: () => undefined,
      defineKeyword: () => undefined,
      setErrorReporter: () => undefined,
    });
    api.tv4 = api;
    return api;
  }
  const tv4 = makeTv4();

  // ------------------------------------------------------------------------------------------------
  // XML: Postman's xml2Json global and the xml2js module (parsing only)

  const XML2JS_OPTIONS = ['explicitArray', 'explicitRoot', 'ignoreAttrs', 'mergeAttrs', 'trim', 'normalize',
    'attrkey', 'charkey', 'explicitCharkey', 'emptyTag'];

  function parseXml(text, options) {
    const picked = {};
    for (const k of XML2JS_OPTIONS) if (options && options[k] !== undefined) picked[k] = options[k];
    return JSON.parse(host('xml2json', String(text), JSON.stringify(picked)));
  }

  /** Postman's xml2Json: xml2js with explicitArray false and trim; undefined when the XML is bad. */
  function xml2Json(text) {
    try {
      return parseXml(text, { explicitArray: false, trim: true, mergeAttrs: false });
    } catch (e) {
      return undefined;
    }
  }

  class XmlParser {
    constructor(options) {
      this.options = Object.assign({}, options);
    }

    parseString(text, cb) {
      let result;
      try {
        result = parseXml(text, this.options);
      } catch (e) {
        return cb(e);
      }
      return cb(null, result);
    }

    parseStringPromise(text) {
      return new Promise((resolve, reject) => this.parseString(text, (err, r) => (err ? reject(err) : resolve(r))));
    }
  }

  const xml2js = {
    Parser: XmlParser,
    parseString(text, options, cb) {
      if (typeof options === 'function') [cb, options] = [options, {}];
      return new XmlParser(options).parseString(text, cb);
    },
    parseStringPromise: (text, options) => new XmlParser(options).parseStringPromise(text),
    defaults: { '0.2': {}, '0.1': {} },
  };

  // ------------------------------------------------------------------------------------------------
  // Publish: sandbox globals and the require() table

  const globals = { CryptoJS, atob, btoa, Buffer, _: lodashGlobal, moment, tv4, xml2Json };
  for (const name of Object.keys(globals)) g[name] = globals[name];

  Object.assign(modules, {
    'crypto-js': CryptoJS,
    atob,
    btoa,
    buffer: { Buffer, kMaxLength: 0x7fffffff, constants: { MAX_LENGTH: 0x7fffffff } },
    uuid,
    lodash: lodash4,
    moment,
    ajv: Ajv,
    tv4,
    xml2js,
    querystring,
  });
})(globalThis);
