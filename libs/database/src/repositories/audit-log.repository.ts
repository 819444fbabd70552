import { Injectable } from '@nestjs/common';
import type { Actor } from '@allmende/core';
import { UnitOfWork } from '../unit-of-work';
import { AuditEntryEntity } from '../entities';

export interface AuditChange {
  action: string;
  entityType: string;
  entityId: string;
  municipalityId?: string | null;
  before?: object | null;
  after?: object | null;
}

/** One audit entry as written: who, what, before and after (the time is the database's). */
export type AuditRecord = Omit<AuditEntryEntity, 'id' | 'at'>;

/** The entry for a change by `actor`. */
export function auditRecord(actor: Actor, change: AuditChange): AuditRecord {
  return {
    actorUserId: actor.userId,
    actorTokenName: actor.tokenName,
    action: change.action,
    entityType: change.entityType,
    entityId: change.entityId,
    municipalityId: change.municipalityId ?? null,
    before: (change.before ?? null) as Record<string, unknown> | null,
    after: (change.after ?? null) as Record<string, unknown> | null,
  };
}

const placeholders = (first: number, count: number) =>
  Array.from({ length: count }, (_, i) => `$${first + i}`).join(', ');

/**
 * The audit entry as a CTE for writers that record a change and its entry in one statement (the
 * booking engine's hot path), parameters from `first` on. The one text of the audit INSERT: the
 * AuditLog writes through it too. No RETURNING: writers need not read it.
 */
export const auditInsertCte = (first: number) =>
  `au AS (INSERT INTO audit_log (actor_user_id, actor_token_name, action, entity_type, entity_id,
                                 municipality_id, before, after)
          VALUES (${placeholders(first, 8)}))`;

export const auditInsertValues = (a: AuditRecord): unknown[] => [
  a.actorUserId,
  a.actorTokenName,
  a.action,
  a.entityType,
  a.entityId,
  a.municipalityId,
  a.before === null ? null : JSON.stringify(a.before),
  a.after === null ? null : JSON.stringify(a.after),
];

/** Appends to the audit log inside the running unit of work: the entry commits with the change. */
@Injectable()
export class AuditLog {
  constructor(private readonly uow: UnitOfWork) {}

  async record(actor: Actor, change: AuditChange): Promise<void> {
    await this.uow
      .manager()
      .query(`WITH ${auditInsertCte(1)} SELECT 1`, auditInsertValues(auditRecord(actor, change)));
  }

  forEntity(entityType: string, entityId: string): Promise<AuditEntryEntity[]> {
    return this.uow
      .manager()
      .getRepository(AuditEntryEntity)
      .find({
        where: { entityType, entityId },
        order: { id: 'ASC' },
      });
  }
}
