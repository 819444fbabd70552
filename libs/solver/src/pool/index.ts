export type {
  Change,
  CostSharingKey,
  DiagnoseOptions,
  EstimatedDemand,
  Figures,
  Finding,
  FindingKind,
  Interval,
  InvestmentDetail,
  IsoWeek,
  NothingFound,
  NothingFoundReason,
  PoolModel,
  Priority,
  Proposal,
  ProposalBound,
  ProposalKind,
  ProposeOptions,
  ResourceWeekFigures,
  Severity,
  SolverBooking,
  SolverMember,
  SolverRequest,
  SolverResource,
  TypeWeekFigures,
} from './model';
export { computeFigures } from './figures';
export { recommendInvestments, LEASE_PREMIUM } from './investment';
export { whyNothingFound } from './nothing-found';
export { diagnose } from './bottlenecks';
export { propose, proposeOrExplain, proposeWithExact, type ProposeRunOptions } from './proposals';
export { improveExactly, type ExactCheck } from './exact';
export { verifyPlan, type PlanCheck } from './verify';
export { largestRemainder, payingMembers, shareCosts } from './cost-sharing';
