import { createServer } from 'node:net';

// Ports handed out by this process, so two control planes started together never get the same one.
const handedOut = new Set<number>();

async function askKernelForPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  if (address === null || typeof address === 'string') throw new Error('no TCP address was assigned');
  return address.port;
}

/**
 * A loopback TCP port that was free a moment ago. Another process may still take it before the
 * component binds it; the control plane retries its start when a component reports the clash.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await askKernelForPort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}
