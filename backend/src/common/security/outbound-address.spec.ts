import { isPrivateAddress, privateLiteralHost } from './outbound-address';

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['::', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['8.8.8.8', false],
    ['172.32.0.1', false],
    ['2606:4700::1111', false],
    ['::ffff:8.8.8.8', false],
    ['not-an-ip', true],
  ])('%s → %s', (address, expected) => expect(isPrivateAddress(address)).toBe(expected));
});

describe('privateLiteralHost', () => {
  it.each([
    ['http://127.0.0.1:8080/v1', '127.0.0.1'],
    ['http://[::1]:11434/v1', '::1'],
    ['https://10.0.0.5/v1', '10.0.0.5'],
    ['https://8.8.8.8/v1', undefined],
    ['https://api.example.com/v1', undefined],
  ])('%s → %s', (url, expected) => expect(privateLiteralHost(new URL(url))).toBe(expected));
});
