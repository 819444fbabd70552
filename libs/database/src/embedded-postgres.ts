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
    keepProtocolSequencesTogether(server, db);
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

/** PostgreSQL wire-protocol message types the notification routing looks at. */
const QUERY = 0x51; // 'Q', simple query
const PARSE = 0x50; // 'P'
const NOTIFICATION_RESPONSE = 0x41; // 'A'

interface SocketHandler {
  handlerId: number;
  socket: { writable: boolean; write(data: Buffer): boolean } | null;
}

/** The SQL text of a Query or Parse message, or null for any other message. */
export function sqlOfMessage(message: Uint8Array): string | null {
  const buf = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  if (buf.length < 6) return null;
  if (buf[0] === QUERY)
    return buf.toString('utf8', 5, buf.indexOf(0, 5) === -1 ? buf.length : buf.indexOf(0, 5));
  if (buf[0] === PARSE) {
    const nameEnd = buf.indexOf(0, 5);
    if (nameEnd === -1) return null;
    const end = buf.indexOf(0, nameEnd + 1);
    return buf.toString('utf8', nameEnd + 1, end === -1 ? buf.length : end);
  }
  return null;
}

/** The LISTEN / UNLISTEN statements in a piece of SQL, in order (`*` for UNLISTEN *). */
export function listenStatements(sql: string): { listen: boolean; channel: string }[] {
  if (!/listen/i.test(sql)) return [];
  const found: { listen: boolean; channel: string }[] = [];
  const text = sql.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
  for (const statement of text.split(';')) {
    const m = /^\s*(UN)?LISTEN\s+("(?:[^"]|"")+"|[A-Za-z_][\w$]*|\*)\s*$/i.exec(statement);
    if (!m) continue;
    const raw = m[2];
    const channel = raw.startsWith('"')
      ? raw.slice(1, -1).replace(/""/g, '"')
      : raw === '*'
        ? '*'
        : raw.toLowerCase();
    found.push({ listen: !m[1], channel });
  }
  return found;
}

/**
 * PGlite is one session behind every socket connection: a NOTIFY is delivered, as the
 * NotificationResponse PostgreSQL sends after the commit, to whichever connection ran the
 * notifying statement, not to the one that issued LISTEN. So a BullMQ worker blocked in its
 * LISTEN wait never woke for a job added by another connection and slept until its block timeout
 * (up to an hour while a delayed job was queued), and the outbox relay could not rely on LISTEN.
 * This router remembers which connection listens on which channel and hands each notification to
 * those connections, as a server with one session per connection would.
 */
class NotificationRouter {
  private readonly channels = new Map<number, Set<string>>();
  /** Bytes of a message split across two output chunks of the same queue item. */
  private carry: Buffer | null = null;

  constructor(
    private readonly server: PGLiteSocketServer,
    private readonly db: PGlite,
  ) {}

  /** Records the (UN)LISTENs of a message about to run; true when it UNLISTENs something. */
  noteIncoming(handlerId: number, message: Uint8Array): boolean {
    const sql = sqlOfMessage(message);
    if (sql === null) return false;
    let unlistened = false;
    for (const { listen, channel } of listenStatements(sql)) {
      const mine = this.channels.get(handlerId) ?? new Set<string>();
      if (listen) mine.add(channel);
      else if (channel === '*') mine.clear();
      else mine.delete(channel);
      this.channels.set(handlerId, mine);
      unlistened ||= !listen;
    }
    return unlistened;
  }

  forget(handlerId: number): void {
    this.channels.delete(handlerId);
  }

  /**
   * The output of one message for `handlerId`: NotificationResponses go to the connections that
   * listen on their channel; the rest (and a notification on a channel `handlerId` listens on)
   * stays in the returned bytes.
   */
  route(handlerId: number, data: Uint8Array): Uint8Array {
    let buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    if (this.carry) {
      buf = Buffer.concat([this.carry, buf]);
      this.carry = null;
    }
    // Nobody listens: the session produces no notifications.
    if (this.channels.size === 0) return buf;
    const kept: Buffer[] = [];
    let at = 0;
    let keptFrom = 0;
    while (at + 5 <= buf.length) {
      const length = buf.readInt32BE(at + 1);
      if (at + 1 + length > buf.length) break;
      if (buf[at] === NOTIFICATION_RESPONSE) {
        const message = buf.subarray(at, at + 1 + length);
        const channelEnd = message.indexOf(0, 9);
        const channel = message.toString('utf8', 9, channelEnd === -1 ? message.length : channelEnd);
        if (at > keptFrom) kept.push(buf.subarray(keptFrom, at));
        keptFrom = at + 1 + length;
        if (this.deliver(handlerId, channel, message)) kept.push(message);
      }
      at += 1 + length;
    }
    if (at < buf.length) this.carry = Buffer.from(buf.subarray(at));
    if (keptFrom < at) kept.push(buf.subarray(keptFrom, at));
    return kept.length === 1 ? kept[0] : Buffer.concat(kept);
  }

  /** What is left of a message cut short at the end of an item's output (never, in practice). */
  flush(): Buffer | null {
    const rest = this.carry;
    this.carry = null;
    return rest;
  }

  /** Writes the notification to the other listeners; true when `handlerId` listens itself. */
  private deliver(handlerId: number, channel: string, message: Buffer): boolean {
    let own = false;
    const handlers = (this.server as unknown as { handlers: Set<SocketHandler> }).handlers;
    for (const h of handlers) {
      if (!this.channels.get(h.handlerId)?.has(channel)) continue;
      if (h.handlerId === handlerId) own = true;
      else if (h.socket?.writable) h.socket.write(Buffer.from(message));
    }
    return own;
  }

  /**
   * LISTEN is the session's, so one connection's UNLISTEN would silence the channel for the
   * others: listen again on whatever another connection still listens on.
   */
  async relisten(): Promise<void> {
    if (this.db.isInTransaction()) return;
    const wanted = new Set<string>();
    for (const set of this.channels.values()) for (const c of set) if (c !== '*') wanted.add(c);
    if (wanted.size === 0) return;
    const { rows } = await this.db.query<{ c: string }>('SELECT pg_listening_channels() AS c');
    const have = new Set(rows.map((r) => r.c));
    for (const c of wanted) if (!have.has(c)) await this.db.exec(`LISTEN "${c.replace(/"/g, '""')}"`);
  }
}

/**
 * pglite-socket queues every protocol message of every connection on the one PGlite session and
 * keeps a transaction's connection together, but not an extended-protocol sequence outside a
 * transaction: Parse of one connection, then Parse of another, then the first one's Bind finds
 * the other's unnamed statement ("unnamed prepared statement does not exist"). With several pools
 * (the app's, BullMQ's PostgreSQL backend, the relay) this happens under ordinary load. The queue
 * here serves a connection that is inside a sequence (or a transaction) until its Sync.
 */
function keepProtocolSequencesTogether(server: PGLiteSocketServer, db: PGlite): void {
  const queue = (server as unknown as { queryQueue?: QueryQueue }).queryQueue;
  if (!queue || typeof queue.processQueue !== 'function' || !Array.isArray(queue.queue)) {
    throw new EmbeddedDatabaseError(
      'pglite-socket changed its query queue; update keepProtocolSequencesTogether',
    );
  }
  const router = new NotificationRouter(server, db);
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
        const unlistens = router.noteIncoming(current.handlerId, current.message);
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data: Uint8Array) => {
                const own = router.route(current.handlerId, data);
                bytes += own.length;
                if (own.length > 0) current.onData(own);
              },
            }),
          );
          const rest = router.flush();
          if (rest) {
            bytes += rest.length;
            current.onData(rest);
          }
          if (unlistens) await router.relisten();
        } catch (e) {
          router.flush();
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
    router.forget(id);
    clear(id);
    if (queue.queue.length > 0) void queue.processQueue();
  };
}
