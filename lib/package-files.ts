import { readFileSync } from 'node:fs';

/**
 * Whether this is the compiled package (dist/, bundled) rather than the TypeScript sources run
 * through tsx. Compiled code sits in bundle chunks whose folder says nothing about where a
 * source file was, so files the package reads at run time are found from its root instead.
 */
export const RUNNING_COMPILED = !import.meta.url.endsWith('.ts');

let root: { url: URL; manifest: { name: string; version: string } } | undefined;

/** The package's root folder and its package.json, found by walking up from this module. */
export function packageRoot(): { readonly url: URL; readonly manifest: { readonly name: string; readonly version: string } } {
  if (root) return root;
  for (let up = 1; up <= 4; up++) {
    const url = new URL('../'.repeat(up), import.meta.url);
    try {
      const manifest = JSON.parse(readFileSync(new URL('package.json', url), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'sessionflow' && typeof manifest.version === 'string') return (root = { url, manifest: { name: manifest.name, version: manifest.version } });
    } catch {
      // No package.json here (or not readable): try the next folder up.
    }
  }
  throw new Error(`sessionflow's package.json was not found above ${import.meta.url}`);
}

/**
 * A file the package reads at run time, named by its path in the sources
 * (`pipelines/examples/configs/`): that path itself from the sources, or its compiled
 * counterpart under dist/ (`.ts` becoming `.js`) from the package.
 *
 * @example
 * ```ts
 * packageFile('lib/store/decode-thread-main.ts'); // …/dist/lib/store/decode-thread-main.js when compiled
 * ```
 */
export function packageFile(sourcePath: string): URL {
  return new URL(RUNNING_COMPILED ? `dist/${sourcePath.replace(/\.ts$/, '.js')}` : sourcePath, packageRoot().url);
}
