import { Redis } from 'ioredis';
import { SessionflowError } from '../../lib/errors.ts';

/**
 * A connected Redis client for a sweep queue at `url` (retrying commands forever, as BullMQ
 * requires), or a SessionflowError naming `--queue` and the URL when Redis cannot be reached.
 *
 * @example
 * ```ts
 * const redis = await connectRedis('redis://127.0.0.1:6379');
 * ```
 */
export async function connectRedis(url: string): Promise<Redis> {
  const connection = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  try {
    await connection.connect();
  } catch (error) {
    connection.disconnect();
    throw new SessionflowError(`--queue ${url}: cannot connect to Redis: ${(error as Error).message}`, {}, { cause: error });
  }
  return connection;
}
