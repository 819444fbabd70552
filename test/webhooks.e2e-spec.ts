import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { WebhookClock, WebhookFanoutService } from '@allmende/notifications';
import { ADMIN_TOKEN, startTestStack, TestStack } from './support/test-app';
import { adminAuth, Region, seedRegion } from './support/seed';
import { createUserViaApi, sql, wakeOutbox, WorldUser } from './support/world';
import { nextYearDays } from './support/next-year';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Webhooks end to end: the real API and worker, and a receiver in this process that answers as
 * told per path and checks signatures with the standardwebhooks library, as an integrator would.
 */
describe('webhooks', () => {
  let stack: TestStack;
  let r: Region;
  let receiver: Server;
  let base: string;
  let yardE: WorldUser;
  let yardW: WorldUser;
  let financeE: WorldUser;
  let coordinator: WorldUser;
  const received: Received[] = [];
  /** Per path: how many requests to fail with 500 before answering 200 (Infinity: always). */
  const failures = new Map<string, number>();
  const days = nextYearDays();
  let slot = 0;
  const http = () => request(stack.api.getHttpServer());
  const as = (u: WorldUser) => ({ Authorization: `Bearer ${u.token}` });

  async function until<T>(
    what: string,
    probe: () => T | undefined | false | Promise<T | undefined | false>,
    ms = 20_000,
  ): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function register(user: WorldUser | null, body: object) {
    const res = await http()
      .post('/api/v1/webhooks')
      .set(user ? as(user) : adminAuth)
      .send(body);
    if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; secret: string; url: string; status: string };
  }

  /** A booking of a free afternoon hour next year, by `user` for its municipality. */
  async function book(user: WorldUser, municipalityId: string, resourceId = r.sweeperId): Promise<string> {
    const day = new Date(Date.parse(`${days.workday}T00:00:00Z`) + 7 * 86_400_000 * ++slot)
      .toISOString()
      .slice(0, 10);
    const res = await http()
      .post('/api/v1/bookings')
      .set(as(user))
      .send({ resourceId, municipalityId, start: `${day}T13:00:00+02:00`, end: `${day}T14:00:00+02:00` });
    if (res.status !== 201) throw new Error(`booking: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { id: string }).id;
  }

  const at = (path: string) => received.filter((m) => m.path === path);
  const verify = (secret: string, m: Received) =>
    new Webhook(secret).verify(m.body, m.headers as Record<string, string>) as {
      type: string;
      timestamp: string;
      data: Record<string, unknown> & { booking?: Record<string, unknown> };
    };

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const left = failures.get(path) ?? 0;
        if (left > 0) {
          failures.set(path, left - 1);
          res.writeHead(500).end('kaputt');
        } else {
          res.writeHead(204).end();
        }
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    stack = await startTestStack({
      worker: true,
      env: {
        ALLMENDE_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        ALLMENDE_WEBHOOK_RETRY_BASE_MS: '200',
        ALLMENDE_WEBHOOK_MAX_ATTEMPTS: '8',
      },
    });
    r = await seedRegion(stack.api);
    const user = (email: string, role: string, municipalityId: string, poolIds?: string[]) =>
      createUserViaApi(stack, { email, name: email.split('@')[0], role, municipalityId, poolIds });
    yardE = await user('yard@eschwege.example', 'yard-manager', r.towns.eschwege);
    yardW = await user('yard@witzenhausen.example', 'yard-manager', r.towns.witzenhausen);
    financeE = await user('finance@eschwege.example', 'finance', r.towns.eschwege);
    coordinator = await user('coord@eschwege.example', 'coordinator', r.towns.eschwege, [r.poolId]);
  });

  afterAll(async () => {
    await stack.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('signs booking.created, changed and cancelled the Standard Webhooks way, with names', async () => {
    const hook = await register(yardE, {
      url: `${base}/eschwege`,
      events: ['booking.created', 'booking.changed', 'booking.cancelled'],
      description: 'ERP Eschwege',
    });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const id = await book(yardE, r.towns.eschwege);
    await http()
      .patch(`/api/v1/bookings/${id}`)
      .set(as(yardE))
      .send({ siteMunicipalityId: r.towns.wanfried })
      .expect(200);
    await http().post(`/api/v1/bookings/${id}/cancel`).set(as(yardE)).expect(200);
    const messages = await until('three webhooks', () => at('/eschwege').length >= 3 && at('/eschwege'));
    // Deliveries run side by side, so they may arrive in any order: the event id orders them.
    const eventId = (m: Received) => Number(String(m.headers['webhook-id']).replace('msg_allmende_', ''));
    messages.sort((a, b) => eventId(a) - eventId(b));
    const bodies = messages.map((m) => verify(hook.secret, m));
    expect(bodies.map((b) => b.type)).toEqual(['booking.created', 'booking.changed', 'booking.cancelled']);
    expect(bodies.map((b) => b.data.sequence)).toEqual([0, 1, 2]);
    expect(bodies[0].data.booking).toMatchObject({
      id,
      resourceId: r.sweeperId,
      resourceName: 'Kehrmaschine 1',
      municipalityName: 'Eschwege',
      poolName: 'Bauhof-Verbund',
      startLocal: expect.stringMatching(/T13:00:00\+02:00$/),
    });
    expect(bodies[2].data).toMatchObject({ reason: 'cancelled' });
    for (const m of messages) {
      expect(m.headers['content-type']).toBe('application/json');
      expect(m.headers['webhook-id']).toMatch(/^msg_allmende_\d+$/);
      expect(m.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(Math.abs(Number(m.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    }
    expect(new Set(messages.map((m) => m.headers['webhook-id'])).size).toBe(3);
    // A tampered body or another secret does not verify.
    expect(() =>
      verify(hook.secret, { ...messages[0], body: messages[0].body.replace('Eschwege', 'Xschwege') }),
    ).toThrow();
    expect(() => verify(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, messages[0])).toThrow();

    // Deliveries through the API: status, tries, answer.
    const deliveries = await http().get(`/api/v1/webhooks/${hook.id}/deliveries`).set(as(yardE)).expect(200);
    expect(deliveries.body.items).toHaveLength(3);
    expect(deliveries.body.items[0]).toMatchObject({
      eventType: 'booking.cancelled',
      status: 'succeeded',
      attempts: 1,
      responseStatus: 204,
      lastError: null,
    });
    // The secret never comes back.
    const shown = await http().get(`/api/v1/webhooks/${hook.id}`).set(as(yardE)).expect(200);
    expect(JSON.stringify(shown.body)).not.toContain(hook.secret);
    expect(shown.body).toMatchObject({
      scope: 'municipality',
      municipalityName: 'Eschwege',
      status: 'active',
    });
  });

  it('sends a municipality only its own bookings, a pool’s coordinator the whole pool', async () => {
    const own = await register(yardW, { url: `${base}/witzenhausen`, events: ['booking.created'] });
    const pool = await register(coordinator, {
      url: `${base}/pool`,
      events: ['booking.created'],
      poolId: r.poolId,
    });
    const e = await book(yardE, r.towns.eschwege);
    const w = await book(yardW, r.towns.witzenhausen, r.sweeper2Id);
    await until('pool webhooks', () => at('/pool').length >= 2);
    await until('Witzenhausen webhook', () => at('/witzenhausen').length >= 1);
    await stack.worker!.get(WebhookFanoutService).fanOut();
    const ids = (path: string, secret: string) =>
      at(path).map((m) => (verify(secret, m).data.booking as { id: string }).id);
    expect(ids('/witzenhausen', own.secret)).toEqual([w]);
    expect(ids('/pool', pool.secret).sort()).toEqual([e, w].sort());
  });

  it('retries after 500 answers with backoff, with the same webhook-id, until it succeeds', async () => {
    failures.set('/flaky', 2);
    const hook = await register(yardE, { url: `${base}/flaky`, events: ['booking.created'] });
    await book(yardE, r.towns.eschwege);
    const messages = await until('third try', () => at('/flaky').length >= 3 && at('/flaky'));
    expect(new Set(messages.map((m) => m.headers['webhook-id'])).size).toBe(1);
    expect(messages.every((m) => verify(hook.secret, m).type === 'booking.created')).toBe(true);
    const done = await until('succeeded delivery', async () => {
      const res = await http().get(`/api/v1/webhooks/${hook.id}/deliveries`).set(as(yardE)).expect(200);
      const d = res.body.items[0] as { status: string } | undefined;
      return d?.status === 'succeeded' && d;
    });
    expect(done).toMatchObject({ attempts: 3, responseStatus: 204, lastError: null, nextAttemptAt: null });
    const endpoint = await http().get(`/api/v1/webhooks/${hook.id}`).set(as(yardE)).expect(200);
    expect(endpoint.body).toMatchObject({ status: 'active', failingSince: null, lastError: null });
  });

  it('a fan-out that runs twice (or starts over) sends each event once', async () => {
    const hook = await register(yardE, { url: `${base}/once`, events: ['booking.created'] });
    const fanout = stack.worker!.get(WebhookFanoutService);
    const id = await book(yardE, r.towns.eschwege);
    await Promise.all([fanout.fanOut(), fanout.fanOut()]);
    await fanout.fanOut();
    await until('the webhook', () => at('/once').length >= 1);
    // Lose the fan-out's whole progress: it reads every event again and creates nothing new.
    await sql(stack, `UPDATE webhook_fanout SET cursor_event_id = 0`);
    await sql(stack, `DELETE FROM webhook_fanout_events`);
    const again = await fanout.fanOut();
    expect(again.events).toBeGreaterThan(0);
    expect(again.deliveries).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(at('/once').map((m) => (verify(hook.secret, m).data.booking as { id: string }).id)).toEqual([id]);
    const rows = await sql<{ n: string }>(
      stack,
      `SELECT count(*) AS n FROM webhook_deliveries WHERE endpoint_id = $1`,
      [hook.id],
    );
    expect(Number(rows[0].n)).toBe(1);
    // The fan-out keeps its own markers; booking_events.delivered_at belongs to the notification
    // relay (which runs in the same worker), so the fan-out's once-only cannot rest on it.
  });

  it('delivers statement.issued (written by the cost-sharing side) to finance with names', async () => {
    const hook = await register(financeE, { url: `${base}/finance`, events: ['statement.issued'] });
    await sql(
      stack,
      `INSERT INTO booking_events (booking_id, municipality_id, kind, payload) VALUES (NULL, $1, 'statement.issued', $2)`,
      [
        r.towns.eschwege,
        JSON.stringify({
          poolId: r.poolId,
          municipalityId: r.towns.eschwege,
          period: '2026-11',
          statementNumber: '2026-0007',
        }),
      ],
    );
    await wakeOutbox(stack);
    const [message] = await until('statement webhook', () => at('/finance').length >= 1 && at('/finance'));
    const body = verify(hook.secret, message);
    expect(body.type).toBe('statement.issued');
    expect(body.data).toMatchObject({
      poolId: r.poolId,
      poolName: 'Bauhof-Verbund',
      municipalityId: r.towns.eschwege,
      municipalityName: 'Eschwege',
      period: '2026-11',
      statementNumber: '2026-0007',
    });
  });

  it('disables an endpoint after a day of failures and tells its owner through the outbox', async () => {
    const clock = stack.worker!.get(WebhookClock);
    let offsetMs = 0;
    const spy = jest.spyOn(clock, 'now').mockImplementation(() => new Date(Date.now() + offsetMs));
    try {
      failures.set('/down', Infinity);
      const hook = await register(yardE, { url: `${base}/down`, events: ['booking.created'] });
      await book(yardE, r.towns.eschwege);
      const first = await until('first failure', async () => {
        const res = await http().get(`/api/v1/webhooks/${hook.id}`).set(as(yardE)).expect(200);
        return res.body.failingSince !== null && (res.body as { failingSince: string; lastError: string });
      });
      expect(first.lastError).toBe('HTTP 500: kaputt');
      const retrying = await http().get(`/api/v1/webhooks/${hook.id}/deliveries`).set(as(yardE)).expect(200);
      expect(retrying.body.items[0]).toMatchObject({ responseStatus: 500, lastError: 'HTTP 500: kaputt' });
      expect(['retrying', 'pending']).toContain(retrying.body.items[0].status);
      // A day later, the next try fails too: the endpoint is disabled.
      offsetMs = 25 * 3_600_000;
      const disabled = await until('disabled', async () => {
        const res = await http().get(`/api/v1/webhooks/${hook.id}`).set(as(yardE)).expect(200);
        return res.body.status === 'disabled' && (res.body as { disabledAt: string });
      });
      const [event] = await sql<{ municipality_id: string; booking_id: string | null; payload: object }>(
        stack,
        `SELECT municipality_id, booking_id, payload FROM booking_events WHERE kind = 'webhook.disabled'`,
      );
      expect(event).toEqual({
        municipality_id: r.towns.eschwege,
        booking_id: null,
        payload: {
          endpointId: hook.id,
          url: `${base}/down`,
          ownerUserId: yardE.id,
          disabledAt: disabled.disabledAt,
          lastError: 'HTTP 500: kaputt',
        },
      });
      const tries = at('/down').length;
      const list = await http().get(`/api/v1/webhooks/${hook.id}/deliveries`).set(as(yardE)).expect(200);
      expect(list.body.items[0]).toMatchObject({ status: 'failed', attempts: tries });
      // Nothing more goes to a disabled endpoint.
      await book(yardE, r.towns.eschwege);
      await stack.worker!.get(WebhookFanoutService).fanOut();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(at('/down')).toHaveLength(tries);
      // Its owner turns it back on; a retry of the failed delivery then goes out (and fails again).
      offsetMs = 0;
      const enabled = await http().post(`/api/v1/webhooks/${hook.id}/enable`).set(as(yardE)).expect(200);
      expect(enabled.body).toMatchObject({ status: 'active', failingSince: null, disabledAt: null });
      failures.set('/down', 0);
      const deliveryId = (list.body.items[0] as { id: string }).id;
      await http()
        .post(`/api/v1/webhooks/${hook.id}/deliveries/${deliveryId}/retry`)
        .set(as(yardE))
        .expect(202);
      await until('retried delivery', async () => {
        const res = await http().get(`/api/v1/webhooks/${hook.id}/deliveries`).set(as(yardE)).expect(200);
        return (res.body.items as { id: string; status: string }[]).find(
          (d) => d.id === deliveryId && d.status === 'succeeded',
        );
      });
      await http()
        .post(`/api/v1/webhooks/${hook.id}/deliveries/${deliveryId}/retry`)
        .set(as(yardE))
        .expect(409);
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses targets that are not public http(s) addresses with 422', async () => {
    const refused: [string, RegExp][] = [
      ['ftp://93.184.216.34/hook', /must use http or https, not ftp/],
      ['not a url', /absolute http or https URL/],
      ['http://10.1.2.3/hook', /10\.1\.2\.3: a private address/],
      ['http://192.168.178.1/hook', /a private address/],
      ['http://169.254.169.254/latest/meta-data', /a link-local address/],
      ['http://[::1]:8080/hook', /::1: a loopback address/],
      ['http://[fd12:3456::1]/hook', /a unique-local address/],
      ['http://[fe80::1]/hook', /a link-local address/],
      ['http://[::ffff:10.0.0.1]/hook', /a private address/],
      ['http://0.0.0.0/hook', /unspecified/],
      ['https://user:secret@93.184.216.34/hook', /must not carry a user name or password/],
      ['http://allmende-test.invalid/hook', /cannot be resolved/],
    ];
    for (const [url, message] of refused) {
      const res = await http()
        .post('/api/v1/webhooks')
        .set(as(yardE))
        .set('Accept-Language', 'en')
        .send({ url, events: ['booking.created'] });
      expect({ url, status: res.status }).toEqual({ url, status: 422 });
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'url', message: expect.stringMatching(message) }]);
    }
    // In German, the default, as well.
    const german = await http()
      .post('/api/v1/webhooks')
      .set(as(yardE))
      .send({ url: 'http://10.1.2.3/hook', events: ['booking.created'] })
      .expect(422);
    expect(german.body.errors).toEqual([
      {
        field: 'url',
        message:
          'darf nicht auf 10.1.2.3 zeigen, eine private Adresse; ein Admin kann sie in ALLMENDE_WEBHOOK_ALLOWED_HOSTS erlauben',
      },
    ]);
    // The allow-list (127.0.0.1 here) lets that address through, and only that one.
    await http()
      .post('/api/v1/webhooks')
      .set(as(yardE))
      .send({ url: 'http://127.0.0.1:9/hook', events: ['booking.created'] })
      .expect(201);
    await http()
      .post('/api/v1/webhooks')
      .set(as(yardE))
      .send({ url: 'http://127.0.0.2/hook', events: ['booking.created'] })
      .expect(422);
    // A public address literal is fine.
    await http()
      .post('/api/v1/webhooks')
      .set(as(yardE))
      .send({ url: 'https://93.184.216.34/hook', events: ['booking.cancelled'] })
      .expect(201);
    const body = await http()
      .post('/api/v1/webhooks')
      .set(as(yardE))
      .send({ url: `${base}/x`, events: [], secret: 'mine' })
      .expect(422);
    expect(body.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['events', 'secret']);
    await http()
      .post('/api/v1/webhooks')
      .set(as(yardE))
      .send({ url: `${base}/x`, events: ['booking.moved'] })
      .expect(422);
  });

  it('who registers what: statements need statements:read, pools their coordinator, towns their own staff', async () => {
    const hook = (user: WorldUser | null, body: object) =>
      http()
        .post('/api/v1/webhooks')
        .set(user ? as(user) : { Authorization: `Bearer ${ADMIN_TOKEN}` })
        .send({ url: `${base}/rules`, ...body });
    await hook(yardE, { events: ['statement.issued'] }).expect(403);
    await hook(yardE, { events: ['booking.created'], poolId: r.poolId }).expect(403);
    await hook(yardE, { events: ['booking.created'], municipalityId: r.towns.witzenhausen }).expect(403);
    await hook(financeE, { events: ['booking.created', 'statement.issued'] }).expect(201);
    await hook(coordinator, { events: ['statement.issued'] }).expect(422);
    await hook(coordinator, { events: ['statement.issued'], poolId: r.otherPoolId }).expect(403);
    await hook(coordinator, { events: ['statement.issued'], poolId: r.poolId }).expect(201);
    await hook(null, { events: ['statement.issued'] }).expect(201);
    await hook(null, {
      events: ['statement.issued'],
      poolId: r.poolId,
      municipalityId: r.towns.eschwege,
    }).expect(422);
    // Endpoints are managed by their owner (and admins, and the pool's coordinators): others get 404.
    const mine = await register(yardE, { url: `${base}/mine`, events: ['booking.created'] });
    await http().get(`/api/v1/webhooks/${mine.id}`).set(as(yardW)).expect(404);
    await http().delete(`/api/v1/webhooks/${mine.id}`).set(as(yardW)).expect(404);
    const listed = await http().get('/api/v1/webhooks').set(as(yardW)).expect(200);
    expect((listed.body.items as { id: string }[]).map((i) => i.id)).not.toContain(mine.id);
    await http()
      .patch(`/api/v1/webhooks/${mine.id}`)
      .set(as(yardW))
      .send({ description: 'fremd' })
      .expect(404);
    await http()
      .patch(`/api/v1/webhooks/${mine.id}`)
      .set(as(yardE))
      .send({ events: ['statement.issued'] })
      .expect(403);
    await http()
      .patch(`/api/v1/webhooks/${mine.id}`)
      .set(as(yardE))
      .send({ url: 'http://10.0.0.1/x' })
      .expect(422);
    const changed = await http()
      .patch(`/api/v1/webhooks/${mine.id}`)
      .set(as(yardE))
      .send({ url: `${base}/mine2`, events: ['booking.cancelled', 'booking.changed'], description: 'neu' })
      .expect(200);
    expect(changed.body).toMatchObject({
      url: `${base}/mine2`,
      events: ['booking.cancelled', 'booking.changed'],
      description: 'neu',
      scope: 'municipality',
    });
    await http().delete(`/api/v1/webhooks/${mine.id}`).set(as(yardE)).expect(204);
    await http().get(`/api/v1/webhooks/${mine.id}`).set(as(yardE)).expect(404);
  });
});
