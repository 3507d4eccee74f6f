// src/common must run inside the SES workflow sandbox: it may import only `ms`, `long` and itself,
// and it must work in a locked-down Compartment that has no TextEncoder/TextDecoder or Buffer.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import esbuild from 'esbuild';
import 'ses';
import * as official from '@temporalio/common';

const distDir = fileURLToPath(new URL('../../../dist/common/', import.meta.url));
const ALLOWED = new Set(['ms', 'long']);

describe('import rule', () => {
  it('compiled modules import only ms, long and relative files', () => {
    const files = readdirSync(distDir).filter((f) => f.endsWith('.js'));
    assert.ok(files.length > 10);
    for (const file of files) {
      // Comments (TSDoc examples) are not code.
      const source = readFileSync(distDir + file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      for (const [, spec] of source.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]/g)) {
        if (spec === undefined) continue;
        assert.ok(spec.startsWith('./') || ALLOWED.has(spec), `${file} imports ${spec}`);
      }
      assert.doesNotMatch(source, /(?<![\w'"`])Buffer\s*[.(]/, `${file} uses Buffer`);
      assert.doesNotMatch(source, /\brequire\(/, `${file} uses require`);
    }
  });
});

describe('inside a locked-down SES Compartment', () => {
  it('converts payloads and failures byte-identically', async (t) => {
    const bundle = await esbuild.build({
      entryPoints: [distDir + 'index.js'],
      bundle: true,
      format: 'cjs',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      write: false,
      logLevel: 'silent',
    });
    const code = bundle.outputFiles[0].text;
    lockdown({ errorTaming: 'unsafe', overrideTaming: 'severe' });
    const compartment = new Compartment({ globals: {}, __options__: true });
    // SES provides TextEncoder/TextDecoder as intrinsics; a second copy sees a global object without
    // them (shadowed `globalThis`), which exercises the pure-JS UTF-8 fallback.
    const load = (globalObject) =>
      compartment.evaluate(
        `(function (globalThis) { const module = { exports: {} }; const exports = module.exports;\n${code}\nreturn module.exports; })(${globalObject})`
      );
    for (const [label, common] of [['SES intrinsics', load('globalThis')], ['no host text APIs', load('{}')]]) {
      await t.test(label, () => exercise(common));
    }
  });
});

/** Payload and failure conversion through a sandboxed copy of common, checked against the official SDK. */
function exercise(common) {
  const values = [
    { text: 'héllo 👋 日本', n: [1, -2.5, 1e21], nested: { ok: true, nil: null } },
    'lone \ud800 surrogate',
    new Date(Date.UTC(2020, 0, 1)),
    '',
  ];
  for (const value of values) {
    const ours = common.defaultPayloadConverter.toPayload(value);
    const theirs = official.defaultPayloadConverter.toPayload(value);
    assert.ok(Buffer.from(ours.data).equals(Buffer.from(theirs.data)), `data of ${JSON.stringify(value)}`);
    assert.ok(Buffer.from(ours.metadata.encoding).equals(Buffer.from(theirs.metadata.encoding)));
    assert.deepEqual(official.defaultPayloadConverter.fromPayload(ours), official.defaultPayloadConverter.fromPayload(theirs));
    assert.deepEqual(common.defaultPayloadConverter.fromPayload(theirs), official.defaultPayloadConverter.fromPayload(theirs));
  }

  const conv = new common.DefaultFailureConverter({ encodeCommonAttributes: true });
  const err = common.ApplicationFailure.create({ message: 'in sandbox ✓', type: 'T', details: [{ a: 1 }], nextRetryDelay: '2s' });
  const failure = conv.errorToFailure(err, common.defaultPayloadConverter);
  const back = conv.failureToError(failure, common.defaultPayloadConverter);
  assert.equal(back.message, 'in sandbox ✓');
  assert.deepEqual(back.details, [{ a: 1 }]);
  assert.equal(back.nextRetryDelay, 2000);
  assert.equal(back instanceof common.ApplicationFailure, true);
  assert.equal(common.msToNumber('1 day'), 86_400_000);
  const decodedByOfficial = new official.DefaultFailureConverter().failureToError(failure, official.defaultPayloadConverter);
  assert.equal(decodedByOfficial.message, 'in sandbox ✓');
}

describe('UTF-8 fallback', () => {
  it('the pure-JS UTF-8 codec matches TextEncoder/TextDecoder', async () => {
    const { encodeUtf8Fallback, decodeUtf8Fallback } = await import('../../../dist/common/encoding.js');
    const samples = ['', 'ascii', 'é', '€', '😀', 'a\ud800b', '\udc00', 'mixed 日本語 🇫🇷 \u0000 end', 'x'.repeat(20_000) + '😀'];
    for (const s of samples) {
      assert.deepEqual([...encodeUtf8Fallback(s)], [...new TextEncoder().encode(s)], `encode ${JSON.stringify(s.slice(0, 20))}`);
    }
    const byteSamples = [
      [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80], [0xff], [0xc0, 0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80],
      [0xf0, 0x9f, 0x98], [0x41, 0x80, 0x42], [0xf4, 0x90, 0x80, 0x80], [0xe0, 0x80, 0x80],
    ];
    for (const bytes of byteSamples) {
      const u8 = Uint8Array.from(bytes);
      assert.equal(decodeUtf8Fallback(u8), new TextDecoder().decode(u8), `decode ${bytes}`);
    }
    const big = new TextEncoder().encode('日本😀'.repeat(10_000));
    assert.equal(decodeUtf8Fallback(big), new TextDecoder().decode(big));
  });
});
