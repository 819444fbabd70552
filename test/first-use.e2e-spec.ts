import request from 'supertest';
import { ADMIN_TOKEN, startTestStack, TestStack } from './support/test-app';
import { buildWorld, World } from './support/world';

/**
 * What a first real use met (issue #11, findings 9 and 10): query strings written by hand,
 * unknown resource types, and errors in German by default with German dates.
 */
describe('the API as a first user meets it', () => {
  jest.setTimeout(120_000);
  let stack: TestStack;
  let world: World;
  const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  const http = () => request(stack.api.getHttpServer());
  // Dates of next year: the tests hold whatever today is.
  const year = new Date().getUTCFullYear() + 1;

  beforeAll(async () => {
    stack = await startTestStack();
    world = await buildWorld(stack);
    await http()
      .post('/api/v1/pools/' + world.pools.P1 + '/members')
      .set(admin)
      .send({ municipalityId: world.municipalities.B, joinedOn: '2026-01-01' })
      .expect(201);
  });

  afterAll(async () => {
    await stack?.close();
  });

  describe('language', () => {
    const unknownBooking = '/api/v1/bookings/7d0d3c2e-4b1a-4c8e-9f00-000000000000';

    it('answers in German by default, in English when Accept-Language prefers it', async () => {
      const de = await http().get(unknownBooking).set(admin).expect(404);
      expect(de.headers['content-language']).toBe('de');
      expect(de.body).toMatchObject({
        code: 'NOT_FOUND',
        title: 'Nicht gefunden',
        detail: 'Die Buchung wurde nicht gefunden.',
      });

      const en = await http()
        .get(unknownBooking)
        .set(admin)
        .set('Accept-Language', 'en-GB,en;q=0.9')
        .expect(404);
      expect(en.headers['content-language']).toBe('en');
      expect(en.body).toMatchObject({ code: 'NOT_FOUND', title: 'Not found' });
      expect(en.body.detail).toMatch(/^Booking .* was not found\.$/);

      const preferred = await http()
        .get(unknownBooking)
        .set(admin)
        .set('Accept-Language', 'fr, en;q=0.5, de;q=0.4');
      expect(preferred.body.title).toBe('Not found');
      const german = await http().get(unknownBooking).set(admin).set('Accept-Language', 'de-DE, en;q=0.8');
      expect(german.body.title).toBe('Nicht gefunden');
    });

    it('names every invalid field in German, and in English on request', async () => {
      const body = {
        resourceId: 'x',
        municipalityId: world.municipalities.A,
        start: '2026-06-10T08:00',
        end: 3,
      };
      const de = await http().post('/api/v1/bookings').set(admin).send(body).expect(422);
      expect(de.body.title).toBe('Ungültige Eingabe');
      expect(de.body.detail).toMatch(/^Die Anfrage ist ungültig: /);
      const fields = Object.fromEntries(
        (de.body.errors as { field: string; message: string }[]).map((e) => [e.field, e.message]),
      );
      expect(fields.resourceId).toBe('resourceId muss eine UUID sein');
      expect(fields.start).toMatch(/^start muss ein ISO-8601-Zeitpunkt mit Zeitzone sein/);
      const en = await http()
        .post('/api/v1/bookings')
        .set(admin)
        .set('Accept-Language', 'en')
        .send(body)
        .expect(422);
      expect(en.body.errors.find((e: { field: string }) => e.field === 'resourceId').message).toBe(
        'resourceId must be a UUID',
      );
    });

    it('writes dates the German way in German texts', async () => {
      await http()
        .post(`/api/v1/resources/${world.resources.R1}/blackouts`)
        .set(admin)
        .send({
          start: `${year}-03-02T07:00:00+01:00`,
          end: `${year}-03-03T07:00:00+01:00`,
          reason: 'Wartung',
        })
        .expect(201);
      const booking = (start: string, end: string, lang?: string) => {
        const req = http().post('/api/v1/bookings').set(admin);
        if (lang) void req.set('Accept-Language', lang);
        return req.send({
          resourceId: world.resources.R1,
          municipalityId: world.municipalities.A,
          start,
          end,
        });
      };
      const blocked = await booking(`${year}-03-02T09:00:00+01:00`, `${year}-03-02T11:00:00+01:00`).expect(
        409,
      );
      expect(blocked.body.code).toBe('RESOURCE_UNAVAILABLE');
      expect(blocked.body.detail).toMatch(
        new RegExp(
          `Kehrmaschine Eschwege ist von \\w{2}\\., 02\\.03\\.${year}, 07:00 Uhr bis \\w{2}\\., 03\\.03\\.${year}, 07:00 Uhr nicht verfügbar: Wartung\\.`,
        ),
      );
      const holiday = await booking(`${year}-12-25T09:00:00+01:00`, `${year}-12-25T11:00:00+01:00`).expect(
        409,
      );
      expect(holiday.body.detail).toMatch(
        new RegExp(
          `\\w{2}\\., 25\\.12\\.${year} ist ein gesetzlicher Feiertag \\(1\\. Weihnachtstag\\) in HE\\.`,
        ),
      );
      const english = await booking(
        `${year}-12-25T09:00:00+01:00`,
        `${year}-12-25T11:00:00+01:00`,
        'en',
      ).expect(409);
      expect(english.body.detail).toMatch(/public holiday/);
    });
  });

  describe('query strings', () => {
    const availability = (query: string, token = world.own['yard-manager'].token) =>
      http().get(`/api/v1/availability?${query}`).set('Authorization', `Bearer ${token}`);

    it('reads an unencoded + of an offset (a space on arrival) as the + it was', async () => {
      const from = `${year}-06-07T00:00:00+02:00`;
      const to = `${year}-06-14T00:00:00+02:00`;
      const raw = await availability(
        `poolId=${world.pools.P1}&type=street-sweeper&from=${from}&to=${to}`,
      ).expect(200);
      const encoded = await availability(
        `poolId=${world.pools.P1}&type=street-sweeper&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      ).expect(200);
      expect(raw.body.windows.length).toBeGreaterThan(0);
      expect(raw.body).toEqual(encoded.body);
    });

    it('says exactly what to send for an instant it cannot read', async () => {
      const res = await availability(
        `poolId=${world.pools.P1}&type=street-sweeper&from=${year}-06-07T00:00:00&to=${year}-06-14`,
      )
        .set('Accept-Language', 'en')
        .expect(422);
      const from = res.body.errors.find((e: { field: string }) => e.field === 'from');
      expect(from.message).toMatch(/2026-10-25T02:30:00\+02:00/);
      expect(from.message).toMatch(/%2B/);
    });

    it('answers an unknown resource type with a 422 naming the pool’s types, listed by their own endpoint', async () => {
      const res = await availability(
        `poolId=${world.pools.P1}&type=snow-plough&from=${year}-06-07T00:00:00Z&to=${year}-06-14T00:00:00Z`,
      ).expect(422);
      expect(res.body.errors[0]).toMatchObject({ field: 'type', allowed: ['street-sweeper'] });
      expect(res.body.errors[0].message).toMatch(/street-sweeper/);

      const types = await http()
        .get(`/api/v1/pools/${world.pools.P1}/resource-types`)
        .set('Authorization', `Bearer ${world.own['yard-manager'].token}`)
        .expect(200);
      expect(types.body).toEqual({ items: [{ type: 'street-sweeper', kind: 'machine', count: 1 }] });
      await http()
        .get(`/api/v1/pools/${world.pools.P2}/resource-types`)
        .set('Authorization', `Bearer ${world.own['yard-manager'].token}`)
        .expect(404);
    });
  });
});
