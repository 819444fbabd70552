import { Client, ClientConfig } from 'pg';

/**
 * A pg Client whose 'error' events never take the process down. pg emits 'error' on a client with
 * no query running (a server shutting down sends FATAL 57P01 to every connection); pg-pool listens
 * only while the client is idle and TypeORM only from a microtask after the pool handed the client
 * over. A fresh connection that read its ReadyForQuery and the FATAL in one chunk fell between the
 * two, and the unheard event ended a worker (fault 4b, PostgreSQL stopped under load). The query
 * still fails where it runs, and the pool drops the broken client when it comes back.
 */
export class GuardedClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    this.on('error', () => undefined);
  }
}
