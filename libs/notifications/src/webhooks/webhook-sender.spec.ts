import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { loadConfig } from '@allmende/config';
import { generateWebhookSecret, WebhookSender } from './webhook-sender';
import { WebhookTargetPolicy } from './webhook-target-policy';

describe('webhook sender', () => {
  let server: Server;
  let port: number;
  const seen: { headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        res.writeHead(req.url === '/fail' ? 503 : 200).end(req.url === '/fail' ? 'wartung' : 'ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const sender = (allowed?: string) =>
    new WebhookSender(
      new WebhookTargetPolicy(loadConfig(allowed ? { ALLMENDE_WEBHOOK_ALLOWED_HOSTS: allowed } : {})),
    );
  const message = (path: string, secret = generateWebhookSecret()) => ({
    url: `http://localhost:${port}${path}`,
    secret,
    messageId: 'msg_allmende_42',
    body: JSON.stringify({ type: 'booking.created', timestamp: '2027-03-01T08:00:00.000Z', data: {} }),
    at: new Date(),
  });

  it('signs so that the standardwebhooks library verifies it', async () => {
    const secret = generateWebhookSecret();
    const result = await sender('localhost').send(message('/ok', secret));
    expect(result).toEqual({ ok: true, responseStatus: 200, error: null });
    const last = seen[seen.length - 1];
    expect(new Webhook(secret).verify(last.body, last.headers as Record<string, string>)).toMatchObject({
      type: 'booking.created',
    });
    expect(last.headers['webhook-id']).toBe('msg_allmende_42');
  });

  it('reports a non-2xx answer with its status and text', async () => {
    expect(await sender('localhost').send(message('/fail'))).toEqual({
      ok: false,
      responseStatus: 503,
      error: 'HTTP 503: wartung',
    });
  });

  it('checks the address again when it connects: a name that now resolves to loopback is refused', async () => {
    const before = seen.length;
    const result = await sender().send(message('/ok'));
    expect(result.ok).toBe(false);
    expect(result.responseStatus).toBeNull();
    expect(result.error).toMatch(/loopback address/);
    expect(seen.length).toBe(before);
  });
});
