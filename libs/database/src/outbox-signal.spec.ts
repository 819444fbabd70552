import { Client, Notification } from 'pg';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '@allmende/core';
import { createTestDatabase, TestDatabase } from '@allmende/testing';
import { createDataSource } from './data-source';
import { OutboxSignal } from './outbox-signal';
import { UnitOfWork } from './unit-of-work';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('OutboxSignal', () => {
  let db: TestDatabase;
  let source: DataSource;
  let uow: UnitOfWork;
  let signal: OutboxSignal;
  let listener: Client;
  const heard: Notification[] = [];
  const heardAt: number[] = [];
  let municipalityId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    source = await createDataSource({
      url: db.url,
      poolSize: 4,
      applicationName: 'outbox-signal-spec',
      preparedStatements: true,
    }).initialize();
    uow = new UnitOfWork(source, { preparedStatements: true });
    signal = new OutboxSignal(
      { url: db.url, poolSize: 4, applicationName: 'outbox-signal-spec', preparedStatements: true },
      source,
      uow,
    );
    listener = new Client({ connectionString: db.url });
    await listener.connect();
    listener.on('notification', (n) => {
      heard.push(n);
      heardAt.push(Date.now());
    });
    await listener.query('LISTEN allmende_outbox');
    const { rows } = await listener.query<{ id: string }>(
      `INSERT INTO municipalities (name, ags, population, lat, lon)
       VALUES ('Eschwege', '06636003', 19000, 51.19, 10.05) RETURNING id`,
    );
    municipalityId = rows[0].id;
  });

  afterAll(async () => {
    await signal.onModuleDestroy();
    await listener.end();
    await source.destroy();
    await db.drop();
  });

  beforeEach(() => {
    heard.length = 0;
    heardAt.length = 0;
  });

  /** An outbox row, through the running unit of work's transaction or on its own. */
  const writeEvent = () =>
    uow
      .manager()
      .query(`INSERT INTO booking_events (municipality_id, kind, payload) VALUES ($1, 'spec.event', '{}')`, [
        municipalityId,
      ]);

  it('no longer comes from inside the transaction: an outbox row alone notifies nobody', async () => {
    await writeEvent();
    await sleep(300);
    expect(heard).toHaveLength(0);
  });

  it('wakes the listening relay after a unit of work that wrote outbox rows commits', async () => {
    await uow.run(SYSTEM_ACTOR, async () => {
      await writeEvent();
      uow.outboxWritten();
    });
    for (let i = 0; i < 50 && heard.length === 0; i++) await sleep(20);
    expect(heard.map((n) => n.channel)).toEqual(['allmende_outbox']);
  });

  it('sends a burst of commits as a few wake-ups, the last one after the last commit', async () => {
    let committed = 0;
    let lastCommitAt = 0;
    await Promise.all(
      Array.from({ length: 40 }, () =>
        uow
          .run(SYSTEM_ACTOR, async () => {
            await writeEvent();
            uow.outboxWritten();
          })
          .then(() => {
            committed++;
            lastCommitAt = Date.now();
          }),
      ),
    );
    expect(committed).toBe(40);
    await sleep(300);
    // A wake-up follows the last commit (the one under way when it came is sent again), and there
    // are far fewer than one per commit.
    expect(Math.max(...heardAt)).toBeGreaterThanOrEqual(lastCommitAt);
    expect(heard.length).toBeLessThan(40);
  });

  it('sends nothing on a server whose connections share one session (the embedded PGlite)', async () => {
    const embedded = new OutboxSignal(
      { url: db.url, poolSize: 4, applicationName: 'outbox-signal-spec', preparedStatements: false },
      source,
      new UnitOfWork(source, {}),
    );
    embedded.wake();
    await sleep(200);
    expect(heard).toHaveLength(0);
  });
});
