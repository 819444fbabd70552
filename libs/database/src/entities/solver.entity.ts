import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ExactCheck, ProposalBound } from '@allmende/solver';

export type SolverRunKind = 'bottlenecks' | 'proposals';

/**
 * The solver's own shapes, stored as JSON: one exactly solved subproblem of a proposal run (a
 * resource type within a time window), and a reassignment's checks summed over its windows.
 * Imported, not copied, so a change in the solver cannot drift from what is stored and served.
 */
export type StoredExactCheck = ExactCheck;
export type StoredProposalBound = ProposalBound;

export type SolverRunStatus = 'queued' | 'running' | 'done' | 'failed';

@Entity({ name: 'solver_runs' })
export class SolverRunEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'pool_id' }) poolId: string;
  @Column('text') kind: SolverRunKind;
  @Column('text') status: SolverRunStatus;
  @Column('integer') progress: number;
  @Column('timestamptz', { name: 'period_start' }) periodStart: Date;
  @Column('timestamptz', { name: 'period_end' }) periodEnd: Date;
  @Column('jsonb') params: Record<string, unknown>;
  @Column('jsonb', { nullable: true }) findings: unknown;
  /** Proposal runs: the subproblems solved exactly; null for diagnoses and unfinished runs. */
  @Column('jsonb', { name: 'exact_checks', nullable: true }) exactChecks: StoredExactCheck[] | null;
  @Column('text', { nullable: true }) error: string | null;
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt: Date | null;
}

export type ProposalStatus = 'open' | 'applied' | 'stale';

@Entity({ name: 'proposals' })
export class ProposalEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'run_id' }) runId: string;
  @Column('uuid', { name: 'pool_id' }) poolId: string;
  @Column('text') kind: 'reassignment' | 'trip-order' | 'investment';
  @Column('jsonb') changes: unknown[];
  @Column('jsonb') gain: Record<string, number>;
  @Column('jsonb') explanation: { de: string; en: string };
  @Column('jsonb', { nullable: true }) investment: unknown;
  @Column('jsonb', { nullable: true }) bound: StoredProposalBound | null;
  @Column('uuid', { name: 'municipalities_affected', array: true }) municipalitiesAffected: string[];
  /** What the proposal was computed from: booking sequences and waitlist states, to detect staleness. */
  @Column('jsonb') basis: { bookings: Record<string, number>; requests: Record<string, string> };
  @Column('text') status: ProposalStatus;
  @Column('uuid', { name: 'applied_by', nullable: true }) appliedBy: string | null;
  @Column('timestamptz', { name: 'applied_at', nullable: true }) appliedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
