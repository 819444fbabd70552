import { Socket } from 'node:net';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR, type Actor } from '@allmende/core';
import { createTestDatabase, TestDatabase } from '@allmende/testing';
import { APP_ROLE } from './app-role';
import { createDataSource } from './data-source';
import { MunicipalityEntity } from './entities';
import { UnitOfWork } from './unit-of-work';

describe('UnitOfWork', () => {
  let db: TestDatabase;
  let source: DataSource;
  let uow: UnitOfWork;
  const ids: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    // Prepared statements on: the pool's clients run in pipeline mode, as the API's and the worker's do.
    source = await createDataSource({
      url: db.url,
      poolSize: 4,
      applicationName: 'uow-spec',
      preparedStatements: true,
    }).initialize();
    uow = new UnitOfWork(source, { preparedStatements: true });
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO municipalities (name, ags, population, lat, lon)
         VALUES ('Eschwege', '06636003', 19000, 51.19, 10.05), ('Witzenhausen', '06636016', 15000, 51.34, 9.86)
         RETURNING id`,
      );
      ids.push(...rows.map((r) => r.id));
      // A constraint checked at COMMIT, for the statement that ends its transaction.
      await client.query(`CREATE TABLE uow_spec_marks (id int, CONSTRAINT uow_spec_marks_once UNIQUE (id)
                          DEFERRABLE INITIALLY DEFERRED)`);
      await client.query(`GRANT SELECT, INSERT ON uow_spec_marks TO ${APP_ROLE}`);
    } finally {
      await client.end();
    }
  });

  afterAll(async () => {
    await source.destroy();
    await db.drop();
  });

  const settings = () =>
    uow.query<{ user: string; role: string; municipality: string; members: string }>(
      'spec_settings',
      `SELECT current_user AS user, current_setting('allmende.role') AS role,
              current_setting('allmende.municipality_id') AS municipality,
              current_setting('allmende.member_pool_ids') AS members`,
      [],
    );

  it('runs as the app role with the tenant set, on every pooled connection again', async () => {
    const yardManager: Actor = {
      userId: null,
      tokenName: 'spec',
      role: 'yard-manager',
      municipalityId: ids[0],
      poolIds: [],
    };
    for (let i = 0; i < 6; i++) {
      const [admin] = await uow.run(SYSTEM_ACTOR, settings);
      expect(admin).toEqual({ user: 'allmende_app', role: 'admin', municipality: '', members: '' });
      const [municipal] = await uow.run(yardManager, settings);
      expect(municipal).toEqual({
        user: 'allmende_app',
        role: 'yard-manager',
        municipality: ids[0],
        members: '',
      });
    }
  });

  it('sets the tenant in the first statement when asked to, and never runs a statement without it', async () => {
    const yardManager: Actor = {
      userId: null,
      tokenName: 'spec',
      role: 'yard-manager',
      municipalityId: ids[0],
      poolIds: [],
    };
    const lockNothing = () =>
      uow.queryAsTenant<{ p: { locked: unknown[]; placement: unknown } }>(
        'spec_lock_and_place',
        'SELECT allmende_lock_and_place($1, $2, $3, $4, $5, $6, now(), now(), $7, now(), $8, $8, current_date, current_date) AS p',
        [[ids[0]], ids[0], [], ids[0]],
      );
    // The hot path: the locking function sets the tenant and switches to the app role.
    const first = await uow.run(
      yardManager,
      async () => {
        expect(() => uow.manager()).toThrow(/tenant/);
        const [{ p }] = await lockNothing();
        expect(p).toEqual({ locked: [], placement: null, member_pools: '' });
        return (await settings())[0];
      },
      { tenantInFirstStatement: true },
    );
    expect(first).toEqual({ user: 'allmende_app', role: 'yard-manager', municipality: ids[0], members: '' });
    // Any other first statement gets the tenant statement before it.
    const other = await uow.run(SYSTEM_ACTOR, async () => (await settings())[0], {
      tenantInFirstStatement: true,
    });
    expect(other).toEqual({ user: 'allmende_app', role: 'admin', municipality: '', members: '' });
    // Joining a unit of work that set its tenant: the function leaves the settings as they are.
    const nested = await uow.run(yardManager, async () => {
      await lockNothing();
      return (await settings())[0];
    });
    expect(nested).toEqual({ user: 'allmende_app', role: 'yard-manager', municipality: ids[0], members: '' });
  });

  it('undoes all a failed unit of work wrote, TypeORM saves included, and hands on clean connections', async () => {
    const count = async () => {
      const [row] = await source.query<{ n: string; population: number }[]>(
        'SELECT count(*) AS n, sum(population)::int AS population FROM municipalities',
      );
      return row;
    };
    const before = await count();
    await expect(
      uow.run(SYSTEM_ACTOR, async () => {
        await uow.query('spec_settings_first', 'SELECT 1', []);
        // save() opens a transaction of its own unless it sees one: it must see this one.
        await uow
          .manager()
          .getRepository(MunicipalityEntity)
          .save({ name: 'Sontra', ags: '06636014', population: 7800, lat: 51.07, lon: 9.93 });
        await uow.manager().query('UPDATE municipalities SET population = 0 WHERE id = $1', [ids[0]]);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await count()).toEqual(before);
    // Every pooled connection starts the next unit of work with its own tenant, outside any transaction.
    for (let i = 0; i < 8; i++) {
      const [s] = await uow.run(SYSTEM_ACTOR, settings);
      expect(s.role).toBe('admin');
    }
  });

  it('runs a transaction again that PostgreSQL chose as a deadlock victim', async () => {
    let attempts = 0;
    let firstLocks = 0;
    let bothHoldOne: () => void = () => undefined;
    const barrier = new Promise<void>((resolve) => (bothHoldOne = resolve));
    const lockBoth = (first: string, second: string) =>
      uow.run(SYSTEM_ACTOR, async () => {
        attempts++;
        await uow.manager().query('SELECT 1 FROM municipalities WHERE id = $1 FOR UPDATE', [first]);
        if (++firstLocks === 2) bothHoldOne();
        await barrier;
        await uow.manager().query('SELECT 1 FROM municipalities WHERE id = $1 FOR UPDATE', [second]);
        await uow
          .manager()
          .query('UPDATE municipalities SET population = population + 1 WHERE id = $1', [second]);
      });

    await Promise.all([lockBoth(ids[0], ids[1]), lockBoth(ids[1], ids[0])]);

    expect(attempts).toBe(3);
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ population: number }>(
        'SELECT population FROM municipalities WHERE id = ANY($1::uuid[]) ORDER BY ags',
        [ids],
      );
      // Both transactions committed once each: the victim's first attempt left nothing behind.
      expect(rows.map((r) => r.population)).toEqual([19001, 15001]);
    } finally {
      await client.end();
    }
  });

  describe('the writes of a transaction', () => {
    const mark = (id: unknown, last = true) =>
      uow.query('spec_mark', 'INSERT INTO uow_spec_marks (id) VALUES ($1)', [id], { last });
    const marked = async (id: number) => {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT 1 FROM uow_spec_marks WHERE id = $1', [id]);
        return rows.length;
      } finally {
        await client.end();
      }
    };

    /** What the pool's sockets write while `work` runs, one string per write. */
    async function writesDuring(work: () => Promise<unknown>): Promise<string[]> {
      const writes: string[] = [];
      const proto = Socket.prototype as unknown as Record<'_write' | '_writev', (...a: unknown[]) => unknown>;
      const original = { write: proto._write, writev: proto._writev };
      proto._write = function (this: Socket, chunk: unknown, ...rest: unknown[]) {
        writes.push(String(chunk));
        return original.write.call(this, chunk, ...rest);
      };
      proto._writev = function (this: Socket, ...args: unknown[]) {
        const [chunks, ...rest] = args as [{ chunk: unknown }[], ...unknown[]];
        writes.push(chunks.map((c) => String(c.chunk)).join(''));
        return original.writev.call(this, chunks, ...rest);
      };
      try {
        await work();
      } finally {
        proto._write = original.write;
        proto._writev = original.writev;
      }
      return writes;
    }

    it('leave in one write when the last statement says so: BEGIN, the tenant, the statement and COMMIT', async () => {
      await uow.run(SYSTEM_ACTOR, () => mark(1)); // prepares the statement on some connection
      const writes = await writesDuring(() => uow.run(SYSTEM_ACTOR, () => mark(2)));
      expect(writes).toHaveLength(1);
      expect(writes[0]).toMatch(/BEGIN[\s\S]*allmende_tenant[\s\S]*spec_mark[\s\S]*COMMIT/);
      expect(await marked(2)).toBe(1);
      // Without `last`: the opening leaves with the first statement, COMMIT after the work.
      const plain = await writesDuring(() => uow.run(SYSTEM_ACTOR, () => mark(3, false)));
      expect(plain).toHaveLength(2);
      expect(plain[0]).toMatch(/BEGIN[\s\S]*spec_mark/);
      expect(plain[1]).toMatch(/COMMIT/);
    });

    it('commits with the last statement: other sessions see its row before the work returns', async () => {
      const seen = await uow.run(SYSTEM_ACTOR, async () => {
        await mark(10);
        return marked(10);
      });
      expect(seen).toBe(1);
    });

    it('never ends a transaction that goes on: inside a savepoint or a joined unit of work, `last` changes nothing', async () => {
      await expect(
        uow.run(SYSTEM_ACTOR, async () => {
          await uow.savepoint(() => mark(20));
          await uow.run(SYSTEM_ACTOR, () => mark(21));
          expect(await marked(20)).toBe(0);
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      expect(await marked(20)).toBe(0);
      expect(await marked(21)).toBe(0);
    });

    it('a failed last statement, or a COMMIT refused by a deferred constraint, is the error; nothing stays', async () => {
      await expect(uow.run(SYSTEM_ACTOR, () => mark('not a number'))).rejects.toThrow(/invalid input syntax/);
      const refused = uow.run(SYSTEM_ACTOR, async () => {
        await mark(30, false);
        await mark(30);
      });
      await expect(refused).rejects.toMatchObject({ code: '23505' });
      expect(await marked(30)).toBe(0);
      // The connections go on clean.
      for (let i = 0; i < 8; i++) {
        await uow.run(SYSTEM_ACTOR, () => mark(31 + i));
        expect(await marked(31 + i)).toBe(1);
      }
    });

    describe('outbox rows', () => {
      /** Each wake-up, with whether the row `id` was visible to other sessions by then. */
      const wakeUps: Promise<number>[] = [];
      const watch = (id: number) => uow.whenOutboxCommitted(() => void wakeUps.push(marked(id)));
      beforeEach(() => void (wakeUps.length = 0));
      afterAll(() => uow.whenOutboxCommitted(() => undefined));

      it('wake the relay once, after the commit that made them visible, also with `last` and joined work', async () => {
        watch(50);
        await uow.run(SYSTEM_ACTOR, async () => {
          await uow.run(SYSTEM_ACTOR, async () => {
            await mark(50, false);
            uow.outboxWritten();
          });
          uow.outboxWritten();
          expect(wakeUps).toHaveLength(0);
        });
        expect(await Promise.all(wakeUps)).toEqual([1]);

        wakeUps.length = 0;
        watch(51);
        await uow.run(SYSTEM_ACTOR, async () => {
          await mark(51); // ends the transaction with its COMMIT
          uow.outboxWritten();
        });
        expect(await Promise.all(wakeUps)).toEqual([1]);
      });

      it('never wake it for rows rolled back, nor for work that wrote none; outside a unit of work at once', async () => {
        watch(52);
        await expect(
          uow.run(SYSTEM_ACTOR, async () => {
            await mark(52, false);
            uow.outboxWritten();
            throw new Error('refused');
          }),
        ).rejects.toThrow('refused');
        await uow.run(SYSTEM_ACTOR, () => mark(53));
        expect(wakeUps).toHaveLength(0);

        uow.outboxWritten();
        expect(wakeUps).toHaveLength(1);
        expect(await Promise.all(wakeUps)).toEqual([0]); // and its check is done before the file ends
      });
    });

    it('sends the opening on the next turn of the event loop when the work waits before its first statement', async () => {
      const [s] = await uow.run(SYSTEM_ACTOR, async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return settings();
      });
      expect(s.role).toBe('admin');
    });
  });
});
