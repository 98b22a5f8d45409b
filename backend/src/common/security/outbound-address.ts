import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { BlockList, isIP, LookupFunction } from 'node:net';

/**
 * The one private-address rule for URLs a tenant supplies and the server then calls (SSO metadata,
 * provider base URLs): loopback, private, link-local and similar addresses are refused unless the
 * operator allows them. Checked on every address a name resolves to, at connect time (`guardedLookup`),
 * so DNS rebinding cannot slip past a check made earlier.
 */
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv6');

/** Loopback, private, link-local, CGNAT, multicast or unspecified (IPv4-mapped IPv6 included). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return PRIVATE.check(mapped, 'ipv4');
  const family = isIP(address);
  if (!family) return true;
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The error code a guarded connection fails with; its message is the refused address. */
export const PRIVATE_ADDRESS_REFUSED = 'PV_PRIVATE_ADDRESS';

/** A private address as the literal host of `url` (no lookup happens for literals), or undefined. */
export function privateLiteralHost(url: URL): string | undefined {
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  return isIP(literal) && isPrivateAddress(literal) ? literal : undefined;
}

/**
 * A `lookup` for `http(s).request` or an undici `Agent`'s `connect` option that fails with
 * `code: PRIVATE_ADDRESS_REFUSED` when any resolved address is private (unless allowed).
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, opts, callback) => {
    dnsLookup(hostname, { ...opts, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const refused = allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (refused) {
        return callback(Object.assign(new Error(refused.address), { code: PRIVATE_ADDRESS_REFUSED }), '', 0);
      }
      if (opts.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
