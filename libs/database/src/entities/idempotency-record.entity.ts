import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A create request's first response, replayed for retries with the same key (kept ≥ 24 h). */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyRecordEntity {
  /** The user (or `admin`) the key is scoped to. */
  @PrimaryColumn('text', { name: 'principal' })
  principal: string;

  @PrimaryColumn('text')
  key: string;

  @Column('text', { name: 'request_hash' })
  requestHash: string;

  /** Null while the first request is still in flight. */
  @Column('integer', { name: 'response_status', nullable: true })
  responseStatus: number | null;

  @Column('jsonb', { name: 'response_body', nullable: true })
  responseBody: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
