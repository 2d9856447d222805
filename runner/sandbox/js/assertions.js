/*
 * postrun: Postman's request/response assertions as a chai plugin, for the QuickJS sandbox.
 *
 * Our own implementation of the behaviour of chai-postman 2.0.1 (what postman-sandbox 4.7 registers):
 * the same assertion names, semantics (quirks included, e.g. `notAcceptable` wants the reason
 * "Acceptable") and failure messages, checked against Newman by tests/test_assertions.py.
 *
 * Works on the objects the sandbox core builds: responses
 * `{__kind: 'response', code, status, headers, responseTime, text(), json(), size()}` and requests
 * `{__kind: 'request', method, url, headers, body}`, whose `headers` offer has()/all().
 * Defines the global `__postrunAssert = { attach(obj) }`, which gives such an object Postman's `.to`.
 */
(function (g) {
  'use strict';

  // chai 4.4.1 itself (packed from npm), loaded the first time an assertion needs it (loader.js).
  let chai = null;
  const hasOwn = (obj, key) => obj != null && Object.prototype.hasOwnProperty.call(obj, key);
  const tagOf = (value) => Object.prototype.toString.call(value).slice(8, -1);
  const isObjectLike = (value) => value !== null && typeof value === 'object';

  // ------------------------------------------------------------------------------------------------
  // lodash semantics the assertions rely on (isNumber, isString, isPlainObject, isEqual, has, get)

  const isNumber = (v) => typeof v === 'number' || (isObjectLike(v) && tagOf(v) === 'Number');
  const isString = (v) => typeof v === 'string' || (isObjectLike(v) && tagOf(v) === 'String');

  function isPlainObject(value) {
    if (!isObjectLike(value) || tagOf(value) !== 'Object') return false;
    const proto = Object.getPrototypeOf(value);
    return proto === null || (hasOwn(proto, 'constructor') && proto.constructor === Object);
  }

  // A constructor that is an instance of itself is Object or Function: such objects compare by content.
  const isBaseConstructor = (ctor) => typeof ctor === 'function' && ctor instanceof ctor;

  /** Deep equality like lodash's isEqual: SameValueZero leaves, own enumerable keys, same kind. */
  function isEqual(a, b, stack = []) {
    if (a === b || (a !== a && b !== b)) return true;
    if (!isObjectLike(a) && !isObjectLike(b)) return false;
    if (a == null || b == null) return false;
    const tag = tagOf(a) === 'Arguments' ? 'Object' : tagOf(a);
    if (tag !== (tagOf(b) === 'Arguments' ? 'Object' : tagOf(b))) return false;
    switch (tag) {
      case 'Number': case 'Boolean': case 'Date': {
        const x = +a;
        const y = +b;
        return x === y || (x !== x && y !== y);
      }
      case 'String': case 'RegExp':
        return String(a) === String(b);
      case 'Error':
        return a.name === b.name && a.message === b.message;
      default:
    }
    if (!isObjectLike(a) || !isObjectLike(b)) return false;
    for (const [x, y] of stack) {
      if (x === a) return y === b;
    }
    stack.push([a, b]);
    try {
      if (tag === 'Map' || tag === 'Set') {
        return a.size === b.size && isEqual(Array.from(a), Array.from(b), stack);
      }
      if (Array.isArray(a)) {
        return a.length === b.length && a.every((item, index) => isEqual(item, b[index], stack));
      }
      const keys = Object.keys(a);
      if (keys.length !== Object.keys(b).length) return false;
      if (!keys.every((key) => hasOwn(b, key) && isEqual(a[key], b[key], stack))) return false;
      const ca = a.constructor;
      const cb = b.constructor;
      return ca === cb || !('constructor' in a && 'constructor' in b) ||
        (isBaseConstructor(ca) && isBaseConstructor(cb));
    } finally {
      stack.pop();
    }
  }

  // Property paths like lodash's: `a.b[0].c`, `a["x.y"]`, `a['k']`. Bracketed keys are numbers or quoted
  // strings (backslash escapes); a leading dot, `..` and `[]` stand for empty keys.
  const PATH_TOKEN = new RegExp([
    '[^.[\\]]+', // a plain key
    '\\[(-?\\d+(?:\\.\\d+)?)\\]', // [number]
    '\\[(["\'])((?:(?!\\2)[^\\\\]|\\\\.)*?)\\2\\]', // ['quoted'] or ["quoted"]
    '(?=(?:\\.|\\[\\])(?:\\.|\\[\\]|$))', // an empty key between separators
  ].join('|'), 'g');
  const DEEP_PATH = /\.|\[(?:[^[\]]*|(["'])(?:(?!\1)[^\\]|\\.)*?\1)\]/;

  function pathKeys(path, object) {
    // A path with no path syntax, or naming an existing property outright, is a single key.
    if (/^\w*$/.test(path) || !DEEP_PATH.test(path) || (object != null && path in Object(object))) {
      return [path];
    }
    const keys = path.charAt(0) === '.' ? [''] : [];
    path.replace(PATH_TOKEN, (match, number, quote, quoted) => {
      keys.push(quote ? quoted.replace(/\\(\\)?/g, '$1') : (number || match));
      return match;
    });
    return keys;
  }

  /** lodash's `_.has(object, path)`: every step is an own property. */
  function hasPath(object, path) {
    for (const key of pathKeys(path, object)) {
      if (!hasOwn(object, key)) return false;
      object = object[key];
    }
    return true;
  }

  /** lodash's `_.get(object, path)`. */
  function getPath(object, path) {
    for (const key of pathKeys(path, object)) {
      if (object == null) return undefined;
      object = object[key];
    }
    return object;
  }

  // ------------------------------------------------------------------------------------------------
  // Reading the sandbox's request and response objects

  // (An assertion is never one: reading an unknown property of chai's proxy throws.)
  // The SDK's own objects (require('postman-collection')) are recognised as its isRequest/isResponse do:
  // by `_postman_propertyName` along the constructor's chain of `super_`.
  function sdkKind(obj) {
    for (let ctor = obj.constructor, depth = 0; typeof ctor === 'function' && depth < 10; ctor = ctor.super_, depth++) {
      if (ctor._postman_propertyName === 'Response') return 'response';
      if (ctor._postman_propertyName === 'Request') return 'request';
    }
    return undefined;
  }
  const kindOf = (obj) => {
    if (!isObjectLike(obj) || (chai && obj instanceof chai.Assertion)) return undefined;
    return obj.__kind || sdkKind(obj);
  };
  const isResponse = (obj) => kindOf(obj) === 'response';
  const isRequest = (obj) => kindOf(obj) === 'request';

  // Reason phrases Postman falls back on when a response has none (its http-reasons names).
  const STANDARD_REASONS = {
    100: 'Continue', 101: 'Switching Protocols', 200: 'OK', 201: 'Created', 202: 'Accepted',
    204: 'No Content', 205: 'Reset Content', 206: 'Partial Content', 300: 'Multiple Choices',
    301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified', 400: 'Bad Request',
    401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
    405: 'Method Not Allowed', 406: 'Not Acceptable', 407: 'Proxy Authentication Required',
    408: 'Request Timeout', 409: 'Conflict', 410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed',
    413: 'Request Entity Too Large', 415: 'Unsupported Media Type', 428: 'Precondition Required',
    429: 'Too Many Requests', 500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway',
    503: 'Service Unavailable', 504: 'Gateway Timeout', 505: 'HTTP Version Not Supported',
  };

  /** The reason phrase, like the SDK's `response.reason()`. */
  function reasonOf(response) {
    if (typeof response.reason === 'function') return response.reason();
    return response.status || STANDARD_REASONS[response.code];
  }

  /** The header named `key` (any case), the last one if repeated: the SDK's `headers.one(key)`. */
  function oneHeader(headers, key) {
    if (typeof headers.one === 'function') return headers.one(key);
    const wanted = String(key).toLowerCase();
    const found = (typeof headers.all === 'function' ? headers.all() : [])
      .filter((h) => h && String(h.key).toLowerCase() === wanted);
    return found[found.length - 1];
  }

  /** Like the SDK's `headers.has(key)`: only a string names a header. */
  function hasHeader(headers, key) {
    if (typeof key !== 'string') return false;
    if (typeof headers.has === 'function') return Boolean(headers.has(key));
    return oneHeader(headers, key) !== undefined;
  }

  /**
   * How chai shows the SDK's Request/Response in Postman's messages (class name and own property count,
   * `to` included: their first property is too long to fit); undefined for anything else.
   */
  function postmanDisplay(value) {
    if (!isObjectLike(value) || !value.__kind) return undefined;  // the SDK's own objects show as chai shows them
    if (isResponse(value)) return 'PostmanResponse{ …(10) }';
    if (isRequest(value)) {
      const count = 4 + (value.body != null ? 1 : 0) + (value.auth != null ? 1 : 0);
      return `PostmanRequest{ …(${count}) }`;
    }
    return undefined;
  }

  const display = (value) => postmanDisplay(value) || chai.util.objDisplay(value);

  /** The text of a JSON parse failure, as chai-postman words it. */
  function parseErrorOf(response) {
    try {
      response.json();
      return undefined;
    } catch (e) {
      if (e && e.name === 'JSONError' && e.message) return e.message.replace(/(.*?)\n.*/g, '$1');
      return `${e && e.name}: ${e && e.message}`;
    }
  }

  /** The JSON Schema errors of `data` (ajv 6 error objects), validated the way Postman's ajv does. */
  function schemaErrors(schema, data, options) {
    const Ajv = g.__postrunModules.require('ajv');
    const ajv = new Ajv(options);
    const valid = ajv.validate(schema, data);
    return { valid, errors: ajv.errors, text: () => ajv.errorsText() };
  }

  // ------------------------------------------------------------------------------------------------
  // The assertions

  function plugin(chai) {
    const { Assertion } = chai;
    const flag = chai.util.flag;

    // (Messages that show a value are functions: rendering it is only worth it when the check fails.)
    function expectKind(obj, test, what) {
      if (test(obj)) { return; }  // a passing check has no effect: skip building an Assertion for it
      new Assertion(obj).assert(false, () => `expecting a postman ${what} object but got ${display(obj)}`,
        `not expecting a postman ${what} object`);
    }
    // chai-postman checks `expect(code).to.be.a('number')` first; only a failure of it is visible.
    function expectNumber(value) {
      if (typeof value !== 'number') { new Assertion(value).to.be.a('number'); }
    }
    const expectResponse = (obj) => expectKind(obj, isResponse, 'response');
    const expectRequestOrResponse = (obj) =>
      expectKind(obj, (o) => isRequest(o) || isResponse(o), 'request or response');

    // These honour `.not`, as chai-postman's do; the checks inside other assertions never are negated.
    Assertion.addProperty('postmanRequest', function () {
      this.assert(isRequest(this._obj), 'expecting a postman request object but got #{this}',
        'not expecting a postman request object');
    });
    Assertion.addProperty('postmanResponse', function () {
      this.assert(isResponse(this._obj), 'expecting a postman response object but got #{this}',
        'not expecting a postman response object');
    });
    Assertion.addProperty('postmanRequestOrResponse', function () {
      this.assert(isRequest(this._obj) || isResponse(this._obj),
        'expecting a postman request or response object but got #{this}',
        'not expecting a postman request or response object');
    });

    function assertStatusClass(assertion, classCode) {
      expectResponse(assertion._obj);
      expectNumber(assertion._obj.code);
      assertion.assert(Math.floor(assertion._obj.code / 100) === classCode,
        'expected response code to be #{exp}XX but found #{act}', 'expected response code to not be #{exp}XX',
        classCode, assertion._obj.code);
    }

    Assertion.addMethod('statusCodeClass', function (classCode) {
      assertStatusClass(this, classCode);
    });
    const classes = { info: 1, success: 2, redirection: 3, clientError: 4, serverError: 5 };
    Object.keys(classes).forEach((name) => {
      Assertion.addProperty(name, function () {
        assertStatusClass(this, classes[name]);
      });
    });

    Assertion.addProperty('error', function () {
      expectResponse(this._obj);
      expectNumber(this._obj.code);
      const statusClass = Math.floor(this._obj.code / 100);
      this.assert(statusClass === 4 || statusClass === 5,
        'expected response code to be 4XX or 5XX but found #{act}',
        'expected response code to not be 4XX or 5XX',
        null, this._obj.code);
    });

    function assertCode(assertion, code) {
      assertion.assert(assertion._obj.code === code,
        'expected response to have status code #{exp} but got #{act}',
        'expected response to not have status code #{act}', code, assertion._obj.code);
    }

    function assertReason(assertion, wanted, actual) {
      assertion.assert(actual === wanted,
        'expected response to have status reason #{exp} but got #{act}',
        'expected response to not have status reason #{act}', wanted, actual);
    }

    Assertion.addMethod('statusCode', function (code) {
      expectResponse(this._obj);
      expectNumber(this._obj.code);
      assertCode(this, Number(code));
    });

    Assertion.addMethod('statusReason', function (reason) {
      expectResponse(this._obj);
      assertReason(this, String(reason), reasonOf(this._obj));
    });

    Assertion.addMethod('status', function (codeOrReason) {
      expectResponse(this._obj);
      if (isNumber(codeOrReason)) {
        expectNumber(this._obj.code);
        assertCode(this, Number(codeOrReason));
      } else {
        assertReason(this, codeOrReason, reasonOf(this._obj));
      }
    });

    // Named statuses compare the upper-cased reason phrase, then the code. (`notAcceptable` really does
    // want the reason "Acceptable", and `unauthorised` "Unauthorised": chai-postman's spelling.)
    function assertNamedStatus(assertion, reason, code) {
      assertReason(assertion, reason.toUpperCase(), String(reasonOf(assertion._obj)).toUpperCase());
      const actual = Number(assertion._obj.code);
      assertion.assert(actual === code, 'expected response to have status code #{exp} but got #{act}',
        'expected response to not have status code #{act}', code, actual);
    }

    const named = {
      accepted: [202, 'Accepted'],
      withoutContent: [204, 'No Content'],
      badRequest: [400, 'Bad Request'],
      unauthorised: [401, 'Unauthorised'],
      unauthorized: [401, 'Unauthorized'],
      forbidden: [403, 'Forbidden'],
      notFound: [404, 'Not Found'],
      notAcceptable: [406, 'Acceptable'],
      rateLimited: [429, 'Too Many Requests'],
    };
    Object.keys(named).forEach((name) => {
      Assertion.addProperty(name, function () {
        expectResponse(this._obj);
        assertNamedStatus(this, named[name][1], named[name][0]);
      });
    });

    // `ok` means "200 OK" for a response and keeps chai's truthiness meaning for anything else.
    Assertion.addProperty('ok', function () {
      if (!isResponse(this._obj)) {
        const obj = flag(this, 'object');
        this.assert(obj, () => `expected ${display(obj)} to be truthy`,
          () => `expected ${display(obj)} to be falsy`);
        return;
      }
      assertNamedStatus(this, 'OK', 200);
    });

    Assertion.addMethod('header', function (key, value) {
      expectRequestOrResponse(this._obj);
      const kind = this._obj.__kind;
      const headers = this._obj.headers;
      const present = hasHeader(headers, key);
      this.assert(present, `expected ${kind} to have header with key '${String(key)}'`,
        `expected ${kind} to not have header with key '${String(key)}'`, true, present);
      if (arguments.length < 2) return;

      const header = oneHeader(headers, key);
      if (header == null) throw new TypeError(`Cannot read properties of ${header} (reading 'value')`);
      const actual = header.value;
      this.assert(actual === value, `expected '${String(key)}' ${kind} header to be #{exp} but got #{act}`,
        `expected '${String(key)}' ${kind} header to not be #{act}`, value, actual);
    });

    function assertHasBody(assertion) {
      const text = assertion._obj.text();
      assertion.assert(isString(text) && text.length, 'expected response to have content in body',
        'expected response to not have content in body');
    }

    Assertion.addProperty('withBody', function () {
      expectResponse(this._obj);
      assertHasBody(this);
    });

    function assertValidJson(assertion) {
      const error = parseErrorOf(assertion._obj);
      assertion.assert(error === undefined,
        `expected response body to be a valid json but got error ${error}`,
        'expected response body not to be a valid json');
    }

    Assertion.addProperty('json', function () {
      expectResponse(this._obj);
      assertValidJson(this);
    });

    Assertion.addMethod('body', function (content) {
      expectResponse(this._obj);
      if (isPlainObject(content)) {
        let data;
        try {
          data = this._obj.json();
        } catch (e) {
          data = undefined;
        }
        this.assert(isEqual(data, content), 'expected response body json to equal #{exp} but got #{act}',
          'expected response body json to not equal #{exp} but got #{act}', content, data);
        return;
      }
      if (arguments.length === 0) {
        assertHasBody(this);
        return;
      }
      const text = this._obj.text();
      if (content instanceof RegExp) {
        this.assert(content.exec(text) !== null, 'expected response body text to match #{exp} but got #{act}',
          'expected response body text #{act} to not match #{exp}', content, text);
        return;
      }
      this.assert(isEqual(text, content), 'expected response body to equal #{exp} but got #{act}',
        'expected response body to not equal #{exp}', content, text);
    });

    Assertion.addMethod('jsonBody', function (path, value) {
      expectResponse(this._obj);
      if (arguments.length === 0) {
        assertValidJson(this);
        return;
      }
      if (!isString(path)) return; // chai-postman checks nothing for other paths
      let data;
      try {
        data = this._obj.json();
      } catch (e) {
        data = undefined;
      }
      path = String(path);
      this.assert(hasPath(data, path), 'expected #{act} in response to contain property #{exp}',
        'expected #{act} in response to not contain property #{exp}', path, data);
      if (arguments.length < 2) return;
      const found = getPath(data, path);
      this.assert(isEqual(found, value),
        `expected response body json at "${path}" to contain #{exp} but got #{act}`,
        `expected response body json at "${path}" to not contain #{exp} but got #{act}`, value, found);
    });

    // `responseTime` / `responseSize`: as a property they make the number the subject of the chain
    // (`to.have.responseTime.below(200)`); called, they compare it.
    Assertion.addChainableMethod('responseTime', function (value) {
      const time = flag(this, 'number');
      const msg = 'expected response to have a valid response time but got #{act}';
      const negMsg = 'expected response to not have a valid response time but got #{act}';
      this.assert(isNumber(time), msg, negMsg, null, time);
      if (arguments.length) this.assert(isEqual(time, value), msg, negMsg, null, time);
    }, function () {
      expectResponse(this._obj);
      flag(this, 'number', this._obj.responseTime);
      this._obj = this._obj.responseTime;
    });

    Assertion.addChainableMethod('responseSize', function (value) {
      const size = flag(this, 'number');
      this.assert(isNumber(size), 'expected response to have a valid response size but got #{act}',
        'expected response to not have a valid response size but got #{act}', null, size);
      if (arguments.length) {
        this.assert(isEqual(size, value), 'expected response size to equal #{act} but got #{exp}',
          'expected response size to not equal #{act} but got #{exp}', value, size);
      }
    }, function () {
      expectResponse(this._obj);
      const size = this._obj.size();
      const total = (size.header || 0) + (size.body || 0);
      flag(this, 'number', total);
      this._obj = total;
    });

    Assertion.addMethod('jsonSchema', function (schema, options) {
      new Assertion(schema).to.be.an('object');
      options = Object.assign({ allErrors: true, logger: false }, options);
      const obj = this._obj;
      const data = isResponse(obj) || (isRequest(obj) && typeof obj.json === 'function') ? obj.json() : obj;
      const result = schemaErrors(schema, data, options);
      this.assert(result.valid && !result.errors,
        `expected data to satisfy schema but found following errors: \n${result.text()}`,
        'expected data to not satisfy schema', true, result.valid);
    });
  }

  g.__postrunAssert = {
    /** chai with these assertions registered, as Postman's sandbox registers chai-postman. */
    chai() {
      if (!chai) {
        const real = g.__postrunModules.require('chai');
        real.use(plugin);
        chai = real;
      }
      return chai;
    },
    /**
     * Give a request or response Postman's `.to` (`pm.response.to.have.status(200)`), and make chai show
     * it the way Postman's messages do (`expected PostmanResponse{ …(10) } to ...`). Both non-enumerable.
     */
    attach(obj) {
      Object.defineProperty(obj, 'to', {
        get() {
          return g.__postrunAssert.chai().expect(this).to;
        },
        enumerable: false,
        configurable: true,
      });
      Object.defineProperty(obj, Symbol.for('chai/inspect'), {
        value() {
          return postmanDisplay(this); // undefined: chai's usual rendering
        },
        enumerable: false,
        configurable: true,
      });
      return obj;
    },
  };
})(globalThis);
