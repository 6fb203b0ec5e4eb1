import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataError, quote } from '../errors.ts';

/**
 * The file-system calls the CLI's output writers make. The default is `node:fs`; a test
 * passes one that fails like a full disk (ENOSPC), which permissions cannot provoke when the
 * suite runs as root (root ignores a read-only folder).
 */
export interface OutputFs {
  writeFileSync(path: string, data: string | Uint8Array): void;
  appendFileSync(path: string, data: string | Uint8Array): void;
  renameSync(from: string, to: string): void;
  rmSync(path: string, options: { force: boolean }): void;
  mkdirSync(path: string, options: { recursive: true }): unknown;
}

/** `node:fs` itself. */
export const NODE_OUTPUT_FS: OutputFs = { writeFileSync, appendFileSync, renameSync, rmSync, mkdirSync };

/**
 * Write `data` to `path` atomically: the bytes go to `<path>.tmp-<pid>-<random>` next to it
 * and are renamed into place, so a reader (or a run killed mid-write) never sees half a file.
 * Parent folders are created. On any failure (ENOSPC, EACCES, EISDIR, ENOTDIR, …) the
 * temporary file is removed and a `DataError` names the path and the system's reason; an
 * existing file at `path` is left as it was. `data` may be a sequence of chunks (written one
 * after the other: a large CSV never exists as one string).
 *
 * @throws DataError naming `path`.
 * @example
 * ```ts
 * writeFileAtomic('runs/jan/summary.json', JSON.stringify(summary));
 * ```
 */
export function writeFileAtomic(path: string, data: string | Uint8Array | Iterable<string | Uint8Array>, fs: OutputFs = NODE_OUTPUT_FS): string {
  // Random as well as the pid: two writers of one process (the CLI run in-process by tests)
  // never share a temporary name.
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    fs.mkdirSync(dirname(path), { recursive: true });
    if (typeof data === 'string' || data instanceof Uint8Array) fs.writeFileSync(tmp, data);
    else {
      fs.writeFileSync(tmp, '');
      for (const chunk of data) fs.appendFileSync(tmp, chunk);
    }
    fs.renameSync(tmp, path);
  } catch (cause) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // Removing can fail for the same reason the write did (a folder that vanished); the
      // write's error is the one to report.
    }
    const code = (cause as NodeJS.ErrnoException).code;
    const reason = code === 'ENOSPC' ? 'no space left on the device (ENOSPC)' : (cause as Error).message;
    throw new DataError(`cannot write ${quote(path)}: ${reason}`, { file: path }, { cause });
  }
  return path;
}
