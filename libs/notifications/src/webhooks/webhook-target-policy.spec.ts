import { loadConfig } from '@allmende/config';
import { ValidationFailed } from '@allmende/core';
import { refusedKind, WebhookTargetPolicy, WebhookTargetRefused } from './webhook-target-policy';

const policy = (allowed?: string) =>
  new WebhookTargetPolicy(loadConfig(allowed ? { ALLMENDE_WEBHOOK_ALLOWED_HOSTS: allowed } : {}));

describe('webhook target policy', () => {
  it('names what a refused address is, and lets public ones pass', () => {
    expect(refusedKind('127.0.0.1')).toBe('loopback');
    expect(refusedKind('127.255.0.9')).toBe('loopback');
    expect(refusedKind('10.20.30.40')).toBe('private');
    expect(refusedKind('172.31.255.255')).toBe('private');
    expect(refusedKind('172.32.0.1')).toBeNull();
    expect(refusedKind('192.168.0.1')).toBe('private');
    expect(refusedKind('169.254.169.254')).toBe('link-local');
    expect(refusedKind('::1')).toBe('loopback');
    expect(refusedKind('fe80::1')).toBe('link-local');
    expect(refusedKind('fd00::1')).toBe('unique-local');
    expect(refusedKind('fc00::1')).toBe('unique-local');
    expect(refusedKind('::ffff:127.0.0.1')).toBe('loopback');
    expect(refusedKind('::ffff:a00:1')).toBe('private');
    expect(refusedKind('93.184.216.34')).toBeNull();
    expect(refusedKind('2a00:1450:4001:80b::200e')).toBeNull();
  });

  it('refuses schemes other than http(s), credentials in the URL and private literals', () => {
    const p = policy();
    expect(() => p.parse('file:///etc/passwd')).toThrow(WebhookTargetRefused);
    expect(() => p.parse('gopher://93.184.216.34/')).toThrow('must use http or https, not gopher');
    expect(() => p.parse('https://a:b@93.184.216.34/')).toThrow('user name or password');
    expect(() => p.parse('http://[fd00::1]/')).toThrow('a unique-local address');
    expect(() => p.parse('http://2130706433/')).toThrow('a loopback address'); // 127.0.0.1 as a number
    expect(() => p.parse('http://0x7f.1/')).toThrow('a loopback address');
    expect(p.parse('https://93.184.216.34/hook').hostname).toBe('93.184.216.34');
  });

  it('the allow-list admits listed names, addresses and ranges only', async () => {
    const p = policy('hooks.intern, 10.20.0.0/16, ::1');
    expect(() => p.parse('http://10.20.5.6/')).not.toThrow();
    expect(() => p.parse('http://10.21.0.1/')).toThrow('a private address');
    expect(() => p.parse('http://[::1]:3000/')).not.toThrow();
    expect(() => p.parse('http://127.0.0.1/')).toThrow('a loopback address');
    await expect(policy().validate('http://localhost:3000/')).rejects.toBeInstanceOf(ValidationFailed);
    await expect(policy('localhost').validate('http://localhost:3000/')).resolves.toBeInstanceOf(URL);
  });

  it('the lookup for the connection refuses what resolves to a refused address', async () => {
    const lookup = (p: WebhookTargetPolicy, host: string) =>
      new Promise<string>((resolve, reject) =>
        p.lookup(host, { all: true }, (err, addresses) =>
          err ? reject(err) : resolve((addresses as { address: string }[])[0].address),
        ),
      );
    await expect(lookup(policy(), 'localhost')).rejects.toThrow(/loopback/);
    await expect(lookup(policy('localhost'), 'localhost')).resolves.toMatch(/^(127\.0\.0\.1|::1)$/);
  });
});
