import test from 'ava';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { userCacheDir } from '../../lib/cli/user-cache-dir.ts';
import { tempDir } from '../helpers/cli-fixtures.ts';
import { REPO_ROOT, runCli } from '../helpers/cli.ts';

const COMMANDS = ['validate', 'run', 'demo', 'start', 'import', 'data', 'data check', 'calendar', 'indicators', 'strategies', 'scanners', 'report', 'sweep', 'worker', 'completion'];

test('--version prints the package version', async (t) => {
  const { version } = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  const { code, stdout } = await runCli(['--version']);
  t.is(code, 0);
  t.is(stdout.trim(), version);
});

test('every command\'s --help ends with examples that start with "sessionflow <command>"', async (t) => {
  const top = await runCli(['--help']);
  // Every command the program lists is covered here.
  const listed = [...top.stdout.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]).filter((c) => c !== 'help');
  t.deepEqual(listed.sort(), COMMANDS.filter((c) => !c.includes(' ')).sort());
  for (const command of COMMANDS) {
    const { code, stdout } = await runCli([...command.split(' '), '--help']);
    t.is(code, 0, command);
    const examples = stdout.slice(stdout.indexOf('Examples:'));
    t.true(stdout.includes('Examples:'), command);
    t.regex(examples, new RegExp(`\\$ sessionflow ${command}\\b`), command);
  }
});

test('the user cache folder: XDG_CACHE_HOME when absolute, LOCALAPPDATA on Windows, else ~/.cache', (t) => {
  t.is(userCacheDir({ XDG_CACHE_HOME: '/tmp/c' }, 'linux'), join('/tmp/c', 'sessionflow'));
  t.is(userCacheDir({ XDG_CACHE_HOME: 'relative/c' }, 'linux'), join(homedir(), '.cache', 'sessionflow'), 'a relative XDG value is ignored (XDG spec)');
  t.is(userCacheDir({}, 'darwin'), join(homedir(), '.cache', 'sessionflow'));
  t.is(userCacheDir({ LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, 'win32'), join('C:\\Users\\a\\AppData\\Local', 'sessionflow'));
});

/** COMPREPLY of the generated bash completion for the words typed so far (the last one being completed). */
function complete(script: string, words: readonly string[]): Promise<string[]> {
  const program = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _sessionflow; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return new Promise((done, fail) => {
    execFile('bash', ['-c', program, 'bash', script, ...words], (error, stdout, stderr) => (error ? fail(new Error(stderr)) : done(stdout.split('\n').filter(Boolean))));
  });
}

test('completion bash: commands, their options, option choices and files', async (t) => {
  const { code, stdout } = await runCli(['completion', 'bash']);
  t.is(code, 0);
  const script = join(await tempDir(t), 'sessionflow.bash');
  await writeFile(script, stdout);
  t.deepEqual(await complete(script, ['sessionflow', 'ca']), ['calendar']);
  t.deepEqual(await complete(script, ['sessionflow', 'run', '--exp']), ['--export']);
  t.deepEqual(await complete(script, ['sessionflow', 'run', '--export', '']), ['last', 'all', 'none']);
  t.deepEqual(await complete(script, ['sessionflow', 'demo', '--compression', 'z']), ['zstd']);
  t.deepEqual(await complete(script, ['sessionflow', '--log-level', 'de']), ['debug']);
  t.true((await complete(script, ['sessionflow', 'run', 'pack'])).includes('package.json'), 'file names for arguments');
});

test('completion zsh: a compdef script listing every command and the choices of options', async (t) => {
  const { code, stdout } = await runCli(['completion', 'zsh']);
  t.is(code, 0);
  t.regex(stdout, /^#compdef sessionflow$/m);
  for (const command of COMMANDS.filter((c) => !c.includes(' '))) t.regex(stdout, new RegExp(`^ {4}'${command}:`, 'm'), command);
  t.regex(stdout, /'--export\[[^\]]*\]:value:\(last all none\)'/);
  const bad = await runCli(['completion', 'fish']);
  t.is(bad.code, 1);
  t.regex(bad.stderr, /value 'fish' is invalid for argument 'shell'\. Allowed choices are bash, zsh/);
});
