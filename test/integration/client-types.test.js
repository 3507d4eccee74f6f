// Type tests of duraflow/client: test/types/must-compile.ts has to compile, and every line marked
// `@ts-expect-error` in test/types/must-not-compile.ts has to be a type error (tsc fails on an
// unused directive). Compiled against dist/*.d.ts through the package's own `exports`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TYPES = join(ROOT, 'test', 'types');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const T = { timeout: 120_000 };

describe('duraflow client: types', () => {
  it('tsc accepts the uses that must compile and rejects every marked use that must not', T, () => {
    const run = spawnSync(process.execPath, [TSC, '-p', TYPES, '--noEmit', '--pretty', 'false'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, `tsc failed:\n${run.stdout}${run.stderr}`);
  });

  it('each @ts-expect-error line is an error of its own (checked with the directives removed)', T, () => {
    const config = ts.getParsedCommandLineOfConfigFile(join(TYPES, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    const target = join(TYPES, 'must-not-compile.ts');
    const original = readFileSync(target, 'utf8').split('\n');
    const expected = original.flatMap((line, i) => (/\/\/ @ts-expect-error/.test(line) ? [i + 2] : [])); // 1-based line after the directive
    assert.ok(expected.length >= 20, `found only ${expected.length} expectations`);
    const stripped = original.map((line) => line.replace(/\/\/ @ts-expect-error.*/, '// (directive removed)')).join('\n');
    const host = ts.createCompilerHost(config.options);
    const readFile = host.readFile.bind(host);
    host.readFile = (file) => (file === target ? stripped : readFile(file));
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (file, language, onError, create) =>
      file === target ? ts.createSourceFile(file, stripped, language, true) : getSourceFile(file, language, onError, create);
    const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host });
    const diagnostics = ts.getPreEmitDiagnostics(program);
    const lines = new Set();
    for (const d of diagnostics) {
      assert.equal(d.file?.fileName, target, `unexpected error elsewhere: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      lines.add(d.file.getLineAndCharacterOfPosition(d.start).line + 1);
    }
    assert.deepEqual([...lines].sort((a, b) => a - b), expected, 'errors on exactly the marked lines');
  });
});
