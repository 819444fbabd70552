import * as fs from 'node:fs';
import * as path from 'node:path';
// PGlite is loaded when the embedded server starts: a process on an external PostgreSQL never holds it.
import type { Extension, PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

async function loadPglite() {
  const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-socket'),
  ]);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- subpath export, invisible to moduleResolution node
  const { btree_gist } = require('@electric-sql/pglite/contrib/btree_gist') as { btree_gist: Extension };
  return { PGlite, PGLiteSocketServer, btree_gist };
}

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
/** Where the running main job announces its embedded server, for the CLI beside it. */
const ANNOUNCE_FILE = 'embedded-db.json';

interface Announcement {
  pid: number;
  url: string;
}

/**
 * The embedded server of a main job (`npm start`) running on this data folder, if any: its
 * PostgreSQL URL on 127.0.0.1. PGlite's files belong to that process; others connect over the wire.
 */
export function runningEmbeddedUrl(dataDir: string): string | null {
  try {
    const a = JSON.parse(fs.readFileSync(path.join(dataDir, ANNOUNCE_FILE), 'utf8')) as Announcement;
    const lockPid = Number(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8').trim());
    if (a.pid === lockPid && a.pid !== process.pid && isAlive(a.pid) && typeof a.url === 'string')
      return a.url;
  } catch {
    // no announcement, or a stale one: nothing runs here
  }
  return null;
}

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
  const { PGlite, PGLiteSocketServer, btree_gist } = await loadPglite();
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
    const announcement = path.join(options.dataDir, ANNOUNCE_FILE);
    fs.writeFileSync(announcement, JSON.stringify({ pid: process.pid, url } satisfies Announcement));
    const opened = db;
    return {
      url,
      dataDir: pgdata,
      async stop() {
        fs.rmSync(announcement, { force: true });
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
  const notifications = new NotificationRouter();
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
        notifications.noteListener(current);
        const output = notifications.split((data: Uint8Array) => {
          bytes += data.length;
          current.onData(data);
        });
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, { onRawData: output.write }),
          );
          output.end();
        } catch (e) {
          inSequence = null;
          output.end();
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
    notifications.forget(id);
    clear(id);
    if (queue.queue.length > 0) void queue.processQueue();
  };
}

const NOTIFICATION_RESPONSE = 0x41; // 'A'
const SIMPLE_QUERY = 0x51; // 'Q'
const PARSE = 0x50; // 'P'
const LISTEN = /^\s*listen\s/i;
const SQL_COMMENTS = /--[^\n]*\n?|\/\*[\s\S]*?\*\//g;

/**
 * PGlite is one session, so a NOTIFY reaches "the" session, and its NotificationResponse comes out
 * in the output of whichever connection's statement committed it (the sender), never on the
 * connection that issued LISTEN. BullMQ's PostgreSQL backend parks its workers on a LISTEN client
 * (up to an hour while a delayed job is pending), so on the embedded default a job added later
 * waited until a restart. The router takes NotificationResponse messages out of every output and
 * hands them to each connection that has issued LISTEN, as a PostgreSQL server would.
 */
class NotificationRouter {
  private readonly listeners = new Map<number, (data: Uint8Array) => void>();

  noteListener(item: QueuedMessage): void {
    if (this.listeners.has(item.handlerId)) {
      this.listeners.set(item.handlerId, item.onData);
      return;
    }
    const type = item.message[0];
    if (type !== SIMPLE_QUERY && type !== PARSE) return;
    const text = Buffer.from(item.message.subarray(5, Math.min(item.message.length, 5 + 2000))).toString(
      'latin1',
    );
    // Parse carries a statement name before the query text; both end in a NUL.
    const query = (type === PARSE ? text.slice(text.indexOf('\0') + 1) : text).replace(SQL_COMMENTS, ' ');
    if (LISTEN.test(query)) this.listeners.set(item.handlerId, item.onData);
  }

  forget(handlerId: number): void {
    this.listeners.delete(handlerId);
  }

  /** A sink for one statement's output: whole protocol messages pass to `forward`, notifications to the listeners. */
  split(forward: (data: Uint8Array) => void): { write(data: Uint8Array): void; end(): void } {
    let carry: Buffer = Buffer.alloc(0);
    const deliver = (message: Buffer) => {
      for (const [id, onData] of this.listeners) {
        try {
          onData(message);
        } catch {
          this.listeners.delete(id);
        }
      }
    };
    return {
      write: (data: Uint8Array) => {
        const buffer =
          carry.length > 0
            ? Buffer.concat([carry, data])
            : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
        let at = 0;
        let passFrom = 0;
        while (at + 5 <= buffer.length) {
          const end = at + 1 + buffer.readInt32BE(at + 1);
          if (end > buffer.length) break;
          if (buffer[at] === NOTIFICATION_RESPONSE) {
            if (at > passFrom) forward(buffer.subarray(passFrom, at));
            deliver(Buffer.from(buffer.subarray(at, end)));
            passFrom = end;
          }
          at = end;
        }
        if (at > passFrom) forward(buffer.subarray(passFrom, at));
        carry = Buffer.from(buffer.subarray(at));
      },
      end: () => {
        if (carry.length > 0) forward(carry);
        carry = Buffer.alloc(0);
      },
    };
  }
}
