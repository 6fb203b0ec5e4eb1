import test from 'ava';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.ts';

// TypeDoc over the package's entry points (tsconfig.json "typedocOptions"), as `npm run docs`
// runs it but without writing anything. Its `notExported` validation names every type that a
// public signature uses but no entry point exports: a user could get a value of that type
// and not be able to write its name.

interface Ran {
  readonly code: number;
  readonly output: string;
}

/** Run TypeDoc in the repository to completion (no kill timeout: a busy machine is not a failure). */
function typedoc(args: readonly string[]): Promise<Ran> {
  return new Promise((done) => {
    execFile(process.execPath, [join(REPO_ROOT, 'node_modules/typedoc/bin/typedoc'), ...args], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, output: `${stdout}${stderr}` });
    });
  });
}

test('every type named in a public signature can be imported from a package entry point (TypeDoc finds none left out)', async (t) => {
  t.timeout(10 * 60_000, 'TypeDoc type-checks and converts the whole package');
  const ran = await typedoc(['--emit', 'none']);
  const missing = ran.output.split('\n').filter((line) => line.includes('not included in the documentation'));
  t.deepEqual(missing, [], `export these from their entry point (lib/index.ts, operators/index.ts, lib/indicators/index.ts, pipelines/testing/index.ts):\n${missing.join('\n')}`);
  t.is(ran.code, 0, ran.output);
});
