import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import { userCacheDir } from '../../lib/cli/user-cache-dir.ts';
import { packageFile } from '../../lib/package-files.ts';
import type { SessionConfigInput } from '../../lib/config/schema.ts';
import { DEMO_DAILY_LAYOUT, DEMO_GENERATOR_VERSION, generateDemoStore, type DemoStoreDescriptor } from '../../lib/store/demo-data.ts';

/** The bundled demo: 10 symbols (4 configured, the others picked by scanners), 21 XNYS sessions of January 2024 plus 10 sessions of history. */
export const DEMO = { symbols: 10, tradedSymbols: 4, start: '2024-01-02', end: '2024-01-31', historySessions: 10, seed: 42 } as const;

/** Default folder for the demo store, its configs and runs: `demo/` in the user's cache folder ({@link userCacheDir}). */
export const demoCacheDir = (): string => join(userCacheDir(), 'demo');


/**
 * Generate the demo store once into `cacheDir` (reused when its `store.json` matches this
 * version and seed), write the bundled demo session config next to it, and the example
 * strategies' configs into `examples/` (their store root pointed at this store).
 *
 * @returns the path of the demo config, the example configs, and whether data was generated now.
 *
 * @example
 * ```ts
 * const { configPath } = await prepareDemo();
 * await backtest(configPath).result();
 * ```
 */
export async function prepareDemo(cacheDir: string = demoCacheDir()): Promise<{ configPath: string; examples: string[]; generated: boolean; ms: number }> {
  const started = performance.now();
  const root = join(cacheDir, 'store');
  const calendar = getCalendar('XNYS');
  const first = calendar.session(DEMO.start) ?? calendar.nextSession(DEMO.start);
  let from = first.date;
  for (let i = 0; i < DEMO.historySessions; i++) from = calendar.previousSession(from).date;
  const sessions = calendar.sessions(from, DEMO.end);
  let generated = false;
  if (!isCurrent(join(root, 'store.json'), sessions.length)) {
    await generateDemoStore({ out: root, symbols: DEMO.symbols, sessions, seed: DEMO.seed, layout: 'daily' });
    generated = true;
  }
  const config: SessionConfigInput = {
    name: 'demo',
    calendar: 'XNYS',
    backtest: { start: DEMO.start, end: DEMO.end, speed: 0 },
    store: { root: './store', layout: DEMO_DAILY_LAYOUT, timestamp: { column: 'ts', label: 'start' } },
    // Four configured symbols; the scanners below choose more from the whole store each day.
    symbols: Array.from({ length: DEMO.tradedSymbols }, (_, i) => `DEMO${String(i + 1).padStart(2, '0')}`),
    streams: ['1m', '5m', '15m'],
    history: [{ trailingSessions: DEMO.historySessions, intervals: ['1m', '5m', '15m', '1d'] }],
    indicators: [
      { name: 'ema', period: 9, interval: '5m' },
      { name: 'ema', period: 21, interval: '5m' },
      { name: 'sma', period: 20, interval: '15m' },
    ],
    strategies: [{ name: 'ema-crossover', params: { fast: 9, slow: 21, interval: '5m', allocation: 0.1 } }],
    // An IB-like commission and one basis point of slippage on market-type fills.
    broker: { cash: 100_000, commission: { type: 'per-share', rate: 0.005, minimum: 1, maximumPercent: 0.5 }, slippage: { type: 'bps', bps: 1 } },
    universe: 'store',
    scanners: [
      { name: 'top-dollar-volume', params: { count: 6 }, schedule: ['pre'] },
      { name: 'new-high-low', params: { side: 'high', minBars: 30 }, schedule: ['every 30m'], maxAdds: 1 },
    ],
  };
  mkdirSync(cacheDir, { recursive: true });
  const configPath = join(cacheDir, 'demo-session.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2) + '\n');
  const examples = writeExampleConfigs(join(cacheDir, 'examples'));
  return { configPath, examples, generated, ms: performance.now() - started };
}

/** Copy the example configs into `dir`; their store root (`../store`) is the demo store beside it. */
function writeExampleConfigs(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  // Shipped with the package (the build copies pipelines/examples/configs to dist).
  const folder = packageFile('pipelines/examples/configs/');
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const path = join(dir, name);
      copyFileSync(new URL(name, folder), path);
      return path;
    });
}

function isCurrent(descriptor: string, sessions: number): boolean {
  if (!existsSync(descriptor)) return false;
  try {
    const d = JSON.parse(readFileSync(descriptor, 'utf8')) as Partial<DemoStoreDescriptor>;
    return d.generator?.version === DEMO_GENERATOR_VERSION && d.seed === DEMO.seed && d.sessions?.count === sessions && d.symbols?.length === DEMO.symbols;
  } catch {
    return false;
  }
}
