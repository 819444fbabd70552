import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import request from 'supertest';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { NotificationRepository } from '@allmende/database';
import {
  EventFanout,
  LeaseSpent,
  Mailer,
  NotificationSender,
  NotificationSweeper,
  SMTP_POOL_CONNECTIONS,
  StatementDocuments,
} from '@allmende/notifications';
import { jobIds, JobName, QueueName } from '@allmende/queue';
import { Mailbox, Received } from './support/mailbox';
import { ADMIN_TOKEN, startTestStack, TestStack } from './support/test-app';
import { createUserViaApi, sql, wakeOutbox, WorldUser } from './support/world';

/** What ical.js (an independent parser) reads from an invite. */
function parseInvite(ics: string) {
  const cal = new ICAL.Component(ICAL.parse(ics));
  const vevent = cal.getFirstSubcomponent('vevent')!;
  const event = new ICAL.Event(vevent);
  return {
    method: cal.getFirstPropertyValue('method') as string,
    uid: event.uid,
    sequence: event.sequence,
    start: event.startDate.toJSDate(),
    end: event.endDate.toJSDate(),
    tzid: event.startDate.zone?.tzid,
    hasVtimezone: cal
      .getAllSubcomponents('vtimezone')
      .some((z) => z.getFirstPropertyValue('tzid') === 'Europe/Berlin'),
    location: event.location,
    organizer: String(vevent.getFirstPropertyValue('organizer')),
    status: vevent.getFirstPropertyValue('status') as string,
    alarms: vevent.getAllSubcomponents('valarm').length,
  };
}

/** Real small documents for the statement email (the real renderer is bound by the cost-sharing side). */
const documents: StatementDocuments = {
  documentsFor: ({ period }) =>
    Promise.resolve([
      {
        filename: `Abrechnung-${period}.pdf`,
        contentType: 'application/pdf',
        content: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
      },
      {
        filename: `Abrechnung-${period}.xlsx`,
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        content: Buffer.from('PK\u0003\u0004test-xlsx'),
      },
    ]),
};

describe('notifications: email, invites, reminders, preferences', () => {
  const mailbox = new Mailbox();
  let stack: TestStack;
  let ids: { a: string; b: string; pool: string; sweeper: string; camera: string; staff: string };
  let booker: WorldUser;
  let colleague: WorldUser;
  let owner: WorldUser;
  let coordinator: WorldUser;
  let finance: WorldUser;
  const http = () => request(stack.api.getHttpServer());

  beforeAll(async () => {
    await mailbox.start();
    stack = await startTestStack({
      worker: true,
      env: { SMTP_URL: mailbox.url },
      statementDocuments: documents,
    });
    const [m] = await sql<{ a: string; b: string }>(
      stack,
      `WITH ins AS (INSERT INTO municipalities (name, ags, population, lat, lon) VALUES
         ('Eschwege', '06636003', 19500, 51.185, 10.056), ('Sontra', '06636011', 7600, 51.066, 9.935)
         RETURNING id, ags)
       SELECT (SELECT id FROM ins WHERE ags = '06636003') a, (SELECT id FROM ins WHERE ags = '06636011') b`,
    );
    const [p] = await sql<{ id: string }>(
      stack,
      `INSERT INTO pools (name, field_of_action) VALUES ('Bauhof-Verbund Ost', 'building-yard') RETURNING id`,
    );
    await sql(
      stack,
      `INSERT INTO pool_members (pool_id, municipality_id, joined_on) VALUES ($1, $2, '2025-01-01'), ($1, $3, '2025-01-01')`,
      [p.id, m.a, m.b],
    );
    const [r] = await sql<{ sweeper: string; camera: string; staff: string }>(
      stack,
      `WITH ins AS (INSERT INTO resources (pool_id, kind, name, type, home_municipality_id, required_qualification,
                                           qualifications, email) VALUES
         ($1, 'machine', 'Kehrmaschine Sontra', 'street-sweeper', $3, NULL, '{}', NULL),
         ($1, 'machine', 'Kanalkamera Eschwege', 'sewer-camera', $2, 'camera', '{}', NULL),
         ($1, 'staff', 'Karl Müller', 'sewer-worker', $2, NULL, '{camera}', 'k.mueller@eschwege.example')
         RETURNING id, type)
       SELECT (SELECT id FROM ins WHERE type = 'street-sweeper') sweeper, (SELECT id FROM ins WHERE type = 'sewer-camera') camera,
              (SELECT id FROM ins WHERE type = 'sewer-worker') staff`,
      [p.id, m.a, m.b],
    );
    ids = { a: m.a, b: m.b, pool: p.id, ...r };
    booker = await createUserViaApi(stack, {
      email: 'anna@eschwege.example',
      name: 'Anna Becker',
      role: 'yard-manager',
      municipalityId: m.a,
    });
    colleague = await createUserViaApi(stack, {
      email: 'ben@eschwege.example',
      name: 'Ben Clark',
      role: 'yard-manager',
      municipalityId: m.a,
    });
    owner = await createUserViaApi(stack, {
      email: 'otto@sontra.example',
      name: 'Otto Sander',
      role: 'yard-manager',
      municipalityId: m.b,
    });
    coordinator = await createUserViaApi(stack, {
      email: 'kim@kreis.example',
      name: 'Kim Koordination',
      role: 'coordinator',
      municipalityId: m.a,
      poolIds: [p.id],
    });
    finance = await createUserViaApi(stack, {
      email: 'fiona@eschwege.example',
      name: 'Fiona Kasse',
      role: 'finance',
      municipalityId: m.a,
    });
    // The colleague reads English.
    const prefs = await http()
      .put('/api/v1/users/me/notification-preferences')
      .set('Authorization', `Bearer ${colleague.token}`)
      .send({ language: 'en', disabledKinds: [], reminderOffsetsMinutes: null });
    expect(prefs.status).toBe(200);
  });

  it('keeps one language per user: the notification preferences and the account (web app) read and set the same', async () => {
    const auth = { Authorization: `Bearer ${finance.token}` };
    const account = async () => (await http().get('/api/v1/auth/me').set(auth)).body.language as string;
    const prefs = async () =>
      (await http().get('/api/v1/users/me/notification-preferences').set(auth)).body.language as string;
    expect([await account(), await prefs()]).toEqual(['de', 'de']);
    await http()
      .put('/api/v1/users/me/notification-preferences')
      .set(auth)
      .send({ language: 'en', disabledKinds: [], reminderOffsetsMinutes: null })
      .expect(200);
    expect([await account(), await prefs()]).toEqual(['en', 'en']);
    await http().put('/api/v1/auth/me/language').set(auth).send({ language: 'de' }).expect(200);
    expect([await account(), await prefs()]).toEqual(['de', 'de']);
  });

  afterAll(async () => {
    await stack?.close();
    await mailbox.stop();
  });

  const book = async (start: DateTime, hours: number, resourceId = ids.sweeper) => {
    const res = await http()
      .post('/api/v1/bookings')
      .set('Authorization', `Bearer ${booker.token}`)
      .send({ resourceId, municipalityId: ids.a, start: start.toISO(), end: start.plus({ hours }).toISO() });
    if (res.status !== 201) throw new Error(`booking: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string };
  };
  const subjects = (list: Received[]) => list.map((r) => r.mail.subject);
  const inviteOf = (r: Received) => parseInvite(r.calendar!);
  const nextYear = DateTime.now().setZone('Europe/Berlin').year + 1;

  it('confirms, changes and cancels with one invite per message: stable UID, growing SEQUENCE, CANCEL on cancel', async () => {
    const start = DateTime.fromObject(
      { year: nextYear, month: 6, day: 9, hour: 7 },
      { zone: 'Europe/Berlin' },
    );
    const b = await book(start, 5);
    await mailbox.waitFor(
      () => mailbox.to(owner.email).length >= 1 && mailbox.to(colleague.email).length >= 1,
    );
    const [mine] = mailbox.to(booker.email);
    expect(mine.mail.subject).toContain('Buchung bestätigt: Kehrmaschine Sontra');
    const weekday = ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'][start.weekday - 1];
    expect(mine.mail.text).toContain(`Wann: ${weekday} ${start.toFormat('dd.MM.yyyy')}, 07:00 – 12:00 Uhr`);
    expect(mine.mail.text).toContain('Einsatzort: Eschwege');
    expect(mine.mail.html).toContain('Kehrmaschine Sontra');
    expect(mine.mail.text).not.toContain(b.id);
    const [english] = mailbox.to(colleague.email);
    expect(english.mail.subject).toMatch(
      /^Booking confirmed: Kehrmaschine Sontra, \w{3} 9 Jun \d{4}, 07:00$/,
    );
    const [own] = mailbox.to(owner.email);
    expect(own.mail.text).toContain('verlässt dafür den Bauhof Sontra');
    const first = inviteOf(mine);
    expect(first).toMatchObject({
      method: 'REQUEST',
      sequence: 0,
      tzid: 'Europe/Berlin',
      hasVtimezone: true,
      location: 'Eschwege',
      alarms: 1,
    });
    expect(first.organizer).toContain('mailto:');
    expect(first.start.toISOString()).toBe(start.toUTC().toISO({ suppressMilliseconds: false }));

    const moved = start.plus({ days: 1, hours: 1 });
    const patch = await http()
      .patch(`/api/v1/bookings/${b.id}`)
      .set('Authorization', `Bearer ${booker.token}`)
      .send({ start: moved.toISO(), end: moved.plus({ hours: 5 }).toISO() });
    expect(patch.status).toBe(200);
    await mailbox.waitFor(() => mailbox.to(booker.email).length >= 2);
    const changed = mailbox.to(booker.email)[1];
    expect(changed.mail.subject).toContain('Buchung geändert');
    const second = inviteOf(changed);
    expect(second.uid).toBe(first.uid);
    // The invite and the calendar feed name the booking's event alike, so a calendar holding both
    // shows one event.
    expect(first.uid).toBe(`${b.id}@allmende`);
    expect(second.sequence).toBe(1);
    expect(second.method).toBe('REQUEST');
    expect(second.start.getTime()).toBe(moved.toMillis());

    const cancel = await http()
      .post(`/api/v1/bookings/${b.id}/cancel`)
      .set('Authorization', `Bearer ${booker.token}`);
    expect(cancel.status).toBe(200);
    await mailbox.waitFor(
      () => mailbox.to(booker.email).length >= 3 && mailbox.to(colleague.email).length >= 3,
    );
    const third = inviteOf(mailbox.to(booker.email)[2]);
    expect(third).toMatchObject({ method: 'CANCEL', uid: first.uid, sequence: 2, status: 'CANCELLED' });
    expect(subjects(mailbox.to(colleague.email))[2]).toContain('Booking cancelled');
    // Exactly three messages each: nothing twice.
    expect(mailbox.to(booker.email)).toHaveLength(3);
    expect(mailbox.to(owner.email)).toHaveLength(3);
    console.log(`confirm/change/cancel: ${mailbox.received.length} emails (3 recipients × 3 kinds)`);
  });

  it('puts times right across both DST changes of next year', async () => {
    const lastSunday = (month: number) => {
      const end = DateTime.fromObject({ year: nextYear, month, day: 1 }, { zone: 'Europe/Berlin' }).endOf(
        'month',
      );
      return end.minus({ days: end.weekday % 7 }).startOf('day');
    };
    const cases = [
      lastSunday(3).minus({ days: 4 }),
      lastSunday(3).plus({ days: 3 }),
      lastSunday(10).minus({ days: 4 }),
      lastSunday(10).plus({ days: 3 }),
    ].map((d) => d.set({ hour: 8 }));
    const before = mailbox.to(booker.email).length;
    for (const start of cases) await book(start, 3);
    await mailbox.waitFor(() => mailbox.to(booker.email).length >= before + cases.length);
    const invites = mailbox
      .to(booker.email)
      .slice(before)
      .map((r) => ({ r, inv: inviteOf(r) }));
    for (const start of cases) {
      const found = invites.find((x) => x.inv.start.getTime() === start.toMillis());
      expect(found).toBeDefined();
      expect(found!.inv.end.getTime()).toBe(start.plus({ hours: 3 }).toMillis());
      expect(found!.r.mail.text).toContain(`${start.toFormat('dd.MM.yyyy')}, 08:00 – 11:00 Uhr`);
    }
    // Offsets differ across the changes: +01:00 before spring and after autumn, +02:00 between.
    expect(cases.map((c) => c.offset / 60)).toEqual([1, 2, 2, 1]);
  });

  it('keeps reminders in the database: per pool and user offsets, moved by a reschedule, removed by a cancel, sent once when due', async () => {
    const put = await http()
      .put(`/api/v1/users/${booker.id}/notification-preferences`)
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .send({ language: 'de', disabledKinds: [], reminderOffsetsMinutes: [60] });
    expect(put.status).toBe(200);
    const start = DateTime.now()
      .setZone('Europe/Berlin')
      .plus({ days: 3 })
      .set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
    const b = await book(start, 2);
    const remindersOf = async () =>
      sql<{ recipient_email: string; offset_minutes: number; due_at: Date; status: string }>(
        stack,
        `SELECT recipient_email, offset_minutes, due_at, status FROM booking_reminders WHERE booking_id = $1 ORDER BY recipient_email, offset_minutes`,
        [b.id],
      );
    const waitReminders = async (check: (rows: Awaited<ReturnType<typeof remindersOf>>) => boolean) => {
      for (let i = 0; i < 200; i++) {
        const rows = await remindersOf();
        if (check(rows)) return rows;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`reminders: ${JSON.stringify(await remindersOf())}`);
    };
    const rows = await waitReminders((r) => r.length === 3);
    expect(rows.map((r) => [r.recipient_email, r.offset_minutes, new Date(r.due_at).getTime()])).toEqual([
      [booker.email, 60, start.minus({ minutes: 60 }).toMillis()],
      [colleague.email, 120, start.minus({ minutes: 120 }).toMillis()],
      [colleague.email, 1440, start.minus({ minutes: 1440 }).toMillis()],
    ]);
    const moved = start.plus({ hours: 2 });
    await http()
      .patch(`/api/v1/bookings/${b.id}`)
      .set('Authorization', `Bearer ${booker.token}`)
      .send({ start: moved.toISO(), end: moved.plus({ hours: 2 }).toISO() })
      .expect(200);
    const after = await waitReminders(
      (r) =>
        r.length === 3 &&
        r.every((x) => new Date(x.due_at).getTime() > start.minus({ minutes: x.offset_minutes }).toMillis()),
    );
    expect(after.find((r) => r.recipient_email === booker.email)!.due_at).toEqual(
      moved.minus({ minutes: 60 }).toJSDate(),
    );

    // Due now: the claimer sends it, once.
    await sql(
      stack,
      `UPDATE booking_reminders SET due_at = now() WHERE booking_id = $1 AND recipient_email = $2`,
      [b.id, booker.email],
    );
    await mailbox.waitFor(() =>
      mailbox.to(booker.email).some((r) => r.mail.subject?.startsWith('Erinnerung')),
    );
    const reminder = mailbox.to(booker.email).find((r) => r.mail.subject?.startsWith('Erinnerung'))!;
    expect(reminder.mail.text).toContain('In 1 Stunde beginnt Ihre Buchung.');
    expect(inviteOf(reminder).method).toBe('REQUEST');

    await http()
      .post(`/api/v1/bookings/${b.id}/cancel`)
      .set('Authorization', `Bearer ${booker.token}`)
      .expect(200);
    const left = await waitReminders((r) => r.every((x) => x.status === 'claimed'));
    expect(left).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(mailbox.to(booker.email).filter((r) => r.mail.subject?.startsWith('Erinnerung'))).toHaveLength(1);
  });

  it('tells the operator, honours switched-off kinds, and sends a job run twice once', async () => {
    await http()
      .put('/api/v1/users/me/notification-preferences')
      .set('Authorization', `Bearer ${colleague.token}`)
      .send({ language: 'en', disabledKinds: ['booking-confirmed'], reminderOffsetsMinutes: null })
      .expect(200);
    const colleagueBefore = mailbox.to(colleague.email).length;
    const start = DateTime.fromObject(
      { year: nextYear, month: 7, day: 6, hour: 7 },
      { zone: 'Europe/Berlin' },
    );
    const b = await book(start, 4, ids.camera);
    await mailbox.waitFor(
      () =>
        mailbox.to('k.mueller@eschwege.example').length >= 1 &&
        mailbox.to(booker.email).some((r) => r.mail.subject?.includes('Kanalkamera')),
    );
    const op = mailbox.to('k.mueller@eschwege.example')[0];
    expect(op.mail.subject).toContain('Einsatz als Bediener für Kanalkamera Eschwege');
    expect(op.mail.text).toContain('Sie sind als Bediener eingeteilt.');
    const mine = mailbox.to(booker.email).find((r) => r.mail.subject?.includes('Kanalkamera'))!;
    expect(mine.mail.text).toContain('Bediener: Karl Müller');

    // Run the fan-out and the sends of this booking's event again: nothing new arrives.
    const [event] = await sql<{ id: string }>(
      stack,
      `SELECT id::text FROM booking_events WHERE booking_id = $1`,
      [b.id],
    );
    await stack.worker!.get(EventFanout).handle(event.id);
    const sent = await sql<{ id: string }>(stack, `SELECT id FROM notifications WHERE event_id = $1`, [
      event.id,
    ]);
    for (const n of sent)
      expect(await stack.worker!.get(NotificationSender).send(n.id, false)).toBe('skipped');
    await new Promise((r) => setTimeout(r, 1000));
    expect(mailbox.to(booker.email).filter((r) => r.mail.subject?.includes('Kanalkamera'))).toHaveLength(1);
    expect(mailbox.to(colleague.email)).toHaveLength(colleagueBefore);

    const bad = await http()
      .put('/api/v1/users/me/notification-preferences')
      .set('Authorization', `Bearer ${colleague.token}`)
      .send({ language: 'fr', disabledKinds: ['spam'], reminderOffsetsMinutes: [1] });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    const other = await http()
      .get(`/api/v1/users/${booker.id}/notification-preferences`)
      .set('Authorization', `Bearer ${colleague.token}`);
    expect(other.status).toBe(403);
    const mine2 = await http()
      .get('/api/v1/users/me/notification-preferences')
      .set('Authorization', `Bearer ${colleague.token}`);
    expect(mine2.body).toEqual({
      userId: colleague.id,
      language: 'en',
      disabledKinds: ['booking-confirmed'],
      reminderOffsetsMinutes: null,
    });
  });

  it('the sweeper queues again only a row whose job is lost, not one whose job still waits', async () => {
    // A pending row untouched for an hour, copied from a message the booker got.
    const [row] = await sql<{ id: string }>(
      stack,
      `INSERT INTO notifications (dedupe_key, kind, event_id, booking_id, user_id, recipient_email, recipient_name,
                                  language, facts, due_at, updated_at)
       SELECT 'test.sweeper.' || id, kind, NULL, booking_id, user_id, recipient_email, recipient_name, language,
              facts, now(), now() - interval '1 hour'
         FROM notifications WHERE recipient_email = $1 AND status = 'sent' AND kind = 'booking-confirmed'
        LIMIT 1
       RETURNING id`,
      [booker.email],
    );
    const queue = stack.worker!.get<Queue>(getQueueToken(QueueName.Notifications));
    const sweeper = stack.worker!.get(NotificationSweeper);
    const jobId = jobIds.sendNotification(row.id, 0);
    // Its job waits (delayed by ten minutes): a backlog, not a loss. Nothing is added.
    await queue.add(
      JobName.SendNotification,
      { notificationId: row.id, generation: 0 },
      { jobId, delay: 600_000 },
    );
    await sweeper.sweep(1000);
    const generation = async () =>
      (
        await sql<{ generation: number }>(stack, `SELECT generation FROM notifications WHERE id = $1`, [
          row.id,
        ])
      )[0].generation;
    expect(await generation()).toBe(0);
    // The job is gone (as with a flushed Redis): a new generation, a new job, and the mail goes out once.
    await (await queue.getJob(jobId))!.remove();
    await sweeper.sweep(1000);
    expect(await generation()).toBe(1);
    const messageId = `<${row.id}@allmende>`;
    await mailbox.waitFor(() => mailbox.received.some((r) => r.mail.messageId === messageId));
    await sweeper.sweep(1000);
    await new Promise((r) => setTimeout(r, 500));
    expect(mailbox.received.filter((r) => r.mail.messageId === messageId)).toHaveLength(1);
  });

  /** Pending rows copied from a message the booker got, one per address, untouched for an hour. */
  const pendingCopies = (tag: string, emails: string[]) =>
    sql<{ id: string; recipient_email: string }>(
      stack,
      `INSERT INTO notifications (dedupe_key, kind, event_id, booking_id, user_id, recipient_email, recipient_name,
                                  language, facts, due_at, updated_at)
       SELECT 'test.' || $2 || '.' || e.email, n.kind, NULL, n.booking_id, NULL, e.email, 'Test', n.language,
              n.facts, now(), now() - interval '1 hour'
         FROM (SELECT * FROM notifications WHERE recipient_email = $1 AND status = 'sent'
                AND kind = 'booking-confirmed' LIMIT 1) n
         CROSS JOIN unnest($3::text[]) WITH ORDINALITY AS e(email, i)
        ORDER BY e.i
       RETURNING id, recipient_email`,
      [booker.email, tag, emails],
    );
  const arrivals = (id: string) =>
    mailbox.received.filter((r) => r.mail.messageId === `<${id}@allmende>`).length;

  it('a send job carries several rows: the sweeper keeps away while it waits and queues its rows again once it is lost', async () => {
    const rows = await pendingCopies('batch-sweep', [
      'b1@batch.example',
      'b2@batch.example',
      'b3@batch.example',
    ]);
    const queue = stack.worker!.get<Queue>(getQueueToken(QueueName.Notifications));
    const ledger = stack.worker!.get(NotificationRepository);
    const sweeper = stack.worker!.get(NotificationSweeper);
    const jobId = jobIds.sendNotifications(rows.map((r) => ({ id: r.id, generation: 0 })));
    expect(jobId).toMatch(/^send-notifications\.[0-9a-f]{32}$/);
    // One job for the three rows, waiting ten minutes (a backlog): the sweeper adds nothing.
    await ledger.assignJobs(rows.map((r) => ({ id: r.id, jobId })));
    await queue.add(
      JobName.SendNotification,
      { notificationIds: rows.map((r) => r.id) },
      { jobId, delay: 600_000 },
    );
    await sweeper.sweep(1000);
    const state = () =>
      sql<{ generation: number; job_id: string }>(
        stack,
        `SELECT generation, job_id FROM notifications WHERE id = ANY($1::uuid[])`,
        [rows.map((r) => r.id)],
      );
    expect((await state()).map((r) => r.generation)).toEqual([0, 0, 0]);
    // The job is gone: the rows get a new generation and one new job between them, each mail goes out once.
    await (await queue.getJob(jobId))!.remove();
    await sweeper.sweep(1000);
    const after = await state();
    expect(after.map((r) => r.generation)).toEqual([1, 1, 1]);
    expect(new Set(after.map((r) => r.job_id)).size).toBe(1);
    expect(after[0].job_id).not.toBe(jobId);
    await mailbox.waitFor(() => rows.every((r) => arrivals(r.id) > 0));
    await sweeper.sweep(1000);
    await new Promise((r) => setTimeout(r, 500));
    expect(rows.map((r) => arrivals(r.id))).toEqual([1, 1, 1]);
  });

  it('a send job claims its rows at once; a refused one goes back to pending and the next run sends only it', async () => {
    const rows = await pendingCopies('batch-send', [
      'c1@batch.example',
      'c2@batch.example',
      'c3@batch.example',
    ]);
    const ids = rows.map((r) => r.id);
    mailbox.refused.add('c2@batch.example');
    const sender = stack.worker!.get(NotificationSender);
    const first = await sender.sendMany(ids, false);
    expect({ sent: first.sent, skipped: first.skipped, failed: first.failures.length }).toEqual({
      sent: 2,
      skipped: 0,
      failed: 1,
    });
    const statuses = async () =>
      (
        await sql<{ recipient_email: string; status: string; attempts: number }>(
          stack,
          `SELECT recipient_email, status, attempts FROM notifications WHERE id = ANY($1::uuid[]) ORDER BY recipient_email`,
          [ids],
        )
      ).map((r) => `${r.recipient_email} ${r.status} ${r.attempts}`);
    expect(await statuses()).toEqual([
      'c1@batch.example sent 1',
      'c2@batch.example pending 1',
      'c3@batch.example sent 1',
    ]);
    mailbox.refused.clear();
    const second = await sender.sendMany(ids, false);
    expect({ sent: second.sent, skipped: second.skipped, failed: second.failures.length }).toEqual({
      sent: 1,
      skipped: 2,
      failed: 0,
    });
    expect(rows.map((r) => arrivals(r.id))).toEqual([1, 1, 1]);
    // A row claimed but never handed to the server (its turn came too late) goes back, the try not counted.
    const [late] = await pendingCopies('batch-late', ['d1@batch.example']);
    const ledger = stack.worker!.get(NotificationRepository);
    const [claimed] = await ledger.claimMany([late.id], 60_000);
    expect(claimed.status).toBe('sending');
    expect(await ledger.claimMany([late.id], 60_000)).toEqual([]);
    // Not while another sender holds it (a later claim): only the claim's own try is handed back.
    await ledger.release(late.id, claimed.attempts + 1);
    expect((await ledger.statusesOf([late.id])).get(late.id)).toBe('sending');
    await ledger.release(late.id, claimed.attempts);
    const [back] = await sql<{ status: string; attempts: number }>(
      stack,
      `SELECT status, attempts FROM notifications WHERE id = $1`,
      [late.id],
    );
    expect(back).toEqual({ status: 'pending', attempts: 0 });
    // Not for the later sweeps of this suite, which count what arrives.
    await sql(stack, `DELETE FROM notifications WHERE id = $1`, [late.id]);
  });

  it('the mailer lets twice its connections go to the server at once and starts none whose time ran out', async () => {
    const mailer = stack.worker!.get(Mailer);
    const mail = (n: number) => ({
      messageId: `<mailer-gate-${n}@allmende>`,
      to: { name: 'Gate', address: `gate${n}@batch.example` },
      subject: `Gate ${n}`,
      text: 'x',
      html: '<p>x</p>',
    });
    await expect(mailer.send(mail(0), () => false)).rejects.toBeInstanceOf(LeaseSpent);
    mailbox.hold = { count: 1_000, ms: 1500 };
    let asked = 0;
    const sends = Array.from({ length: 2 * SMTP_POOL_CONNECTIONS + 3 }, (_, i) =>
      mailer.send(mail(i + 1), () => {
        asked++;
        return i < 2 * SMTP_POOL_CONNECTIONS + 2;
      }),
    );
    // The first ten are at the server (held there); three wait for a turn and are not asked yet.
    await new Promise((r) => setTimeout(r, 700));
    expect(asked).toBe(2 * SMTP_POOL_CONNECTIONS);
    mailbox.hold = { count: 0, ms: 0 };
    const results = await Promise.allSettled(sends);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2 * SMTP_POOL_CONNECTIONS + 2);
    expect((results.at(-1) as PromiseRejectedResult).reason).toBeInstanceOf(LeaseSpent);
    expect(mailbox.received.filter((r) => r.mail.subject?.startsWith('Gate '))).toHaveLength(
      2 * SMTP_POOL_CONNECTIONS + 2,
    );
  });

  it('the sweeper queues again an event whose fan-out job the queue lost (Redis killed without persistence)', async () => {
    const start = DateTime.fromObject(
      { year: nextYear, month: 9, day: 7, hour: 7 },
      { zone: 'Europe/Berlin' },
    );
    const b = await book(start, 2);
    await mailbox.waitFor(() =>
      mailbox.to(booker.email).some((r) => r.calendar && inviteOf(r).uid.includes(b.id)),
    );
    const [event] = await sql<{ id: string }>(
      stack,
      `SELECT id FROM booking_events WHERE booking_id = $1 AND kind = 'booking.created'`,
      [b.id],
    );
    // As if the relay had handed the event over an hour ago and the queue had lost the job.
    const [{ n }] = await sql<{ n: string }>(
      stack,
      `WITH d AS (DELETE FROM notifications WHERE event_id = $1 RETURNING 1) SELECT count(*) AS n FROM d`,
      [event.id],
    );
    expect(Number(n)).toBeGreaterThan(0);
    await sql(
      stack,
      `UPDATE booking_events SET fanned_out_at = NULL, delivered_at = now() - interval '1 hour' WHERE id = $1`,
      [event.id],
    );
    const queue = stack.worker!.get<Queue>(getQueueToken(QueueName.Notifications));
    await (await queue.getJob(jobIds.notifyEvent(event.id)))?.remove();
    const sweeper = stack.worker!.get(NotificationSweeper);
    const before = mailbox.received.length;
    await sweeper.sweep(1000);
    await mailbox.waitFor(() => mailbox.received.length >= before + Number(n));
    const fanned = await sql<{ at: string | null }>(
      stack,
      `SELECT fanned_out_at AS at FROM booking_events WHERE id = $1`,
      [event.id],
    );
    expect(fanned[0].at).not.toBeNull();
    // Once fanned out, a sweep adds nothing.
    await sweeper.sweep(1000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(mailbox.received.length).toBe(before + Number(n));
  });

  it('displacement by an emergency: the booker gets the alternatives and a CANCEL, the coordinators hear of it', async () => {
    const start = DateTime.fromObject(
      { year: nextYear, month: 8, day: 10, hour: 7 },
      { zone: 'Europe/Berlin' },
    );
    const normal = await book(start, 4);
    await mailbox.waitFor(() =>
      mailbox.to(booker.email).some((r) => r.calendar && inviteOf(r).uid.includes(normal.id)),
    );
    const res = await http()
      .post('/api/v1/bookings')
      .set('Authorization', `Bearer ${owner.token}`)
      .send({
        resourceId: ids.sweeper,
        municipalityId: ids.b,
        start: start.toISO(),
        end: start.plus({ hours: 2 }).toISO(),
        priority: 'emergency',
      });
    expect(res.status).toBe(201);
    await mailbox.waitFor(
      () =>
        mailbox.to(booker.email).some((r) => r.mail.subject?.startsWith('Buchung verdrängt')) &&
        mailbox.to(coordinator.email).length >= 2,
    );
    const displaced = mailbox.to(booker.email).find((r) => r.mail.subject?.startsWith('Buchung verdrängt'))!;
    expect(inviteOf(displaced)).toMatchObject({ method: 'CANCEL', sequence: 1 });
    expect(displaced.mail.text).toMatch(/Mögliche Alternativen|Eine Alternative gibt es derzeit nicht/);
    expect(subjects(mailbox.to(coordinator.email)).join('\n')).toContain('Buchung verdrängt');

    // The emergency is cancelled: the slot is offered to the displaced request.
    await http()
      .post(`/api/v1/bookings/${res.body.id}/cancel`)
      .set('Authorization', `Bearer ${owner.token}`)
      .expect(200);
    await mailbox.waitFor(() =>
      mailbox.to(booker.email).some((r) => r.mail.subject?.startsWith('Angebot von der Warteliste')),
    );
    const offer = mailbox
      .to(booker.email)
      .find((r) => r.mail.subject?.startsWith('Angebot von der Warteliste'))!;
    expect(offer.mail.text).toMatch(/POST \/api\/v1\/waitlist\/[0-9a-f-]{36}\/accept/);
  });

  it('statement issued: the finance users get the PDF and XLSX; a disabled webhook tells its owner', async () => {
    await sql(
      stack,
      `INSERT INTO booking_events (booking_id, municipality_id, kind, payload) VALUES
         (NULL, $1, 'statement.issued', $2), (NULL, $1, 'webhook.disabled', $3)`,
      [
        ids.a,
        JSON.stringify({
          poolId: ids.pool,
          municipalityId: ids.a,
          period: '2026-11',
          statementNumber: '2026-0007',
        }),
        JSON.stringify({
          endpointId: 'x',
          url: 'https://erp.example/hook',
          ownerUserId: coordinator.id,
          disabledAt: new Date().toISOString(),
          lastError: 'HTTP 500',
        }),
      ],
    );
    await wakeOutbox(stack);
    await mailbox.waitFor(
      () =>
        mailbox.to(finance.email).length >= 1 &&
        mailbox.to(coordinator.email).some((r) => r.mail.subject?.startsWith('Webhook')),
    );
    const st = mailbox.to(finance.email)[0];
    expect(st.mail.subject).toBe('Abrechnung 2026-0007: Bauhof-Verbund Ost, 2026-11');
    expect(st.mail.attachments.map((a) => a.filename).sort()).toEqual([
      'Abrechnung-2026-11.pdf',
      'Abrechnung-2026-11.xlsx',
    ]);
    expect(
      mailbox.to(coordinator.email).find((r) => r.mail.subject?.startsWith('Webhook'))!.mail.text,
    ).toContain('HTTP 500');
  });

  it('a send refused after the last try is listed as failed for admins and can be retried', async () => {
    mailbox.refused.add(owner.email);
    const start = DateTime.fromObject(
      { year: nextYear, month: 9, day: 14, hour: 7 },
      { zone: 'Europe/Berlin' },
    );
    const b = await book(start, 2);
    const rowFor = async () => {
      for (let i = 0; i < 200; i++) {
        const [row] = await sql<{ id: string; status: string }>(
          stack,
          `SELECT id, status FROM notifications WHERE booking_id = $1 AND recipient_email = $2`,
          [b.id, owner.email],
        );
        if (row && row.status !== 'sending') return row;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('no row');
    };
    const row = await rowFor();
    // The last try (as BullMQ's final attempt would run it).
    await sql(stack, `UPDATE notifications SET status = 'pending' WHERE id = $1 AND status <> 'sent'`, [
      row.id,
    ]);
    await expect(stack.worker!.get(NotificationSender).send(row.id, true)).rejects.toThrow();
    const failed = await http()
      .get('/api/v1/notifications?status=failed')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(failed.status).toBe(200);
    expect(failed.body.items.map((n: { id: string }) => n.id)).toContain(row.id);
    const forbidden = await http()
      .get('/api/v1/notifications?status=failed')
      .set('Authorization', `Bearer ${coordinator.token}`);
    expect(forbidden.status).toBe(403);
    mailbox.refused.clear();
    const retry = await http()
      .post(`/api/v1/notifications/${row.id}/retry`)
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(retry.status).toBe(200);
    await mailbox.waitFor(() =>
      mailbox.to(owner.email).some((r) => r.mail.subject?.includes(start.toFormat('dd.MM.yyyy'))),
    );
    const again = await http()
      .post(`/api/v1/notifications/${row.id}/retry`)
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect([409, 200]).toContain(again.status);
  });

  it('pool reminder offsets: members read, coordinators change, bad values are 422; the queue dashboard is for admins', async () => {
    const get = await http()
      .get(`/api/v1/pools/${ids.pool}/notification-settings`)
      .set('Authorization', `Bearer ${booker.token}`);
    expect(get.body).toEqual({ poolId: ids.pool, reminderOffsetsMinutes: [1440, 120] });
    await http()
      .put(`/api/v1/pools/${ids.pool}/notification-settings`)
      .set('Authorization', `Bearer ${booker.token}`)
      .send({ reminderOffsetsMinutes: [60] })
      .expect(403);
    const bad = await http()
      .put(`/api/v1/pools/${ids.pool}/notification-settings`)
      .set('Authorization', `Bearer ${coordinator.token}`)
      .send({ reminderOffsetsMinutes: [60, 60] });
    expect(bad.status).toBe(422);
    const ok = await http()
      .put(`/api/v1/pools/${ids.pool}/notification-settings`)
      .set('Authorization', `Bearer ${coordinator.token}`)
      .send({ reminderOffsetsMinutes: [120, 2880] });
    expect(ok.body.reminderOffsetsMinutes).toEqual([2880, 120]);

    expect((await http().get('/admin/queues')).status).toBe(401);
    expect((await http().get('/admin/queues').set('Authorization', `Bearer ${booker.token}`)).status).toBe(
      403,
    );
    const board = await http().get('/admin/queues/api/queues').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(board.status).toBe(200);
    expect(JSON.stringify(board.body)).toContain('notifications');
  });
});
