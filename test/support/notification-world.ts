import { Client } from 'pg';
import { OUTBOX_WAKE_SQL } from '@allmende/database';

export async function pg<T = Record<string, unknown>>(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export interface NotificationWorld {
  municipalityId: string;
  poolId: string;
  resourceIds: string[];
  /** Addresses of the municipality's yard managers: every booking message goes to each. */
  recipients: string[];
}

/** A municipality with `managers` yard managers, a pool, and `machines` machines, written as the owner. */
export async function seedNotificationWorld(
  url: string,
  managers: number,
  machines = 1,
): Promise<NotificationWorld> {
  const [m] = await pg<{ id: string }>(
    url,
    `INSERT INTO municipalities (name, ags, population, lat, lon) VALUES ('Eschwege', '06636003', 19500, 51.185, 10.056) RETURNING id`,
  );
  const [p] = await pg<{ id: string }>(
    url,
    `INSERT INTO pools (name, field_of_action) VALUES ('Bauhof-Verbund Ost', 'building-yard') RETURNING id`,
  );
  await pg(
    url,
    `INSERT INTO pool_members (pool_id, municipality_id, joined_on) VALUES ($1, $2, '2025-01-01')`,
    [p.id, m.id],
  );
  const resources = await pg<{ id: string }>(
    url,
    `INSERT INTO resources (pool_id, kind, name, type, home_municipality_id)
     SELECT $1, 'machine', 'Kehrmaschine ' || g, 'street-sweeper', $2 FROM generate_series(1, $3) g RETURNING id`,
    [p.id, m.id, machines],
  );
  const users = await pg<{ email: string }>(
    url,
    `INSERT INTO users (email, name, role, municipality_id)
     SELECT 'yard' || g || '@eschwege.example', 'Yard ' || g, 'yard-manager', $1 FROM generate_series(1, $2) g
     RETURNING email`,
    [m.id, managers],
  );
  return {
    municipalityId: m.id,
    poolId: p.id,
    resourceIds: resources.map((r) => r.id),
    recipients: users.map((u) => u.email),
  };
}

/**
 * `count` bookings one hour apart from `firstStart`, each with its outbox event, committed as the
 * API commits them (booking and event in one transaction), so only the relay can deliver them.
 */
export async function commitBookingsWithEvents(
  url: string,
  w: NotificationWorld,
  count: number,
  firstStart: Date,
): Promise<string[]> {
  const rows = await pg<{ id: string }>(
    url,
    `WITH b AS (
       INSERT INTO bookings (pool_id, resource_id, municipality_id, site_municipality_id, start_at, end_at, blocked_start, blocked_end)
       SELECT $1, $2, $3, $3, $4::timestamptz + (g || ' hours')::interval, $4::timestamptz + (g || ' hours')::interval + interval '30 minutes',
              $4::timestamptz + (g || ' hours')::interval, $4::timestamptz + (g || ' hours')::interval + interval '30 minutes'
         FROM generate_series(0, $5 - 1) g RETURNING id, municipality_id),
     e AS (INSERT INTO booking_events (booking_id, municipality_id, kind, payload)
           SELECT id, municipality_id, 'booking.created', '{"sequence":0}' FROM b)
     SELECT id FROM b`,
    [w.poolId, w.resourceIds[0], w.municipalityId, firstStart.toISOString(), count],
  );
  await pg(url, OUTBOX_WAKE_SQL); // as the API does once its work has committed
  return rows.map((r) => r.id);
}

/**
 * `count` bookings spread over the machines, with one reminder per booking and recipient, due at
 * `dueAt` (spread over `spreadMs`); the outbox rows are marked delivered, so only reminders go out.
 */
export async function seedDueReminders(
  url: string,
  w: NotificationWorld,
  count: number,
  dueAt: Date,
  spreadMs = 0,
): Promise<number> {
  await pg(
    url,
    `WITH b AS (
       INSERT INTO bookings (pool_id, resource_id, municipality_id, site_municipality_id, start_at, end_at, blocked_start, blocked_end)
       SELECT $1, ($2::uuid[])[1 + (g % array_length($2::uuid[], 1))], $3, $3, s, s + interval '30 minutes', s, s + interval '30 minutes'
         FROM generate_series(0, $4 - 1) g,
              LATERAL (SELECT now() + interval '2 days' + ((g / array_length($2::uuid[], 1)) || ' hours')::interval AS s) t
       RETURNING id, start_at)
     INSERT INTO booking_reminders (booking_id, recipient_key, user_id, recipient_email, recipient_name, language,
                                    offset_minutes, start_at, due_at)
     SELECT b.id, 'user:' || u.id, u.id, u.email, u.name, 'de', 1440, b.start_at,
            $5::timestamptz + (random() * $6) * interval '1 millisecond'
       FROM b CROSS JOIN (SELECT id, email, name FROM users WHERE municipality_id = $3 AND role = 'yard-manager') u`,
    [w.poolId, w.resourceIds, w.municipalityId, count, dueAt.toISOString(), spreadMs],
  );
  const [n] = await pg<{ n: string }>(url, `SELECT count(*) AS n FROM booking_reminders`);
  return Number(n.n);
}
