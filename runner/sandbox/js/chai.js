/*
 * postrun: chai 4 style BDD `expect` for the QuickJS sandbox.
 *
 * Our own implementation of the behaviour of chai 4.3 (the version postman-sandbox bundles): same
 * chains, flags, assertions, plugin API and, as far as we know, identical failure messages. Values
 * in messages are rendered like chai's inspector (loupe 2), including its truncation rules.
 *
 * Evaluated as a plain script; the only global it defines is `__chai`.
 */
(function () {
  'use strict';

  const config = {
    includeStack: false,
    showDiff: true,
    truncateThreshold: 40,
    useProxy: true,
    proxyExcludedKeys: ['then', 'catch', 'inspect', 'toJSON'],
  };

  const objectToString = (value) => Object.prototype.toString.call(value);
  const isPrimitive = (value) => value === null || typeof value !== 'object';
  const sameValueZero = (a, b) => (a !== a && b !== b) || a === b;

  function getName(fn) {
    return typeof fn === 'function' ? fn.name : null;
  }

  // ------------------------------------------------------------------------------------------------
  // Type names (as chai's type-detect reports them: 'null', 'Array', 'Object', 'function', ...)

  const TYPES_BY_PROTOTYPE = [
    [RegExp.prototype, 'RegExp'],
    [Date.prototype, 'Date'],
    [Promise.prototype, 'Promise'],
    [Set.prototype, 'Set'],
    [Map.prototype, 'Map'],
    [WeakSet.prototype, 'WeakSet'],
    [WeakMap.prototype, 'WeakMap'],
    [DataView.prototype, 'DataView'],
    [Object.getPrototypeOf(new Map().entries()), 'Map Iterator'],
    [Object.getPrototypeOf(new Set().entries()), 'Set Iterator'],
    [Object.getPrototypeOf([][Symbol.iterator]()), 'Array Iterator'],
    [Object.getPrototypeOf(''[Symbol.iterator]()), 'String Iterator'],
  ];

  function typeOf(value) {
    if (value === null) return 'null';
    if (typeof value !== 'object') return typeof value;
    if (value === globalThis) return 'global';
    if (Array.isArray(value) && !(Symbol.toStringTag in value)) return 'Array';
    const tag = value[Symbol.toStringTag];
    if (typeof tag === 'string') return tag;
    const proto = Object.getPrototypeOf(value);
    const known = TYPES_BY_PROTOTYPE.find(([p]) => p === proto);
    if (known) return known[1];
    if (proto === null) return 'Object';
    return objectToString(value).slice(8, -1);
  }

  // ------------------------------------------------------------------------------------------------
  // Inspection. Mirrors the output of loupe 2 (chai 4's inspector) without colours: every renderer
  // gets a character budget (`opts.truncate`) and lists are cut short with '…(n)' when over budget.
  // `inspectValue` works on a copy of the options; list helpers deliberately update the budget of
  // the options they are given, because the exact output depends on it.

  const TRUNCATOR = '…';
  const CHAI_INSPECT = Symbol.for('chai/inspect');
  const NODE_INSPECT = Symbol.for('nodejs.util.inspect.custom');
  const STRING_ESCAPES = {
    '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r', "'": "\\'",
  };
  const ESCAPED_CHARS = new RegExp(
    "['\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0604\\u070f\\u17b4\\u17b5" +
      '\\u200c-\\u200f\\u2028-\\u202f\\u2060-\\u206f\\ufeff\\ufff0-\\uffff]',
    'g'
  );
  const ERROR_KEYS = [
    'stack', 'line', 'column', 'name', 'message', 'fileName', 'lineNumber', 'columnNumber', 'number',
    'description',
  ];

  function truncate(value, length, tail = TRUNCATOR) {
    const text = String(value);
    if (tail.length > length && text.length > tail.length) return tail;
    if (text.length > length && text.length > tail.length) return text.slice(0, length - tail.length) + tail;
    return text;
  }

  function inspectList(list, opts, inspectItem = inspectValue, separator = ', ') {
    const size = list.length;
    if (size === 0) return '';
    const budget = opts.truncate;
    let output = '';
    let peek = '';
    let rest = '';
    for (let i = 0; i < size; i += 1) {
      const last = i + 1 === size;
      const secondToLast = i + 2 === size;
      rest = `${TRUNCATOR}(${size - i})`;
      opts.truncate = budget - output.length - (last ? 0 : separator.length);
      const text = peek || inspectItem(list[i], opts) + (last ? '' : separator);
      const nextLength = output.length + text.length;
      const withRest = nextLength + rest.length;
      if (last && nextLength > budget && output.length + rest.length <= budget) break;
      if (!last && !secondToLast && withRest > budget) break;
      peek = last ? '' : inspectItem(list[i + 1], opts) + (secondToLast ? '' : separator);
      if (!last && secondToLast && withRest > budget && nextLength + peek.length > budget) break;
      output += text;
      if (!last && !secondToLast && nextLength + peek.length >= budget) {
        rest = `${TRUNCATOR}(${size - i - 1})`;
        break;
      }
      rest = '';
    }
    return output + rest;
  }

  function quoteKey(key) {
    if (/^[a-zA-Z_][a-zA-Z_0-9]*$/.test(key)) return key;
    return JSON.stringify(key)
      .replace(/'/g, "\\'")
      .replace(/\\"/g, '"')
      .replace(/(^"|"$)/g, "'");
  }

  function inspectProperty([key, value], opts) {
    opts.truncate -= 2;
    if (typeof key === 'string') key = quoteKey(key);
    else if (typeof key !== 'number') key = `[${inspectValue(key, opts)}]`;
    opts.truncate -= key.length;
    return `${key}: ${inspectValue(value, opts)}`;
  }

  function inspectNumber(number, opts) {
    if (Number.isNaN(number)) return 'NaN';
    if (number === Infinity) return 'Infinity';
    if (number === -Infinity) return '-Infinity';
    if (number === 0) return 1 / number === Infinity ? '+0' : '-0';
    return truncate(number, opts.truncate);
  }

  function inspectBigInt(number, opts) {
    const digits = truncate(number.toString(), opts.truncate - 1);
    return digits === TRUNCATOR ? digits : `${digits}n`;
  }

  function inspectString(string, opts) {
    let text = string;
    if (ESCAPED_CHARS.test(text)) {
      text = text.replace(ESCAPED_CHARS, (ch) =>
        STRING_ESCAPES[ch] || `\\u${`0000${ch.charCodeAt(0).toString(16)}`.slice(-4)}`);
    }
    return `'${truncate(text, opts.truncate - 2)}'`;
  }

  function inspectFunction(fn, opts) {
    const name = getName(fn);
    return name ? `[Function ${truncate(name, opts.truncate - 11)}]` : '[Function]';
  }

  function inspectSymbol(symbol) {
    return symbol.description ? `Symbol(${symbol.description})` : 'Symbol()';
  }

  function inspectDate(date, opts) {
    const json = date.toJSON();
    if (json === null) return 'Invalid Date';
    const [day, time] = json.split('T');
    return `${day}T${truncate(time, opts.truncate - day.length - 1)}`;
  }

  function inspectRegExp(regexp, opts) {
    // Like chai, takes the flags from the third '/'-separated part of the source text.
    const flags = regexp.toString().split('/')[2];
    return `/${truncate(regexp.source, opts.truncate - (2 + flags.length))}/${flags}`;
  }

  function inspectArray(array, opts) {
    const extraKeys = Object.keys(array).slice(array.length);
    if (!array.length && !extraKeys.length) return '[]';
    opts.truncate -= 4;
    const items = inspectList(array, opts);
    opts.truncate -= items.length;
    const extra = extraKeys.length
      ? inspectList(extraKeys.map((key) => [key, array[key]]), opts, inspectProperty)
      : '';
    return `[ ${items}${extra ? `, ${extra}` : ''} ]`;
  }

  function typedArrayName(array) {
    return array[Symbol.toStringTag] || getName(array.constructor);
  }

  function inspectTypedArray(array, opts) {
    const name = typedArrayName(array);
    opts.truncate -= name.length + 4;
    const extraKeys = Object.keys(array).slice(array.length);
    if (!array.length && !extraKeys.length) return `${name}[]`;
    let output = '';
    for (let i = 0; i < array.length; i += 1) {
      const text = truncate(array[i], opts.truncate) + (i === array.length - 1 ? '' : ', ');
      opts.truncate -= text.length;
      // chai's inspector computes the count of omitted items this way; kept for identical output.
      if (array[i] !== array.length && opts.truncate <= 3) {
        output += `${TRUNCATOR}(${array.length - array[i] + 1})`;
        break;
      }
      output += text;
    }
    const extra = extraKeys.length
      ? inspectList(extraKeys.map((key) => [key, array[key]]), opts, inspectProperty)
      : '';
    return `${name}[ ${output}${extra ? `, ${extra}` : ''} ]`;
  }

  function inspectMapEntry([key, value], opts) {
    opts.truncate -= 4;
    const keyText = inspectValue(key, opts);
    opts.truncate -= keyText.length;
    return `${keyText} => ${inspectValue(value, opts)}`;
  }

  function inspectMap(map, opts) {
    // chai's inspector prints a Map holding a single entry as 'Map{}'; we match it.
    if (map.size - 1 <= 0) return 'Map{}';
    opts.truncate -= 7;
    const entries = [];
    map.forEach((value, key) => entries.push([key, value]));
    return `Map{ ${inspectList(entries, opts, inspectMapEntry)} }`;
  }

  function inspectSet(set, opts) {
    if (set.size === 0) return 'Set{}';
    opts.truncate -= 7;
    const values = [];
    set.forEach((value) => values.push(value));
    return `Set{ ${inspectList(values, opts)} }`;
  }

  function inspectArguments(args, opts) {
    if (args.length === 0) return 'Arguments[]';
    opts.truncate -= 13;
    return `Arguments[ ${inspectList(args, opts)} ]`;
  }

  function inspectError(error, opts) {
    const keys = Object.getOwnPropertyNames(error).filter((key) => !ERROR_KEYS.includes(key));
    const name = error.name;
    opts.truncate -= name.length;
    let message = '';
    if (typeof error.message === 'string') message = truncate(error.message, opts.truncate);
    else keys.unshift('message');
    message = message ? `: ${message}` : '';
    opts.truncate -= message.length + 5;
    const props = inspectList(keys.map((key) => [key, error[key]]), opts, inspectProperty);
    return `${name}${message}${props ? ` { ${props} }` : ''}`;
  }

  function inspectObject(object, opts) {
    const names = Object.getOwnPropertyNames(object);
    const symbols = Object.getOwnPropertySymbols(object);
    if (names.length === 0 && symbols.length === 0) return '{}';
    opts.truncate -= 4;
    if (opts.seen.includes(object)) return '[Circular]';
    opts.seen.push(object);
    const named = inspectList(names.map((key) => [key, object[key]]), opts, inspectProperty);
    const symbolic = inspectList(symbols.map((key) => [key, object[key]]), opts, inspectProperty);
    opts.seen.pop();
    return `{ ${named}${named && symbolic ? ', ' : ''}${symbolic} }`;
  }

  function inspectClass(value, opts) {
    let name = Symbol.toStringTag in value ? value[Symbol.toStringTag] : '';
    name = name || getName(value.constructor);
    if (!name || name === '_class') name = '<Anonymous Class>';
    opts.truncate -= name.length;
    return `${name}${inspectObject(value, opts)}`;
  }

  const constant = (text) => () => text;
  const INSPECTORS = Object.assign(Object.create(null), {
    undefined: constant('undefined'),
    null: constant('null'),
    boolean: String,
    Boolean: String,
    number: inspectNumber,
    Number: inspectNumber,
    bigint: inspectBigInt,
    BigInt: inspectBigInt,
    string: inspectString,
    String: inspectString,
    function: inspectFunction,
    Function: inspectFunction,
    symbol: inspectSymbol,
    Symbol: inspectSymbol,
    Array: inspectArray,
    Date: inspectDate,
    Map: inspectMap,
    Set: inspectSet,
    RegExp: inspectRegExp,
    Promise: constant('Promise{…}'),
    WeakSet: constant('WeakSet{…}'),
    WeakMap: constant('WeakMap{…}'),
    Arguments: inspectArguments,
    Generator: constant(''),
    DataView: constant(''),
    ArrayBuffer: constant(''),
    Error: inspectError,
  });
  for (const name of ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
    'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array']) {
    INSPECTORS[name] = inspectTypedArray;
  }

  function customInspection(value, opts) {
    if (CHAI_INSPECT in value && typeof value[CHAI_INSPECT] === 'function') return value[CHAI_INSPECT](opts);
    if (NODE_INSPECT in value && typeof value[NODE_INSPECT] === 'function') {
      return value[NODE_INSPECT](opts.depth, opts);
    }
    if ('inspect' in value && typeof value.inspect === 'function') return value.inspect(opts.depth, opts);
    return '';
  }

  function inspectValue(value, parent = {}) {
    const opts = {
      truncate: Number(parent.truncate === undefined ? Infinity : parent.truncate),
      depth: Number(parent.depth === undefined ? 2 : parent.depth),
      seen: parent.seen || [],
    };
    let type = value === null ? 'null' : typeof value;
    if (type === 'object') type = objectToString(value).slice(8, -1);
    if (INSPECTORS[type]) return INSPECTORS[type](value, opts);

    if (value) {
      const custom = customInspection(value, opts);
      if (custom) return typeof custom === 'string' ? custom : inspectValue(custom, opts);
    }
    const proto = value ? Object.getPrototypeOf(value) : false;
    if (proto === Object.prototype || proto === null) return inspectObject(value, opts);
    if ('constructor' in value) {
      return value.constructor !== Object ? inspectClass(value, opts) : inspectObject(value, opts);
    }
    if (value === Object(value)) return inspectObject(value, opts);
    return String(value);
  }

  /** chai's `utils.inspect`: loupe-style rendering truncated at `config.truncateThreshold`. */
  function inspect(value, showHidden, depth) {
    return inspectValue(value, {
      depth: depth === undefined ? 2 : depth,
      truncate: config.truncateThreshold ? config.truncateThreshold : Infinity,
    });
  }

  /** chai's `utils.objDisplay`: like inspect, but long functions/arrays/objects are summarised. */
  function objDisplay(value) {
    const text = inspect(value);
    const type = objectToString(value);
    if (!config.truncateThreshold || text.length < config.truncateThreshold) return text;
    if (type === '[object Function]') return value.name ? `[Function: ${value.name}]` : '[Function]';
    if (type === '[object Array]') return `[ Array(${value.length}) ]`;
    if (type === '[object Object]') {
      const keys = Object.keys(value);
      const shown = keys.length > 2 ? `${keys.slice(0, 2).join(', ')}, ...` : keys.join(', ');
      return `{ Object (${shown}) }`;
    }
    return text;
  }

  function compareByInspect(a, b) {
    return inspect(a) < inspect(b) ? -1 : 1;
  }

  // ------------------------------------------------------------------------------------------------
  // Deep equality (chai's deep-eql semantics: NaN equals NaN, +0 differs from -0, types must match,
  // inherited enumerable keys count, cycles are handled by assuming equality while comparing).

  function simpleEqual(a, b) {
    if (a === b) return a !== 0 || 1 / a === 1 / b;
    if (a !== a && b !== b) return true;
    if (isPrimitive(a) || isPrimitive(b)) return false;
    return null;
  }

  function deepEqual(a, b, memo) {
    const simple = simpleEqual(a, b);
    return simple !== null ? simple : extensiveEqual(a, b, memo || new WeakMap());
  }

  function memoGet(memo, a, b) {
    if (isPrimitive(a) || isPrimitive(b)) return null;
    const known = memo.get(a);
    return known && known.has(b) ? known.get(b) : null;
  }

  function memoSet(memo, a, b, result) {
    if (isPrimitive(a) || isPrimitive(b)) return;
    if (!memo.has(a)) memo.set(a, new Map());
    memo.get(a).set(b, result);
  }

  function extensiveEqual(a, b, memo) {
    const known = memoGet(memo, a, b) ?? memoGet(memo, b, a);
    if (known !== null) return known;
    const type = typeOf(a);
    if (type !== typeOf(b)) {
      memoSet(memo, a, b, false);
      return false;
    }
    memoSet(memo, a, b, true);
    const result = equalByType(a, b, type, memo);
    memoSet(memo, a, b, result);
    return result;
  }

  const LIST_TYPES = ['Arguments', 'Array', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array',
    'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array'];

  function equalByType(a, b, type, memo) {
    switch (type) {
      case 'String':
      case 'Number':
      case 'Boolean':
      case 'Date':
        return deepEqual(a.valueOf(), b.valueOf());
      case 'Promise':
      case 'Symbol':
      case 'function':
      case 'WeakMap':
      case 'WeakSet':
        return a === b;
      case 'Error':
        return ['name', 'message', 'code'].every((key) => deepEqual(a[key], b[key], memo));
      case 'RegExp':
        return a.toString() === b.toString();
      case 'Generator':
        return listEqual(drain(a), drain(b), memo);
      case 'DataView':
        return listEqual(new Uint8Array(a.buffer), new Uint8Array(b.buffer), memo);
      case 'ArrayBuffer':
        return listEqual(new Uint8Array(a), new Uint8Array(b), memo);
      case 'Set':
      case 'Map':
        return entriesEqual(a, b, memo);
      default:
        return LIST_TYPES.includes(type) ? listEqual(a, b, memo) : objectEqual(a, b, memo);
    }
  }

  function listEqual(a, b, memo) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i += 1) {
      if (deepEqual(a[i], b[i], memo) === false) return false;
    }
    return true;
  }

  function entriesEqual(a, b, memo) {
    try {
      if (a.size !== b.size) return false;
      if (a.size === 0) return true;
    } catch (err) {
      return false;
    }
    const pairs = (collection) => {
      const out = [];
      collection.forEach((value, key) => out.push([key, value]));
      return out.sort();
    };
    return listEqual(pairs(a), pairs(b), memo);
  }

  function drain(iterator) {
    let step = iterator.next();
    const values = [step.value];
    while (step.done === false) {
      step = iterator.next();
      values.push(step.value);
    }
    return values;
  }

  function iteratorEntries(target) {
    if (typeof target !== 'object' || typeof target[Symbol.iterator] !== 'function') return [];
    try {
      return drain(target[Symbol.iterator]());
    } catch (err) {
      return [];
    }
  }

  function enumerableKeys(target) {
    const keys = [];
    for (const key in target) keys.push(key);
    for (const symbol of Object.getOwnPropertySymbols(target)) {
      if (Object.getOwnPropertyDescriptor(target, symbol).enumerable) keys.push(symbol);
    }
    return keys;
  }

  function objectEqual(a, b, memo) {
    const keysA = enumerableKeys(a);
    const keysB = enumerableKeys(b);
    if (keysA.length && keysA.length === keysB.length) {
      const names = (keys) => keys.map((key) => (typeof key === 'symbol' ? key.toString() : key)).sort();
      if (!listEqual(names(keysA), names(keysB), new WeakMap())) return false;
      return keysA.every((key) => deepEqual(a[key], b[key], memo));
    }
    const entriesA = iteratorEntries(a);
    const entriesB = iteratorEntries(b);
    if (entriesA.length && entriesA.length === entriesB.length) {
      return listEqual(entriesA.sort(), entriesB.sort(), memo);
    }
    return !keysA.length && !entriesA.length && !keysB.length && !entriesB.length;
  }

  function eql(a, b) {
    return deepEqual(a, b);
  }

  // ------------------------------------------------------------------------------------------------
  // Property paths for `.nested` ('a.b[1].c', with '\.' and '\[' escaping literal characters)

  function hasProperty(obj, name) {
    if (obj === undefined || obj === null) return false;
    return name in Object(obj);
  }

  function parsePath(path) {
    const parts = path.replace(/([^\\])\[/g, '$1.[').match(/(\\\.|[^.]+?)+/g);
    return parts.map((part) => {
      if (part === 'constructor' || part === '__proto__' || part === 'prototype') return {};
      const index = /^\[(\d+)\]$/.exec(part);
      return index ? { i: parseFloat(index[1]) } : { p: part.replace(/\\([.[\]])/g, '$1') };
    });
  }

  function valueAtPath(obj, parts, depth) {
    let current = obj;
    let result = null;
    for (let i = 0; i < depth; i += 1) {
      if (!current) continue;
      const part = parts[i];
      current = part.p === undefined ? current[part.i] : current[part.p];
      if (i === depth - 1) result = current;
    }
    return result;
  }

  function getPathInfo(obj, path) {
    const parts = parsePath(path);
    const last = parts[parts.length - 1];
    const info = {
      parent: parts.length > 1 ? valueAtPath(obj, parts, parts.length - 1) : obj,
      name: last.p || last.i,
      value: valueAtPath(obj, parts, parts.length),
    };
    info.exists = hasProperty(info.parent, info.name);
    return info;
  }

  // ------------------------------------------------------------------------------------------------
  // AssertionError

  function AssertionError(message, props, ssf) {
    this.message = message || 'Unspecified AssertionError';
    this.showDiff = false;
    const skip = ['name', 'message', 'stack', 'constructor', 'toJSON'];
    for (const key of Object.keys(props || {})) {
      if (!skip.includes(key)) this[key] = props[key];
    }
    if (typeof Error.captureStackTrace === 'function') Error.captureStackTrace(this, ssf || AssertionError);
    else this.stack = new Error(this.message).stack;
  }
  AssertionError.prototype = Object.create(Error.prototype);
  AssertionError.prototype.name = 'AssertionError';
  AssertionError.prototype.constructor = AssertionError;
  AssertionError.prototype.toJSON = function (stack) {
    const props = { name: this.name };
    for (const key of Object.keys(this)) {
      if (key !== 'constructor' && key !== 'toJSON' && key !== 'stack') props[key] = this[key];
    }
    if (stack !== false && this.stack) props.stack = this.stack;
    return props;
  };

  // ------------------------------------------------------------------------------------------------
  // Flags, messages and the helpers plugins use

  function flag(obj, key, value) {
    const flags = obj.__flags || (obj.__flags = Object.create(null));
    if (arguments.length === 3) flags[key] = value;
    else return flags[key];
  }

  function transferFlags(source, target, includeAll) {
    const flags = source.__flags || (source.__flags = Object.create(null));
    if (!target.__flags) target.__flags = Object.create(null);
    const all = arguments.length === 3 ? includeAll : true;
    const local = ['object', 'ssfi', 'lockSsfi', 'message'];
    for (const key in flags) {
      if (all || !local.includes(key)) target.__flags[key] = flags[key];
    }
  }

  function test(assertion, args) {
    return flag(assertion, 'negate') ? !args[0] : args[0];
  }

  function getActual(assertion, args) {
    return args.length > 4 ? args[4] : assertion._obj;
  }

  function getMessage(assertion, args) {
    const negate = flag(assertion, 'negate');
    const subject = flag(assertion, 'object');
    const expected = args[3];
    const actual = getActual(assertion, args);
    const prefix = flag(assertion, 'message');
    let msg = negate ? args[2] : args[1];
    if (typeof msg === 'function') msg = msg();
    msg = (msg || '')
      .replace(/#\{this\}/g, () => objDisplay(subject))
      .replace(/#\{act\}/g, () => objDisplay(actual))
      .replace(/#\{exp\}/g, () => objDisplay(expected));
    return prefix ? `${prefix}: ${msg}` : msg;
  }

  function getOperator(assertion, args) {
    const operator = flag(assertion, 'operator');
    if (operator) return operator;
    let msg = flag(assertion, 'negate') ? args[2] : args[1];
    if (typeof msg === 'function') msg = msg();
    if (!msg || /\shave\s/.test(msg)) return undefined;
    const objectLike = ['Array', 'Object', 'function'].includes(typeOf(args[3]));
    if (/\snot\s/.test(msg)) return objectLike ? 'notDeepStrictEqual' : 'notStrictEqual';
    return objectLike ? 'deepStrictEqual' : 'strictEqual';
  }

  function messagePrefix(assertion) {
    const msg = flag(assertion, 'message');
    return msg ? `${msg}: ` : '';
  }

  function fail(assertion, text) {
    throw new AssertionError(messagePrefix(assertion) + text, undefined, flag(assertion, 'ssfi'));
  }

  function expectTypes(assertion, types) {
    const wanted = types.map((t) => t.toLowerCase()).sort();
    const described = wanted.map((t, index) => {
      const article = 'aeiou'.includes(t.charAt(0)) ? 'an' : 'a';
      const or = wanted.length > 1 && index === wanted.length - 1 ? 'or ' : '';
      return `${or}${article} ${t}`;
    }).join(', ');
    const actual = typeOf(flag(assertion, 'object')).toLowerCase();
    if (!wanted.includes(actual)) fail(assertion, `object tested must be ${described}, but ${actual} given`);
  }

  function getOwnEnumerablePropertySymbols(obj) {
    const enumerable = (symbol) => Object.getOwnPropertyDescriptor(obj, symbol).enumerable;
    return Object.getOwnPropertySymbols(obj).filter(enumerable);
  }

  function getOwnEnumerableProperties(obj) {
    return Object.keys(obj).concat(getOwnEnumerablePropertySymbols(obj));
  }

  function getProperties(obj) {
    const names = Object.getOwnPropertyNames(obj);
    for (let proto = Object.getPrototypeOf(obj); proto !== null; proto = Object.getPrototypeOf(proto)) {
      for (const name of Object.getOwnPropertyNames(proto)) {
        if (!names.includes(name)) names.push(name);
      }
    }
    return names;
  }

  const checkError = {
    compatibleInstance(thrown, errorLike) {
      return errorLike instanceof Error && thrown === errorLike;
    },
    compatibleConstructor(thrown, errorLike) {
      if (errorLike instanceof Error) {
        return thrown.constructor === errorLike.constructor || thrown instanceof errorLike.constructor;
      }
      if (errorLike.prototype instanceof Error || errorLike === Error) {
        return thrown.constructor === errorLike || thrown instanceof errorLike;
      }
      return false;
    },
    compatibleMessage(thrown, matcher) {
      const text = typeof thrown === 'string' ? thrown : thrown.message;
      if (matcher instanceof RegExp) return matcher.test(text);
      if (typeof matcher === 'string') return text.indexOf(matcher) !== -1;
      return false;
    },
    getConstructorName(errorLike) {
      if (errorLike instanceof Error) return getName(errorLike.constructor);
      if (typeof errorLike !== 'function') return errorLike;
      const name = getName(errorLike);
      return name === '' ? getName(new errorLike()) || name : name;
    },
    getMessage(errorLike) {
      if (errorLike && errorLike.message) return errorLike.message;
      return typeof errorLike === 'string' ? errorLike : '';
    },
  };

  // ------------------------------------------------------------------------------------------------
  // Unknown-property protection: `expect(x).to.be.ture` throws instead of silently passing.

  const BUILTIN_PROPS = ['__flags', '__methods', '_obj', 'assert'];

  function isProxyEnabled() {
    return config.useProxy && typeof Proxy !== 'undefined' && typeof Reflect !== 'undefined';
  }

  // Edit distance, capped (computed exactly like chai so that the same suggestion is made).
  function cappedDistance(a, b, cap) {
    if (Math.abs(a.length - b.length) >= cap) return cap;
    const rows = [];
    for (let i = 0; i <= a.length; i += 1) {
      rows.push(new Array(b.length + 1).fill(0));
      rows[i][0] = i;
    }
    // Like chai, the last cell of the first row is left at 0.
    for (let j = 0; j < b.length; j += 1) rows[0][j] = j;
    for (let i = 1; i <= a.length; i += 1) {
      for (let j = 1; j <= b.length; j += 1) {
        if (Math.abs(i - j) >= cap) {
          rows[i][j] = cap;
          continue;
        }
        const substitution = rows[i - 1][j - 1] + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1);
        rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, substitution);
      }
    }
    return rows[a.length][b.length];
  }

  function unknownProperty(target, property, methodName) {
    if (methodName) {
      return Error(`Invalid Chai property: ${methodName}.${property}. ` +
        `See docs for proper usage of "${methodName}".`);
    }
    let suggestion = null;
    let best = 4;
    for (const name of getProperties(target)) {
      if (Object.prototype.hasOwnProperty(name) || BUILTIN_PROPS.includes(name)) continue;
      const distance = cappedDistance(property, name, best);
      if (distance < best) {
        suggestion = name;
        best = distance;
      }
    }
    return Error(suggestion === null
      ? `Invalid Chai property: ${property}`
      : `Invalid Chai property: ${property}. Did you mean "${suggestion}"?`);
  }

  function proxify(obj, methodName) {
    if (!isProxyEnabled()) return obj;
    return new Proxy(obj, {
      get(target, property) {
        if (typeof property === 'string' && !config.proxyExcludedKeys.includes(property) &&
            !Reflect.has(target, property)) {
          throw unknownProperty(target, property, methodName);
        }
        return Reflect.get(target, property);
      },
    });
  }

  function addLengthGuard(fn, name, chainable) {
    Object.defineProperty(fn, 'length', {
      get() {
        if (chainable) {
          throw Error(`Invalid Chai property: ${name}.length. Due to a compatibility issue, "length" ` +
            `cannot directly follow "${name}". Use "${name}.lengthOf" instead.`);
        }
        throw Error(`Invalid Chai property: ${name}.length. See docs for proper usage of "${name}".`);
      },
    });
    return fn;
  }

  // ------------------------------------------------------------------------------------------------
  // Assertion and the plugin API

  function Assertion(obj, msg, ssfi, lockSsfi) {
    flag(this, 'ssfi', ssfi || Assertion);
    flag(this, 'lockSsfi', lockSsfi);
    flag(this, 'object', obj);
    flag(this, 'message', msg);
    return proxify(this);
  }

  // The value a chain step returns: what the assertion returned, or a fresh assertion carrying the flags.
  function chainResult(assertion, result) {
    if (result !== undefined) return result;
    const next = new Assertion();
    transferFlags(assertion, next);
    return next;
  }

  function addProperty(ctx, name, getter = function () {}) {
    Object.defineProperty(ctx, name, {
      get() {
        return chainResult(this, getter.call(this));
      },
      configurable: true,
    });
  }

  function addMethod(ctx, name, method) {
    const wrapper = function () {
      return chainResult(this, method.apply(this, arguments));
    };
    addLengthGuard(wrapper, name, false);
    ctx[name] = proxify(wrapper, name);
  }

  function addChainableMethod(ctx, name, method, chainingBehavior) {
    const behavior = {
      method,
      chainingBehavior: typeof chainingBehavior === 'function' ? chainingBehavior : function () {},
    };
    if (!ctx.__methods) ctx.__methods = {};
    ctx.__methods[name] = behavior;
    Object.defineProperty(ctx, name, {
      get() {
        behavior.chainingBehavior.call(this);
        const wrapper = function () {
          return chainResult(this, behavior.method.apply(this, arguments));
        };
        addLengthGuard(wrapper, name, true);
        // The returned function also works as a chain: it inherits from the assertion.
        const proto = Object.create(this);
        proto.call = Function.prototype.call;
        proto.apply = Function.prototype.apply;
        Object.setPrototypeOf(wrapper, proto);
        transferFlags(this, wrapper);
        return proxify(wrapper);
      },
      configurable: true,
    });
  }

  function overwriteProperty(ctx, name, getter) {
    const descriptor = Object.getOwnPropertyDescriptor(ctx, name);
    const original = descriptor && typeof descriptor.get === 'function' ? descriptor.get : function () {};
    Object.defineProperty(ctx, name, {
      get() {
        return chainResult(this, getter(original).call(this));
      },
      configurable: true,
    });
  }

  function overwriteMethod(ctx, name, method) {
    const original = typeof ctx[name] === 'function' ? ctx[name] : function () {
      throw new Error(`${name} is not a function`);
    };
    const wrapper = function () {
      return chainResult(this, method(original).apply(this, arguments));
    };
    addLengthGuard(wrapper, name, false);
    ctx[name] = proxify(wrapper, name);
  }

  function overwriteChainableMethod(ctx, name, method, chainingBehavior) {
    const behavior = ctx.__methods[name];
    const originalChaining = behavior.chainingBehavior;
    behavior.chainingBehavior = function () {
      return chainResult(this, chainingBehavior(originalChaining).call(this));
    };
    const originalMethod = behavior.method;
    behavior.method = function () {
      return chainResult(this, method(originalMethod).apply(this, arguments));
    };
  }

  Assertion.addProperty = function (name, getter) {
    addProperty(this.prototype, name, getter);
  };
  Assertion.addMethod = function (name, method) {
    addMethod(this.prototype, name, method);
  };
  Assertion.addChainableMethod = function (name, method, chainingBehavior) {
    addChainableMethod(this.prototype, name, method, chainingBehavior);
  };
  Assertion.overwriteProperty = function (name, getter) {
    overwriteProperty(this.prototype, name, getter);
  };
  Assertion.overwriteMethod = function (name, method) {
    overwriteMethod(this.prototype, name, method);
  };
  Assertion.overwriteChainableMethod = function (name, method, chainingBehavior) {
    overwriteChainableMethod(this.prototype, name, method, chainingBehavior);
  };

  Assertion.prototype.assert = function (expr, msg, negateMsg, expected, _actual, showDiff) {
    if (test(this, arguments)) return;
    let diff = showDiff !== false;
    if (expected === undefined && _actual === undefined) diff = false;
    if (config.showDiff !== true) diff = false;
    const props = { actual: getActual(this, arguments), expected, showDiff: diff };
    const operator = getOperator(this, arguments);
    if (operator) props.operator = operator;
    throw new AssertionError(getMessage(this, arguments), props, flag(this, 'ssfi'));
  };

  Object.defineProperty(Assertion.prototype, '_obj', {
    get() {
      return flag(this, 'object');
    },
    set(value) {
      flag(this, 'object', value);
    },
  });

  const util = {
    test, type: typeOf, expectTypes, getMessage, getActual, inspect, objDisplay, flag, transferFlags, eql,
    getPathInfo, hasProperty, getName, addProperty, addMethod, overwriteProperty, overwriteMethod,
    addChainableMethod, overwriteChainableMethod, compareByInspect, getOwnEnumerablePropertySymbols,
    getOwnEnumerableProperties, checkError, proxify, addLengthGuard, isProxyEnabled, isNaN: Number.isNaN,
    getOperator, getProperties,
  };

  // ------------------------------------------------------------------------------------------------
  // The BDD vocabulary

  const A = Assertion;
  const alias = (names, define) => names.forEach(define);

  ['to', 'be', 'been', 'is', 'and', 'has', 'have', 'with', 'that', 'which', 'at', 'of', 'same', 'but',
    'does', 'still', 'also'].forEach((chain) => A.addProperty(chain));

  A.addProperty('not', function () {
    flag(this, 'negate', true);
  });
  for (const name of ['deep', 'nested', 'own', 'ordered']) {
    A.addProperty(name, function () {
      flag(this, name, true);
    });
  }
  A.addProperty('any', function () {
    flag(this, 'any', true);
    flag(this, 'all', false);
  });
  A.addProperty('all', function () {
    flag(this, 'all', true);
    flag(this, 'any', false);
  });

  function an(type, msg) {
    if (msg) flag(this, 'message', msg);
    const name = type.toLowerCase();
    const article = 'aeiou'.includes(name.charAt(0)) ? 'an ' : 'a ';
    this.assert(
      name === typeOf(flag(this, 'object')).toLowerCase(),
      `expected #{this} to be ${article}${name}`,
      `expected #{this} not to be ${article}${name}`
    );
  }
  A.addChainableMethod('an', an);
  A.addChainableMethod('a', an);

  function include(val, msg) {
    if (msg) flag(this, 'message', msg);
    const obj = flag(this, 'object');
    const objType = typeOf(obj).toLowerCase();
    const negate = flag(this, 'negate');
    const isDeep = flag(this, 'deep');
    let included = false;
    switch (objType) {
      case 'string':
        included = obj.indexOf(val) !== -1;
        break;
      case 'weakset':
        if (isDeep) fail(this, 'unable to use .deep.include with WeakSet');
        included = obj.has(val);
        break;
      case 'map':
        obj.forEach((item) => {
          included = included || (isDeep ? eql(item, val) : sameValueZero(item, val));
        });
        break;
      case 'set':
        if (isDeep) obj.forEach((item) => { included = included || eql(item, val); });
        else included = obj.has(val);
        break;
      case 'array':
        included = isDeep ? obj.some((item) => eql(item, val)) : obj.indexOf(val) !== -1;
        break;
      default:
        includeProperties(this, obj, objType, val, negate);
        return;
    }
    const descriptor = isDeep ? 'deep ' : '';
    this.assert(
      included,
      `expected #{this} to ${descriptor}include ${inspect(val)}`,
      `expected #{this} to not ${descriptor}include ${inspect(val)}`
    );
  }

  // `include` on an object: every property of `val` must be present with the same value.
  function includeProperties(assertion, obj, objType, val, negate) {
    if (val !== Object(val)) {
      const valType = typeOf(val).toLowerCase();
      fail(assertion, `the given combination of arguments (${objType} and ${valType}) is invalid for this ` +
        'assertion. You can use an array, a map, an object, a set, a string, or a weakset instead of a ' +
        valType);
    }
    const props = Object.keys(val);
    let firstError = null;
    let errors = 0;
    for (const prop of props) {
      const check = new Assertion(obj);
      transferFlags(assertion, check, true);
      if (!negate || props.length === 1) {
        check.property(prop, val[prop]);
        continue;
      }
      try {
        check.property(prop, val[prop]);
      } catch (err) {
        if (!checkError.compatibleConstructor(err, AssertionError)) throw err;
        if (firstError === null) firstError = err;
        errors += 1;
      }
    }
    // A negated include of several properties fails only when all of them are there.
    if (negate && props.length > 1 && errors === props.length) throw firstError;
  }

  function includeChain() {
    flag(this, 'contains', true);
  }
  alias(['include', 'contain', 'contains', 'includes'],
    (name) => A.addChainableMethod(name, include, includeChain));

  A.addProperty('ok', function () {
    this.assert(flag(this, 'object'), 'expected #{this} to be truthy', 'expected #{this} to be falsy');
  });
  A.addProperty('true', function () {
    this.assert(true === flag(this, 'object'), 'expected #{this} to be true', 'expected #{this} to be false',
      !flag(this, 'negate'));
  });
  A.addProperty('false', function () {
    this.assert(false === flag(this, 'object'), 'expected #{this} to be false', 'expected #{this} to be true',
      !!flag(this, 'negate'));
  });
  A.addProperty('null', function () {
    this.assert(null === flag(this, 'object'), 'expected #{this} to be null',
      'expected #{this} not to be null');
  });
  A.addProperty('undefined', function () {
    this.assert(undefined === flag(this, 'object'), 'expected #{this} to be undefined',
      'expected #{this} not to be undefined');
  });
  A.addProperty('NaN', function () {
    this.assert(Number.isNaN(flag(this, 'object')), 'expected #{this} to be NaN',
      'expected #{this} not to be NaN');
  });

  function assertExist() {
    const val = flag(this, 'object');
    this.assert(val !== null && val !== undefined, 'expected #{this} to exist',
      'expected #{this} to not exist');
  }
  A.addProperty('exist', assertExist);
  A.addProperty('exists', assertExist);

  A.addProperty('empty', function () {
    const val = flag(this, 'object');
    let count;
    switch (typeOf(val).toLowerCase()) {
      case 'array':
      case 'string':
        count = val.length;
        break;
      case 'map':
      case 'set':
        count = val.size;
        break;
      case 'weakmap':
      case 'weakset':
        fail(this, '.empty was passed a weak collection');
        break;
      case 'function':
        throw new AssertionError(`${messagePrefix(this)}.empty was passed a function ${getName(val)}`.trim(),
          undefined, flag(this, 'ssfi'));
      default:
        if (val !== Object(val)) fail(this, `.empty was passed non-string primitive ${inspect(val)}`);
        count = Object.keys(val).length;
    }
    this.assert(count === 0, 'expected #{this} to be empty', 'expected #{this} not to be empty');
  });

  function checkArguments() {
    const type = typeOf(flag(this, 'object'));
    this.assert(type === 'Arguments', `expected #{this} to be arguments but got ${type}`,
      'expected #{this} to not be arguments');
  }
  A.addProperty('arguments', checkArguments);
  A.addProperty('Arguments', checkArguments);

  function assertEqual(val, msg) {
    if (msg) flag(this, 'message', msg);
    if (flag(this, 'deep')) {
      this.eql(val);
      return;
    }
    this.assert(val === flag(this, 'object'), 'expected #{this} to equal #{exp}',
      'expected #{this} to not equal #{exp}', val, this._obj, true);
  }
  alias(['equal', 'equals', 'eq'], (name) => A.addMethod(name, assertEqual));

  function assertEql(val, msg) {
    if (msg) flag(this, 'message', msg);
    this.assert(eql(val, flag(this, 'object')), 'expected #{this} to deeply equal #{exp}',
      'expected #{this} to not deeply equal #{exp}', val, this._obj, true);
  }
  alias(['eql', 'eqls'], (name) => A.addMethod(name, assertEql));

  // above / least / below / most share everything but the comparison and the wording.
  const COMPARISONS = [
    {
      names: ['above', 'gt', 'greaterThan'], word: 'above', test: (a, n) => a > n,
      msg: 'to be above', negMsg: 'to be at most',
      lenMsg: 'to have a %s above', lenNegMsg: 'to not have a %s above',
    },
    {
      names: ['least', 'gte', 'greaterThanOrEqual'], word: 'least', test: (a, n) => a >= n,
      msg: 'to be at least', negMsg: 'to be below',
      lenMsg: 'to have a %s at least', lenNegMsg: 'to have a %s below',
    },
    {
      names: ['below', 'lt', 'lessThan'], word: 'below', test: (a, n) => a < n,
      msg: 'to be below', negMsg: 'to be at least',
      lenMsg: 'to have a %s below', lenNegMsg: 'to not have a %s below',
    },
    {
      names: ['most', 'lte', 'lessThanOrEqual'], word: 'most', test: (a, n) => a <= n,
      msg: 'to be at most', negMsg: 'to be above',
      lenMsg: 'to have a %s at most', lenNegMsg: 'to have a %s above',
    },
  ];

  // Type checks shared by the comparisons and `within`; returns the count to compare for `.length`.
  function checkComparable(assertion, argTypes, wording) {
    const obj = flag(assertion, 'object');
    const doLength = flag(assertion, 'doLength');
    const objType = typeOf(obj).toLowerCase();
    const sized = objType === 'map' || objType === 'set';
    if (doLength && !sized) {
      const check = new Assertion(obj, flag(assertion, 'message'), flag(assertion, 'ssfi'), true);
      check.to.have.property('length');
    }
    if (!doLength && objType === 'date' && argTypes.some((t) => t !== 'date')) {
      fail(assertion, wording.date);
    } else if (argTypes.some((t) => t !== 'number') && (doLength || objType === 'number')) {
      fail(assertion, wording.number);
    } else if (!doLength && objType !== 'date' && objType !== 'number') {
      const shown = objType === 'string' ? `'${obj}'` : obj;
      fail(assertion, `expected ${shown} to be a number or a date`);
    }
    if (!doLength) return null;
    return sized ? { descriptor: 'size', count: obj.size } : { descriptor: 'length', count: obj.length };
  }

  for (const cmp of COMPARISONS) {
    const method = function (n, msg) {
      if (msg) flag(this, 'message', msg);
      const length = checkComparable(this, [typeOf(n).toLowerCase()], {
        date: `the argument to ${cmp.word} must be a date`,
        number: `the argument to ${cmp.word} must be a number`,
      });
      if (length) {
        this.assert(
          cmp.test(length.count, n),
          `expected #{this} ${cmp.lenMsg.replace('%s', length.descriptor)} #{exp} but got #{act}`,
          `expected #{this} ${cmp.lenNegMsg.replace('%s', length.descriptor)} #{exp}`,
          n,
          length.count
        );
      } else {
        this.assert(cmp.test(flag(this, 'object'), n), `expected #{this} ${cmp.msg} #{exp}`,
          `expected #{this} ${cmp.negMsg} #{exp}`, n);
      }
    };
    alias(cmp.names, (name) => A.addMethod(name, method));
  }

  A.addMethod('within', function (start, finish, msg) {
    if (msg) flag(this, 'message', msg);
    const startType = typeOf(start).toLowerCase();
    const finishType = typeOf(finish).toLowerCase();
    const range = startType === 'date' && finishType === 'date'
      ? `${start.toISOString()}..${finish.toISOString()}`
      : `${start}..${finish}`;
    const length = checkComparable(this, [startType, finishType], {
      date: 'the arguments to within must be dates',
      number: 'the arguments to within must be numbers',
    });
    const value = length ? length.count : flag(this, 'object');
    const what = length ? `have a ${length.descriptor}` : 'be';
    this.assert(value >= start && value <= finish, `expected #{this} to ${what} within ${range}`,
      `expected #{this} to not ${what} within ${range}`);
  });

  function assertInstanceOf(constructor, msg) {
    if (msg) flag(this, 'message', msg);
    let isInstance;
    try {
      isInstance = flag(this, 'object') instanceof constructor;
    } catch (err) {
      if (err instanceof TypeError) {
        fail(this, `The instanceof assertion needs a constructor but ${typeOf(constructor)} was given.`);
      }
      throw err;
    }
    let name = getName(constructor);
    if (name === null) name = 'an unnamed constructor';
    this.assert(isInstance, `expected #{this} to be an instance of ${name}`,
      `expected #{this} to not be an instance of ${name}`);
  }
  alias(['instanceof', 'instanceOf'], (name) => A.addMethod(name, assertInstanceOf));

  function assertProperty(name, val, msg) {
    if (msg) flag(this, 'message', msg);
    const isNested = flag(this, 'nested');
    const isOwn = flag(this, 'own');
    const obj = flag(this, 'object');
    const nameType = typeof name;
    if (isNested && nameType !== 'string') {
      fail(this, 'the argument to property must be a string when using nested syntax');
    }
    if (!isNested && !['string', 'number', 'symbol'].includes(nameType)) {
      fail(this, 'the argument to property must be a string, number, or symbol');
    }
    if (isNested && isOwn) fail(this, 'The "nested" and "own" flags cannot be combined.');
    if (obj === null || obj === undefined) fail(this, 'Target cannot be null or undefined.');

    const isDeep = flag(this, 'deep');
    const pathInfo = isNested ? getPathInfo(obj, name) : null;
    const value = isNested ? pathInfo.value : obj[name];
    let hasProp;
    if (isOwn) hasProp = Object.prototype.hasOwnProperty.call(obj, name);
    else if (isNested) hasProp = pathInfo.exists;
    else hasProp = hasProperty(obj, name);

    const descriptor = `${isDeep ? 'deep ' : ''}${isOwn ? 'own ' : ''}${isNested ? 'nested ' : ''}property `;
    const shownName = inspect(name);
    // A negated check with a value only fails when the property exists AND has that value.
    if (!flag(this, 'negate') || arguments.length === 1) {
      this.assert(hasProp, `expected #{this} to have ${descriptor}${shownName}`,
        `expected #{this} to not have ${descriptor}${shownName}`);
    }
    if (arguments.length > 1) {
      this.assert(
        hasProp && (isDeep ? eql(val, value) : val === value),
        `expected #{this} to have ${descriptor}${shownName} of #{exp}, but got #{act}`,
        `expected #{this} to not have ${descriptor}${shownName} of #{act}`,
        val,
        value
      );
    }
    flag(this, 'object', value);
  }
  A.addMethod('property', assertProperty);

  function assertOwnProperty() {
    flag(this, 'own', true);
    assertProperty.apply(this, arguments);
  }
  alias(['ownProperty', 'haveOwnProperty'], (name) => A.addMethod(name, assertOwnProperty));

  function assertOwnPropertyDescriptor(name, descriptor, msg) {
    if (typeof descriptor === 'string') {
      msg = descriptor;
      descriptor = null;
    }
    if (msg) flag(this, 'message', msg);
    const actual = Object.getOwnPropertyDescriptor(Object(flag(this, 'object')), name);
    if (actual && descriptor) {
      this.assert(
        eql(descriptor, actual),
        `expected the own property descriptor for ${inspect(name)} on #{this} to match ` +
          `${inspect(descriptor)}, got ${inspect(actual)}`,
        `expected the own property descriptor for ${inspect(name)} on #{this} to not match ` +
          inspect(descriptor),
        descriptor,
        actual,
        true
      );
    } else {
      this.assert(actual, `expected #{this} to have an own property descriptor for ${inspect(name)}`,
        `expected #{this} to not have an own property descriptor for ${inspect(name)}`);
    }
    flag(this, 'object', actual);
  }
  alias(['ownPropertyDescriptor', 'haveOwnPropertyDescriptor'],
    (name) => A.addMethod(name, assertOwnPropertyDescriptor));

  function assertLength(n, msg) {
    if (msg) flag(this, 'message', msg);
    const obj = flag(this, 'object');
    const objType = typeOf(obj).toLowerCase();
    let descriptor = 'length';
    let count;
    if (objType === 'map' || objType === 'set') {
      descriptor = 'size';
      count = obj.size;
    } else {
      new Assertion(obj, flag(this, 'message'), flag(this, 'ssfi'), true).to.have.property('length');
      count = obj.length;
    }
    // Loose comparison on purpose, as chai does.
    this.assert(count == n, `expected #{this} to have a ${descriptor} of #{exp} but got #{act}`,
      `expected #{this} to not have a ${descriptor} of #{act}`, n, count);
  }
  alias(['length', 'lengthOf'], (name) => A.addChainableMethod(name, assertLength, function () {
    flag(this, 'doLength', true);
  }));

  function assertMatch(re, msg) {
    if (msg) flag(this, 'message', msg);
    this.assert(re.exec(flag(this, 'object')), `expected #{this} to match ${re}`,
      `expected #{this} not to match ${re}`);
  }
  alias(['match', 'matches'], (name) => A.addMethod(name, assertMatch));

  A.addMethod('string', function (str, msg) {
    if (msg) flag(this, 'message', msg);
    const obj = flag(this, 'object');
    new Assertion(obj, flag(this, 'message'), flag(this, 'ssfi'), true).is.a('string');
    this.assert(~obj.indexOf(str), `expected #{this} to contain ${inspect(str)}`,
      `expected #{this} to not contain ${inspect(str)}`);
  });

  function assertKeys(keys) {
    const obj = flag(this, 'object');
    const objType = typeOf(obj);
    const keysType = typeOf(keys);
    const isDeep = flag(this, 'deep');
    const mixedArgs = 'when testing keys against an object or an array you must give a single ' +
      'Array|Object|String argument or multiple String arguments';
    let actual;
    let deepStr = '';
    if (objType === 'Map' || objType === 'Set') {
      deepStr = isDeep ? 'deeply ' : '';
      actual = [];
      obj.forEach((value, key) => actual.push(key));
      if (keysType !== 'Array') keys = Array.prototype.slice.call(arguments);
    } else {
      actual = getOwnEnumerableProperties(obj);
      if (keysType === 'Array' || keysType === 'Object') {
        if (arguments.length > 1) fail(this, mixedArgs);
        if (keysType === 'Object') keys = Object.keys(keys);
      } else {
        keys = Array.prototype.slice.call(arguments);
      }
      keys = keys.map((key) => (typeof key === 'symbol' ? key : String(key)));
    }
    if (!keys.length) fail(this, 'keys required');

    let any = flag(this, 'any');
    let all = flag(this, 'all');
    const expected = keys;
    if (!any && !all) all = true;
    const present = (wanted) => actual.some((key) => (isDeep ? eql(wanted, key) : wanted === key));
    let ok = true;
    if (any) ok = expected.some(present);
    if (all) {
      ok = expected.every(present);
      if (!flag(this, 'contains')) ok = ok && keys.length === actual.length;
    }

    let str;
    if (keys.length > 1) {
      const shown = keys.map((key) => inspect(key));
      const last = shown.pop();
      if (all) str = `${shown.join(', ')}, and ${last}`;
      if (any) str = `${shown.join(', ')}, or ${last}`;
    } else {
      str = inspect(keys[0]);
    }
    str = `${flag(this, 'contains') ? 'contain' : 'have'} ${keys.length > 1 ? 'keys' : 'key'} ${str}`;
    this.assert(ok, `expected #{this} to ${deepStr}${str}`, `expected #{this} to not ${deepStr}${str}`,
      expected.slice(0).sort(compareByInspect), actual.sort(compareByInspect), true);
  }
  alias(['keys', 'key'], (name) => A.addMethod(name, assertKeys));

  function describeThrown(err) {
    if (err instanceof Error) return err.toString();
    if (typeof err === 'string') return err;
    return err && checkError.getConstructorName(err);
  }

  function describeErrorLike(errorLike) {
    if (errorLike instanceof Error) return errorLike.toString();
    return errorLike && checkError.getConstructorName(errorLike);
  }

  function assertThrows(errorLike, errMsgMatcher, msg) {
    if (msg) flag(this, 'message', msg);
    const obj = flag(this, 'object');
    const negate = flag(this, 'negate') || false;
    new Assertion(obj, flag(this, 'message'), flag(this, 'ssfi'), true).is.a('function');
    if (errorLike instanceof RegExp || typeof errorLike === 'string') {
      errMsgMatcher = errorLike;
      errorLike = null;
    }
    let caught;
    try {
      obj();
    } catch (err) {
      caught = err;
    }
    const noArgs = errorLike === undefined && errMsgMatcher === undefined;
    const bothArgs = Boolean(errorLike && errMsgMatcher);
    let errorLikeFailed = false;
    let matcherFailed = false;
    const mismatch = () => this.assert(
      negate,
      'expected #{this} to throw #{exp} but #{act} was thrown',
      `expected #{this} to not throw #{exp}${caught ? ' but #{act} was thrown' : ''}`,
      describeErrorLike(errorLike),
      describeThrown(caught)
    );

    if (noArgs || !negate) {
      let wanted = 'an error';
      if (errorLike instanceof Error) wanted = '#{exp}';
      else if (errorLike) wanted = checkError.getConstructorName(errorLike);
      this.assert(
        caught,
        `expected #{this} to throw ${wanted}`,
        'expected #{this} to not throw an error but #{act} was thrown',
        errorLike && errorLike.toString(),
        describeThrown(caught)
      );
    }

    if (errorLike && caught) {
      if (errorLike instanceof Error && checkError.compatibleInstance(caught, errorLike) === negate) {
        if (bothArgs && negate) {
          errorLikeFailed = true;
        } else {
          this.assert(
            negate,
            'expected #{this} to throw #{exp} but #{act} was thrown',
            `expected #{this} to not throw #{exp}${caught && !negate ? ' but #{act} was thrown' : ''}`,
            errorLike.toString(),
            caught.toString()
          );
        }
      }
      if (checkError.compatibleConstructor(caught, errorLike) === negate) {
        if (bothArgs && negate) errorLikeFailed = true;
        else mismatch();
      }
    }

    if (caught && errMsgMatcher !== undefined && errMsgMatcher !== null) {
      const placeholder = errMsgMatcher instanceof RegExp ? 'matching' : 'including';
      if (checkError.compatibleMessage(caught, errMsgMatcher) === negate) {
        if (bothArgs && negate) {
          matcherFailed = true;
        } else {
          this.assert(
            negate,
            `expected #{this} to throw error ${placeholder} #{exp} but got #{act}`,
            `expected #{this} to throw error not ${placeholder} #{exp}`,
            errMsgMatcher,
            checkError.getMessage(caught)
          );
        }
      }
    }

    if (errorLikeFailed && matcherFailed) mismatch();
    flag(this, 'object', caught);
  }
  alias(['throw', 'throws', 'Throw'], (name) => A.addMethod(name, assertThrows));

  function respondTo(method, msg) {
    if (msg) flag(this, 'message', msg);
    const obj = flag(this, 'object');
    const target = typeof obj === 'function' && !flag(this, 'itself') ? obj.prototype[method] : obj[method];
    this.assert(typeof target === 'function', `expected #{this} to respond to ${inspect(method)}`,
      `expected #{this} to not respond to ${inspect(method)}`);
  }
  alias(['respondTo', 'respondsTo'], (name) => A.addMethod(name, respondTo));

  A.addProperty('itself', function () {
    flag(this, 'itself', true);
  });

  function satisfy(matcher, msg) {
    if (msg) flag(this, 'message', msg);
    const result = matcher(flag(this, 'object'));
    // chai's negated message has no space before the matcher; kept for identical output.
    this.assert(result, `expected #{this} to satisfy ${objDisplay(matcher)}`,
      `expected #{this} to not satisfy${objDisplay(matcher)}`, !flag(this, 'negate'), result);
  }
  alias(['satisfy', 'satisfies'], (name) => A.addMethod(name, satisfy));

  function closeTo(expected, delta, msg) {
    if (msg) flag(this, 'message', msg);
    const obj = flag(this, 'object');
    new Assertion(obj, flag(this, 'message'), flag(this, 'ssfi'), true).is.a('number');
    if (typeof expected !== 'number' || typeof delta !== 'number') {
      const hint = delta === undefined ? ', and a delta is required' : '';
      fail(this, `the arguments to closeTo or approximately must be numbers${hint}`);
    }
    this.assert(Math.abs(obj - expected) <= delta, `expected #{this} to be close to ${expected} +/- ${delta}`,
      `expected #{this} not to be close to ${expected} +/- ${delta}`);
  }
  alias(['closeTo', 'approximately'], (name) => A.addMethod(name, closeTo));

  // Whether `subset` is found in `superset` (same size unless `contains`; duplicates matched once).
  function isSubsetOf(subset, superset, cmp, contains, ordered) {
    if (!contains) {
      if (subset.length !== superset.length) return false;
      superset = superset.slice();
    }
    const same = cmp || ((a, b) => a === b);
    return subset.every((elem, idx) => {
      if (ordered) return same(elem, superset[idx]);
      const match = superset.findIndex((other) => same(elem, other));
      if (match === -1) return false;
      if (!contains) superset.splice(match, 1);
      return true;
    });
  }

  A.addMethod('members', function (subset, msg) {
    if (msg) flag(this, 'message', msg);
    const obj = flag(this, 'object');
    const flagMsg = flag(this, 'message');
    new Assertion(obj, flagMsg, flag(this, 'ssfi'), true).to.be.an('array');
    new Assertion(subset, flagMsg, flag(this, 'ssfi'), true).to.be.an('array');
    const contains = flag(this, 'contains');
    const ordered = flag(this, 'ordered');
    let failMsg;
    let negateMsg;
    if (contains) {
      const subject = ordered ? 'an ordered superset' : 'a superset';
      failMsg = `expected #{this} to be ${subject} of #{exp}`;
      negateMsg = `expected #{this} to not be ${subject} of #{exp}`;
    } else {
      const subject = ordered ? 'ordered members' : 'members';
      failMsg = `expected #{this} to have the same ${subject} as #{exp}`;
      negateMsg = `expected #{this} to not have the same ${subject} as #{exp}`;
    }
    const cmp = flag(this, 'deep') ? eql : undefined;
    this.assert(isSubsetOf(subset, obj, cmp, contains, ordered), failMsg, negateMsg, subset, obj, true);
  });

  A.addMethod('oneOf', function (list, msg) {
    if (msg) flag(this, 'message', msg);
    const expected = flag(this, 'object');
    new Assertion(list, flag(this, 'message'), flag(this, 'ssfi'), true).to.be.an('array');
    if (flag(this, 'contains')) {
      this.assert(list.some((item) => expected.indexOf(item) > -1),
        'expected #{this} to contain one of #{exp}',
        'expected #{this} to not contain one of #{exp}', list, expected);
    } else if (flag(this, 'deep')) {
      this.assert(list.some((item) => eql(expected, item)), 'expected #{this} to deeply equal one of #{exp}',
        'expected #{this} to deeply equal one of #{exp}', list, expected);
    } else {
      this.assert(list.indexOf(expected) > -1, 'expected #{this} to be one of #{exp}',
        'expected #{this} to not be one of #{exp}', list, expected);
    }
  });

  // change / increase / decrease, and `.by(delta)` after them.
  function measureDelta(assertion, subject, prop, msg, numeric) {
    if (msg) flag(assertion, 'message', msg);
    const fn = flag(assertion, 'object');
    const flagMsg = flag(assertion, 'message');
    const ssfi = flag(assertion, 'ssfi');
    new Assertion(fn, flagMsg, ssfi, true).is.a('function');
    let initial;
    if (!prop) {
      new Assertion(subject, flagMsg, ssfi, true).is.a('function');
      initial = subject();
    } else {
      new Assertion(subject, flagMsg, ssfi, true).to.have.property(prop);
      initial = subject[prop];
    }
    if (numeric) new Assertion(initial, flagMsg, ssfi, true).is.a('number');
    fn();
    const noProp = prop === undefined || prop === null;
    const final = noProp ? subject() : subject[prop];
    const msgObj = noProp ? initial : `.${prop}`;
    flag(assertion, 'deltaMsgObj', msgObj);
    flag(assertion, 'initialDeltaValue', initial);
    flag(assertion, 'finalDeltaValue', final);
    return { initial, final, msgObj };
  }

  function assertChanges(subject, prop, msg) {
    const { initial, final, msgObj } = measureDelta(this, subject, prop, msg, false);
    flag(this, 'deltaBehavior', 'change');
    flag(this, 'realDelta', final !== initial);
    this.assert(initial !== final, `expected ${msgObj} to change`, `expected ${msgObj} to not change`);
  }
  alias(['change', 'changes'], (name) => A.addMethod(name, assertChanges));

  function assertIncreases(subject, prop, msg) {
    const { initial, final, msgObj } = measureDelta(this, subject, prop, msg, true);
    flag(this, 'deltaBehavior', 'increase');
    flag(this, 'realDelta', final - initial);
    this.assert(final - initial > 0, `expected ${msgObj} to increase`, `expected ${msgObj} to not increase`);
  }
  alias(['increase', 'increases'], (name) => A.addMethod(name, assertIncreases));

  function assertDecreases(subject, prop, msg) {
    const { initial, final, msgObj } = measureDelta(this, subject, prop, msg, true);
    flag(this, 'deltaBehavior', 'decrease');
    flag(this, 'realDelta', initial - final);
    this.assert(final - initial < 0, `expected ${msgObj} to decrease`, `expected ${msgObj} to not decrease`);
  }
  alias(['decrease', 'decreases'], (name) => A.addMethod(name, assertDecreases));

  A.addMethod('by', function (delta, msg) {
    if (msg) flag(this, 'message', msg);
    const msgObj = flag(this, 'deltaMsgObj');
    const behavior = flag(this, 'deltaBehavior');
    const ok = behavior === 'change'
      ? Math.abs(flag(this, 'finalDeltaValue') - flag(this, 'initialDeltaValue')) === Math.abs(delta)
      : flag(this, 'realDelta') === Math.abs(delta);
    this.assert(ok, `expected ${msgObj} to ${behavior} by ${delta}`,
      `expected ${msgObj} to not ${behavior} by ${delta}`);
  });

  A.addProperty('extensible', function () {
    const obj = flag(this, 'object');
    this.assert(obj === Object(obj) && Object.isExtensible(obj), 'expected #{this} to be extensible',
      'expected #{this} to not be extensible');
  });
  A.addProperty('sealed', function () {
    const obj = flag(this, 'object');
    this.assert(obj === Object(obj) ? Object.isSealed(obj) : true, 'expected #{this} to be sealed',
      'expected #{this} to not be sealed');
  });
  A.addProperty('frozen', function () {
    const obj = flag(this, 'object');
    this.assert(obj === Object(obj) ? Object.isFrozen(obj) : true, 'expected #{this} to be frozen',
      'expected #{this} to not be frozen');
  });
  A.addProperty('finite', function () {
    const obj = flag(this, 'object');
    this.assert(typeof obj === 'number' && isFinite(obj), 'expected #{this} to be a finite number',
      'expected #{this} to not be a finite number');
  });

  // ------------------------------------------------------------------------------------------------
  // expect() and the export

  function expect(value, message) {
    return new Assertion(value, message);
  }
  expect.fail = function (actual, expected, message, operator) {
    if (arguments.length < 2) {
      message = actual;
      actual = undefined;
    }
    throw new AssertionError(message || 'expect.fail()', { actual, expected, operator }, expect.fail);
  };

  const chai = { expect, Assertion, AssertionError, inspect, util, config };
  chai.use = function (plugin) {
    plugin(chai, util);
    return chai;
  };
  globalThis.__chai = chai;
})();
