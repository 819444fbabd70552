import { Actor, DomainError, ErrorCode } from '@allmende/core';

/** Reach rules shared by the domain services: deny unless the actor's role reaches the object. */
export const policies = {
  isAdmin(actor: Actor): boolean {
    return actor.role === 'admin';
  },

  coordinates(actor: Actor, poolId: string): boolean {
    return actor.role === 'admin' || (actor.role === 'coordinator' && actor.poolIds.includes(poolId));
  },

  /** Booking, changing, cancelling: yard-managers for their own municipality, coordinators in their pools. */
  canActFor(actor: Actor, municipalityId: string, poolId: string): boolean {
    switch (actor.role) {
      case 'admin':
        return true;
      case 'coordinator':
        return actor.poolIds.includes(poolId);
      case 'yard-manager':
        return actor.municipalityId === municipalityId;
      case 'finance':
      case 'viewer':
        return false;
    }
  },

  /** Notes and contacts of a booking are private to its municipality (and the pool's coordinators). */
  seesPrivateDetails(actor: Actor, municipalityId: string, poolId: string): boolean {
    return actor.municipalityId === municipalityId || this.coordinates(actor, poolId);
  },

  /**
   * A user account is visible to admins, to its owner, and to coordinators when it belongs to
   * their own municipality or to a member of a pool they coordinate (`coordinatedMunicipalityIds`).
   */
  seesUser(
    actor: Actor,
    user: { id: string; municipalityId: string | null },
    coordinatedMunicipalityIds: readonly string[],
  ): boolean {
    if (actor.role === 'admin' || (actor.userId !== null && actor.userId === user.id)) return true;
    if (actor.role !== 'coordinator' || user.municipalityId === null) return false;
    return (
      user.municipalityId === actor.municipalityId || coordinatedMunicipalityIds.includes(user.municipalityId)
    );
  },

  /** Tokens are issued, listed and revoked by their user, or by an admin. */
  managesTokensOf(actor: Actor, userId: string): boolean {
    return actor.role === 'admin' || (actor.userId !== null && actor.userId === userId);
  },

  assertAdmin(actor: Actor): void {
    if (!this.isAdmin(actor)) {
      throw new DomainError(ErrorCode.Forbidden, 'Only an admin may do this.');
    }
  },

  assertCoordinates(actor: Actor, poolId: string): void {
    if (!this.coordinates(actor, poolId)) {
      throw new DomainError(ErrorCode.Forbidden, 'Only the coordinators of this pool may do this.');
    }
  },

  assertCanActFor(actor: Actor, municipalityId: string, poolId: string): void {
    if (!this.canActFor(actor, municipalityId, poolId)) {
      throw new DomainError(ErrorCode.Forbidden, 'You may act only for your own municipality.');
    }
  },
};
