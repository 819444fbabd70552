import { Injectable } from '@nestjs/common';
import { policies } from '@allmende/auth';
import { Actor, Clock, DomainError, ErrorCode, FieldError, NotFound, ValidationFailed } from '@allmende/core';
import {
  AuditLog,
  BookingEntity,
  BookingRepository,
  BookingUsageEntity,
  UnitOfWork,
} from '@allmende/database';
import { BookingAccess } from './booking-access';
import { BookingJournal } from './booking-journal';

export interface UsageInput {
  operatingHours?: number;
  meterStart?: number;
  meterEnd?: number;
  notes?: string;
}

/** One recorded state of a booking's usage, as it was before a correction replaced it. */
export interface UsageVersion {
  operatingHours: number | null;
  meterStart: number | null;
  meterEnd: number | null;
  notes: string | null;
  recordedBy: string | null;
  recordedAt: Date;
}

export interface UsageRecord {
  booking: BookingEntity;
  current: BookingUsageEntity | null;
  /** Earlier versions, oldest first (the audit log keeps every one). */
  history: UsageVersion[];
}

/** Hours above the booked span that still count as plausible (setting up, a late return). */
export const USAGE_TOLERANCE_HOURS = 1;
/** How far operating hours may differ from the meter's difference (rounding, idling). */
export const METER_TOLERANCE_HOURS = 0.5;

/**
 * Usage recorded on return (operating hours, meter readings), which billing charges. A second
 * record is a correction: fields not sent keep their value, and the version it replaces stays in
 * the audit log and in the history.
 */
@Injectable()
export class UsageService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly bookings: BookingRepository,
    private readonly access: BookingAccess,
    private readonly journal: BookingJournal,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async get(actor: Actor, id: string): Promise<UsageRecord> {
    return this.uow.run(actor, async () => {
      const booking = await this.access.visibleBooking(actor, id);
      if (!policies.seesPrivateDetails(actor, booking.municipalityId, booking.poolId)) {
        throw new NotFound('Usage of booking', id);
      }
      return this.read(booking);
    });
  }

  async record(actor: Actor, id: string, input: UsageInput): Promise<UsageRecord> {
    return this.uow.run(actor, async () => {
      const booking = await this.access.ownBooking(actor, id);
      if (booking.status !== 'active') {
        throw new DomainError(
          ErrorCode.Conflict,
          `Usage can be recorded only for active bookings; this one is ${booking.status}.`,
        );
      }
      if (booking.startAt.getTime() > this.clock.now().getTime()) {
        throw new DomainError(ErrorCode.Conflict, 'Usage can be recorded once the booking has started.');
      }
      const before = await this.bookings.findUsage(id);
      const meterStart = input.meterStart ?? before?.meterStart ?? null;
      const meterEnd = input.meterEnd ?? before?.meterEnd ?? null;
      const metered = meterStart !== null && meterEnd !== null ? round2(meterEnd - meterStart) : null;
      const operatingHours =
        input.operatingHours ??
        (input.meterStart !== undefined || input.meterEnd !== undefined ? metered : null) ??
        before?.operatingHours ??
        metered;
      assertPlausible(booking, { operatingHours, meterStart, meterEnd }, input);
      const saved = await this.bookings.saveUsage({
        bookingId: id,
        operatingHours,
        meterStart,
        meterEnd,
        notes: input.notes ?? before?.notes ?? null,
        recordedBy: actor.userId,
        recordedAt: this.clock.now(),
      });
      await this.journal.usage(actor, booking, before, saved);
      return this.read(booking);
    });
  }

  private async read(booking: BookingEntity): Promise<UsageRecord> {
    const current = await this.bookings.findUsage(booking.id);
    const entries = await this.audit.forEntity('booking', booking.id);
    const history = entries
      .filter((e) => e.action.startsWith('booking.usage') && e.before)
      .map((e) => {
        const b = e.before as Record<string, unknown>;
        return {
          operatingHours: numberOrNull(b.operatingHours),
          meterStart: numberOrNull(b.meterStart),
          meterEnd: numberOrNull(b.meterEnd),
          notes: (b.notes as string | null) ?? null,
          recordedBy: (b.recordedBy as string | null) ?? null,
          recordedAt: new Date(b.recordedAt as string),
        };
      });
    return { booking, current, history };
  }
}

/** Hours within the booked span (plus tolerance), meter not running backwards, hours matching the meter. */
function assertPlausible(
  booking: BookingEntity,
  usage: { operatingHours: number | null; meterStart: number | null; meterEnd: number | null },
  sent: UsageInput,
): void {
  const errors: FieldError[] = [];
  const bookedHours = (booking.endAt.getTime() - booking.startAt.getTime()) / 3_600_000;
  const { operatingHours, meterStart, meterEnd } = usage;
  if (meterStart !== null && meterEnd !== null && meterEnd < meterStart) {
    errors.push({
      field: sent.meterEnd !== undefined || sent.meterStart === undefined ? 'meterEnd' : 'meterStart',
      message: `the meter cannot run backwards: end ${meterEnd} is below start ${meterStart}`,
    });
  }
  if (operatingHours !== null && operatingHours > bookedHours + USAGE_TOLERANCE_HOURS) {
    errors.push({
      field: sent.operatingHours !== undefined ? 'operatingHours' : 'meterEnd',
      message: `${operatingHours} h is more than the booked ${round2(bookedHours)} h plus ${USAGE_TOLERANCE_HOURS} h`,
    });
  }
  if (
    errors.length === 0 &&
    operatingHours !== null &&
    meterStart !== null &&
    meterEnd !== null &&
    Math.abs(operatingHours - (meterEnd - meterStart)) > METER_TOLERANCE_HOURS
  ) {
    errors.push({
      field: 'operatingHours',
      message: `${operatingHours} h does not match the meter (${round2(meterEnd - meterStart)} h, ±${METER_TOLERANCE_HOURS} h)`,
    });
  }
  if (errors.length > 0) throw new ValidationFailed(errors);
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function numberOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}
