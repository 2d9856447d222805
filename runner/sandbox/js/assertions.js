/*
 * postrun: chai as Postman's sandbox sets it up, for the QuickJS sandbox.
 *
 * chai 4.4.1 with chai-postman 2.0.1, both packed from npm and registered as postman-sandbox 4.7 registers
 * them: `chai.use(chaiPostman(sdk, _, Ajv))`, with the real postman-collection SDK and lodash 4. Parsed the
 * first time a script asserts something (loader.js). Defines the global `__postrunAssert = { chai() }`.
 */
(function (g) {
  'use strict';

  let chai = null;

  // ajv 6.12.5, parsed only when a jsonSchema assertion runs (a constructor that returns the real one).
  function Ajv(options) {
    const Real = g.__postrunModules.require('ajv');
    return new Real(options);
  }

  g.__postrunAssert = {
    /** chai with chai-postman registered. */
    chai() {
      if (!chai) {
        const modules = g.__postrunModules;
        const real = modules.require('chai');
        real.use(modules.internal('chai-postman')(modules.require('postman-collection'), modules.require('lodash'), Ajv));
        chai = real;
      }
      return chai;
    },
  };
})(globalThis);
