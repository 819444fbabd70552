import { Inject, Injectable } from '@nestjs/common';
import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { BlockList, isIP, LookupFunction } from 'node:net';
import { APP_CONFIG, AppConfig } from '@allmende/config';
import { ValidationFailed } from '@allmende/core';

type Family = 'ipv4' | 'ipv6';

/** Address ranges a webhook may not reach unless allowed, with what they are called. */
const RANGES: { cidr: string; family: Family; kind: string }[] = [
  { cidr: '0.0.0.0/8', family: 'ipv4', kind: 'unspecified' },
  { cidr: '10.0.0.0/8', family: 'ipv4', kind: 'private' },
  { cidr: '100.64.0.0/10', family: 'ipv4', kind: 'private (carrier-grade NAT)' },
  { cidr: '127.0.0.0/8', family: 'ipv4', kind: 'loopback' },
  { cidr: '169.254.0.0/16', family: 'ipv4', kind: 'link-local' },
  { cidr: '172.16.0.0/12', family: 'ipv4', kind: 'private' },
  { cidr: '192.0.0.0/24', family: 'ipv4', kind: 'reserved' },
  { cidr: '192.168.0.0/16', family: 'ipv4', kind: 'private' },
  { cidr: '198.18.0.0/15', family: 'ipv4', kind: 'reserved (benchmarking)' },
  { cidr: '224.0.0.0/4', family: 'ipv4', kind: 'multicast' },
  { cidr: '240.0.0.0/4', family: 'ipv4', kind: 'reserved' },
  { cidr: '::/128', family: 'ipv6', kind: 'unspecified' },
  { cidr: '::1/128', family: 'ipv6', kind: 'loopback' },
  { cidr: 'fe80::/10', family: 'ipv6', kind: 'link-local' },
  { cidr: 'fc00::/7', family: 'ipv6', kind: 'unique-local' },
  { cidr: 'ff00::/8', family: 'ipv6', kind: 'multicast' },
];

const BLOCKED = RANGES.map((r) => {
  const list = new BlockList();
  const [net, prefix] = r.cidr.split('/');
  list.addSubnet(net, Number(prefix), r.family);
  return { ...r, list };
});

/**
 * The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:127.0.0.1, or ::ffff:7f00:1 as URLs
 * write it), else the address itself.
 */
function unmapped(address: string): { address: string; family: Family } {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return { address: dotted[1], family: 'ipv4' };
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
    return { address: [high >> 8, high & 255, low >> 8, low & 255].join('.'), family: 'ipv4' };
  }
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

/** What kind of refused address this is, or null for a public one. */
export function refusedKind(address: string): string | null {
  const a = unmapped(address);
  return BLOCKED.find((b) => b.family === a.family && b.list.check(a.address, a.family))?.kind ?? null;
}

export class WebhookTargetRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookTargetRefused';
  }
}

const MAX_URL_LENGTH = 2000;

/**
 * Where webhooks may go: http or https URLs whose host is public, both when the endpoint is
 * registered and at every delivery, where the connection is made to the very address checked
 * (no second lookup a rebinding DNS server could answer differently). Private, loopback,
 * link-local and unique-local addresses pass only when ALLMENDE_WEBHOOK_ALLOWED_HOSTS lists the
 * host name, the address or a range containing it.
 */
@Injectable()
export class WebhookTargetPolicy {
  private readonly allowedNames = new Set<string>();
  private readonly allowedAddresses = new BlockList();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    for (const entry of config.webhookAllowedHosts) {
      const [host, prefix] = entry.split('/');
      const version = isIP(host);
      if (version === 0) this.allowedNames.add(host.replace(/^\[|\]$/g, ''));
      else if (prefix !== undefined)
        this.allowedAddresses.addSubnet(host, Number(prefix), version === 4 ? 'ipv4' : 'ipv6');
      else this.allowedAddresses.addAddress(host, version === 4 ? 'ipv4' : 'ipv6');
    }
  }

  /** Checks a URL for registration: 422 naming the field `url` when it may not be a target. */
  async validate(url: string): Promise<URL> {
    try {
      const parsed = this.parse(url);
      const host = hostOf(parsed);
      if (isIP(host) === 0) {
        const addresses = await resolveAll(host);
        for (const a of addresses) this.assertAddress(host, a.address);
      }
      return parsed;
    } catch (e) {
      if (e instanceof WebhookTargetRefused) {
        throw new ValidationFailed([{ field: 'url', message: e.message }]);
      }
      throw e;
    }
  }

  /** Syntax, scheme and an address literal's range; names are checked by `lookup`. */
  parse(url: string): URL {
    if (url.length > MAX_URL_LENGTH) {
      throw new WebhookTargetRefused(`must be at most ${MAX_URL_LENGTH} characters`);
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new WebhookTargetRefused('must be an absolute http or https URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new WebhookTargetRefused(`must use http or https, not ${parsed.protocol.replace(/:$/, '')}`);
    }
    if (parsed.username || parsed.password) {
      throw new WebhookTargetRefused('must not carry a user name or password; the signature authenticates');
    }
    const host = hostOf(parsed);
    if (!host) throw new WebhookTargetRefused('must name a host');
    if (isIP(host) !== 0) this.assertAddress(host, host);
    return parsed;
  }

  /**
   * A DNS lookup for the delivery's connection that refuses what registration refuses: the
   * socket connects to an address this function checked.
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses: LookupAddress[]) => {
      const fail = (e: NodeJS.ErrnoException) => (options.all ? callback(e, []) : callback(e, '', undefined));
      if (err) return fail(err);
      const wanted = options.family ? addresses.filter((a) => a.family === options.family) : addresses;
      try {
        if (wanted.length === 0) throw new WebhookTargetRefused(`${hostname} has no address`);
        for (const a of wanted) this.assertAddress(hostname, a.address);
      } catch (e) {
        return fail(e as NodeJS.ErrnoException);
      }
      if (options.all) callback(null, wanted);
      else callback(null, wanted[0].address, wanted[0].family);
    });
  };

  private assertAddress(host: string, address: string): void {
    const kind = refusedKind(address);
    if (kind === null || this.allows(host, address)) return;
    const where = host === address ? address : `${host} (${address})`;
    throw new WebhookTargetRefused(
      `must not point to ${where}: a ${kind} address; an admin may allow it in ALLMENDE_WEBHOOK_ALLOWED_HOSTS`,
    );
  }

  private allows(host: string, address: string): boolean {
    if (this.allowedNames.has(host.toLowerCase())) return true;
    const a = unmapped(address);
    return this.allowedAddresses.check(a.address, a.family);
  }
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => {
      if (err) reject(new WebhookTargetRefused(`names a host that cannot be resolved: ${host}`));
      else resolve(addresses);
    }),
  );
}
