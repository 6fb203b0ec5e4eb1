import test from 'ava';
import type { CliIo } from '../../pipelines/cli/cli-io.ts';
import { main } from '../../pipelines/cli/main.ts';

/** Run `main` in this process with its output collected. */
async function captured(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) } };
  const code = await main(['node', 'sessionflow', ...args], io);
  return { code, stdout, stderr };
}

test('strategies --json: prints every registered strategy as it describes itself', async (t) => {
  const { code, stdout, stderr } = await captured(['strategies', '--json']);
  t.is(code, 0);
  t.is(stderr, '');
  const all = JSON.parse(stdout) as { kind: string; name: string; description: string; params: Record<string, unknown> }[];
  const crossover = all.find((s) => s.name === 'ema-crossover');
  t.deepEqual(crossover, { kind: 'strategy', name: 'ema-crossover', description: crossover!.description, params: { fast: 9, slow: 21, interval: '5m', allocation: 0.1, short: false } });
  t.regex(crossover!.description, /fast EMA crosses above the slow EMA/);
  for (const s of all) t.is(s.kind, 'strategy');
});

test('strategies: prints a table of names, params with defaults and descriptions', async (t) => {
  const { code, stdout } = await captured(['strategies']);
  t.is(code, 0);
  t.regex(stdout, /ema-crossover/);
  t.regex(stdout, /fast=9, slow=21,/);
  t.regex(stdout, /Use in a config: \{"name": "<name>", "params": \{…\}\}/);
});
