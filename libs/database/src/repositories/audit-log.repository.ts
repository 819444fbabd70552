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

/** Appends to the audit log inside the running unit of work: the entry commits with the change. */
@Injectable()
export class AuditLog {
  constructor(private readonly uow: UnitOfWork) {}

  async record(actor: Actor, change: AuditChange): Promise<void> {
    const repo = this.uow.manager().getRepository(AuditEntryEntity);
    await repo.save(repo.create(auditRecord(actor, change)));
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
