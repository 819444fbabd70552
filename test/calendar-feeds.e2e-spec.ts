import request from 'supertest';
import { ADMIN_TOKEN, startTestStack, TestStack } from './support/test-app';
import { adminAuth, Region, seedRegion } from './support/seed';
import { createUserViaApi, sql, WorldUser } from './support/world';
import { parseCalendar } from './support/ical';
import { nextYearDays } from './support/next-year';

/**
 * Calendar feeds as a subscribing calendar app sees them: a plain GET of a secret URL, parsed with
 * an independent iCalendar parser (ical.js), across both daylight-saving changes of next year.
 */
describe('calendar feeds', () => {
  let stack: TestStack;
  let r: Region;
  let yardE: WorldUser;
  let yardW: WorldUser;
  let yardS: WorldUser;
  const days = nextYearDays();
  const http = () => request(stack.api.getHttpServer());
  const as = (u: WorldUser) => ({ Authorization: `Bearer ${u.token}` });

  const bookings: Record<string, string> = {};

  async function book(user: WorldUser | null, body: object): Promise<string> {
    const res = await http()
      .post('/api/v1/bookings')
      .set(user ? as(user) : adminAuth)
      .send(body);
    if (res.status !== 201) throw new Error(`booking: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { id: string }).id;
  }

  async function createFeed(user: WorldUser, body: object = {}) {
    const res = await http().post('/api/v1/users/me/calendar-feeds').set(as(user)).send(body).expect(201);
    return res.body as { id: string; token: string; url: string; webcalUrl: string; name: string };
  }

  const feedPath = (url: string) => new URL(url).pathname;
  async function fetchFeed(url: string) {
    const res = await http().get(feedPath(url)).expect(200);
    return { res, calendar: parseCalendar(res.text) };
  }

  beforeAll(async () => {
    stack = await startTestStack();
    r = await seedRegion(stack.api);
    const user = (email: string, municipalityId: string) =>
      createUserViaApi(stack, { email, name: email.split('@')[0], role: 'yard-manager', municipalityId });
    yardE = await user('stefan.koch@eschwege.example', r.towns.eschwege);
    yardW = await user('anna.wolf@witzenhausen.example', r.towns.witzenhausen);
    yardS = await user('max.roth@sontra.example', r.towns.sontra);
    // A machine of the other pool, which Eschwege and Witzenhausen do not see at all.
    const plough = await http()
      .post('/api/v1/resources')
      .set(adminAuth)
      .send({
        poolId: r.otherPoolId,
        kind: 'machine',
        name: 'Schneepflug Sontra',
        type: 'snow-plough',
        homeMunicipalityId: r.towns.sontra,
      })
      .expect(201);
    bookings.spring = await book(yardE, {
      resourceId: r.sweeperId,
      municipalityId: r.towns.eschwege,
      start: `${days.springForward}T01:30:00+01:00`,
      end: `${days.springForward}T03:30:00+02:00`,
      priority: 'emergency',
      notes: 'NOTIZ-ESCHWEGE Marktplatz',
      contact: 'bauhof@eschwege.example',
    });
    bookings.autumn = await book(yardE, {
      resourceId: r.sweeperId,
      municipalityId: r.towns.eschwege,
      start: `${days.fallBack}T01:30:00+02:00`,
      end: `${days.fallBack}T03:30:00+01:00`,
      priority: 'emergency',
    });
    bookings.witzenhausen = await book(yardW, {
      resourceId: r.sweeper2Id,
      municipalityId: r.towns.witzenhausen,
      start: `${days.workday}T08:00:00+02:00`,
      end: `${days.workday}T12:00:00+02:00`,
      notes: 'NOTIZ-WITZENHAUSEN Schulhof',
    });
    bookings.camera = await book(yardE, {
      resourceId: r.cameraId,
      municipalityId: r.towns.eschwege,
      start: `${days.nextWorkday}T08:00:00+02:00`,
      end: `${days.nextWorkday}T11:00:00+02:00`,
    });
    bookings.sontra = await book(yardS, {
      resourceId: (plough.body as { id: string }).id,
      municipalityId: r.towns.sontra,
      start: `${days.workday}T06:00:00+02:00`,
      end: `${days.workday}T09:00:00+02:00`,
      notes: 'NOTIZ-SONTRA',
    });
  });

  afterAll(async () => {
    await stack.close();
  });

  it('serves a subscribable iCalendar feed: content type, name, refresh interval, Berlin VTIMEZONE', async () => {
    const feed = await createFeed(yardE);
    expect(feed.token).toMatch(/^almcal_[A-Za-z0-9_-]{40,}$/);
    expect(feed.url).toMatch(new RegExp(`^http://[^/]+/api/v1/calendar/${feed.token}\\.ics$`));
    expect(feed.webcalUrl).toBe(feed.url.replace(/^http:/, 'webcal:'));
    expect(feed.name).toBe('allmende: Buchungen (stefan.koch)');

    const { res, calendar } = await fetchFeed(feed.url);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(calendar.props['X-WR-CALNAME']).toBe('allmende: Buchungen (stefan.koch)');
    expect(calendar.props['X-WR-TIMEZONE']).toBe('Europe/Berlin');
    expect(calendar.props['REFRESH-INTERVAL']).toBe('PT1H');
    expect(calendar.props['X-PUBLISHED-TTL']).toBe('PT1H');
    expect(calendar.props.METHOD).toBe('PUBLISH');
    expect(calendar.timezones).toEqual(['Europe/Berlin']);
    // The token is stored only as a hash.
    const stored = await sql<{ token_hash: string }>(stack, 'SELECT token_hash FROM calendar_feeds');
    expect(JSON.stringify(stored)).not.toContain(feed.token);
  });

  it('gives the right instants across both daylight-saving changes of next year', async () => {
    const { calendar } = await fetchFeed((await createFeed(yardE)).url);
    const spring = calendar.events.find((e) => e.uid === `${bookings.spring}@allmende`)!;
    const autumn = calendar.events.find((e) => e.uid === `${bookings.autumn}@allmende`)!;
    expect(spring.tzid).toBe('Europe/Berlin');
    expect(spring.start.toISOString()).toBe(`${days.springForward}T00:30:00.000Z`);
    expect(spring.end.toISOString()).toBe(`${days.springForward}T01:30:00.000Z`);
    const dayBefore = new Date(Date.parse(`${days.fallBack}T00:00:00Z`) - 86_400_000)
      .toISOString()
      .slice(0, 10);
    expect(autumn.start.toISOString()).toBe(`${dayBefore}T23:30:00.000Z`);
    expect(autumn.end.toISOString()).toBe(`${days.fallBack}T02:30:00.000Z`);
    // One hour of wall clock lost in spring, one gained in autumn: 1 h and 3 h of real time.
    expect(spring.end.getTime() - spring.start.getTime()).toBe(3_600_000);
    expect(autumn.end.getTime() - autumn.start.getTime()).toBe(3 * 3_600_000);
  });

  it('shows own bookings with names and notes in German, others’ as busy time only, never another pool’s', async () => {
    const { res, calendar } = await fetchFeed((await createFeed(yardE)).url);
    const byUid = new Map(calendar.events.map((e) => [e.uid, e]));
    const spring = byUid.get(`${bookings.spring}@allmende`)!;
    expect(spring.summary).toBe('Notfall: Kehrmaschine 1 – Eschwege');
    expect(spring.location).toBe('Eschwege');
    expect(spring.description).toContain('Gebucht von: Eschwege');
    expect(spring.description).toContain('Verbund: Bauhof-Verbund');
    expect(spring.description).toContain('Notizen: NOTIZ-ESCHWEGE Marktplatz');
    expect(spring.description).toContain('Kontakt: bauhof@eschwege.example');
    expect(spring.sequence).toBe(0);

    const camera = byUid.get(`${bookings.camera}@allmende`)!;
    expect(camera.summary).toBe('Kanal-TV-Kamera – Eschwege');
    expect(camera.description).toContain('Bedienung: Jonas Becker');

    const other = byUid.get(`${bookings.witzenhausen}@allmende`)!;
    expect(other.summary).toBe('Kehrmaschine 2 belegt (Witzenhausen)');
    expect(other.location).toBe('Witzenhausen');
    expect(res.text).not.toContain('NOTIZ-WITZENHAUSEN');
    expect(res.text).not.toContain('Schulhof');

    expect(byUid.has(`${bookings.sontra}@allmende`)).toBe(false);
    expect(res.text).not.toContain('Schneepflug');
    // The operator's own booking is not a second event: it is the camera booking's operator.
    expect(calendar.events).toHaveLength(4);
    expect(res.text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?!@allmende)/);
  });

  it('the other municipality sees Eschwege’s bookings as busy time, in English if it asks', async () => {
    const { res, calendar } = await fetchFeed((await createFeed(yardW, { language: 'en' })).url);
    expect(res.text).not.toContain('NOTIZ-ESCHWEGE');
    expect(res.text).not.toContain('bauhof@eschwege.example');
    const spring = calendar.events.find((e) => e.uid === `${bookings.spring}@allmende`)!;
    expect(spring.summary).toBe('Kehrmaschine 1 booked (Eschwege)');
    expect(spring.description).toBe(
      'Booked by Eschwege. Only the booking municipality sees the details.\nPool: Bauhof-Verbund',
    );
    const own = calendar.events.find((e) => e.uid === `${bookings.witzenhausen}@allmende`)!;
    expect(own.description).toContain('Notes: NOTIZ-WITZENHAUSEN Schulhof');
    expect(calendar.props['X-WR-CALNAME']).toBe('allmende: bookings (anna.wolf)');
  });

  it('answers 304 to If-None-Match while nothing changed; a reschedule keeps the UID and raises SEQUENCE', async () => {
    const feed = await createFeed(yardE);
    const first = await http().get(feedPath(feed.url)).expect(200);
    const etag: string = first.headers.etag;
    const again = await http().get(feedPath(feed.url)).set('If-None-Match', etag).expect(304);
    expect(again.text).toBe('');
    await http().get(feedPath(feed.url)).set('If-None-Match', `W/${etag}, "other"`).expect(304);

    await http()
      .patch(`/api/v1/bookings/${bookings.camera}`)
      .set(as(yardE))
      .send({
        start: `${days.nextWorkday}T09:00:00+02:00`,
        end: `${days.nextWorkday}T12:00:00+02:00`,
      })
      .expect(200);
    const changed = await http().get(feedPath(feed.url)).set('If-None-Match', etag).expect(200);
    expect(changed.headers.etag).not.toBe(etag);
    const camera = parseCalendar(changed.text).events.find((e) => e.uid === `${bookings.camera}@allmende`)!;
    expect(camera.sequence).toBe(1);
    expect(camera.start.toISOString()).toBe(`${days.nextWorkday}T07:00:00.000Z`);
  });

  it('drops a cancelled booking from the feed', async () => {
    const id = await book(yardE, {
      resourceId: r.sweeperId,
      municipalityId: r.towns.eschwege,
      start: `${days.workday}T13:00:00+02:00`,
      end: `${days.workday}T15:00:00+02:00`,
    });
    const feed = await createFeed(yardE);
    expect((await fetchFeed(feed.url)).calendar.events.map((e) => e.uid)).toContain(`${id}@allmende`);
    await http().post(`/api/v1/bookings/${id}/cancel`).set(as(yardE)).expect(200);
    expect((await fetchFeed(feed.url)).calendar.events.map((e) => e.uid)).not.toContain(`${id}@allmende`);
  });

  it('a staff resource’s feed is the operator’s own assignments', async () => {
    const feed = await createFeed(yardE, { resourceId: r.cameraOperatorId });
    expect(feed.name).toBe('allmende: Jonas Becker');
    const { calendar } = await fetchFeed(feed.url);
    expect(calendar.props['X-WR-CALNAME']).toBe('allmende: Jonas Becker');
    expect(calendar.events).toHaveLength(1);
    expect(calendar.events[0].summary).toBe('Jonas Becker bedient Kanal-TV-Kamera – Eschwege');
    expect(calendar.events[0].location).toBe('Eschwege');
    // A machine's feed: all its bookings, others' as busy time.
    const sweeper = await fetchFeed((await createFeed(yardW, { resourceId: r.sweeperId })).url);
    expect(sweeper.calendar.events.map((e) => e.summary)).toEqual([
      'Kehrmaschine 1 belegt (Eschwege)',
      'Kehrmaschine 1 belegt (Eschwege)',
    ]);
  });

  it('refuses a feed of a resource the user cannot see (422), and the admin token, which has no user (409)', async () => {
    const res = await http()
      .post('/api/v1/users/me/calendar-feeds')
      .set(as(yardS))
      .send({ resourceId: r.sweeperId })
      .expect(422);
    expect(res.body.errors).toEqual([
      { field: 'resourceId', message: 'nennt keine Ressource, die Sie sehen dürfen' },
    ]);
    await http()
      .post('/api/v1/users/me/calendar-feeds')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .send({})
      .expect(409);
    const bad = await http()
      .post('/api/v1/users/me/calendar-feeds')
      .set(as(yardE))
      .send({ language: 'fr', token: 'mine' })
      .expect(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['language', 'token']);
    // An Idempotency-Key is taken; the replay holds no token, and says it was shown once.
    const keyed = () =>
      http().post('/api/v1/users/me/calendar-feeds').set(as(yardE)).set('Idempotency-Key', 'k1').send({});
    const first = await keyed().expect(201);
    expect(first.body.token).toEqual(expect.any(String));
    const replay = await keyed().expect(201);
    expect(replay.body).toMatchObject({ id: first.body.id, token: null, url: null, webcalUrl: null });
    expect(replay.body.secretsShownOnce).toMatch(/shown only in the first response/);
  });

  it('lists a user’s feeds without tokens; a revoked feed answers 404 at once', async () => {
    const feed = await createFeed(yardS, { name: 'Mein Bauhof' });
    await fetchFeed(feed.url);
    const list = await http().get('/api/v1/users/me/calendar-feeds').set(as(yardS)).expect(200);
    expect(list.body).toEqual([
      expect.objectContaining({ id: feed.id, name: 'Mein Bauhof', kind: 'user', status: 'active' }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain(feed.token);
    expect(list.body[0].lastUsedAt).not.toBeNull();
    // Another user's feed cannot be revoked, not even seen.
    await http().delete(`/api/v1/users/me/calendar-feeds/${feed.id}`).set(as(yardE)).expect(404);
    const revoked = await http()
      .delete(`/api/v1/users/me/calendar-feeds/${feed.id}`)
      .set(as(yardS))
      .expect(200);
    expect(revoked.body.status).toBe('revoked');
    const gone = await http().get(feedPath(feed.url)).expect(404);
    expect(gone.headers['content-type']).toMatch(/application\/problem\+json/);
    await http().get('/api/v1/calendar/almcal_unknownunknownunknownunknown.ics').expect(404);
    await http().get('/api/v1/calendar/not-a-token.ics').expect(404);
  });

  it('stops serving the feed of a disabled user', async () => {
    const user = await createUserViaApi(stack, {
      email: 'gone@eschwege.example',
      name: 'Gone',
      role: 'viewer',
      municipalityId: r.towns.eschwege,
    });
    const feed = await createFeed(user);
    await fetchFeed(feed.url);
    await http().post(`/api/v1/users/${user.id}/disable`).set(adminAuth).expect(200);
    await http().get(feedPath(feed.url)).expect(404);
  });
});
