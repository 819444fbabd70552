import type { Principal } from '../auth/principal';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, as the auth guard resolved it; undefined on public routes. */
    principal?: Principal;
  }
  interface FastifyReply {
    /** The problem code the error filter chose (metrics: bookings refused by reason). */
    problemCode?: string;
  }
}

export {};
