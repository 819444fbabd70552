import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { loadConfig } from '@allmende/config';
import { FixedClock } from '@allmende/core';
import { CREDENTIAL_CACHE_MS } from '@allmende/auth';
import { openQueueConnection } from '@allmende/queue';
import { createTestDatabase, TEST_REDIS_URL, TestDatabase, testQueuePrefix } from '@allmende/testing';
import { createApiApp } from '../apps/api/src/create-api-app';
import { ADMIN_TOKEN, TEST_NOW } from './support/test-app';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * Two API processes' worth of apps on one database and one Redis (as two replicas behind the
 * proxy): what one counts or revokes, the other sees, with no coordination of their own.
 */
describe('two API replicas on one database and one Redis', () => {
  let db: TestDatabase;
  let dataDir: string;
  const queue = openQueueConnection({ kind: 'redis', url: TEST_REDIS_URL });
  const apps: INestApplication[] = [];
  const http = (i: number) => request(apps[i].getHttpServer());

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'allmende-test-'));
    const runtime = {
      config: loadConfig({
        ALLMENDE_ADMIN_TOKEN: ADMIN_TOKEN,
        LOG_LEVEL: 'silent',
        ALLMENDE_DATA_DIR: dataDir,
        ALLMENDE_RATE_LIMIT: '40',
      }),
      clock: new FixedClock(TEST_NOW),
      databaseUrl: db.url,
      databasePoolSize: 3,
      preparedStatements: true,
      queueConnection: queue.connection,
      queuePrefix: testQueuePrefix(),
    };
    for (let i = 0; i < 2; i++) {
      const app = await createApiApp(runtime, { shutdownHooks: false });
      await app.init();
      apps.push(app);
    }
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await queue.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function newUser(email: string): Promise<{ id: string; token: string; tokenId: string }> {
    const res = await http(0)
      .post('/api/v1/users')
      .set(admin)
      .send({ email, name: email, role: 'admin' })
      .expect(201);
    return { id: res.body.id, token: res.body.token, tokenId: res.body.tokenDetails.id };
  }

  it('counts one rate limit per token over both replicas (Redis), not one per replica', async () => {
    const u = await newUser('counted@example.org');
    const statuses: number[] = [];
    for (let i = 0; i < 42; i++)
      statuses.push(
        (
          await http(i % 2)
            .get('/api/v1/me')
            .set(bearer(u.token))
        ).status,
      );
    // ALLMENDE_RATE_LIMIT=40 per minute: forty answers in all, then 429 on either replica.
    expect(statuses.slice(0, 40)).toEqual(Array(40).fill(200));
    expect(statuses.slice(40)).toEqual([429, 429]);
  });

  it('a token revoked on one replica is refused there at once and on the other within the cache time', async () => {
    const u = await newUser('revoked@example.org');
    // Both replicas have the credential cached now.
    await http(0).get('/api/v1/me').set(bearer(u.token)).expect(200);
    await http(1).get('/api/v1/me').set(bearer(u.token)).expect(200);
    const revokedAt = Date.now();
    await http(0).post(`/api/v1/tokens/${u.tokenId}/revoke`).set(admin).expect(200);
    await http(0).get('/api/v1/me').set(bearer(u.token)).expect(401);
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < CREDENTIAL_CACHE_MS + 2000) {
      status = (await http(1).get('/api/v1/me').set(bearer(u.token))).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 500));
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThanOrEqual(CREDENTIAL_CACHE_MS + 2000);
  });
});
