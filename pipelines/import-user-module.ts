import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../lib/errors.ts';

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);
/** Whether this process already registered tsx for the user's TypeScript (once is enough). */
let tsxRegistered = false;

/**
 * Import the user's module at `file` (an absolute path) for the config entry at `path`:
 * `.js`/`.mjs` always; `.ts` when a TypeScript loader is active (`node --import tsx`, Node's
 * own type stripping) — and otherwise when the user's project has `tsx` installed, which is
 * then registered for this process (resolved from the module's folder, never from
 * sessionflow's own dependencies: the package does not ship a compiler). Every failure is a
 * {@link ConfigError} at `path` that names the module and says what to do.
 *
 * @example
 * ```ts
 * const mod = await importUserModule('/home/ana/bt/strategies/breakout.ts', 'strategies[0].module');
 * ```
 */
export async function importUserModule(file: string, path: string): Promise<Record<string, unknown>> {
  const typescript = TYPESCRIPT.has(extname(file).toLowerCase());
  const url = pathToFileURL(file).href;
  let failure: unknown;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    failure = error;
  }
  const unknownExtension = (error: unknown): boolean => (error as { code?: string }).code === 'ERR_UNKNOWN_FILE_EXTENSION';
  if (typescript && unknownExtension(failure) && !tsxRegistered && (await registerUsersTsx(file))) {
    // Node caches a failed import under its URL, so the module is loaded again under another.
    try {
      return (await import(`${url}?typescript`)) as Record<string, unknown>;
    } catch (error) {
      failure = error;
    }
  }
  if (typescript && unknownExtension(failure)) {
    throw problem(path, file, 'is TypeScript and no TypeScript loader is active: install tsx in your project (npm install --save-dev tsx; sessionflow then registers it), run with NODE_OPTIONS="--import tsx", or compile the module to .js');
  }
  if (!existsSync(file)) throw problem(path, file, 'does not exist');
  const reason = failure instanceof Error ? failure.message.split('\n')[0] : String(failure);
  throw problem(path, file, `cannot be loaded: ${reason}`);
}

/**
 * The export `name` (default: the default export) of a loaded module, when `accepts` says it is
 * what the entry needs; otherwise a {@link ConfigError} naming the module, the export, what
 * was expected and what the module does export.
 */
export function userExport<T>(mod: Readonly<Record<string, unknown>>, spec: { readonly module: string; readonly export?: string | undefined }, path: string, expected: string, accepts: (value: unknown) => value is T): T {
  const key = spec.export ?? 'default';
  const value = mod[key];
  if (accepts(value)) return value;
  const exports = Object.keys(mod).map((k) => (k === 'default' ? 'default' : `"${k}"`)).join(', ') || 'none';
  const which = spec.export ? `export "${spec.export}"` : 'default export';
  const found = value === undefined ? `has no ${which}` : `has a ${which} that is not one`;
  throw ConfigError.at(`${path}.${spec.export ? 'export' : 'module'}`, spec.export ?? spec.module, `a module whose ${which} is ${expected} (${spec.module} ${found}; its exports: ${exports})`);
}

function problem(path: string, file: string, message: string): ConfigError {
  return new ConfigError(`${path}: ${file} ${message}`, [{ path, value: file, message: `${file} ${message}` }]);
}

/** Register the tsx installed beside the user's module (their project), if there is one. */
async function registerUsersTsx(file: string): Promise<boolean> {
  try {
    // The ESM API (`import` condition of tsx's "./esm/api" export): its CommonJS build cannot
    // register module hooks. Node 20 resolves with require conditions only from another
    // folder, so the path is read from tsx's own exports map.
    const manifestPath = createRequire(file).resolve('tsx/package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: Record<string, { import?: { default?: string } } | string> };
    const entry = manifest.exports?.['./esm/api'];
    const relative = typeof entry === 'object' ? entry.import?.default : undefined;
    if (!relative) return false;
    const { register } = (await import(pathToFileURL(join(dirname(manifestPath), relative)).href)) as { register?: () => unknown };
    if (typeof register !== 'function') return false;
    register();
  } catch {
    // No tsx there, or one that cannot be loaded: no loader; the caller says what to do.
    return false;
  }
  tsxRegistered = true;
  return true;
}
