import { AuditEntryEntity } from './audit-entry.entity';
import { IdempotencyRecordEntity } from './idempotency-record.entity';
import { MunicipalityEntity } from './municipality.entity';

export { AuditEntryEntity, IdempotencyRecordEntity, MunicipalityEntity };

export const ENTITIES = [MunicipalityEntity, AuditEntryEntity, IdempotencyRecordEntity];
