// postrun: pm.request, pm.response and pm.cookies as the postman-collection SDK's own objects, built from
// the JSON the runtime hands over, as postman-sandbox builds them from what postman-runtime sends it.
//
// The SDK is the real one (packed from npm, loaded by loader.js the first time a script needs one of these
// objects). What is ours is only how the data arrives: QuickJS runs the SDK's constructors at ~25 us a
// list entry, and the buffer library's base64 and UTF-8 code at ~1 us a byte, so a response's header list
// and body Buffer are built the first time a script reads them, and its text is the one Python decoded
// when that is what the SDK would decode (see `text` below). Defines `__postrunObjects`.
(function (G) {
  'use strict';
  var defineProperty = Object.defineProperty;
  var getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  var fromBase64 = Uint8Array.fromBase64;
  var keys = Object.keys;
  var SDK = null;

  function sdk() { return SDK || (SDK = G.__postrunModules.internal('postman-collection')); }

  // A member made the first time it is read; once made (or written) it is an ordinary data property, in
  // the same place among the object's keys as the SDK's constructor put it.
  function deferMember(obj, key, make) {
    function settle(value) {
      defineProperty(obj, key, { value: value, writable: true, configurable: true, enumerable: true });
      return value;
    }
    defineProperty(obj, key, {
      configurable: true, enumerable: true,
      get: function () { return settle(make()); },
      set: settle
    });
  }
  function deferred(obj, key) {
    var d = getOwnPropertyDescriptor(obj, key);
    return !!(d && d.get);
  }

  // A Buffer over the body's bytes (base64 from the runtime), decoded by the engine, not by buffer's JS.
  function bufferOf(base64) {
    var Buffer = G.__postrunModules.internal('buffer').Buffer;
    var bytes = fromBase64(base64 || '');
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  // pm.to and chai's view of the object, as postman-sandbox's pmapi adds them (non-enumerable).
  function assertable(obj) {
    defineProperty(obj, 'to', { get: function () { return G.__postrunAssert.chai().expect(this).to; } });
    return obj;
  }

  /**
   * A Response from the runtime's JSON: {id, code, status, header, stream (base64), body, responseTime,
   * responseSize, cookie}. `body`, when given, is the stream decoded as the SDK decodes it (UTF-8, no BOM,
   * no charset other than UTF-8); without it, text() decodes the stream with the SDK's own code.
   */
  function response(def) {
    var Response = sdk().Response;
    if (!def) { return new Response(); }
    var placeholder = bufferOf('');
    var res = new Response({ id: def.id, code: def.code, status: def.status, header: [], stream: placeholder,
                             cookie: [], responseTime: def.responseTime });
    var stream = def.stream, text = def.body;
    deferMember(res, 'headers', function () { return new (sdk().HeaderList)(res, def.header); });
    deferMember(res, 'stream', function () { return bufferOf(stream); });
    deferMember(res, 'cookies', function () { return new (sdk().CookieList)(res, def.cookie); });
    res.responseSize = def.responseSize;
    if (typeof text === 'string') {
      texts.set(res, text);
      Object.setPrototypeOf(res, decoded(Response));
    }
    return assertable(res);
  }

  // The text the runtime decoded, for responses whose Buffer no script has read yet (it may change it).
  var texts = new WeakMap();
  var decodedProto = null;
  // Response's prototype with text() answered from `texts`: the same text the SDK's text() gives (the
  // runtime checked the bytes and the charset), without building the Buffer and decoding it in JavaScript.
  // A layer under the instance, so the object's own properties (which chai's messages count) are the SDK's.
  function decoded(Response) {
    if (decodedProto && Object.getPrototypeOf(decodedProto) === Response.prototype) { return decodedProto; }
    decodedProto = Object.create(Response.prototype, { text: { writable: true, configurable: true, value: function text() {
      return texts.has(this) && deferred(this, 'stream') ? texts.get(this) : Response.prototype.text.call(this);
    } } });
    return decodedProto;
  }

  // The members of a request built when first read, as the SDK's Request constructor builds them.
  var REQUEST_PARTS = {
    url: function (def) { var url = new (sdk().Url)(); url.update(def.url); return url; },
    headers: function (def, req) { return new (sdk().HeaderList)(req, def.header); },
    body: function (def) { return new (sdk().RequestBody)(def.body); },
    auth: function (def) { return new (sdk().RequestAuth)(def.auth); }
  };
  var untouched = new WeakMap();  // request -> what its parts are made from, until a script changes it

  /**
   * A Request from the runtime's v2.1 JSON (the item's request before it is sent, the sent one after).
   * Its url, headers, body and auth are made when first read (~400 us for a whole request in QuickJS),
   * in the places the SDK's constructor gives them.
   */
  function request(def) {
    var Request = sdk().Request;
    def = def || {};
    if (typeof def !== 'object' || def.proxy || def.certificate) { return assertable(new Request(def)); }
    var rest = {};
    keys(def).forEach(function (k) { if (k !== 'url' && k !== 'header' && k !== 'body' && k !== 'auth') { rest[k] = def[k]; } });
    var req = new Request(rest);
    deferMember(req, 'url', function () { return REQUEST_PARTS.url(def); });
    deferMember(req, 'headers', function () { return REQUEST_PARTS.headers(def, req); });
    if (def.body !== undefined && def.body !== null) { deferMember(req, 'body', function () { return REQUEST_PARTS.body(def); }); }
    if (def.auth) { deferMember(req, 'auth', function () { return REQUEST_PARTS.auth(def); }); }
    untouched.set(req, { keys: keys(req).join('\n'), method: req.method });
    return assertable(req);
  }

  /** Whether a script may have changed a request: read one of its parts, or set or added a member. */
  function changed(req) {
    var start = untouched.get(req);
    if (!start) { return true; }
    var now = keys(req);
    return now.join('\n') !== start.keys || req.method !== start.method ||
      now.some(function (k) { return REQUEST_PARTS[k] && !deferred(req, k); });
  }

  /** pm.cookies: the run's cookies for the request's URL, with jar() (the host's jar, as postman-sandbox's). */
  function cookies(list, jar) {
    var out = new (sdk().CookieList)(null, list || []);
    out.jar = jar;
    return out;
  }

  G.__postrunObjects = {
    sdk: sdk, request: request, response: response, cookies: cookies, changed: changed,
    isRequest: function (obj) { return sdk().Request.isRequest(obj); }
  };
})(globalThis);
