import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  MemberSavings,
  MemberStatement,
  PoolStatements,
  SavingsReport,
  SettlementTransfer,
  SimulatedFigures,
  SimulatedJoin,
  SimulatedMember,
  SimulationResult,
  StatementLine,
} from '@allmende/cost-sharing';
import type { JoinerDemand } from '@allmende/pools';

/*
 * The JSON shapes of the cost-sharing answers, mirroring the interfaces of libs/cost-sharing
 * (statement-document.ts and the services); `implements` keeps each class in step with its
 * interface. Amounts are integer cents (EUR); dates are ISO dates in Europe/Berlin.
 */

export class StatementLineResponse implements StatementLine {
  @ApiProperty({ enum: ['usage', 'fixed', 'adjustment', 'credit'] })
  kind: 'usage' | 'fixed' | 'adjustment' | 'credit';
  @ApiProperty({ description: "text for people, in the statement's language" }) description: string;
  @ApiProperty() amountCents: number;
  @ApiPropertyOptional() bookingId?: string;
  @ApiPropertyOptional() resourceId?: string;
  @ApiPropertyOptional() resourceName?: string;
  @ApiPropertyOptional({ description: 'local date of the booking (YYYY-MM-DD)' }) date?: string;
  @ApiPropertyOptional() hours?: number;
  @ApiPropertyOptional() rateCents?: number;
  @ApiPropertyOptional({
    example: '19.800 von 52.400 Einwohnern = 37,79 %',
    description: 'how a share was computed',
  })
  basis?: string;
  @ApiPropertyOptional({ description: "the booking's usage was not recorded and was charged as booked" })
  usageEstimated?: boolean;
}

export class MemberSavingsResponse implements MemberSavings {
  @ApiProperty({ description: 'what the member paid net in the pool in the period' }) paidNetCents: number;
  @ApiProperty({ description: 'what the same work would have cost it alone' }) standaloneCostCents: number;
  @ApiProperty() savingCents: number;
  @ApiProperty({ description: 'saving in percent of the stand-alone cost, two decimals' })
  savingPercent: number;
  @ApiProperty({ description: "what others' use of its own machines earned it" })
  earnedFromOthersCents: number;
  @ApiProperty({ description: 'the basis of the comparison in words' }) basis: string;
}

export class MemberStatementResponse implements MemberStatement {
  @ApiProperty() municipalityId: string;
  @ApiProperty() municipalityName: string;
  @ApiProperty({ nullable: true, type: String, example: '2026-0042', description: 'set once finalized' })
  number: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'SHA-256 of the finalized statement' })
  checksum: string | null;
  @ApiProperty() usageCents: number;
  @ApiProperty() fixedCents: number;
  @ApiProperty() adjustmentsCents: number;
  @ApiProperty({ description: 'usage + fixed + adjustments: what the member owes' }) totalCents: number;
  @ApiProperty({ description: 'what the member is owed as owner of resources and host' })
  creditsCents: number;
  @ApiProperty({ description: "totalCents - creditsCents; the members' nets add up to 0" }) netCents: number;
  @ApiProperty({ type: [StatementLineResponse] }) lines: StatementLineResponse[];
  @ApiPropertyOptional({ type: MemberSavingsResponse }) savings?: MemberSavingsResponse;
}

export class SettlementTransferResponse implements SettlementTransfer {
  @ApiProperty() fromMunicipalityId: string;
  @ApiProperty() fromMunicipalityName: string;
  @ApiProperty() toMunicipalityId: string;
  @ApiProperty() toMunicipalityName: string;
  @ApiProperty() amountCents: number;
}

/** A pool's statements for one period (PoolStatements). */
export class PoolStatementsResponse implements PoolStatements {
  @ApiProperty() poolId: string;
  @ApiProperty() poolName: string;
  @ApiProperty({ example: '2026-Q4', description: '"2026-11", "2026-Q4" or "2026"' }) period: string;
  @ApiProperty({ enum: ['month', 'quarter', 'year'] }) periodKind: 'month' | 'quarter' | 'year';
  @ApiProperty({ description: 'first day of the period' }) from: string;
  @ApiProperty({ description: 'first day after the period' }) to: string;
  @ApiProperty({ enum: ['de', 'en'] }) language: 'de' | 'en';
  @ApiProperty() finalized: boolean;
  @ApiProperty({ nullable: true, type: String }) finalizedAt: string | null;
  @ApiProperty({ description: "the members' totalCents add up to it exactly" }) poolTotalCents: number;
  @ApiProperty({ description: 'the cost-sharing key in force, in words' }) keyDescription: string;
  @ApiProperty({ type: [MemberStatementResponse] }) statements: MemberStatementResponse[];
  @ApiProperty({ type: [SettlementTransferResponse] }) settlement: SettlementTransferResponse[];
  @ApiPropertyOptional({ enum: ['direct', 'lead'] }) settlementMode?: 'direct' | 'lead';
  @ApiPropertyOptional({ enum: ['exact', 'greedy', 'lead'] }) settlementMethod?: 'exact' | 'greedy' | 'lead';
}

export class MemberSavingsRowResponse extends MemberSavingsResponse {
  @ApiProperty() municipalityId: string;
  @ApiProperty() municipalityName: string;
}

export class SavingsReportResponse implements SavingsReport {
  @ApiProperty() poolId: string;
  @ApiProperty() poolName: string;
  @ApiProperty() period: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty() finalized: boolean;
  @ApiProperty({ enum: ['de', 'en'] }) language: 'de' | 'en';
  @ApiProperty({ type: [MemberSavingsRowResponse] }) members: MemberSavingsRowResponse[];
}

export class SimulatedFiguresResponse implements SimulatedFigures {
  @ApiProperty({ description: 'a member in this case' }) member: boolean;
  @ApiProperty() fixedCents: number;
  @ApiProperty() usageCents: number;
  @ApiProperty() totalCents: number;
  @ApiProperty() creditsCents: number;
  @ApiProperty() netCents: number;
  @ApiProperty({ description: "share of the pool's fixed costs, percent with two decimals" })
  fixedSharePercent: number;
  @ApiProperty() savingCents: number;
}

export class SimulatedMemberResponse implements SimulatedMember {
  @ApiProperty() municipalityId: string;
  @ApiProperty() municipalityName: string;
  @ApiProperty({ type: SimulatedFiguresResponse }) before: SimulatedFiguresResponse;
  @ApiProperty({ type: SimulatedFiguresResponse }) after: SimulatedFiguresResponse;
  @ApiProperty() netChangeCents: number;
}

export class JoinerDemandResponse implements JoinerDemand {
  @ApiProperty({ example: 'street-sweeper' }) type: string;
  @ApiProperty() hoursPerWeek: number;
  @ApiProperty({ enum: ['given', 'history'] }) source: 'given' | 'history';
  @ApiProperty({ description: 'bookings the estimate rests on (0 when given)' }) bookings: number;
  @ApiProperty({ description: 'unserved requests the estimate rests on (0 when given)' }) requests: number;
}

export class DayRangeResponse {
  @ApiProperty({ example: '2025-12-01' }) from: string;
  @ApiProperty({ example: '2026-11-30', description: 'first day after' }) to: string;
}

export class SimulatedJoinResponse implements SimulatedJoin {
  @ApiProperty() municipalityId: string;
  @ApiProperty() municipalityName: string;
  @ApiProperty({ example: '2027-01-01' }) from: string;
  @ApiProperty({ type: [JoinerDemandResponse] }) demand: JoinerDemandResponse[];
  @ApiPropertyOptional({
    type: DayRangeResponse,
    nullable: true,
    description: 'the days the history estimate is taken from; null when the demand is given',
  })
  basis: DayRangeResponse | null;
}

/** Membership what-if, cost side (the planning side's is SimulationResponse). */
export class CostSharingSimulationResponse implements SimulationResult {
  @ApiProperty() poolId: string;
  @ApiProperty() poolName: string;
  @ApiProperty() period: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({
    type: [SimulatedJoinResponse],
    description: 'each joiner with the demand assumed for it (given, or estimated from its history)',
  })
  joins: SimulatedJoinResponse[];
  @ApiProperty() poolFixedCentsBefore: number;
  @ApiProperty() poolFixedCentsAfter: number;
  @ApiProperty({ type: [SimulatedMemberResponse] }) members: SimulatedMemberResponse[];
}
