import { AddressInfo, createServer, Server, Socket, connect } from 'node:net';

/**
 * A loopback TCP relay to a real service that can be cut and restored: while cut, connections are
 * refused and open ones are reset, exactly what an application sees when the node goes down or
 * the network drops. (The Elasticsearch service script gives every start a fresh data directory,
 * so a real stop/start would also wipe the index; cutting the link keeps the node's data.)
 */
export class TcpGate {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  static forUrl(url: string): TcpGate {
    const u = new URL(url);
    return new TcpGate(u.hostname, Number(u.port || 80));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async open(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
