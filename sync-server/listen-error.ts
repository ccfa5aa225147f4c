/** What an operator is told when the server cannot bind its address: which one, and what to set instead. */

export interface ListenTarget {
  host: string;
  port: number;
}

/** A message naming the port or host and the environment variable to change; undefined for other errors. */
export function describeListenError(error: unknown, { host, port }: ListenTarget): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const other = port >= 65535 ? port - 1 : port + 1;
  switch (code) {
    case 'EADDRINUSE':
      return (
        `Port ${port} on ${host} is already in use (another program, or this server already running). ` +
        `Stop that program, or choose another port: PORT=${other} npm start (PORT=0 picks any free port).`
      );
    case 'EACCES':
      return (
        `Not allowed to listen on port ${port} on ${host}` +
        `${port > 0 && port < 1024 ? ' (ports below 1024 need extra privileges)' : ''}. ` +
        `Choose another port: PORT=8080 npm start.`
      );
    case 'EADDRNOTAVAIL':
      return `HOST=${host} is not an address of this machine. Use HOST=127.0.0.1 (this machine only) or HOST=0.0.0.0 (every interface).`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `HOST=${host} is not a known host name or address. Use HOST=127.0.0.1 (this machine only) or HOST=0.0.0.0 (every interface).`;
    default:
      return undefined;
  }
}
