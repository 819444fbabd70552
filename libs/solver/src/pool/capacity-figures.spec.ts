import { diagnose } from './bottlenecks';
import { computeFigures } from './figures';
import { at, booking, machine, person, poolModel, request, workdays } from './fixtures';

/**
 * Figures per type and week against capacity: two aerial lifts with 8 h booked in a week is no
 * warning; a sewer camera whose one certified operator works three days can give only those days.
 */
describe('capacity figures', () => {
  const period = { start: at('2026-03-09T00:00'), end: at('2026-03-23T00:00') };
  const twoWeeks = workdays('2026-03-09', '2026-03-20');

  it('gives booked, available, utilization and unmet demand per type and week', () => {
    const model = poolModel({
      period,
      resources: [
        machine('lift-1', 'aerial-lift', 'eschwege', twoWeeks),
        machine('lift-2', 'aerial-lift', 'sontra', twoWeeks),
      ],
      bookings: [booking('b1', 'lift-1', 'eschwege', '2026-03-10T07:00', 8)],
      requests: [request('q1', 'aerial-lift', 'wanfried', '2026-03-17T07:00', 4)],
    });
    const { types } = computeFigures(model);
    expect(types).toHaveLength(2);
    expect(types[0]).toMatchObject({
      type: 'aerial-lift',
      week: { weekYear: 2026, weekNumber: 11 },
      bookedHours: 8,
      availableHours: 90,
      utilization: 0.089,
      unmetHours: 0,
      unmetRequests: 0,
      operatorHours: null,
      overCapacity: false,
    });
    expect(types[1]).toMatchObject({ bookedHours: 0, unmetHours: 4, unmetRequests: 1, overCapacity: false });
    // 8 h on two aerial lifts: no utilization warning, no peak, no noise.
    const findings = diagnose(model);
    expect(findings.filter((f) => f.kind === 'utilization' || f.kind === 'seasonal-peak')).toEqual([]);
    // The waiting request is info: there is room for it.
    expect(findings.find((f) => f.kind === 'unmet-demand')?.severity).toBe('info');
  });

  it('counts a machine that needs an operator only as long as a qualified operator works', () => {
    const q = 'sewer-camera-certified';
    const model = poolModel({
      period,
      resources: [
        machine('cam-1', 'sewer-camera', 'eschwege', twoWeeks, { requiredQualification: q }),
        person('anna', 'eschwege', [q], workdays('2026-03-09', '2026-03-11')),
      ],
      bookings: [
        booking('b1', 'cam-1', 'eschwege', '2026-03-09T07:00', 9),
        booking('b2', 'cam-1', 'eschwege', '2026-03-10T07:00', 9),
      ],
      requests: [
        request('q1', 'sewer-camera', 'wanfried', '2026-03-11T07:00', 9),
        request('q2', 'sewer-camera', 'meinhard', '2026-03-12T07:00', 9),
      ],
    });
    const week11 = computeFigures(model).types.find(
      (f) => f.type === 'sewer-camera' && f.week.weekNumber === 11,
    );
    expect(week11).toMatchObject({
      resourceHours: 45,
      operatorHours: 27,
      availableHours: 27,
      bookedHours: 18,
      unmetHours: 18,
    });
    expect(week11?.overCapacity).toBe(true);
    const findings = diagnose(model);
    const over = findings.find((f) => f.kind === 'over-capacity');
    expect(over).toMatchObject({
      severity: 'critical',
      type: 'sewer-camera',
      weekList: [{ weekYear: 2026, weekNumber: 11 }],
    });
    expect(over?.metrics.excessHours).toBe(9);
    expect(findings.find((f) => f.kind === 'unmet-demand')?.severity).toBe('critical');
  });

  it('reports machines falling due for inspection or retiring inside the period, with the bookings after', () => {
    const model = poolModel({
      period,
      resources: [
        machine('cam-1', 'sewer-camera', 'eschwege', twoWeeks, { inspectionDue: at('2026-03-14T00:00') }),
        machine('lift-1', 'aerial-lift', 'sontra', twoWeeks, { retiredAt: at('2026-03-16T00:00') }),
        machine('lift-2', 'aerial-lift', 'sontra', twoWeeks, { inspectionDue: at('2026-06-01T00:00') }),
      ],
      bookings: [booking('late', 'cam-1', 'wanfried', '2026-03-17T07:00', 4)],
    });
    const findings = diagnose(model);
    const inspection = findings.find((f) => f.kind === 'inspection-due');
    expect(inspection).toMatchObject({
      severity: 'critical',
      resourceId: 'cam-1',
      at: { due: at('2026-03-14T00:00') },
      bookingIds: ['late'],
      municipalityIds: ['wanfried'],
    });
    expect(inspection?.metrics.bookingsAfter).toBe(1);
    const retired = findings.find((f) => f.kind === 'retired');
    expect(retired).toMatchObject({
      severity: 'warning',
      resourceId: 'lift-1',
      at: { retired: at('2026-03-16T00:00') },
    });
    expect(findings.filter((f) => f.kind === 'inspection-due')).toHaveLength(1);
  });
});
