import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** A Redis for a test: `.ci/run`'s (SESSIONFLOW_TEST_REDIS), or one this test starts on a free port and stops. */
export interface TestRedis {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * The Redis a queue test uses: `SESSIONFLOW_TEST_REDIS` when `.ci/run` started one, else a
 * `redis-server` started here on a free 127.0.0.1 port (no persistence), or undefined when
 * the machine has none (the test says so and is skipped: `npm test` on a fresh machine
 * without Debian's redis-server still passes; `.ci/run` installs it).
 */
export async function testRedis(): Promise<TestRedis | undefined> {
  const given = process.env.SESSIONFLOW_TEST_REDIS;
  if (given) return { url: given, stop: async () => undefined };
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) return undefined;
  const port = await freePort();
  const server: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  // Ready when it answers a PING (no wall-clock deadline: a busy machine starts it late).
  for (;;) {
    if (server.exitCode !== null) throw new Error(`redis-server exited (${server.exitCode}) before answering on ${url}`);
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined); // refused until the server listens: expected here
    const ok = await client.connect().then(() => client.ping()).then(() => true, () => false);
    client.disconnect();
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (server.exitCode !== null) return resolve();
        server.once('exit', () => resolve());
        server.kill('SIGTERM');
      }),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
