import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Browser sign-in.
 *
 * - users.password_hash: an argon2id hash (PHC string) or NULL (no password: API tokens only);
 *   users.language: the interface language the user chose ('de' by default).
 * - web_sessions: a signed-in browser. The session id and its CSRF token are random secrets kept
 *   in cookies; only their SHA-256 hashes are stored. A session ends when idle too long, at its
 *   absolute expiry, or when revoked (logout, password change, user disabled).
 * - sign_in_throttle: failed sign-ins per account (`account:<email>`) and per client address
 *   (`ip:<address>`) in the current window, and until when the key is locked out. In the database,
 *   so that every API replica counts the same failures.
 */
export class WebSignIn1765800000000 implements MigrationInterface {
  name = 'WebSignIn1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN password_hash text`);
    await q.query(`ALTER TABLE users ADD COLUMN password_changed_at timestamptz`);
    await q.query(
      `ALTER TABLE users ADD COLUMN language text NOT NULL DEFAULT 'de' CHECK (language IN ('de', 'en'))`,
    );
    await q.query(`
      CREATE TABLE web_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        session_hash text NOT NULL UNIQUE,
        csrf_hash text NOT NULL,
        created_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        client_address text,
        user_agent text
      )`);
    await q.query(`CREATE INDEX web_sessions_user_idx ON web_sessions (user_id) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE sign_in_throttle (
        key text PRIMARY KEY,
        failures integer NOT NULL CHECK (failures >= 0),
        window_started_at timestamptz NOT NULL,
        locked_until timestamptz
      )`);

    const admin = `(SELECT allmende_is_admin())`;
    const self = `(SELECT allmende_user_id())`;
    const policies: { table: string; using: string }[] = [
      { table: 'web_sessions', using: `${admin} OR user_id = ${self}` },
      // Counted before anyone is known: the sign-in's own (admin) business.
      { table: 'sign_in_throttle', using: admin },
    ];
    for (const p of policies) {
      await q.query(`ALTER TABLE ${p.table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${p.table} FORCE ROW LEVEL SECURITY`);
      await q.query(
        `CREATE POLICY ${p.table}_tenant ON ${p.table} FOR ALL USING (${p.using}) WITH CHECK (${p.using})`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sign_in_throttle`);
    await q.query(`DROP TABLE web_sessions`);
    await q.query(`ALTER TABLE users DROP COLUMN language`);
    await q.query(`ALTER TABLE users DROP COLUMN password_changed_at`);
    await q.query(`ALTER TABLE users DROP COLUMN password_hash`);
  }
}
