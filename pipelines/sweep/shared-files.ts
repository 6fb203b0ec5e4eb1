import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { SessionConfig } from '../../lib/config/schema.ts';

/** A file or folder a sweep's workers must see at the same path, and what it looked like to the coordinator. */
export interface SharedFile {
  readonly path: string;
  /** What it is: `store root`, `strategy module`, … (for the message). */
  readonly what: string;
  readonly kind: 'folder' | 'file';
  /** A file's size in bytes (a folder: undefined). */
  readonly size?: number;
}

/**
 * What workers on other machines must see at the same paths for a sweep of `config`: the
 * store root, and the user's module files (strategies, indicators, scanners, calendars)
 * (issue "Parameter sweeps", point 4: a shared filesystem). Checked by `sessionflow worker`
 * before it takes a batch ({@link sharedFileProblem}).
 *
 * @example
 * ```ts
 * sharedFilesOf(setup.config, ['/abs/register.js']); // [{ path: '/data/store', what: 'store root', kind: 'folder' }, …]
 * ```
 */
export function sharedFilesOf(config: SessionConfig, imports: readonly string[]): SharedFile[] {
  const files: SharedFile[] = [{ path: config.store.root, what: 'store root', kind: 'folder' }];
  const modules = [
    ...config.strategies.map((s) => ['strategy module', s.module] as const),
    ...config.indicators.map((s) => ['indicator module', s.module] as const),
    ...config.scanners.map((s) => ['scanner module', s.module] as const),
    ...imports.map((m) => ['--import module', m] as const),
  ];
  for (const [what, path] of modules) {
    if (path === undefined || !isAbsolute(path)) continue;
    files.push({ path, what, kind: 'file', size: statSync(path).size });
  }
  return files.map((f) => ({ ...f, path: resolve(f.path) }));
}

/**
 * Why this machine cannot run a batch that needs `files` (a missing folder, a file of another
 * size), or undefined when it sees them as the coordinator did.
 *
 * @example
 * ```ts
 * sharedFileProblem([{ path: '/data/store', what: 'store root', kind: 'folder' }]); // 'the store root /data/store is not on this machine (no such folder)'
 * ```
 */
export function sharedFileProblem(files: readonly SharedFile[]): string | undefined {
  for (const file of files) {
    let info;
    try {
      info = statSync(file.path);
    } catch {
      return `the ${file.what} ${file.path} is not on this machine (no such ${file.kind})`;
    }
    if (file.kind === 'folder' && !info.isDirectory()) return `the ${file.what} ${file.path} is not a folder on this machine`;
    if (file.kind === 'file' && file.size !== undefined && info.size !== file.size) return `the ${file.what} ${file.path} differs on this machine (${info.size} bytes, the coordinator's has ${file.size})`;
  }
  return undefined;
}
