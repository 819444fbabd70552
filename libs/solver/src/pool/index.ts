export type {
  Change,
  CostSharingKey,
  DiagnoseOptions,
  Finding,
  FindingKind,
  Interval,
  InvestmentDetail,
  PoolModel,
  Priority,
  Proposal,
  ProposalBound,
  ProposalKind,
  ProposeOptions,
  Severity,
  SolverBooking,
  SolverMember,
  SolverRequest,
  SolverResource,
  Text,
} from './model';
export { diagnose } from './bottlenecks';
export { propose, proposeWithExact, type ProposeRunOptions } from './proposals';
export { improveExactly, type ExactCheck } from './exact';
export { verifyPlan, type PlanCheck } from './verify';
export { largestRemainder, payingMembers, shareCosts } from './cost-sharing';
