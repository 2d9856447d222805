// postrun: what keeps one item's scripts from changing another's outcome. After each item the runtime
// puts back what its scripts changed in the built-ins, the globals, pm and the loaded libraries. The
// reset uses only the functions taken here, when this file loads, before any script ran: a script may
// replace any of the originals. Loaded after loader.js and assertions.js, before pm.js.
(function (G) {
  'use strict';
  // After each item the runtime puts back what its scripts changed in the built-ins, the globals,
  // pm and the loaded libraries, so that no script changes another item's outcome. The reset uses
  // only these, taken before any script ran: a script may replace any of the originals.
  var ownKeys = Reflect.ownKeys, getDesc = Object.getOwnPropertyDescriptor, defProp = Object.defineProperty,
      getProto = Object.getPrototypeOf, setProto = Object.setPrototypeOf, isExtensible = Object.isExtensible,
      apply = Reflect.apply, weakHas = WeakMap.prototype.has, weakGet = WeakMap.prototype.get,
      weakSet = WeakMap.prototype.set,
      objectKeys = Object.keys, bindCall = Function.prototype.call.bind(Function.prototype.bind),
      getterOf = bindCall(Function.prototype.call, Object.prototype.__lookupGetter__),
      setterOf = bindCall(Function.prototype.call, Object.prototype.__lookupSetter__);
  var assertChai = G.__postrunAssert.chai;
  var snaps = [];                 // every object the reset watches, with its own properties as they were
  var snapOf = new WeakMap();
  var WATCH_DEPTH = 2, WATCH_MAX = 400, WATCH_KEYS = 2000;
  function push(list, v) { list[list.length] = v; }
  function isObj(v) { return (typeof v === 'object' && v !== null) || typeof v === 'function'; }
  function takeSnapshot(obj) {
    var names = ownKeys(obj), descs = [], index = Object.create(null);
    for (var i = 0; i < names.length; i++) { descs[i] = getDesc(obj, names[i]); index[names[i]] = i; }
    return { obj: obj, names: names, descs: descs, index: index, proto: getProto(obj), ext: isExtensible(obj),
             enumerable: objectKeys(obj).length };
  }
  function record(obj) {
    if (apply(weakHas, snapOf, [obj])) { return false; }
    var snap = takeSnapshot(obj);
    apply(weakSet, snapOf, [obj, snap]);
    push(snaps, snap);
    return true;
  }
  // An object and what it holds, a few levels down (a library's functions and their prototypes).
  function watch(root) {
    if (!isObj(root)) { return; }
    var todo = [[root, 0]], count = 0;
    for (var t = 0; t < todo.length && count < WATCH_MAX; t++) {
      var obj = todo[t][0], depth = todo[t][1];
      if (obj === G || ownKeys(obj).length > WATCH_KEYS || !record(obj)) { continue; }
      count++;
      if (depth >= WATCH_DEPTH) { continue; }
      var snap = apply(weakGet, snapOf, [obj]);
      for (var i = 0; i < snap.descs.length; i++) {
        var d = snap.descs[i];
        if (d && isObj(d.value)) { push(todo, [d.value, depth + 1]); }
      }
      if (typeof obj === 'function' && isObj(obj.prototype)) { push(todo, [obj.prototype, depth + 1]); }
    }
  }
  function same(a, b) {
    return !!a && !!b && (a.value === b.value || (a.value !== a.value && b.value !== b.value)) && a.get === b.get &&
      a.set === b.set && a.writable === b.writable && a.enumerable === b.enumerable && a.configurable === b.configurable;
  }
  // The check after every item, without a descriptor per property: a data property must still be one
  // (its getter is looked up first, so no getter a script installed runs here) and hold its value.
  function unchanged(snap) {
    var obj = snap.obj, names = snap.names, descs = snap.descs;
    if (ownKeys(obj).length !== names.length || getProto(obj) !== snap.proto || isExtensible(obj) !== snap.ext ||
        objectKeys(obj).length !== snap.enumerable) {
      return false;
    }
    for (var i = 0; i < names.length; i++) {
      var k = names[i], d = descs[i], g = getterOf(obj, k);
      if (d.get !== undefined || d.set !== undefined) {
        if (g !== d.get || setterOf(obj, k) !== d.set) { return false; }
      } else if (g !== undefined || setterOf(obj, k) !== undefined) {
        return false;
      } else {
        var v = obj[k];
        if (v !== d.value && !(v !== v && d.value !== d.value)) { return false; }
      }
    }
    return true;
  }
  // false when the object cannot be put back (frozen, or a property made non-configurable).
  function putBack(snap) {
    var obj = snap.obj, ok = true, now = ownKeys(obj), i;
    if (!snap.ext && isExtensible(obj)) { ok = false; }
    if (getProto(obj) !== snap.proto) { try { setProto(obj, snap.proto); } catch (e) { ok = false; } }
    for (i = 0; i < now.length; i++) {
      if (!(now[i] in snap.index)) { try { if (!delete obj[now[i]]) { ok = false; } } catch (e) { ok = false; } }
    }
    for (i = 0; i < snap.names.length; i++) {
      if (!same(getDesc(obj, snap.names[i]), snap.descs[i])) {
        try { defProp(obj, snap.names[i], snap.descs[i]); } catch (e) { ok = false; }
      }
    }
    return ok && unchanged(snap);
  }
  // Whether everything is as it was (false: the context must be made anew). Checking every watched
  // object costs milliseconds, so it is done (`full`) after items whose scripts' text could write to a
  // shared object; otherwise only the global object's keys are counted (implicit globals).
  var takeLoads = G.__postrunModules.takeLoads;
  function restore(full) {
    var ok = true, changed = false, loads = takeLoads();
    if (!full) {
      var g = snaps[0];
      if (ownKeys(G).length === g.names.length && objectKeys(G).length === g.enumerable) { return true; }
      return putBack(g);
    }
    for (var i = 0; i < snaps.length; i++) {
      if (!unchanged(snaps[i])) { changed = true; if (!putBack(snaps[i])) { ok = false; } }
    }
    // A library that loaded while a built-in was replaced may keep what it saw: only a new context is clean.
    return ok && !(changed && loads);
  }
  var BUILTINS = ['Object', 'Array', 'String', 'Number', 'Boolean', 'Function', 'Date', 'RegExp', 'Promise', 'Error',
    'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError', 'Map', 'Set',
    'WeakMap', 'WeakSet', 'WeakRef', 'Symbol', 'BigInt', 'ArrayBuffer', 'DataView', 'Uint8Array', 'Int8Array',
    'Uint8ClampedArray', 'Uint16Array', 'Int16Array', 'Uint32Array', 'Int32Array', 'Float32Array', 'Float64Array',
    'BigInt64Array', 'BigUint64Array', 'Proxy', 'JSON', 'Math', 'Reflect', 'Atomics', 'Intl'];
  // `shared`: the sandbox's own objects scripts reach (pm and its members, console, timers...).
  function seal(shared) {
    record(G);
    for (var s = 0; s < shared.length; s++) { watch(shared[s]); }
    [G.__postrunModules, G.__postrunAssert, G.__postrunIsolation].forEach(function (o) { watch(o); });
    BUILTINS.forEach(function (name) {
      var v = G[name];
      if (!isObj(v)) { return; }
      record(v);
      if (isObj(v.prototype)) { record(v.prototype); }
    });
    record(getProto(Uint8Array)); record(getProto(Uint8Array).prototype);  // %TypedArray%
    var iterators = [[][Symbol.iterator](), ''[Symbol.iterator](), new Map().entries(), new Set().values(),
                     'a'.matchAll(/a/g)];
    iterators.forEach(function (it) { record(getProto(it)); });
    record(getProto(getProto([][Symbol.iterator]())));  // %IteratorPrototype%
    [function () {}, function* () {}, async function () {}, async function* () {}].forEach(function (f) {
      record(getProto(f));
      if (isObj(f.prototype)) { record(getProto(f.prototype)); }
    });
    // What a library becomes is watched from the moment it has loaded: chai with Postman's assertions.
    G.__postrunModules.onLoad(function (name, exports) {
      if (name === 'chai') { apply(assertChai, G.__postrunAssert, []); }
      watch(exports);
    });
  }
  // What a lazily loaded part of the sandbox defined (Sugar's methods) becomes part of what the reset
  // restores to. `obj` is the global object unless given.
  function adopt(names, obj) {
    obj = obj || G;
    var snap = apply(weakGet, snapOf, [obj]);
    if (!snap) { return; }
    for (var i = 0; i < names.length; i++) {
      var k = names[i], d = getDesc(obj, k);
      if (!d) { continue; }
      if (k in snap.index) { snap.descs[snap.index[k]] = d; } else {
        snap.index[k] = snap.names.length; push(snap.names, k); push(snap.descs, d);
      }
    }
  }

  G.__postrunIsolation = { seal: seal, restore: restore, adopt: adopt };
})(globalThis);
