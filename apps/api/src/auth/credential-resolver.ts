import type { FastifyRequest } from 'fastify';
import type { Principal } from './principal';

/**
 * One way of proving who calls: a bearer API token today, a browser session later. The auth
 * guard asks each in turn; a new kind of credential is one more resolver, not a guard change.
 */
export interface CredentialResolver {
  /**
   * The principal the request's credential proves; undefined when the request carries no
   * credential of this kind. Throws Unauthorized when it carries one that is not valid.
   */
  resolve(request: FastifyRequest): Promise<Principal | undefined>;
}

export const CREDENTIAL_RESOLVERS = Symbol('CREDENTIAL_RESOLVERS');
