// postrun: the variable scopes as postman-sandbox builds them for a script, from the runtime's values.
//
// pm.environment, pm.globals and pm.collectionVariables are the SDK's VariableScope objects, with change
// tracking; pm.iterationData is one made from the iteration's data (not tracked: changes stay in the
// script); pm.variables is a tracked VariableScope of the local values, with the iteration data, the
// environment, the collection variables and the globals as its layers, in that order. Each is made the
// first time the script reads it (~50 us a variable in QuickJS). What a script changed goes back as
// postman-runtime takes it: a scope's mutations applied to the values it started from, and the local
// scope whole (when the script changed it). Defines `__postrunScopes`.
(function (G) {
  'use strict';
  var hasOwn = Object.prototype.hasOwnProperty;
  var keys = Object.keys;
  var objects = G.__postrunObjects;
  var TRACKED = ['environment', 'globals', 'collectionVariables', 'local'];

  function definitions(values) {
    return keys(values || {}).map(function (k) { return { key: k, value: values[k] }; });
  }

  function make(state, name) {
    var VariableScope = objects.sdk().VariableScope;
    if (name === 'data') {
      var data = new VariableScope();
      data.syncVariablesFrom(state.data || {});
      return data;
    }
    if (name === 'local') {
      var local = new VariableScope({ values: definitions(state.local) });
      local.enableTracking({ autoCompact: true });
      ['data', 'environment', 'collectionVariables', 'globals'].forEach(function (layer) {
        local.addLayer(scope(state, layer).values);
      });
      return local;
    }
    var def = { values: definitions(state[name]) };
    if (name === 'environment' && state.environmentName !== null && state.environmentName !== undefined) {
      def.name = state.environmentName;
    }
    var made = new VariableScope(def);
    made.enableTracking({ autoCompact: true });
    return made;
  }

  // The scopes made for earlier scripts, kept while they hold exactly what the runtime sends (building
  // one costs ~50 us a variable; comparing it, ~1 us). A script changes its scopes only through them, so
  // a kept scope agrees with the runtime's values after their write-back, or it is made anew. Forgotten
  // when the reset after an item puts back what a script may have changed in shared objects.
  var kept = {};
  var FRESH_VARIABLE_KEYS = 3;  // type, value, key: what the SDK gives a Variable made from {key, value}
  function holds(made, values) {
    var members = made.values.members, names = keys(values || {});
    if (members.length !== names.length) { return false; }
    for (var i = 0; i < names.length; i++) {
      var m = members[i];
      if (m.key !== names[i] || m.value !== values[names[i]] || m.type !== 'any' || keys(m).length !== FRESH_VARIABLE_KEYS) {
        return false;
      }
    }
    return true;
  }
  function reuse(state, name) {
    var made = kept[name];
    if (!made || !holds(made, state[name])) { return null; }
    if (name === 'local') {
      var layers = made._layers || [];
      var ok = ['data', 'environment', 'collectionVariables', 'globals'].every(function (layer, i) {
        return layers[i] === scope(state, layer).values;
      });
      if (!ok || layers.length !== 4) { return null; }
    }
    if (name === 'environment' && made.name !== (state.environmentName === null ? undefined : state.environmentName)) {
      return null;
    }
    if (made.mutations && made.mutations.count()) {  // an empty tracker, as a new scope has
      made._postman_enableTracking = false;
      made.enableTracking({ autoCompact: true });
    }
    return made;
  }

  /** The script's VariableScope for `name` ('environment', 'globals', 'collectionVariables', 'data', 'local'). */
  function scope(state, name) {
    var made = state.scopeObjects || (state.scopeObjects = {});
    if (!hasOwn.call(made, name)) { made[name] = kept[name] = reuse(state, name) || make(state, name); }
    return made[name];
  }

  // A value as it crosses Postman's sandbox boundary (a structured clone of JSON): undefined and functions
  // become null, except in the local scope, where a variable whose value is undefined stays and resolves
  // to "" (measured with Newman 6.2; it is sent here as "").
  function crossed(name, value) {
    if (value === undefined) { return name === 'local' ? '' : null; }
    return typeof value === 'function' ? null : value;
  }

  /** The values of each scope the script changed, by name, as the runtime is to store them. */
  function changes(state) {
    var out = {}, made = state.scopeObjects || {};
    TRACKED.forEach(function (name) {
      var s = made[name];
      if (!s || (!s.mutations.count() && (name !== 'local' || holds(s, state.local)))) { return; }
      var values = {};
      if (name === 'local') {  // whole, as postman-runtime keeps pm.variables for the next script
        s.values.each(function (v) { values[v.key] = crossed(name, v.value); });
      } else {
        var start = state[name] || {};
        keys(start).forEach(function (k) { values[k] = start[k]; });
        var apply = function (mutation) {
          if (mutation.length > 1) { values[mutation[0]] = crossed(name, mutation[1]); } else { delete values[mutation[0]]; }
        };
        keys(s.mutations.compacted).forEach(function (k) { apply(s.mutations.compacted[k]); });
        s.mutations.stream.forEach(apply);
      }
      out[name] = values;
    });
    return out;
  }

  G.__postrunScopes = { scope: scope, changes: changes, forget: function () { kept = {}; } };
})(globalThis);
