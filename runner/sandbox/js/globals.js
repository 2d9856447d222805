// Postman's global libraries (`_`, CryptoJS, tv4, xml2Json, Backbone, cheerio, atob, btoa, Buffer) and
// Sugar's extensions of the built-ins, each evaluated the first time a script reads it: most scripts never do.
// Loaded after pm.js; the values become part of the baseline the reset between items restores to.
(function (G) {
  var M = G.__postrunModules;
  var table = {
    _: function () { return M.internal('lodash3'); },
    CryptoJS: function () { return M.require('crypto-js'); },
    atob: function () { return M.require('atob'); },
    btoa: function () { return M.require('btoa'); },
    Buffer: function () { return M.require('buffer').Buffer; },
    tv4: function () { return M.require('tv4'); },
    Backbone: function () { return M.require('backbone'); },
    cheerio: function () { return M.require('cheerio'); },
    xml2Json: function () {
      // Postman's xml2Json: xml2js's synchronous parse with its options; a parse error gives {}.
      var xml2js = M.require('xml2js');
      return function xml2Json(text) {
        var out = {};
        xml2js.parseString(text, { explicitArray: false, async: false, trim: true, mergeAttrs: false },
          function (err, result) { out = result; });
        return out;
      };
    }
  };
  var loading = {};
  var values = {};
  var shown = {};
  Object.keys(table).forEach(function (n) {
    Object.defineProperty(G, n, {
      configurable: true, enumerable: false,
      get: function () {
        // A library that reads a global while it loads (lodash keeps the old `_`) sees none, as in
        // Postman's bundle, where the libraries do not run in the script's scope. 'use sandbox2'
        // scripts see none of the legacy libraries (Buffer stays).
        if (loading[n] || M.loading() || (n !== 'Buffer' && G.__postrun.sandbox2 && G.__postrun.sandbox2())) {
          return undefined;
        }
        if (!Object.prototype.hasOwnProperty.call(values, n)) {
          loading[n] = true;
          try { values[n] = table[n](); } finally { loading[n] = false; }
          // Postman warns when a script uses one of these (Buffer is not deprecated)
          var warn = n !== 'Buffer' && G.__postrun.deprecated;  // (absent in a bare library context)
          shown[n] = warn ? warn(n, values[n]) : values[n];
        }
        return shown[n];
      },
      set: function (v) {
        Object.defineProperty(G, n, { value: v, writable: true, configurable: true, enumerable: true });
      }
    });
  });

  // Sugar, as Postman's sandbox loads it into every script's realm. Until a script touches one of the
  // names it adds, each is an accessor that loads it; the built-ins it replaces stay native until then.
  var sugar = M.sugar();
  var stubbed = [];
  function targetOf(path) { return path.split('.').reduce(function (o, p) { return o[p]; }, G); }
  function installStubs() {
    Object.keys(sugar.added).forEach(function (path) {
      var obj = targetOf(path);
      sugar.added[path].forEach(function (name) {
        if (Object.prototype.hasOwnProperty.call(obj, name)) { return; }
        var stub = {
          configurable: true, enumerable: false,
          get: function () { if (M.loading()) { return undefined; } loadSugar(); return this[name]; },
          // Assigning through an heir (lodash sets `lodash.once = ...` on a function) makes an own
          // property, as it would over Sugar's writable method.
          set: function (v) {
            if (this !== obj) {
              Object.defineProperty(this, name, { value: v, writable: true, enumerable: true, configurable: true });
              return;
            }
            loadSugar();
            obj[name] = v;
          }
        };
        Object.defineProperty(obj, name, stub);
        stubbed.push([obj, name, stub.get]);
      });
    });
  }
  function removeStubs() {
    stubbed.forEach(function (s) {
      var d = Object.getOwnPropertyDescriptor(s[0], s[1]);
      if (d && d.get === s[2]) { delete s[0][s[1]]; }
    });
    stubbed = [];
  }
  function loadSugar() {
    removeStubs();
    try {
      M.internal('sugar');
    } catch (e) {
      installStubs();  // its text is not here yet: the runtime provides it and runs the script again
      throw e;
    }
    [sugar.added, sugar.replaced].forEach(function (table) {
      Object.keys(table).forEach(function (path) { G.__postrun.adopt(table[path], targetOf(path)); });
    });
  }
  installStubs();
})(globalThis);
