// esmToScript: esbuild's ES-module output → the bundle wrapper's body. Import declarations of the
// shared modules become same-length `var`s reading the runtime's instance, the export clause a
// `return`; anything else naming a shared module is refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { esmToScript, SHARED_MODULE_PREFIX, UnexpectedBundleOutputError } from '../../../dist/worker/bundler/esm-to-script.js';

const spec = (key) => `"${SHARED_MODULE_PREFIX}${key}"`;

/** Evaluates a rewritten body with a shared-module table, as the bundle wrapper does. */
function run(code, modules) {
  const lookup = (key) => {
    if (!(key in modules)) throw new Error(`no module ${key}`);
    return modules[key];
  };
  return new Function('__duraflowImport', code)(lookup);
}

describe('esmToScript', () => {
  it('rewrites every kind of import declaration in place, keeping every offset', () => {
    const source = [
      'var __name=(f)=>f;',
      `import*as wf from${spec('workflow/index.js')};`,
      `import{sleep as zz,condition}from${spec('workflow/index.js')};`,
      `import d,{x}from${spec('common/index.js')};`,
      `import ${spec('common/side.js')};`,
      'function f(){return [typeof wf.sleep,zz,condition,d,x]}',
      'export{f as workflows,f};',
    ].join('');
    const { code, imports } = esmToScript(source);
    assert.equal(code.length, source.length);
    assert.equal(code.indexOf('function f()'), source.indexOf('function f()'));
    assert.doesNotMatch(code, /\bimport\b|\bexport\b/);
    assert.deepEqual(
      imports.map(({ key, names }) => [key, names]),
      [
        ['workflow/index.js', []],
        ['workflow/index.js', ['sleep', 'condition']],
        ['common/index.js', ['default', 'x']],
        ['common/side.js', []],
      ],
    );
    const workflow = { sleep: 's', condition: 'c' };
    const exported = run(code, { 'workflow/index.js': workflow, 'common/index.js': { default: 'D', x: 'X' }, 'common/side.js': {} });
    assert.deepEqual(Object.keys(exported), ['workflows', 'f']);
    assert.deepEqual(exported.f(), ['string', 's', 'c', 'D', 'X']);
  });

  it('rewrites esbuild’s unminified spelling too', () => {
    const source = `import * as wf from ${spec('workflow/index.js')};\nimport { a as b } from ${spec('common/index.js')};\nfunction g() { return [wf.k, b]; }\nexport {\n  g as workflows\n};\n`;
    const { code } = esmToScript(source);
    assert.equal(code.split('\n').length, source.split('\n').length);
    assert.deepEqual(run(code, { 'workflow/index.js': { k: 1 }, 'common/index.js': { a: 2 } }).workflows(), [1, 2]);
  });

  it('leaves require calls of shared modules to the wrapper’s require', () => {
    const source = `var w=__require(${spec('workflow/index.js')});export{w as workflows};`;
    const { code, imports } = esmToScript(source);
    assert.deepEqual(imports, []);
    assert.match(code, /__require\("duraflow-shared-module:workflow\/index.js"\)/);
  });

  it('does not mistake import-like text in strings or identifiers for a declaration', () => {
    const source = `var s="import{a}from";var importX=1;import{a}from${spec('workflow/index.js')};export{a as workflows};`;
    const { code } = esmToScript(source);
    assert.ok(code.startsWith('var s="import{a}from";var importX=1;var{a}=__duraflowImport('));
  });

  it('refuses a shared-module specifier outside an import declaration, and output without the export clause', () => {
    assert.throws(() => esmToScript(`var s=${spec('workflow/index.js')};export{s as workflows};`), UnexpectedBundleOutputError);
    assert.throws(() => esmToScript('var a=1;'), UnexpectedBundleOutputError);
  });
});
