import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenAddress } from './listen-address';

describe('listenAddress', () => {
  it('names the address and port the server really bound', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      expect(port).toBeGreaterThan(0);
      expect(listenAddress(server.address())).toBe(`http://0.0.0.0:${port}`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('brackets IPv6 hosts and passes socket paths through', () => {
    expect(listenAddress({ address: '::', family: 'IPv6', port: 3000 })).toBe('http://[::]:3000');
    expect(listenAddress({ address: '127.0.0.1', family: 'IPv4', port: 8080 })).toBe('http://127.0.0.1:8080');
    expect(listenAddress('/run/vault.sock')).toBe('/run/vault.sock');
    expect(listenAddress(null)).toBe('an unknown address');
  });
});
