import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * The folder where sessionflow keeps what it can regenerate (the demo store, its runs):
 * `$XDG_CACHE_HOME/sessionflow`, else `%LOCALAPPDATA%\sessionflow` on Windows, else
 * `~/.cache/sessionflow`. Never inside the installed package, which may be read-only or
 * replaced by the next `npm ci`.
 *
 * @example
 * ```ts
 * userCacheDir(); // '/home/ana/.cache/sessionflow'
 * userCacheDir({ XDG_CACHE_HOME: '/tmp/c' }); // '/tmp/c/sessionflow'
 * ```
 */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  // XDG says a relative value is invalid and must be ignored.
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'sessionflow');
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'sessionflow');
  return join(homedir(), '.cache', 'sessionflow');
}
