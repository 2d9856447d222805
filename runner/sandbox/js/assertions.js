/*
 * postrun: chai as Postman's sandbox sets it up, for the QuickJS sandbox.
 *
 * chai 4.4.1 with the real chai-postman 2.0.1 plugin (both packed from npm), registered the way
 * postman-sandbox 4.7 registers it: `chai.use(chaiPostman(sdk, _, Ajv))`. chai-postman only asks the SDK
 * whether an object is a Request or a Response, so `sdk` here answers that as the SDK does (by
 * `_postman_propertyName` along the constructor chain), for pm.request/pm.response and for the SDK's own
 * objects from require('postman-collection'), without parsing the 2 MB SDK.
 *
 * Defines the global `__postrunAssert = { chai(), attach(obj) }`.
 */
(function (g) {
  'use strict';

  let chai = null;     // loaded the first time an assertion needs it (loader.js)
  let lodash = null;

  // The SDK's Request.isRequest / Response.isResponse: the class's name along the chain of `super_`.
  function inSuperChain(ctor, name) {
    for (let depth = 0; typeof ctor === 'function' && depth < 10; ctor = ctor.super_, depth++) {
      if (ctor._postman_propertyName === name) return true;
    }
    return false;
  }
  const isKind = (name) => (obj) => Boolean(obj) && inSuperChain(obj.constructor, name);
  const sdk = { Request: { isRequest: isKind('Request') }, Response: { isResponse: isKind('Response') } };

  // lodash 4, as postman-sandbox passes it. What chai-postman calls on every status or header check
  // (isNumber, isString, and forOwn while registering) is answered here with lodash's semantics, so the
  // 600 KiB of lodash is parsed only when a body assertion needs isEqual, has, get or isPlainObject.
  const tagOf = (value) => Object.prototype.toString.call(value);
  const objectLike = (value) => value !== null && typeof value === 'object';
  const lazy = (name) => function () {
    lodash = lodash || g.__postrunModules.require('lodash');
    return lodash[name].apply(lodash, arguments);
  };
  const _ = {
    forOwn(obj, fn) { Object.keys(obj).forEach((k) => fn(obj[k], k, obj)); return obj; },
    isNumber: (v) => typeof v === 'number' || (objectLike(v) && tagOf(v) === '[object Number]'),
    isString: (v) => typeof v === 'string' || (objectLike(v) && !Array.isArray(v) && tagOf(v) === '[object String]'),
    isPlainObject: lazy('isPlainObject'),
    isEqual: lazy('isEqual'),
    has: lazy('has'),
    get: lazy('get'),
  };

  // ajv 6.12.5, parsed only when a jsonSchema assertion runs (a constructor that returns the real one).
  function Ajv(options) {
    const Real = g.__postrunModules.require('ajv');
    return new Real(options);
  }

  /**
   * How chai shows pm.request / pm.response in Postman's messages: the class name and own property count
   * (`to` included: their first property is too long to fit), as Node's inspection of the SDK objects reads.
   */
  function postmanDisplay(value) {
    if (sdk.Response.isResponse(value)) return 'PostmanResponse{ …(10) }';
    const count = 4 + (value.body != null ? 1 : 0) + (value.auth != null ? 1 : 0);
    return `PostmanRequest{ …(${count}) }`;
  }

  g.__postrunAssert = {
    /** chai with chai-postman registered. */
    chai() {
      if (!chai) {
        const real = g.__postrunModules.require('chai');
        real.use(g.__postrunModules.internal('chai-postman')(sdk, _, Ajv));
        chai = real;
      }
      return chai;
    },
    /**
     * Give pm.request / pm.response Postman's `.to` (`pm.response.to.have.status(200)`) and Postman's
     * rendering in chai's messages (`expected PostmanResponse{ …(10) } to ...`). Both non-enumerable.
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
          return postmanDisplay(this);
        },
        enumerable: false,
        configurable: true,
      });
      return obj;
    },
  };
})(globalThis);
