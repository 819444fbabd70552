import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The booking domain: pools and their members, machines and staff, blackouts, bookings with the
 * exclusion constraint that makes overlaps impossible, waitlist, booking events (the outbox that
 * notifications read), usage records, users and API tokens.
 */
export class PoolsResourcesBookings1764000001000 implements MigrationInterface {
  name = 'PoolsResourcesBookings1764000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE pools (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(trim(name)) > 0),
        field_of_action text NOT NULL,
        cost_sharing jsonb NOT NULL DEFAULT '{"key":"equal"}',
        cost_sharing_valid_from date,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE pool_members (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        pool_id uuid NOT NULL REFERENCES pools(id),
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        joined_on date NOT NULL,
        left_on date,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (left_on IS NULL OR left_on > joined_on),
        EXCLUDE USING gist (pool_id WITH =, municipality_id WITH =,
          daterange(joined_on, left_on, '[)') WITH &&)
      )`);
    await q.query(`CREATE INDEX pool_members_municipality_idx ON pool_members (municipality_id)`);
    await q.query(`
      CREATE TABLE pool_travel_times (
        pool_id uuid NOT NULL REFERENCES pools(id),
        from_municipality_id uuid NOT NULL REFERENCES municipalities(id),
        to_municipality_id uuid NOT NULL REFERENCES municipalities(id),
        minutes integer NOT NULL CHECK (minutes >= 0 AND minutes <= 1440),
        PRIMARY KEY (pool_id, from_municipality_id, to_municipality_id)
      )`);
    await q.query(`
      CREATE TABLE resources (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        pool_id uuid NOT NULL REFERENCES pools(id),
        kind text NOT NULL CHECK (kind IN ('machine', 'staff')),
        name text NOT NULL CHECK (length(trim(name)) > 0),
        type text NOT NULL,
        home_municipality_id uuid NOT NULL REFERENCES municipalities(id),
        attributes jsonb NOT NULL DEFAULT '{}',
        qualifications text[] NOT NULL DEFAULT '{}',
        required_qualification text,
        hourly_rate_cents integer NOT NULL DEFAULT 0 CHECK (hourly_rate_cents >= 0),
        per_use_cents integer NOT NULL DEFAULT 0 CHECK (per_use_cents >= 0),
        annual_fixed_cost_cents bigint NOT NULL DEFAULT 0 CHECK (annual_fixed_cost_cents >= 0),
        transport_speed_kmh integer CHECK (transport_speed_kmh > 0),
        next_inspection_due date,
        weekly_hours numeric(4,1) CHECK (weekly_hours > 0 AND weekly_hours <= 60),
        working_hours jsonb,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (kind = 'staff' OR required_qualification IS NULL OR length(required_qualification) > 0)
      )`);
    await q.query(`CREATE INDEX resources_pool_type_idx ON resources (pool_id, type) WHERE active`);
    await q.query(`
      CREATE TABLE blackouts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        resource_id uuid NOT NULL REFERENCES resources(id),
        start_at timestamptz NOT NULL,
        end_at timestamptz NOT NULL,
        reason text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (end_at > start_at)
      )`);
    await q.query(
      `CREATE INDEX blackouts_resource_idx ON blackouts USING gist (resource_id, tstzrange(start_at, end_at, '[)'))`,
    );
    await q.query(`
      CREATE TABLE bookings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        pool_id uuid NOT NULL REFERENCES pools(id),
        resource_id uuid NOT NULL REFERENCES resources(id),
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        site_municipality_id uuid NOT NULL REFERENCES municipalities(id),
        start_at timestamptz NOT NULL,
        end_at timestamptz NOT NULL,
        blocked_start timestamptz NOT NULL,
        blocked_end timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled', 'displaced')),
        priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('normal', 'emergency')),
        operator_for_booking_id uuid REFERENCES bookings(id),
        series_id uuid,
        notes text,
        contact text,
        sequence integer NOT NULL DEFAULT 0,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (end_at > start_at),
        CHECK (blocked_start <= start_at AND blocked_end >= end_at),
        CONSTRAINT bookings_no_overlap EXCLUDE USING gist (
          resource_id WITH =, tstzrange(blocked_start, blocked_end, '[)') WITH &&
        ) WHERE (status = 'active')
      )`);
    await q.query(`CREATE INDEX bookings_municipality_idx ON bookings (municipality_id, start_at)`);
    await q.query(
      `CREATE INDEX bookings_resource_start_idx ON bookings (resource_id, start_at) WHERE status = 'active'`,
    );
    await q.query(`CREATE INDEX bookings_pool_start_idx ON bookings (pool_id, start_at)`);
    await q.query(
      `CREATE INDEX bookings_operator_idx ON bookings (operator_for_booking_id) WHERE operator_for_booking_id IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE booking_usages (
        booking_id uuid PRIMARY KEY REFERENCES bookings(id),
        operating_hours numeric(8,2) CHECK (operating_hours >= 0),
        meter_start numeric(12,2),
        meter_end numeric(12,2),
        notes text,
        recorded_by uuid,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CHECK (meter_start IS NULL OR meter_end IS NULL OR meter_end >= meter_start)
      )`);
    await q.query(`
      CREATE TABLE waitlist_entries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        pool_id uuid NOT NULL REFERENCES pools(id),
        resource_type text NOT NULL,
        resource_id uuid REFERENCES resources(id),
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        site_municipality_id uuid NOT NULL REFERENCES municipalities(id),
        start_at timestamptz NOT NULL,
        end_at timestamptz NOT NULL,
        priority text NOT NULL DEFAULT 'normal',
        reason text NOT NULL CHECK (reason IN ('displaced', 'no-slot')),
        displaced_booking_id uuid REFERENCES bookings(id),
        status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'offered', 'fulfilled', 'withdrawn')),
        offer jsonb,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (end_at > start_at)
      )`);
    await q.query(
      `CREATE INDEX waitlist_pool_type_idx ON waitlist_entries (pool_id, resource_type, created_at) WHERE status = 'waiting'`,
    );
    await q.query(`
      CREATE TABLE booking_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        booking_id uuid REFERENCES bookings(id),
        waitlist_entry_id uuid REFERENCES waitlist_entries(id),
        municipality_id uuid NOT NULL REFERENCES municipalities(id),
        kind text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX booking_events_undelivered_idx ON booking_events (id) WHERE delivered_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'coordinator', 'yard-manager', 'finance', 'viewer')),
        municipality_id uuid REFERENCES municipalities(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        disabled_at timestamptz,
        CHECK (role = 'admin' OR municipality_id IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_idx ON users (lower(email))`);
    await q.query(`
      CREATE TABLE user_pools (
        user_id uuid NOT NULL REFERENCES users(id),
        pool_id uuid NOT NULL REFERENCES pools(id),
        PRIMARY KEY (user_id, pool_id)
      )`);
    await q.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX api_tokens_user_idx ON api_tokens (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'api_tokens',
      'user_pools',
      'users',
      'booking_events',
      'waitlist_entries',
      'booking_usages',
      'bookings',
      'blackouts',
      'resources',
      'pool_travel_times',
      'pool_members',
      'pools',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
