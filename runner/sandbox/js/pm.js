// postrun's implementation of Postman's script API (pm, postman, legacy globals) for QuickJS.
// Loaded once per context after loader.js and assertions.js. Python drives it through globalThis.__postrun:
// compile(fn) -> id, begin(stateJSON), run(id), then takeOps()/reply(), pending(), fireTimer() until the
// script is done, finish(). Scripts never call Python: what they ask of the host is queued (takeOps).
(function (G) {
  'use strict';
  function chai() { return G.__postrunAssert.chai(); }
  var objects = G.__postrunObjects;
  var scopes = G.__postrunScopes;
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
  // As postman-sandbox's: the request as an SDK Request (a string or a definition is made into one), the
  // response as an SDK Response (an empty one when the request failed), and a history with cookies.
  function sendRequest(req, callback) {
    if (!req) {
      if (isFn(callback)) { callback.call(pm, new Error('sendrequest: nothing to request')); }
      return isFn(callback) ? undefined : Promise.reject(new Error('sendrequest: nothing to request'));
    }
    var def = (objects.isRequest(req) ? req : new (objects.sdk().Request)(req)).toJSON();
    if (isFn(callback)) {
      hostCall('send_request', def, function (out) {
        callback.call(pm, out.error ? new Error(out.error) : null, objects.response(out.response),
                      { cookies: new (objects.sdk().CookieList)({}, []) });
      });
      return undefined;
    }
    return new Promise(function (resolve, reject) {
      hostCall('send_request', def, function (out) {
        if (out.error) { reject(new Error(out.error)); } else { resolve(objects.response(out.response)); }
      });
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
  // ---------------------------------------------------------------- the script globals
  // pm, postman and console are built once; their methods read the current execution's `state`.
  // What is costly to build (pm.request, pm.response, the legacy globals) is built on first use.
  function currentRequest() {
    if (!state.requestObj) { state.requestObj = objects.request(state.request); }
    return state.requestObj;
  }
  function currentResponse() {
    // After a request error Newman still runs the tests, with an empty response object.
    if (!state.responseObj) { state.responseObj = objects.response(state.response); }
    return state.responseObj;
  }
  function receivedResponse() { return state.response ? currentResponse() : undefined; }
  function scope(name) { return scopes.scope(state, name); }
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
    test: test,
    execution: execution,
    sendRequest: sendRequest,
    visualizer: { set: visualizerSet, clear: function () {} },
    require: requireModule
  };
  // pm.expect is chai's own expect; chai is parsed the first time a script asserts something.
  Object.defineProperty(pm, 'expect', { enumerable: true, configurable: true, get: function () { return chai().expect; },
    set: function (v) { Object.defineProperty(pm, 'expect', { value: v, writable: true, configurable: true, enumerable: true }); } });
  Object.defineProperty(pm, 'info', { enumerable: true, set: function () {}, get: function () {
    return { eventName: state.eventName, iteration: state.iteration, iterationCount: state.iterationCount,
             requestName: state.requestName, requestId: state.requestId };
  } });
  Object.defineProperty(pm, 'request', { enumerable: true, set: function () {}, get: currentRequest });
  // As in postman-sandbox, only a test script has a response (pm.response is undefined before the request).
  Object.defineProperty(pm, 'response', { enumerable: true, set: function () {},
    get: function () { return state.eventName === 'test' ? currentResponse() : undefined; } });
  Object.defineProperty(pm, 'cookies', { enumerable: true, set: function () {}, get: function () {
    if (!state.cookiesObj) {
      state.cookiesObj = objects.cookies(state.cookies, cookieJar);
    }
    return state.cookiesObj;
  } });
  // ---------------------------------------------------------------- deprecation of the legacy API
  // As postman-sandbox 4.7 (Newman 6.2) does: the legacy globals that are objects or functions are
  // proxies that warn on the console, once per script and name, when read, written or called.
  var ALTERNATIVES = {
    tests: 'pm.test()', globals: 'pm.globals', environment: 'pm.environment', data: 'pm.iterationData',
    request: 'pm.request', responseCookies: 'pm.cookies', responseHeaders: 'pm.response.headers',
    responseTime: 'pm.response.responseTime', responseCode: 'pm.response.code', responseBody: 'pm.response.text()',
    iteration: 'pm.info.iteration', _: "require('lodash')", CryptoJS: "require('crypto-js')", atob: "require('atob')",
    btoa: "require('btoa')", tv4: "require('ajv')", xml2Json: "require('xml2js')", Backbone: "require('backbone')",
    cheerio: "require('cheerio')", 'postman.setNextRequest': 'pm.execution.setNextRequest()'
  };
  function warnDeprecated(key) {
    if (!state || state.sandbox2 || state.quietLegacy) { return; }
    var warned = state.deprecated || (state.deprecated = {});
    if (own(warned, key)) { return; }
    warned[key] = true;
    consoleObj.warn('Using "' + key + '" is deprecated. Use "' + ALTERNATIVES[key] + '" instead.');
  }
  // (A write through it returns nothing, as Postman's trap: in strict code that is a TypeError there too.)
  function deprecated(key, value) {
    if (!value || (typeof value !== 'object' && typeof value !== 'function')) { return value; }
    return new Proxy(value, {
      set: function (target, prop, v) { warnDeprecated(key); target[prop] = v; },
      get: function (target, prop) { warnDeprecated(key === 'postman' ? 'postman.setNextRequest' : key); return target[prop]; },
      apply: function (target, self, args) { warnDeprecated(key); return target.apply(self, args); }
    });
  }

  // Postman's legacy setters store what toString() gives for any truthy value or false (1 -> "1").
  function legacyValue(v) { return (v === false || v) && typeof (v && v.toString) === 'function' ? v.toString() : v; }
  // ... and update the legacy `environment` / `globals` objects a script may already hold.
  function legacyScope(name, k, v) { if (state && own(state.legacyRaw, name) && state.legacyRaw[name]) { state.legacyRaw[name][k] = v; } }
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
    getResponseHeader: function (k) { var r = receivedResponse(), h = r && r.headers.one(k); return h ? h.value : undefined; },
    getResponseCookie: function (k) { return receivedResponse() ? pm.cookies.one(String(k)) : undefined; }
  };
  // As in Postman, a script cannot replace pm's members (pm.environment = 1 is silently ignored, even in
  // strict code); their own methods stay open to patching, which the reset between items undoes. The
  // variable scopes are the execution's own (scopes.js).
  var SCOPES = { environment: 'environment', globals: 'globals', collectionVariables: 'collectionVariables',
                 variables: 'local', iterationData: 'data' };
  keys(SCOPES).forEach(function (k) {
    Object.defineProperty(pm, k, { enumerable: true, configurable: true, get: function () { return scope(SCOPES[k]); },
      set: function () {} });
  });
  ['execution', 'visualizer', 'test', 'sendRequest', 'require'].forEach(function (k) {
    var value = pm[k];
    Object.defineProperty(pm, k, { enumerable: true, configurable: true, get: function () { return value; },
      set: function () {} });
  });
  G.pm = pm;
  Object.defineProperty(G, 'postman', { configurable: true, enumerable: true,
    get: function () { return !state ? postman : state.sandbox2 ? undefined : state.postmanProxy || (state.postmanProxy = deprecated('postman', postman)); },
    set: function (v) { Object.defineProperty(G, 'postman', { value: v, writable: true, configurable: true, enumerable: true }); } });
  G.console = consoleObj;
  G.require = requireModule;
  keys(timerApi).forEach(function (k) { G[k] = timerApi[k]; });

  // Legacy globals, defined per execution (and removed after it), built only when read.
  var LEGACY = {
    iteration: function () { return state.iteration; },
    data: function () { return state.data || (state.data = {}); },
    environment: function () { return scope('environment').syncVariablesTo(); },
    globals: function () { return scope('globals').syncVariablesTo(); },
    request: function () {
      var request = currentRequest();
      return {
        id: state.requestId, name: state.requestName,
        description: request.description ? request.description.toString() : undefined,
        headers: request.headers.toObject(true, false, true, true),
        method: request.method, url: request.url.toString(), data: legacyData(request.body)
      };
    }
  };
  // The legacy `request.data`: raw text, form or urlencoded fields (a repeated key gives an array of its
  // values; disabled ones left out), a file's content, or {} for an empty body.
  function legacyData(body) {
    if (!body || body.isEmpty()) { return {}; }
    var mode = body.mode, content = body[mode];
    if (mode === 'raw') { return content === undefined || content === null ? {} : content; }
    if (mode === 'file') { var file = content && content.content; return file === undefined || file === null ? {} : file; }
    if (mode !== 'urlencoded' && mode !== 'formdata') { return {}; }
    var out = {};
    (content && isFn(content.all) ? content.all() : content || []).forEach(function (param) {
      if (param.disabled) { return; }
      if (out[param.key]) {
        if (Array.isArray(out[param.key])) { out[param.key].push(param.value); } else { out[param.key] = [out[param.key], param.value]; }
      } else {
        out[param.key] = param.value;
      }
    });
    return out;
  }
  var LEGACY_RESPONSE = {
    responseBody: function () { var r = receivedResponse(); return r ? r.text() : undefined; },
    responseCode: function () { var r = receivedResponse(); return r ? r.details() : undefined; },
    responseHeaders: function () {
      var r = receivedResponse();
      if (!r) { return undefined; }
      var out = {};
      r.headers.each(function (h) { if (h && !h.disabled) { out[h.key] = h.value; } });
      return out;
    },
    responseTime: function () { var r = receivedResponse(); return r ? r.responseTime : undefined; },
    responseCookies: function () { return receivedResponse() ? pm.cookies : undefined; }
  };
  // Defined once as getters over the current execution; each value is built on first read and
  // kept for the rest of that execution (a script may change the object it got and read it again).
  function defineLegacy(table) {
    keys(table).forEach(function (k) {
      Object.defineProperty(G, k, {
        configurable: true, enumerable: false,
        get: function () {
          if (!state || state.sandbox2) { return undefined; }
          if (!own(state.legacy, k)) { state.legacyRaw[k] = table[k](); state.legacy[k] = deprecated(k, state.legacyRaw[k]); }
          return state.legacy[k];
        },
        set: function (v) { if (state) { state.legacy[k] = state.legacyRaw[k] = v; } }
      });
    });
  }
  defineLegacy(LEGACY);
  defineLegacy(LEGACY_RESPONSE);

  // ---------------------------------------------------------------- reset between items (isolation.js)
  var isolation = G.__postrunIsolation;
  var nativeStringify = JSON.stringify;
  function seal() {
    isolation.seal([pm, postman, consoleObj, timerApi, G.__postrun, objects, scopes, pm.execution, pm.visualizer, pm.test,
                    pm.sendRequest, pm.require]);
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
    // Libraries evaluated before the first script (runtime.py's warm_up), as a script's first use loads them.
    preload: function (namesJSON) {
      nativeParse(namesJSON).forEach(function (name) {
        if (name === 'chai') { G.__postrunAssert.chai(); } else { G.__postrunModules.internal(name); }
      });
    },
    // A legacy library global as scripts see it: a proxy that warns that it is deprecated (globals.js).
    deprecated: deprecated,
    begin: function (stateJSON) {
      state = nativeParse(stateJSON);
      state.tests = []; state.console = []; state.skipRequest = false; state.nextRequestSet = false;
      state.error = null; state.requestObj = null; state.responseObj = undefined; state.cookiesObj = null;
      state.consoleBytes = 0; state.consoleDropped = 0;
      timers = []; pendingTests = 0; asyncTests = [];
      hostOps = []; hostReplies = Object.create(null);
      state.legacy = {}; state.legacyRaw = {};
      G.tests = deprecated('tests', state.legacyTests = {});
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
      state.quietLegacy = true;  // reading the results is not the script's use of the legacy API
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
        skipRequest: state.skipRequest, scopes: scopes.changes(state)
      };
      if (state.nextRequestSet) { out.nextRequest = state.nextRequest; }
      var req = state.requestObj;
      if (state.eventName === 'prerequest' && req && state.request && objects.changed(req)) { out.request = req.toJSON(); }
      delete G.tests;
      var text;
      try { text = nativeStringify(out); } catch (e) {
        out.scopes = {}; out.error = out.error || errorInfo(new Error('a variable holds a value that cannot be stored: ' + e.message));
        text = nativeStringify(out);
      }
      state = null;
      return text;
    },
    reset: function (full) { if (full) { scopes.forget(); } return isolation.restore(full); },
    seal: seal,
    adopt: isolation.adopt
  };
})(globalThis);
