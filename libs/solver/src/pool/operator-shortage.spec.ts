import { diagnose } from './bottlenecks';
import { at, booking, machine, person, poolModel, request, workdays } from './fixtures';
import { propose } from './proposals';
import { verifyPlan } from './verify';

/**
 * Two sewer cameras, but only Anna is certified to run one, and she is away Thursday and Friday.
 * Ten towns' requests in one week: the second camera is free, the operator is not.
 */
describe('operator shortage', () => {
  const certified = 'sewer-camera-certified';
  const towns = ['wanfried', 'meinhard'];
  const days = ['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13'];
  const model = poolModel({
    period: { start: at('2026-03-09T00:00'), end: at('2026-03-16T00:00') },
    resources: [
      machine('cam-1', 'sewer-camera', 'eschwege', workdays('2026-03-09', '2026-03-13'), {
        requiredQualification: certified,
      }),
      machine('cam-2', 'sewer-camera', 'sontra', workdays('2026-03-09', '2026-03-13'), {
        requiredQualification: certified,
      }),
      person('op-anna', 'eschwege', [certified, 'licence-CE'], workdays('2026-03-09', '2026-03-11')),
      person('op-ben', 'sontra', ['licence-CE'], workdays('2026-03-09', '2026-03-13')),
    ],
    bookings: [
      booking('eschwege-cam', 'cam-1', 'eschwege', '2026-03-10T07:00', 8),
      booking('eschwege-op', 'op-anna', 'eschwege', '2026-03-10T07:00', 8, {
        operatorForBookingId: 'eschwege-cam',
      }),
    ],
    requests: days.flatMap((day) =>
      towns.map((town) => request(`${town}-${day}`, 'sewer-camera', town, `${day}T07:00`, 8)),
    ),
  });

  it('reports the qualification as short in that week', () => {
    const findings = diagnose(model);
    const short = findings.find((f) => f.kind === 'skills-short');
    expect(short).toMatchObject({ severity: 'critical', qualification: certified });
    expect(short?.metrics.demandHours).toBe(88);
    expect(short?.metrics.qualifiedStaffHours).toBe(27);
    expect(short?.metrics.qualifiedStaff).toBe(1);
    expect(short?.weeks.from).toEqual({ weekYear: 2026, weekNumber: 11 });
  });

  it('serves only what the one certified operator can run', () => {
    const proposals = propose(model, { seed: 7, timeLimitMs: 1500 });
    const served = proposals.filter((p) => p.kind === 'reassignment').flatMap((p) => p.changes);
    const requestIds = new Set(
      served.filter((c) => c.requestId && c.role !== 'operator').map((c) => c.requestId),
    );
    // Monday and Wednesday are the only days Anna is free: one request each.
    expect(requestIds.size).toBe(2);
    const operators = served.filter((c) => c.role === 'operator');
    expect(operators.map((c) => c.toResourceId)).toEqual(['op-anna', 'op-anna']);
    expect(operators.map((c) => c.toStart).sort()).toEqual([at('2026-03-09T07:00'), at('2026-03-11T07:00')]);
    expect(served.some((c) => c.toResourceId === 'op-ben')).toBe(false);
    expect(served.some((c) => c.bookingId)).toBe(false);
    expect(verifyPlan(model, served).ok).toBe(true);
  });

  it('verifyPlan refuses an operator without the qualification', () => {
    const check = verifyPlan(model, [
      {
        requestId: 'wanfried-2026-03-12',
        role: 'resource',
        toResourceId: 'cam-2',
        toStart: at('2026-03-12T07:00'),
        toEnd: at('2026-03-12T15:00'),
      },
      {
        requestId: 'wanfried-2026-03-12',
        role: 'operator',
        toResourceId: 'op-ben',
        toStart: at('2026-03-12T07:00'),
        toEnd: at('2026-03-12T15:00'),
      },
    ]);
    expect(check.ok).toBe(false);
    expect(check.violations).toContain(
      'request wanfried-2026-03-12: operator op-ben lacks the qualification sewer-camera-certified',
    );
  });
});
