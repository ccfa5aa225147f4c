/**
 * "The same address" in front of several instances, as a load balancer gives it: a TCP proxy on a
 * free loopback port that hands each new connection to the next backend in turn, skipping one that
 * refuses (a killed instance). Connections already open are piped as they are, and cut when their
 * backend goes away.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** ws://127.0.0.1:<port>/sync */
  wsUrl: string;
  url: string;
  /** Which backend (index) each accepted connection went to, in order. */
  routed: number[];
  close(): Promise<void>;
}

export async function startTcpProxy(backendPorts: readonly number[]): Promise<TcpProxy> {
  let next = 0;
  const routed: number[] = [];
  const open = new Set<Socket>();
  const server = createServer((client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    const tryBackend = (attempt: number) => {
      if (attempt >= backendPorts.length) return void client.destroy();
      const index = next++ % backendPorts.length;
      const upstream = connect({ host: '127.0.0.1', port: backendPorts[index]! });
      open.add(upstream);
      upstream.once('close', () => open.delete(upstream));
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        routed.push(index);
        upstream.pipe(client);
        client.pipe(upstream);
        client.resume();
      });
      upstream.on('error', () => {
        if (!connected) tryBackend(attempt + 1);
        else client.destroy();
      });
      upstream.once('close', () => {
        if (connected) client.destroy();
      });
      client.once('close', () => upstream.destroy());
    };
    tryBackend(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/sync`,
    routed,
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
