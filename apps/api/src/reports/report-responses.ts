import { ApiProperty } from '@nestjs/swagger';
import type {
  CostReport,
  CostReportRow,
  CostTotals,
  UnrecordedBooking,
  UnrecordedUsagePage,
  UtilizationReport,
  UtilizationRow,
} from '@allmende/cost-sharing';

/*
 * The JSON shapes of the finance reports (the CSV and XLSX files carry the same rows). The
 * `implements` clauses keep them in step with the service's interfaces.
 */

abstract class ReportHeaderResponse {
  @ApiProperty({ enum: ['costs', 'utilization', 'unrecorded-usage'] })
  report: 'costs' | 'utilization' | 'unrecorded-usage';
  @ApiProperty() poolId: string;
  @ApiProperty() poolName: string;
  @ApiProperty({ example: '2026-01-01', description: 'first local day of the window (Europe/Berlin)' })
  from: string;
  @ApiProperty({ example: '2027-01-01', description: 'first local day after the window' }) to: string;
  @ApiProperty({ nullable: true, type: String, description: 'null: the whole pool' })
  municipalityId: string | null;
  @ApiProperty({ nullable: true, type: String }) municipalityName: string | null;
}

export class CostTotalsResponse implements CostTotals {
  @ApiProperty() bookings: number;
  @ApiProperty({ description: 'bookings without recorded usage, estimated from the booked hours' })
  estimatedBookings: number;
  @ApiProperty() recordedHours: number;
  @ApiProperty() estimatedHours: number;
  @ApiProperty() recordedCents: number;
  @ApiProperty() estimatedCents: number;
  @ApiProperty() totalCents: number;
  @ApiProperty({ description: 'part of the figure is estimated from booked hours' }) estimated: boolean;
}

export class CostReportRowResponse extends CostTotalsResponse implements CostReportRow {
  @ApiProperty({ description: 'municipality or resource id, type, or month (YYYY-MM)' }) key: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) type: string | null;
  @ApiProperty({ nullable: true, type: String }) homeMunicipalityId: string | null;
  @ApiProperty({ nullable: true, type: String }) homeMunicipalityName: string | null;
}

export class CostReportResponse extends ReportHeaderResponse implements CostReport {
  @ApiProperty({ enum: ['municipality', 'resource', 'type', 'month'] })
  groupBy: 'municipality' | 'resource' | 'type' | 'month';
  @ApiProperty({ type: [CostReportRowResponse] }) rows: CostReportRowResponse[];
  @ApiProperty({ type: CostTotalsResponse }) totals: CostTotalsResponse;
}

export class UtilizationTotalsResponse {
  @ApiProperty() resources: number;
  @ApiProperty() bookings: number;
  @ApiProperty() bookedHours: number;
  @ApiProperty() availableHours: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'bookedHours / availableHours in percent; null when nothing was available',
  })
  utilizationPercent: number | null;
}

export class UtilizationRowResponse extends UtilizationTotalsResponse implements UtilizationRow {
  @ApiProperty({ description: 'resource id, type, or month (YYYY-MM)' }) key: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) type: string | null;
  @ApiProperty({ nullable: true, type: String }) homeMunicipalityId: string | null;
  @ApiProperty({ nullable: true, type: String }) homeMunicipalityName: string | null;
}

export class UtilizationReportResponse extends ReportHeaderResponse implements UtilizationReport {
  @ApiProperty({ enum: ['resource', 'type', 'month'] }) groupBy: 'resource' | 'type' | 'month';
  @ApiProperty({ type: [UtilizationRowResponse] }) rows: UtilizationRowResponse[];
  @ApiProperty({ type: UtilizationTotalsResponse }) totals: UtilizationTotalsResponse;
}

export class UnrecordedBookingResponse implements UnrecordedBooking {
  @ApiProperty() bookingId: string;
  @ApiProperty() start: string;
  @ApiProperty() startLocal: string;
  @ApiProperty() end: string;
  @ApiProperty() endLocal: string;
  @ApiProperty({ description: 'local date of the start' }) date: string;
  @ApiProperty() municipalityId: string;
  @ApiProperty() municipalityName: string;
  @ApiProperty() resourceId: string;
  @ApiProperty() resourceName: string;
  @ApiProperty() type: string;
  @ApiProperty({ nullable: true, type: String }) operatorForBookingId: string | null;
  @ApiProperty() bookedHours: number;
  @ApiProperty({ description: "at the booked hours and the resource's rates" }) estimatedCents: number;
}

export class UnrecordedUsagePageResponse extends ReportHeaderResponse implements UnrecordedUsagePage {
  @ApiProperty({ type: [UnrecordedBookingResponse] }) items: UnrecordedBookingResponse[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor: string | null;
}
