import type { AddressInfo } from 'node:net';

/**
 * The URL of the socket the server actually bound, from `server.address()`: what an operator must
 * know (is it reachable from outside? which port did `PORT=0` get?), which PUBLIC_URL does not say.
 * IPv6 hosts are bracketed; a pipe or socket path is shown as it is.
 */
export function listenAddress(address: AddressInfo | string | null): string {
  if (!address) return 'an unknown address';
  if (typeof address === 'string') return address;
  const host =
    address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
