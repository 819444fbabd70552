import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR, type Actor } from '@allmende/core';
import { createTestDatabase, TestDatabase } from '@allmende/testing';
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
});
