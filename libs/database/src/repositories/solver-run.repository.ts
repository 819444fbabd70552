import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';
import { ProposalEntity, SolverRunEntity } from '../entities';

export type NewSolverRun = Pick<
  SolverRunEntity,
  'poolId' | 'kind' | 'periodStart' | 'periodEnd' | 'params' | 'createdBy'
> & {
  clockNow?: Date | null;
};
export type NewProposal = Omit<
  ProposalEntity,
  'id' | 'createdAt' | 'status' | 'appliedBy' | 'appliedAt' | 'resourceId'
> & { resourceId?: string | null };

@Injectable()
export class SolverRunRepository {
  constructor(private readonly uow: UnitOfWork) {}

  private get runs() {
    return this.uow.manager().getRepository(SolverRunEntity);
  }

  private get proposals() {
    return this.uow.manager().getRepository(ProposalEntity);
  }

  insert(run: NewSolverRun): Promise<SolverRunEntity> {
    return this.runs.save(
      this.runs.create({
        ...run,
        clockNow: run.clockNow ?? null,
        status: 'queued',
        progress: 0,
        findings: null,
        exactChecks: null,
        names: null,
        figures: null,
        nothingFound: null,
        investments: null,
        error: null,
        finishedAt: null,
      }),
    );
  }

  findById(id: string): Promise<SolverRunEntity | null> {
    return this.runs.findOneBy({ id });
  }

  async update(
    id: string,
    patch: Partial<
      Pick<
        SolverRunEntity,
        | 'status'
        | 'progress'
        | 'findings'
        | 'exactChecks'
        | 'error'
        | 'finishedAt'
        | 'names'
        | 'figures'
        | 'nothingFound'
        | 'investments'
        | 'params'
      >
    >,
  ): Promise<void> {
    await this.runs.save({ ...patch, id });
  }

  async insertProposals(proposals: NewProposal[]): Promise<ProposalEntity[]> {
    if (proposals.length === 0) return [];
    return this.proposals.save(
      proposals.map((p) =>
        this.proposals.create({
          ...p,
          resourceId: p.resourceId ?? null,
          status: 'open',
          appliedBy: null,
          appliedAt: null,
        }),
      ),
    );
  }

  proposalsOf(runId: string): Promise<ProposalEntity[]> {
    return this.proposals.find({ where: { runId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Locks the proposal row: two coordinators applying it at once do not both succeed. */
  lockProposal(id: string): Promise<ProposalEntity | null> {
    return this.proposals
      .createQueryBuilder('p')
      .setLock('pessimistic_write')
      .where('p.id = :id', { id })
      .getOne();
  }

  findProposal(id: string): Promise<ProposalEntity | null> {
    return this.proposals.findOneBy({ id });
  }

  async markProposal(
    id: string,
    patch: Partial<Pick<ProposalEntity, 'status' | 'appliedBy' | 'appliedAt'>>,
  ): Promise<void> {
    await this.proposals.save({ ...patch, id });
  }
}
