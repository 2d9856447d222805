// postrun's implementation of Postman's script API (pm, postman, legacy globals) for QuickJS.
// Loaded once per context after loader.js and assertions.js. Python drives it through globalThis.__postrun:
// compile(fn) -> id, begin(stateJSON), run(id), then takeOps()/reply(), pending(), fireTimer() until the
// script is done, finish(). Scripts never call Python: what they ask of the host is queued (takeOps).
(function (G) {
  'use strict';
  function chai() { return G.__postrunAssert.chai(); }
  var hasOwn = Object.prototype.hasOwnProperty;
  var state = null;
  var compiled = [];
  var timers = [];
  var timerSeq = 0;
  var pendingTests = 0;
  var asyncTests = [];

  function own(obj, key) { return obj != null && hasOwn.call(obj, key); }
  function keys(obj) { return obj ? Object.keys(obj) : []; }
  function isFn(f) { return typeof f === 'function'; }
  function str(v) { return v === undefined || v === null ? '' : String(v); }
  function clone(v) { return v === undefined ? undefined : JSON.parse(JSON.stringify(v)); }
  function jsonOf(v) { return v && isFn(v.toJSON) ? v.toJSON() : clone(v); }

  // ---------------------------------------------------------------- console
  function format(args) {
    var out = [];
    for (var i = 0; i < args.length; i++) {
      var a = args[i];
      if (typeof a === 'string') { out.push(a); continue; }
      // Shown whole, as Node's util.inspect shows Newman's console output (chai truncates at 40 characters).
      var c = chai(), threshold = c.config.truncateThreshold;
      c.config.truncateThreshold = 0;
      try { out.push(c.util.inspect(a)); } catch (e) { if (e && e.path) { throw e; } out.push(String(a)); } finally { c.config.truncateThreshold = threshold; }
    }
    return out.join(' ');
  }
  // What one script may log (a flood must not exhaust the context's memory and lose what came before).
  var CONSOLE_LIMIT = 8 * 1024 * 1024;
  function logger(level) {
    return function () {
      if (!state) { return; }
      if (state.consoleBytes >= CONSOLE_LIMIT) { state.consoleDropped++; return; }
      var message = format(arguments);
      if (message.length > CONSOLE_LIMIT - state.consoleBytes) {
        message = message.slice(0, CONSOLE_LIMIT - state.consoleBytes) + ' …';
      }
      state.consoleBytes += message.length;
      state.console.push({ level: level, message: message });
    };
  }
  var consoleObj = {
    log: logger('log'), info: logger('info'), warn: logger('warn'), error: logger('error'),
    debug: logger('debug'), trace: logger('trace')
  };

  // ---------------------------------------------------------------- timers
  function addTimer(fn, delay, args, repeat) {
    if (!isFn(fn)) { throw new TypeError('The "callback" argument must be of type function'); }
    var id = ++timerSeq;
    delay = Math.max(0, Number(delay) || 0);
    timers.push({ id: id, at: Date.now() + delay, fn: fn, args: args, repeat: repeat ? delay : -1 });
    return id;
  }
  function clearTimer(id) {
    if (id && typeof id === 'object' && own(id, 'id')) { id = id.id; }
    for (var i = 0; i < timers.length; i++) { if (timers[i].id === id) { timers.splice(i, 1); return; } }
  }
  var timerApi = {
    setTimeout: function (fn, ms) { return addTimer(fn, ms, Array.prototype.slice.call(arguments, 2), false); },
    setInterval: function (fn, ms) { return addTimer(fn, ms, Array.prototype.slice.call(arguments, 2), true); },
    setImmediate: function (fn) { return addTimer(fn, 0, Array.prototype.slice.call(arguments, 1), false); },
    clearTimeout: clearTimer, clearInterval: clearTimer, clearImmediate: clearTimer
  };

  // ---------------------------------------------------------------- PropertyList
  // Postman's list of {key, value, disabled} members (headers, query params, cookies, variables).
  function PropertyList(members, caseInsensitive, Type) {
    Object.defineProperty(this, '_m', { value: [], writable: true });
    Object.defineProperty(this, '_ci', { value: !!caseInsensitive });
    Object.defineProperty(this, '_T', { value: Type || null });
    var self = this;
    (members || []).forEach(function (m) { self.add(m); });
  }
  PropertyList.prototype = {
    _norm: function (k) { k = str(k); return this._ci ? k.toLowerCase() : k; },
    _wrap: function (item) {
      if (typeof item === 'string' && this._T === 'header') { return parseHeaderLine(item); }
      if (item && typeof item === 'object') { return item; }
      return { key: str(item), value: '' };
    },
    _find: function (key) {
      var k = this._norm(key);
      for (var i = this._m.length - 1; i >= 0; i--) {
        if (this._norm(this._m[i].key) === k && !this._m[i].disabled) { return this._m[i]; }
      }
      return undefined;
    },
    all: function () { return this._m.slice(); },
    count: function () { return this._m.length; },
    idx: function (i) { return this._m[i]; },
    one: function (key) { return this._find(key); },
    get: function (key) { var m = this._find(key); return m === undefined ? undefined : m.value; },
    has: function (key, value) {
      if (key && typeof key === 'object') { value = key.value; key = key.key; }
      var m = this._find(key);
      if (!m) { return false; }
      return arguments.length < 2 && !(key && typeof key === 'object') ? true : m.value === value;
    },
    add: function (item) { if (item != null) { this._m.push(this._wrap(item)); } return this; },
    append: function (item) { return this.add(item); },
    prepend: function (item) { if (item != null) { this._m.unshift(this._wrap(item)); } return this; },
    insert: function (item, before) {
      item = this._wrap(item);
      var i = before === undefined ? -1 : this.indexOf(before);
      if (i < 0) { this._m.push(item); } else { this._m.splice(i, 0, item); }
      return this;
    },
    insertAfter: function (item, after) {
      var i = after === undefined ? -1 : this.indexOf(after);
      if (i < 0) { this._m.push(this._wrap(item)); } else { this._m.splice(i + 1, 0, this._wrap(item)); }
      return this;
    },
    upsert: function (item) {
      item = this._wrap(item);
      var m = this._find(item.key);
      if (m) { m.value = item.value; return false; }
      this._m.push(item);
      return true;
    },
    remove: function (predicate, context) {
      var self = this;
      if (isFn(predicate)) {
        this._m = this._m.filter(function (m) { return !predicate.call(context, m); });
      } else if (predicate && typeof predicate === 'object') {
        this._m = this._m.filter(function (m) { return m !== predicate; });
      } else {
        var k = this._norm(predicate);
        this._m = this._m.filter(function (m) { return self._norm(m.key) !== k; });
      }
      return this;
    },
    clear: function () { this._m = []; return this; },
    populate: function (items) { var s = this; (items || []).forEach(function (i) { s.add(i); }); return this; },
    repopulate: function (items) { this.clear(); return this.populate(items); },
    assimilate: function (items) { var s = this; (items && items.all ? items.all() : items || []).forEach(function (i) { s.upsert(i); }); return this; },
    each: function (fn, ctx) { this._m.forEach(fn, ctx); },
    forEach: function (fn, ctx) { this._m.forEach(fn, ctx); },
    map: function (fn, ctx) { return this._m.map(fn, ctx); },
    filter: function (fn, ctx) { return this._m.filter(fn, ctx); },
    find: function (fn, ctx) { return this._m.find(fn, ctx); },
    reduce: function (fn, acc, ctx) { return this._m.reduce(fn.bind(ctx), acc); },
    indexOf: function (item) {
      if (typeof item === 'string') { var k = this._norm(item), s = this; return this._m.findIndex(function (m) { return s._norm(m.key) === k; }); }
      return this._m.indexOf(item);
    },
    eachParent: function () {},
    toObject: function (excludeDisabled, caseSensitive, multiValue) {
      var out = {};
      var ci = this._ci && !caseSensitive;
      this._m.forEach(function (m) {
        if (excludeDisabled && m.disabled) { return; }
        var k = ci ? str(m.key).toLowerCase() : str(m.key);
        if (multiValue && own(out, k)) { out[k] = [].concat(out[k], m.value); } else { out[k] = m.value; }
      });
      return out;
    },
    toJSON: function () { return this._m.map(function (m) { return clone(m); }); },
    toString: function () {
      if (this._T === 'header') { return this._m.filter(function (m) { return !m.disabled; }).map(function (m) { return m.key + ': ' + str(m.value); }).join('\n') + (this._m.length ? '\n' : ''); }
      if (this._T === 'query') { return this._m.filter(function (m) { return !m.disabled; }).map(unparseParam).join('&'); }
      return this._m.map(function (m) { return m.key + '=' + str(m.value); }).join('&');
    }
  };
  Object.defineProperty(PropertyList.prototype, 'members', { get: function () { return this._m; } });
  PropertyList.isPropertyList = function (o) { return o instanceof PropertyList; };

  function parseHeaderLine(line) {
    var i = line.indexOf(':');
    return i < 0 ? { key: line.trim(), value: '' } : { key: line.slice(0, i).trim(), value: line.slice(i + 1).trim() };
  }

  // ---------------------------------------------------------------- JSON
  // Postman parses response bodies, and legacy scripts' JSON.parse, with liquid-json (BOM allowed,
  // JSONError: 'No data, empty input at 1:1'). Valid JSON takes the native parser; only a failure loads
  // liquid-json, for its result or its exact error.
  var nativeParse = JSON.parse;
  function liquidParse(text, reviver) {
    try {
      return nativeParse(text, reviver);
    } catch (e) {
      return G.__postrunModules.require('json').parse(text, reviver);
    }
  }
  Object.defineProperty(JSON, 'parse', { value: function parse(text, reviver) {
    return state && state.sandbox2 ? nativeParse(text, reviver) : liquidParse(text, reviver);
  },
    writable: true, configurable: true, enumerable: false });

  // ---------------------------------------------------------------- Url
  var VAR_RX = /\{\{[^{}]*\}\}/g;
  function mask(s) { return s.replace(VAR_RX, function (m) { return new Array(m.length + 1).join('\u0000'); }); }
  function parseQuery(q) {
    var out = [], m = mask(q), start = 0;
    for (var i = 0; i <= m.length; i++) {
      if (i === m.length || m[i] === '&') {
        var part = q.slice(start, i), eq = m.slice(start, i).indexOf('=');
        out.push(eq < 0 ? { key: part, value: null } : { key: part.slice(0, eq), value: part.slice(eq + 1) });
        start = i + 1;
      }
    }
    return out;
  }
  function parseUrl(raw) {
    var u = { raw: raw, protocol: undefined, host: [], port: undefined, path: [], query: [], hash: undefined, auth: undefined };
    var rest = str(raw).trim(), m = mask(rest), i;
    if ((i = m.indexOf('#')) >= 0) { u.hash = rest.slice(i + 1); rest = rest.slice(0, i); m = m.slice(0, i); }
    if ((i = m.indexOf('?')) >= 0) { u.query = parseQuery(rest.slice(i + 1)); rest = rest.slice(0, i); m = m.slice(0, i); }
    var pm_ = /^([^:\/?#\s]+):\/\//.exec(m);
    if (pm_) { u.protocol = rest.slice(0, pm_[1].length); rest = rest.slice(pm_[0].length); m = m.slice(pm_[0].length); }
    var slash = m.indexOf('/');
    var auth = slash < 0 ? rest : rest.slice(0, slash), mauth = slash < 0 ? m : m.slice(0, slash);
    var path = slash < 0 ? null : rest.slice(slash + 1), mpath = slash < 0 ? null : m.slice(slash + 1);
    if ((i = mauth.lastIndexOf('@')) >= 0) {
      var ui = auth.slice(0, i), c = ui.indexOf(':');
      u.auth = { user: c < 0 ? ui : ui.slice(0, c), password: c < 0 ? '' : ui.slice(c + 1) };
      auth = auth.slice(i + 1); mauth = mauth.slice(i + 1);
    }
    var colon = mauth.lastIndexOf(':');
    if (colon >= 0 && mauth.slice(colon).indexOf(']') < 0) { u.port = auth.slice(colon + 1); auth = auth.slice(0, colon); }
    u.host = auth ? [auth] : [];
    if (path !== null) {
      var segs = [], s = 0;
      for (i = 0; i <= mpath.length; i++) { if (i === mpath.length || mpath[i] === '/') { segs.push(path.slice(s, i)); s = i + 1; } }
      u.path = segs;
    }
    return u;
  }
  function escapeSet(text, set) {
    var out = '';
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      out += set.indexOf(ch) >= 0 ? '%' + ch.charCodeAt(0).toString(16).toUpperCase() : ch;
    }
    return out;
  }
  function unparseParam(p) {
    var k = p.key == null ? '' : escapeSet(String(p.key), '&#=');
    return p.value == null ? k : k + '=' + escapeSet(String(p.value), '&#');
  }
  function segmentText(s) { return s && typeof s === 'object' ? str(s.value) : str(s); }

  function Url(def) {
    if (typeof def === 'string') { def = parseUrl(def); }
    def = def || {};
    if (!own(def, 'host') && !own(def, 'path') && typeof def.raw === 'string') {
      var parsed = parseUrl(def.raw);
      if (def.query) { parsed.query = def.query; }
      if (def.variable) { parsed.variable = def.variable; }
      def = parsed;
    }
    this.protocol = def.protocol;
    this.auth = def.auth;
    this.host = Array.isArray(def.host) ? def.host.slice() : def.host ? String(def.host).split('.') : [];
    this.port = def.port;
    this.path = Array.isArray(def.path) ? def.path.map(segmentText) : def.path ? String(def.path).replace(/^\//, '').split('/') : [];
    this.hash = def.hash;
    this.query = new PropertyList((def.query || []).map(function (q) { return typeof q === 'string' ? parseQuery(q)[0] : clone(q); }), false, 'query');
    this.variables = new PropertyList((def.variable || []).map(function (v) { var c = clone(v); if (c.key === undefined) { c.key = c.id; } return c; }), false, 'variable');
  }
  Url.parse = parseUrl;
  Url.prototype = {
    getHost: function () { return this.host.map(segmentText).join('.'); },
    getPath: function (unresolved) {
      var vars = this.variables;
      return '/' + this.path.map(function (seg) {
        seg = segmentText(seg);
        if (!unresolved && seg.charAt(0) === ':' && vars.has(seg.slice(1)) && vars.get(seg.slice(1)) != null) { return str(vars.get(seg.slice(1))); }
        return seg;
      }).join('/');
    },
    getQueryString: function () { return this.query.toString(); },
    getPathWithQuery: function () { var q = this.getQueryString(); return (this.path.length ? this.getPath() : '/') + (q ? '?' + q : ''); },
    getRemote: function (forcePort) {
      var p = this.port || (forcePort ? (this.protocol === 'https' ? '443' : '80') : '');
      return this.getHost() + (p ? ':' + p : '');
    },
    getRaw: function () { return this.toString(); },
    getOAuth1BaseUrl: function () {
      var proto = (this.protocol || 'http').toLowerCase();
      var port = this.port && !((proto === 'http' && this.port == 80) || (proto === 'https' && this.port == 443)) ? ':' + this.port : '';
      return proto + '://' + this.getHost().toLowerCase() + port + this.getPath();
    },
    update: function (value) { Url.call(this, value); },
    addQueryParams: function (params) { var q = this.query; (typeof params === 'string' ? parseQuery(params) : params || []).forEach(function (p) { q.add(p); }); },
    removeQueryParams: function (params) { var q = this.query; [].concat(params || []).forEach(function (p) { q.remove(typeof p === 'string' ? p : p.key); }); },
    toString: function (forceProtocol) {
      var out = '';
      if (this.protocol) { out += this.protocol + '://'; } else if (forceProtocol) { out += 'http://'; }
      if (this.auth && (this.auth.user || this.auth.password)) { out += str(this.auth.user) + (this.auth.password ? ':' + this.auth.password : '') + '@'; }
      out += this.getHost();
      if (this.port !== undefined && this.port !== null && this.port !== '') { out += ':' + this.port; }
      if (this.path.length) { out += this.getPath(); }
      var q = this.getQueryString();
      if (q) { out += '?' + q; }
      if (this.hash) { out += '#' + this.hash; }
      return out;
    },
    toJSON: function () {
      var j = { raw: this.toString(), host: this.host.slice(), path: this.path.slice() };
      if (this.protocol) { j.protocol = this.protocol; }
      if (this.port !== undefined && this.port !== null && this.port !== '') { j.port = String(this.port); }
      if (this.query.count()) { j.query = this.query.toJSON(); }
      if (this.variables.count()) { j.variable = this.variables.toJSON(); }
      if (this.hash) { j.hash = this.hash; }
      if (this.auth) { j.auth = clone(this.auth); }
      return j;
    }
  };

  // ---------------------------------------------------------------- auth
  function RequestAuth(def) {
    def = def || {};
    this.type = def.type || 'noauth';
    var self = this;
    keys(def).forEach(function (k) { if (k !== 'type') { self[k] = new PropertyList(Array.isArray(def[k]) ? clone(def[k]) : [], false, 'auth'); } });
  }
  RequestAuth.prototype = {
    parameters: function () { return this[this.type] || (this[this.type] = new PropertyList([], false, 'auth')); },
    use: function (type, options) {
      this.type = type;
      var list = this.parameters();
      if (Array.isArray(options)) { options.forEach(function (o) { list.upsert(o); }); } else if (options) { keys(options).forEach(function (k) { list.upsert({ key: k, value: options[k] }); }); }
    },
    update: function (options, type) { this.use(type || this.type, options); },
    clear: function (type) { delete this[type]; },
    current: function () { return this.type; },
    toJSON: function () {
      var j = { type: this.type }, self = this;
      keys(this).forEach(function (k) { if (k !== 'type' && self[k] instanceof PropertyList) { j[k] = self[k].toJSON(); } });
      return j;
    }
  };

  // ---------------------------------------------------------------- Request
  function Request(def) {
    def = def || {};
    if (typeof def === 'string') { def = { url: def }; }
    this.id = def.id;
    this.name = def.name;
    this.method = (def.method || 'GET').toUpperCase();
    this.url = def.url instanceof Url ? def.url : new Url(def.url || '');
    var h = def.header || def.headers || [];
    if (typeof h === 'string') { h = h.split('\n').filter(function (l) { return l.trim(); }).map(parseHeaderLine); }
    if (!Array.isArray(h) && typeof h === 'object') { h = keys(h).map(function (k) { return { key: k, value: h[k] }; }); }
    this.headers = new PropertyList(clone(h), true, 'header');
    this.body = def.body ? new RequestBody(def.body) : undefined;
    this.auth = def.auth ? new RequestAuth(def.auth) : undefined;
    this.description = def.description;
    G.__postrunAssert.attach(this);
  }
  Request._postman_propertyName = 'Request';
  Request.prototype = {
    getHeaders: function (options) {
      options = options || {};
      var out = {};
      this.headers.each(function (h) {
        if (h.disabled && !options.enabled === false) { return; }
        if (options.enabled && h.disabled) { return; }
        var k = options.ignoreCase ? str(h.key).toLowerCase() : h.key;
        if (own(out, k)) { out[k] = [].concat(out[k], h.value); } else { out[k] = h.value; }
      });
      return out;
    },
    addHeader: function (h) { this.headers.add(h); },
    upsertHeader: function (h) { this.headers.upsert(h); },
    removeHeader: function (k, opts) { this.headers.remove(typeof k === 'object' ? k.key : k); },
    forEachHeader: function (fn) { this.headers.each(fn); },
    addQueryParams: function (p) { this.url.addQueryParams(p); },
    removeQueryParams: function (p) { this.url.removeQueryParams(p); },
    authorizeUsing: function (type, options) {
      if (type && typeof type === 'object') { options = type[type.type]; type = type.type; }
      this.auth = this.auth || new RequestAuth({ type: type });
      this.auth.use(type, options);
    },
    size: function () { var b = this.body ? str(this.body.toString()) : ''; return { body: b.length, header: 0, total: b.length }; },
    clone: function () { return new Request(this.toJSON()); },
    toJSON: function () {
      // A script may replace a member outright (`pm.request.url = 'https://...'`, as the Twitter Ads
      // collection does): like the SDK's PropertyBase.toJSON, keep what has no toJSON as it is.
      var j = { method: this.method, url: jsonOf(this.url), header: jsonOf(this.headers) };
      if (this.body !== undefined && this.body !== null) { j.body = jsonOf(this.body); }
      if (this.auth !== undefined && this.auth !== null) { j.auth = jsonOf(this.auth); }
      if (this.description !== undefined) { j.description = this.description; }
      return j;
    }
  };

  function RequestBody(def) {
    var self = this;
    def = def || {};
    keys(def).forEach(function (k) { self[k] = clone(def[k]); });
    if (Array.isArray(this.urlencoded)) { this.urlencoded = new PropertyList(this.urlencoded, false, 'query'); }
    if (Array.isArray(this.formdata)) { this.formdata = new PropertyList(this.formdata, false, 'form'); }
  }
  RequestBody.prototype = {
    isEmpty: function () {
      var m = this.mode;
      if (!m || this.disabled) { return true; }
      if (m === 'raw') { return !this.raw; }
      if (m === 'urlencoded' || m === 'formdata') { return !this[m] || !this[m].count(); }
      if (m === 'graphql') { return !this.graphql; }
      if (m === 'file') { return !this.file || !this.file.src; }
      return true;
    },
    update: function (opts) { RequestBody.call(this, typeof opts === 'string' ? { mode: 'raw', raw: opts } : opts); },
    toString: function () {
      if (this.mode === 'raw') { return str(this.raw); }
      if (this.mode === 'urlencoded' && this.urlencoded) { return this.urlencoded.toString(); }
      if (this.mode === 'graphql') { return JSON.stringify(this.graphql); }
      return '';
    },
    toJSON: function () {
      var j = {}, self = this;
      keys(this).forEach(function (k) { j[k] = self[k] instanceof PropertyList ? self[k].toJSON() : clone(self[k]); });
      return j;
    }
  };

  // ---------------------------------------------------------------- Response
  function Response(def) {
    def = def || {};
    this.id = def.id;
    this.code = def.code;
    this.status = def.status;
    this.reason = function () { return def.status; };
    this.headers = new PropertyList(def.header || [], true, 'header');
    this.cookies = new PropertyList((def.cookies || []).map(function (c) { var x = clone(c); x.key = c.name; return x; }), false, 'cookie');
    this.responseTime = def.responseTime;
    this.responseSize = def.responseSize;
    Object.defineProperty(this, 'stream', { value: undefined, writable: true });
    Object.defineProperty(this, '_body', { value: def.body === undefined || def.body === null ? '' : String(def.body) });
    Object.defineProperty(this, '_headerSize', { value: def.headerSize || 0 });
    G.__postrunAssert.attach(this);
  }
  Response._postman_propertyName = 'Response';
  Response.prototype = {
    // What chai-postman's named statuses read (the SDK adds http-reasons' wording; the reason stands in).
    details: function () { var r = this.reason(); return { name: r, detail: r, code: this.code, standardName: r }; },
    text: function () { return this._body; },
    json: function (reviver) { return liquidParse(this._body, reviver); },
    jsonp: function (reviver) { return this.json(reviver); },
    size: function () { return { body: this.responseSize, header: this._headerSize, total: this.responseSize + this._headerSize }; },
    contentInfo: function () {
      var ct = str(this.headers.get('content-type'));
      var m = /^([^;]+)(?:;\s*charset=([^;]+))?/i.exec(ct) || [];
      return { contentType: ct, mimeType: (m[1] || 'text/plain').split('/')[0], mimeFormat: (m[1] || '').split('/')[1] || '', charset: m[2] || 'utf8', fileExtension: '', fileName: 'response' };
    },
    dataURI: function () { return 'data:' + str(this.headers.get('content-type')) + ';base64,' + G.btoa(unescape(encodeURIComponent(this._body))); },
    toJSON: function () {
      return { code: this.code, status: this.status, header: this.headers.toJSON(), body: this._body, responseTime: this.responseTime, responseSize: this.responseSize };
    }
  };

  // ---------------------------------------------------------------- variables
  // What a lookup returns for a name no scope has (a variable may hold undefined itself).
  var MISSING = {};
  // A variable's value as the SDK's Variable#toString writes it into text: null is "null", undefined "",
  // an object its own toString() ("[object Object]", "1,2"), a function what it returns.
  function varText(v) {
    if (isFn(v)) { v = v(); }
    if (v === null) { return 'null'; }
    return v !== undefined && isFn(v.toString) ? String(v.toString()) : '';
  }
  function resolveText(text, lookup) {
    if (typeof text !== 'string' || text.indexOf('{{') < 0) { return text; }
    for (var pass = 0; pass < 19; pass++) {
      var changed = false;
      var next = text.replace(/\{\{([^{}]*)\}\}/g, function (m, name) {
        var v = lookup(name), found = v !== MISSING;
        if (!found && name.charAt(0) === '$') { v = dynamicValue(name); found = v !== undefined; }
        if (!found) { return m; }
        changed = true;
        return varText(v);
      });
      if (!changed || next === text) { break; }
      text = next;
    }
    return text;
  }
  // Dynamic variables ({{$guid}}) are made in Python: the runtime hands over a few of each name the
  // script's text mentions; a name it did not foresee is asked for, and the script is run again.
  function dynamicValue(name) {
    var pool = state.dynamic && own(state.dynamic, name) ? state.dynamic[name] : null;
    if (pool && pool.length && pool[0] === null) { return undefined; }  // not a dynamic variable
    if (pool && pool.length) { return pool.shift(); }
    G.__postrunModules.need(name);
    throw new Error('dynamic variable ' + name + ' is not here yet');
  }
  function lookupAll(name) {
    var order = [state.local, state.data, state.environment, state.collectionVariables, state.globals];
    for (var i = 0; i < order.length; i++) { if (own(order[i], name)) { return order[i][name]; } }
    return MISSING;
  }
  // A function value is called, as the SDK's Variable#get does.
  function getAll(name) { var v = lookupAll(name); return v === MISSING ? undefined : isFn(v) ? v() : v; }
  // What a scope's values become when the script ends, as they do crossing Postman's sandbox boundary:
  // undefined and functions are null, except in the local scope (pm.variables), where undefined stays
  // undefined and resolves to "" (measured with Newman 6.2; it is sent here as "").
  function settled(name, values) {
    var out = {};
    keys(values).forEach(function (k) {
      var v = values[k];
      out[k] = v === undefined ? (name === 'local' ? '' : null) : isFn(v) ? null : v;
    });
    return out;
  }
  // A scope a script changed: marked for the driver, and serialised through settled().
  function touched(name) {
    state.dirty[name] = true;
    var values = state[name];
    if (!own(values, 'toJSON')) {
      Object.defineProperty(values, 'toJSON', { value: function () { return settled(name, this); }, writable: true, configurable: true });
    }
  }
  // The SDK recognises its classes across copies by `_postman_propertyName` along the constructor chain
  // (VariableScope.isVariableScope, Request.isRequest, ...): our objects carry the same names.
  function VariableScope() {}
  VariableScope._postman_propertyName = 'VariableScope';
  function Scope(name, extra) {
    var api = {
      get: function (k) { var s = state[name]; return !own(s, k) ? undefined : isFn(s[k]) ? s[k]() : s[k]; },
      set: function (k, v) { if (k === undefined || k === null) { return; } state[name][String(k)] = v; touched(name); },
      unset: function (k) { if (own(state[name], k)) { delete state[name][k]; state.dirty[name] = true; } },
      has: function (k) { return own(state[name], k); },
      clear: function () { state[name] = {}; state.dirty[name] = true; },
      toObject: function () { return clone(state[name]); },
      toJSON: function () { var s = state[name]; return keys(s).map(function (k) { return { key: k, value: s[k] }; }); },
      replaceIn: function (t) { return resolveText(t, function (n) { return own(state[name], n) ? state[name][n] : MISSING; }); },
      values: { each: function (fn) { var s = state[name]; keys(s).forEach(function (k) { fn({ key: k, value: s[k] }); }); } }
    };
    return Object.assign(Object.create(VariableScope.prototype), api, extra || {});
  }

  // ---------------------------------------------------------------- tests
  // QuickJS words some engine errors differently from V8 (Node, hence Newman); use V8's words.
  var V8_WORDING = [
    [/^cannot read property '(.*)' of (undefined|null)$/, "Cannot read properties of $2 (reading '$1')"],
    [/^cannot set property '(.*)' of (undefined|null)$/, "Cannot set properties of $2 (setting '$1')"],
    [/^cannot convert to object$/, 'Cannot convert undefined or null to object'],
    [/^'(.*)' is not defined$/, '$1 is not defined']
  ];
  function v8Message(message) {
    for (var i = 0; i < V8_WORDING.length; i++) {
      if (V8_WORDING[i][0].test(message)) { return message.replace(V8_WORDING[i][0], V8_WORDING[i][1]); }
    }
    return message;
  }
  function errorInfo(e) {
    if (e === null) { return { name: 'Error', message: 'null', stack: '', thrownNull: true }; }
    if (e && typeof e === 'object') {
      return { name: str(e.name || 'Error'), message: v8Message(str(e.message)), stack: str(e.stack) };
    }
    return { name: 'Error', message: String(e), stack: '' };
  }
  function fail(rec, e) { if (rec.passed) { rec.passed = false; rec.error = errorInfo(e); } }
  function test(name, fn) {
    var rec = { name: str(name), passed: true, skipped: false, error: null, running: true };
    state.tests.push(rec);
    if (!isFn(fn)) { rec.skipped = true; delete rec.running; return; }
    try {
      if (fn.length > 0) {
        var finished = false;
        pendingTests++;
        var done = function (err) {
          if (finished) { return; }
          finished = true; pendingTests--; delete rec.running;
          asyncTests.splice(asyncTests.indexOf(done), 1);
          if (err) { fail(rec, err); }
        };
        done.rec = rec;
        asyncTests.push(done);
        fn(done);
      } else {
        var r = fn();
        if (r && isFn(r.then)) {
          pendingTests++;
          r.then(function () { pendingTests--; delete rec.running; },
                 function (e) { pendingTests--; delete rec.running; fail(rec, e); });
        } else {
          delete rec.running;
        }
      }
    } catch (e) {
      if (done && !finished) { done(e); } else { delete rec.running; fail(rec, e); }
    }
  }
  test.skip = function (name) { state.tests.push({ name: str(name), passed: true, skipped: true, error: null }); };
  test.index = function () { return state.tests.length; };

  // ---------------------------------------------------------------- sendRequest & cookies
  // Calls into Python are queued, never made while a script runs: the runtime performs them between
  // stretches of JavaScript (so every stretch stays under the engine's time limit) and calls back.
  var hostOps = [];
  var hostReplies = Object.create(null);
  var hostSeq = 0;
  function hostCall(op, args, onReply) {
    var id = ++hostSeq;
    hostOps[hostOps.length] = { id: id, op: op, args: args };
    hostReplies[id] = onReply;
  }
  function sendRequest(req, callback) {
    var def = req instanceof Request ? req.toJSON() : typeof req === 'string' ? { url: req, method: 'GET' } : new Request(req).toJSON();
    function settle(out, deliver) {
      deliver(out.error ? new Error(out.error) : null, out.response ? new Response(out.response) : undefined);
    }
    if (isFn(callback)) {
      hostCall('send_request', def, function (out) {
        settle(out, function (err, res) { callback(err, res, { cookies: new PropertyList([], false, 'cookie') }); });
      });
      return undefined;
    }
    return new Promise(function (resolve, reject) {
      hostCall('send_request', def, function (out) { settle(out, function (err, res) { if (err) { reject(err); } else { resolve(res); } }); });
    });
  }
  function cookieJar() {
    function jarCall(op, args, cb, value) {
      hostCall('cookie_jar', { op: op, args: args }, function (out) {
        if (isFn(cb)) { cb(out.error ? new Error(out.error) : null, out.error ? undefined : value(out)); }
      });
    }
    return {
      get: function (url, name, cb) { jarCall('get', [str(url), str(name)], cb, function (o) { return o.value; }); },
      getAll: function (url, opts, cb) { if (isFn(opts)) { cb = opts; } jarCall('getAll', [str(url)], cb, function (o) { return o.cookies; }); },
      set: function (url, name, value, cb) {
        if (name && typeof name === 'object') { cb = value; value = name.value; name = name.name || name.key; }
        if (isFn(value)) { cb = value; value = ''; }
        jarCall('set', [str(url), str(name), str(value)], cb, function () { return { name: name, value: value }; });
      },
      unset: function (url, name, cb) { jarCall('unset', [str(url), str(name)], cb, function () { return undefined; }); },
      clear: function (url, cb) { jarCall('clear', [str(url)], cb, function () { return undefined; }); }
    };
  }

  // ---------------------------------------------------------------- require
  // Scripts require the libraries Postman's sandbox exposes, loaded from the build's pack (loader.js).
  function requireModule(name) { return G.__postrunModules.require(name); }
  function QueryParam(def) { if (typeof def === 'string') { def = parseQuery(def)[0]; } this.key = def.key; this.value = def.value; }
  QueryParam.unparse = function (params) { return (params && params.all ? params.all() : params || []).map(unparseParam).join('&'); };
  QueryParam.parse = parseQuery;
  QueryParam.prototype.toString = function () { return unparseParam(this); };

  [Request, Response].forEach(function (C) {
    Object.defineProperty(C.prototype, 'constructor', { value: C, writable: true, configurable: true, enumerable: false });
  });

  // ---------------------------------------------------------------- the script globals
  // pm, postman and console are built once; their methods read the current execution's `state`.
  // What is costly to build (pm.request, pm.response, the legacy globals) is built on first use.
  function lazy(obj, name, make) {
    Object.defineProperty(obj, name, {
      configurable: true, enumerable: true,
      get: function () { var v = make(); Object.defineProperty(obj, name, { value: v, writable: true, configurable: true, enumerable: true }); return v; },
      set: function (v) { Object.defineProperty(obj, name, { value: v, writable: true, configurable: true, enumerable: true }); }
    });
  }
  function currentRequest() {
    if (!state.requestObj) { state.requestObj = new Request(state.request); }
    return state.requestObj;
  }
  function currentResponse() {
    // After a request error Newman still runs the tests, with an empty response object.
    if (!state.responseObj) { state.responseObj = new Response(state.response || {}); }
    return state.responseObj;
  }
  function receivedResponse() { return state.response ? currentResponse() : undefined; }
  // Keys in Postman's order: skipRequest, location, setNextRequest.
  var execution = {
    skipRequest: function () { if (state.eventName === 'prerequest') { state.skipRequest = true; } }
  };
  Object.defineProperty(execution, 'location', { enumerable: true, get: function () {
    var location = (state.location || []).slice();
    location.current = location[location.length - 1];
    return location;
  } });
  execution.setNextRequest = function (n) {
    state.nextRequest = n === undefined || n === null ? null : String(n); state.nextRequestSet = true;
  };
  var pm = {
    environment: Scope('environment'),
    globals: Scope('globals'),
    collectionVariables: Scope('collectionVariables'),
    iterationData: Scope('data', { set: function (k, v) { state.data[k] = v; }, unset: function (k) { delete state.data[k]; } }),
    variables: {
      get: function (k) { return getAll(k); },
      set: function (k, v) { state.local[String(k)] = v; touched('local'); },
      unset: function (k) { delete state.local[k]; state.dirty.local = true; },
      has: function (k) { return lookupAll(k) !== MISSING; },
      toObject: function () { return Object.assign({}, state.globals, state.collectionVariables, state.environment, state.data, state.local); },
      replaceIn: function (t) { return resolveText(t, lookupAll); },
      clear: function () { state.local = {}; state.dirty.local = true; }
    },
    test: test,
    execution: execution,
    sendRequest: sendRequest,
    visualizer: { set: visualizerSet, clear: function () {} },
    require: requireModule
  };
  // pm.expect is chai's own expect; chai is parsed the first time a script asserts something.
  Object.defineProperty(pm, 'expect', { enumerable: true, configurable: true, get: function () { return chai().expect; },
    set: function (v) { Object.defineProperty(pm, 'expect', { value: v, writable: true, configurable: true, enumerable: true }); } });
  Object.defineProperty(pm.environment, 'name', { enumerable: true, get: function () { return state.environmentName; } });
  Object.defineProperty(pm, 'info', { enumerable: true, set: function () {}, get: function () {
    return { eventName: state.eventName, iteration: state.iteration, iterationCount: state.iterationCount,
             requestName: state.requestName, requestId: state.requestId };
  } });
  Object.defineProperty(pm, 'request', { enumerable: true, set: function () {}, get: currentRequest });
  Object.defineProperty(pm, 'response', { enumerable: true, set: function () {}, get: currentResponse });
  Object.defineProperty(pm, 'cookies', { enumerable: true, set: function () {}, get: function () {
    if (!state.cookiesObj) {
      state.cookiesObj = new PropertyList((state.cookies || []).map(function (c) { var x = clone(c); x.key = c.name; return x; }), false, 'cookie');
      state.cookiesObj.jar = cookieJar;
    }
    return state.cookiesObj;
  } });
  // Postman's legacy setters store what toString() gives for any truthy value or false (1 -> "1").
  function legacyValue(v) { return (v === false || v) && typeof (v && v.toString) === 'function' ? v.toString() : v; }
  // ... and update the legacy `environment` / `globals` objects a script may already hold.
  function legacyScope(name, k, v) { if (state && own(state.legacy, name) && state.legacy[name]) { state.legacy[name][k] = v; } }
  // pm.visualizer.set checks its arguments as Postman's does (the visualizer itself is not rendered by Newman).
  function visualizerSet(template, data, options) {
    if (typeof template !== 'string') { throw new Error('Invalid template. Template must be of type string, found ' + typeof template); }
    if (data && typeof data !== 'object') { throw new Error('Invalid data. Data must be an object, found ' + typeof data); }
    if (options && typeof options !== 'object') { throw new Error('Invalid options. Options must be an object, found ' + typeof options); }
  }
  var postman = {
    setNextRequest: execution.setNextRequest,
    setEnvironmentVariable: function (k, v) { v = legacyValue(v); legacyScope('environment', k, v); pm.environment.set(k, v); },
    getEnvironmentVariable: function (k) { return pm.environment.get(k); },
    clearEnvironmentVariable: function (k) { pm.environment.unset(k); },
    clearEnvironmentVariables: function () { pm.environment.clear(); },
    setGlobalVariable: function (k, v) { v = legacyValue(v); legacyScope('globals', k, v); pm.globals.set(k, v); },
    getGlobalVariable: function (k) { return pm.globals.get(k); },
    clearGlobalVariable: function (k) { pm.globals.unset(k); },
    clearGlobalVariables: function () { pm.globals.clear(); },
    getResponseHeader: function (k) { var r = receivedResponse(); return r ? r.headers.get(k) : undefined; },
    getResponseCookie: function (k) {
      var r = receivedResponse();
      if (!r) { return undefined; }
      var c = r.cookies.one(k) || pm.cookies.one(k);
      return c ? clone(c) : undefined;
    }
  };
  // As in Postman, a script cannot replace pm's members (pm.environment = 1 is silently ignored, even in
  // strict code); their own methods stay open to patching, which the reset between items undoes.
  ['environment', 'globals', 'collectionVariables', 'iterationData', 'variables', 'execution', 'visualizer',
   'test', 'sendRequest', 'require'].forEach(function (k) {
    var value = pm[k];
    Object.defineProperty(pm, k, { enumerable: true, configurable: true, get: function () { return value; },
      set: function () {} });
  });
  G.pm = pm;
  Object.defineProperty(G, 'postman', { configurable: true, enumerable: true,
    get: function () { return state && state.sandbox2 ? undefined : postman; },
    set: function (v) { Object.defineProperty(G, 'postman', { value: v, writable: true, configurable: true, enumerable: true }); } });
  G.console = consoleObj;
  G.require = requireModule;
  keys(timerApi).forEach(function (k) { G[k] = timerApi[k]; });

  // Legacy globals, defined per execution (and removed after it), built only when read.
  var LEGACY = {
    iteration: function () { return state.iteration; },
    data: function () { return clone(state.data); },
    environment: function () { return clone(state.environment); },
    globals: function () { return clone(state.globals); },
    request: function () {
      var request = currentRequest();
      var body = request.body;
      var desc = request.description;
      // As Postman's legacy request: a key repeated in form or urlencoded data gives an array of its values.
      return {
        id: state.requestId, name: state.requestName, method: request.method, url: request.url.toString(),
        description: desc && typeof desc === 'object' ? desc.content : desc,
        headers: request.headers.toObject(true),
        data: body ? (body.mode === 'raw' ? body.raw : body.urlencoded ? body.urlencoded.toObject(false, false, true) : body.formdata ? body.formdata.toObject(false, false, true) : {}) : {}
      };
    }
  };
  var LEGACY_RESPONSE = {
    responseBody: function () { var r = receivedResponse(); return r ? r.text() : undefined; },
    responseCode: function () { var r = receivedResponse(); return r ? { code: r.code, name: r.status, detail: r.status } : undefined; },
    responseHeaders: function () { var r = receivedResponse(); return r ? r.headers.toObject(false, true) : undefined; },
    responseTime: function () { var r = receivedResponse(); return r ? r.responseTime : undefined; },
    responseCookies: function () { var r = receivedResponse(); return r ? r.cookies.all() : undefined; }
  };
  // Defined once as getters over the current execution; each value is built on first read and
  // kept for the rest of that execution (a script may change the object it got and read it again).
  function defineLegacy(table) {
    keys(table).forEach(function (k) {
      Object.defineProperty(G, k, {
        configurable: true, enumerable: false,
        get: function () {
          if (!state || state.sandbox2) { return undefined; }
          if (!own(state.legacy, k)) { state.legacy[k] = table[k](); }
          return state.legacy[k];
        },
        set: function (v) { if (state) { state.legacy[k] = v; } }
      });
    });
  }
  defineLegacy(LEGACY);
  defineLegacy(LEGACY_RESPONSE);

  // ---------------------------------------------------------------- reset between items (isolation.js)
  var isolation = G.__postrunIsolation;
  var nativeStringify = JSON.stringify;
  function seal() {
    isolation.seal([pm, postman, consoleObj, timerApi, G.__postrun, pm.environment, pm.globals, pm.collectionVariables,
                    pm.iterationData, pm.variables, pm.execution, pm.visualizer, pm.test, pm.sendRequest, pm.require]);
  }

  // ---------------------------------------------------------------- driver
  // An error thrown by a timer or a host call's callback while an async test waits fails that test,
  // as in Postman; otherwise it is the script's error.
  function callbackError(e) {
    if (asyncTests.length) { asyncTests[0](e); } else if (!state.error) { state.error = errorInfo(e); }
  }
  function stoppedError(stopped) {
    return { name: stopped.name, message: stopped.message, stack: '' };
  }
  G.__postrun = {
    // `sandbox2`: the script starts with 'use sandbox2'; as in Postman, it runs without the legacy API.
    compile: function (fn, sandbox2) { compiled.push({ fn: fn, sandbox2: !!sandbox2 }); return compiled.length - 1; },
    sandbox2: function () { return !!(state && state.sandbox2); },
    begin: function (stateJSON) {
      state = nativeParse(stateJSON);
      state.tests = []; state.console = []; state.dirty = {}; state.skipRequest = false; state.nextRequestSet = false;
      state.error = null; state.requestObj = null; state.responseObj = undefined; state.cookiesObj = null;
      state.consoleBytes = 0; state.consoleDropped = 0;
      timers = []; pendingTests = 0; asyncTests = [];
      hostOps = []; hostReplies = Object.create(null);
      state.legacy = {};
      G.tests = state.legacyTests = {};
    },
    run: function (id) {
      state.sandbox2 = compiled[id].sandbox2;
      if (state.sandbox2) { delete G.tests; }
      try {
        compiled[id].fn.call(G);
      } catch (e) {
        state.error = errorInfo(e);
      }
    },
    // The calls into Python the script queued (JSON), or '' when there are none.
    takeOps: function () {
      if (!hostOps.length) { return ''; }
      var ops = hostOps;
      hostOps = [];
      return nativeStringify(ops);
    },
    reply: function (id, outJSON) {
      var onReply = hostReplies[id];
      delete hostReplies[id];
      if (!onReply) { return; }
      try { onReply(nativeParse(outJSON)); } catch (e) { callbackError(e); }
    },
    pending: function () {
      if (pendingTests <= 0 && !timers.length) { return -1; }
      if (!timers.length) { return -2; }
      var next = timers.reduce(function (a, t) { return t.at < a.at ? t : a; });
      return Math.max(0, next.at - Date.now());
    },
    // The script has nothing left to wait for, but tests still wait for their `done`.
    abandonTests: function () {
      asyncTests.slice().forEach(function (done) {
        done(new Error("pm.test('" + done.rec.name + "') never called its done callback"));
      });
      pendingTests = 0;
    },
    fireTimer: function () {
      if (!timers.length) { return; }
      var next = timers.reduce(function (a, t) { return t.at < a.at ? t : a; });
      if (next.repeat >= 0) { next.at = Date.now() + next.repeat; } else { timers.splice(timers.indexOf(next), 1); }
      try { next.fn.apply(G, next.args); } catch (e) { callbackError(e); }
    },
    // `stoppedJSON`: why the runtime stopped the script ({name, message}), or '' when it ran to its end.
    finish: function (stoppedJSON) {
      var stopped = stoppedJSON ? nativeParse(stoppedJSON) : null;
      var legacy = state.sandbox2 ? {} : G.tests && typeof G.tests === 'object' ? G.tests : state.legacyTests;
      keys(legacy).forEach(function (name) {
        var ok = !!legacy[name];
        state.tests.push({ name: name, passed: ok, skipped: false, error: ok ? null : { name: 'AssertionError', message: 'expected ' + String(legacy[name]) + ' to be truthy', stack: '' } });
      });
      // A test the runtime stopped in the middle did not pass.
      state.tests.forEach(function (rec) {
        if (rec.running) {
          delete rec.running;
          if (rec.passed) { rec.passed = false; rec.error = stopped ? stoppedError(stopped) : { name: 'Error', message: 'the test did not finish', stack: '' }; }
        }
      });
      if (state.consoleDropped) {
        state.console.push({ level: 'warn', message: state.consoleDropped + ' more console message(s) not shown: ' +
          'a script may log ' + (CONSOLE_LIMIT / 1048576) + ' MiB' });
      }
      pendingTests = 0; timers = []; hostOps = []; hostReplies = Object.create(null);
      var out = {
        tests: state.tests, console: state.console, error: state.error,
        skipRequest: state.skipRequest, scopes: {}
      };
      if (state.nextRequestSet) { out.nextRequest = state.nextRequest; }
      ['environment', 'globals', 'collectionVariables', 'local'].forEach(function (k) { if (state.dirty[k]) { out.scopes[k] = state[k]; } });
      if (state.eventName === 'prerequest' && state.requestObj && state.request) { out.request = state.requestObj.toJSON(); }
      delete G.tests;
      var text;
      try { text = nativeStringify(out); } catch (e) {
        out.scopes = {}; out.error = out.error || errorInfo(new Error('a variable holds a value that cannot be stored: ' + e.message));
        text = nativeStringify(out);
      }
      state = null;
      return text;
    },
    reset: isolation.restore,
    seal: seal,
    adopt: isolation.adopt
  };
})(globalThis);
