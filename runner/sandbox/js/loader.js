// postrun's CommonJS loader for the npm libraries the build step packed (runner/sandbox/pack.py).
// The build resolved every `require('x')` of every packed file, as a bundler does; here a module is
// evaluated the first time something requires it. Its text is handed over by Python: when it is not
// in the context yet, the loader records it as needed and throws, and the runtime provides the text and
// runs the script again from the start (scripts never call into Python while they run).
(function (G) {
  'use strict';
  var parse = JSON.parse;        // (a script may replace JSON.parse before a library's text arrives)
  var index = null;              // {entries: {name: path}, sugar, modules: {path: {deps, free}} as handed over}
  var sources = Object.create(null);
  var cache = Object.create(null);
  var needed = [];
  var onLoad = null;             // told of each library scripts or the sandbox load, once it has loaded
  var announced = Object.create(null);
  var loads = 0;                 // libraries evaluated since the reset last asked
  var depth = 0;                 // modules being evaluated right now
  var EMPTY = {};

  function NeedModule(path) { this.name = 'Error'; this.message = "Cannot find module '" + path + "'"; this.path = path; }
  NeedModule.prototype = Object.create(Error.prototype);

  function notFound(name) {
    var e = new Error("Cannot find module '" + name + "'");
    e.code = 'MODULE_NOT_FOUND';
    return e;
  }

  // Random bytes for the libraries that ask Node's crypto for them (uuid); scripts cannot require it.
  var cryptoShim = {
    randomFillSync: function (buf) { for (var i = 0; i < buf.length; i++) { buf[i] = Math.floor(Math.random() * 256); } return buf; },
    randomBytes: function (n) { return cryptoShim.randomFillSync(load(index.entries.buffer).Buffer.alloc(n)); }
  };

  function load(path) {
    if (path === '@empty') { return EMPTY; }
    if (path === '@crypto') { return cryptoShim; }
    var cached = cache[path];
    if (cached) { return cached.exports; }
    var info = index.modules[path];
    var text = sources[path];
    if (text === undefined) {
      needed.push(path);
      throw new NeedModule(path);
    }
    var module = { exports: {}, id: path, filename: path, loaded: false, children: [], paths: [] };
    cache[path] = module;
    depth++;
    try {
      if (path.slice(-5) === '.json') {
        module.exports = parse(text);
      } else {
        var fn = (0, eval)('(function (exports, require, module, __filename, __dirname, global, process, Buffer) {' +
                           text + '\n})');
        var deps = info.deps, lazy = info.lazy;
        var localRequire = function (spec) {
          var target = deps[spec];
          if (!target) { throw notFound(spec); }
          return lazy.indexOf(spec) >= 0 && !cache[target] ? deferred(target, []) : load(target);
        };
        var free = info.free;
        var proc = free.indexOf('process') >= 0 ? load(index.entries._process) : undefined;
        var buf = free.indexOf('Buffer') >= 0 && path !== index.entries.buffer ? load(index.entries.buffer).Buffer : undefined;
        var dir = path.slice(0, path.lastIndexOf('/'));
        fn.call(module.exports, module.exports, localRequire, module, '/' + path, '/' + dir, G, proc, buf);
      }
    } catch (e) {
      delete cache[path];
      throw e;
    } finally {
      depth--;
    }
    module.loaded = true;
    loads++;
    delete sources[path];
    return module.exports;
  }

  // What a module gets for a require it uses only inside its functions (pack.py's LAZY): a stand-in that
  // loads the real module the first time it is called or read through, and then acts as it. A member
  // read before that (the SDK keeps `faker.internet.ipv6` in a table) is a stand-in for that member.
  function deferred(path, keys) {
    function target() {
      var value = load(path);
      for (var i = 0; i < keys.length; i++) { value = value[keys[i]]; }
      return value;
    }
    return new Proxy(function () {}, {
      apply: function (t, self, args) { return Reflect.apply(target(), self, args); },
      construct: function (t, args) { return Reflect.construct(target(), args); },
      get: function (t, key) {
        return cache[path] || typeof key === 'symbol' ? Reflect.get(target(), key) : deferred(path, keys.concat(key));
      },
      has: function (t, key) { return Reflect.has(target(), key); }
    });
  }

  function entry(name, path) {
    var exports = load(path);
    if (!announced[path] && onLoad) {
      announced[path] = true;  // (also while onLoad runs: it may require the same library)
      try { onLoad(name, exports); } catch (e) { delete announced[path]; throw e; }
    }
    return exports;
  }

  // V8's wording for malformed URI escapes (QuickJS says 'expecting hex digit'); libraries pass it on.
  ['decodeURIComponent', 'decodeURI', 'encodeURIComponent', 'encodeURI'].forEach(function (name) {
    var native = G[name];
    var wrapped = {}[name] = function (text) {
      try { return native(text); } catch (e) {
        if (e instanceof URIError) { throw new URIError('URI malformed'); }
        throw e;
      }
    };
    Object.defineProperty(wrapped, 'name', { value: name });
    Object.defineProperty(G, name, { value: wrapped, writable: true, configurable: true, enumerable: false });
  });

  G.__postrunModules = {
    // The names and Sugar's surface at boot; each module's resolved requires come with its text.
    onLoad: function (fn) { if (!onLoad) { onLoad = fn; } },
    takeLoads: function () { var n = loads; loads = 0; return n; },
    setIndex: function (json) { index = parse(json); index.modules = Object.create(null); },
    // Modules' texts in one call: back to back in `blob`, with [path, length, info] of each (runtime.py's
    // handover).
    addAll: function (blob, partsJSON) {
      var at = 0;
      parse(partsJSON).forEach(function (part) {
        sources[part[0]] = blob.slice(at, at + part[1]);
        index.modules[part[0]] = parse(part[2]);
        at += part[1];
      });
    },
    has: function (path) { return !!cache[path] || sources[path] !== undefined; },
    // Paths a script needed and did not find; the runtime provides them and runs it again.
    takeNeeded: function () { var n = needed; needed = []; return n.join('\n'); },
    // `require` as scripts see it: only the names Postman's sandbox exposes.
    require: function (name) {
      var path = typeof name === 'string' && Object.prototype.hasOwnProperty.call(index.entries, name) ? index.entries[name] : null;
      if (!path || name === 'lodash3' || name === 'chai-postman' || name === 'sugar') { throw notFound(name); }
      return entry(name, path);
    },
    // The libraries the sandbox itself loads (lodash3 for `_`, chai-postman, Sugar).
    internal: function (name) { return entry(name, index.entries[name]); },
    // Whether a library is being evaluated: it must not see the script's lazy globals (lodash 4 reads `_`).
    loading: function () { return depth > 0; },
    sugar: function () { return index.sugar || { added: {}, replaced: {} }; },
    loaded: function (name) { var p = index.entries[name]; return !!(p && cache[p]); }
  };
})(globalThis);
