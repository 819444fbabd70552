import * as fs from 'node:fs';
import * as path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- subpath export, invisible to moduleResolution node
const { btree_gist } = require('@electric-sql/pglite/contrib/btree_gist') as {
  btree_gist: import('@electric-sql/pglite').Extension;
};
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * The embedded default: PGlite (PostgreSQL compiled to WASM) with btree_gist, served over the
 * PostgreSQL wire protocol so TypeORM, pg and BullMQ connect to it like to any PostgreSQL.
 */
export interface EmbeddedPostgres {
  readonly url: string;
  readonly dataDir: string;
  stop(): Promise<void>;
}

export class EmbeddedDatabaseError extends Error {
  override name = 'EmbeddedDatabaseError';
}

export interface EmbeddedPostgresOptions {
  /** The allmende data folder; the database lives in its `pgdata` sub-folder. */
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /** PGlite runs one transaction at a time; every client pool together must stay below this. */
  maxConnections: number;
}

const LOCK_FILE = 'embedded-db.pid';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** PGlite's files must never be opened by two processes: a pid file guards the data folder. */
function claimDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE);
  if (fs.existsSync(lockPath)) {
    const pid = Number(fs.readFileSync(lockPath, 'utf8').trim());
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
      throw new EmbeddedDatabaseError(
        `The embedded database in ${dataDir} is in use by process ${pid}. ` +
          'Stop that process, or set DATABASE_URL to share a real PostgreSQL between processes.',
      );
    }
  }
  fs.writeFileSync(lockPath, String(process.pid));
  return () => fs.rmSync(lockPath, { force: true });
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  if (
    !process.execArgv.includes('--experimental-vm-modules') &&
    !/--experimental-vm-modules/.test(process.env.NODE_OPTIONS ?? '')
  ) {
    throw new EmbeddedDatabaseError(
      'The embedded database (PGlite) needs Node started with --experimental-vm-modules; use `npm start`, or set DATABASE_URL.',
    );
  }
  const release = claimDataDir(options.dataDir);
  const pgdata = path.join(options.dataDir, 'pgdata');
  let db: PGlite | undefined;
  try {
    db = await PGlite.create({ dataDir: pgdata, extensions: { btree_gist } });
    // PGlite is a single session shared by every socket connection, and it ignores the
    // `-c search_path` startup option BullMQ's backend relies on: set the path once here.
    // Our tables come first so that unqualified DDL of our migrations lands in `public`.
    await db.exec('CREATE SCHEMA IF NOT EXISTS bullmq; SET search_path TO public, bullmq;');
    const server = new PGLiteSocketServer({
      db,
      host: '127.0.0.1',
      port: options.port,
      maxConnections: options.maxConnections,
    });
    keepProtocolSequencesTogether(server);
    await server.start();
    const url = `postgres://postgres@${server.getServerConn()}/postgres`;
    const opened = db;
    return {
      url,
      dataDir: pgdata,
      async stop() {
        await server.stop();
        await opened.close();
        release();
      },
    };
  } catch (e) {
    await db?.close().catch(() => undefined);
    release();
    throw e;
  }
}

/** Extended-protocol messages that leave a sequence open until its Sync. */
const IN_SEQUENCE = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]); // Parse, Bind, Describe, Execute, Close, Flush

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData(data: Uint8Array): void;
  resolve(bytes: number): void;
  reject(e: unknown): void;
}

interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: PGlite;
  processQueue(): Promise<void>;
  clearQueueForHandler(id: number): void;
}

/**
 * pglite-socket queues every protocol message of every connection on the one PGlite session and
 * keeps a transaction's connection together, but not an extended-protocol sequence outside a
 * transaction: Parse of one connection, then Parse of another, then the first one's Bind finds
 * the other's unnamed statement ("unnamed prepared statement does not exist"). With several pools
 * (the app's, BullMQ's PostgreSQL backend, the relay) this happens under ordinary load. The queue
 * here serves a connection that is inside a sequence (or a transaction) until its Sync.
 */
function keepProtocolSequencesTogether(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue?: QueryQueue }).queryQueue;
  if (!queue || typeof queue.processQueue !== 'function' || !Array.isArray(queue.queue)) {
    throw new EmbeddedDatabaseError(
      'pglite-socket changed its query queue; update keepProtocolSequencesTogether',
    );
  }
  let inSequence: number | null = null;
  queue.processQueue = async function (this: QueryQueue): Promise<void> {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = inSequence ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
        let item: QueuedMessage | undefined;
        if (owner !== null) {
          const at = this.queue.findIndex((q) => q.handlerId === owner);
          if (at === -1) break; // the owner's next message wakes the queue again
          item = this.queue.splice(at, 1)[0];
        } else {
          item = this.queue.shift();
        }
        if (!item) break;
        const current = item;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                current.onData(data);
              },
            }),
          );
        } catch (e) {
          inSequence = null;
          current.reject(e);
          continue;
        }
        inSequence = IN_SEQUENCE.has(current.message[0]) ? current.handlerId : null;
        this.lastHandlerId = current.handlerId;
        current.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (id: number) => {
    if (inSequence === id) inSequence = null;
    clear(id);
    if (queue.queue.length > 0) void queue.processQueue();
  };
}
