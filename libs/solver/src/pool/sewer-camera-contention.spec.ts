import { at, booking, machine, poolModel, request, window, workdays } from './fixtures';
import { propose } from './proposals';
import { verifyPlan } from './verify';

/** One sewer camera; Sontra booked it for Tuesday, Wanfried wants the same Tuesday. */
describe('sewer camera contention', () => {
  const camera = machine('cam-1', 'sewer-camera', 'eschwege', workdays('2026-04-13', '2026-04-17'));
  const base = {
    period: { start: at('2026-04-13T00:00'), end: at('2026-04-20T00:00') },
    resources: [camera],
  };

  it('serves the second town by shifting the flexible booking to another day', () => {
    const model = poolModel({
      ...base,
      bookings: [
        booking('sontra-tue', 'cam-1', 'sontra', '2026-04-14T07:00', 8, {
          flexible: window('2026-04-13T07:00', '2026-04-17T16:00'),
        }),
      ],
      requests: [request('wanfried-tue', 'sewer-camera', 'wanfried', '2026-04-14T07:00', 8)],
    });
    const proposals = propose(model, { seed: 1, timeLimitMs: 1000 });
    const reassignment = proposals.find((p) => p.kind === 'reassignment');
    expect(reassignment).toBeDefined();
    expect(reassignment?.gain.requestsServed).toBe(1);
    expect(reassignment?.gain.changedBookings).toBe(1);
    const served = reassignment?.changes.find((c) => c.requestId === 'wanfried-tue');
    expect(served).toMatchObject({ toResourceId: 'cam-1', toStart: at('2026-04-14T07:00') });
    const shifted = reassignment?.changes.find((c) => c.bookingId === 'sontra-tue');
    expect(shifted?.toStart).not.toBe(at('2026-04-14T07:00'));
    expect(reassignment?.municipalitiesAffected).toEqual(['sontra', 'wanfried']);
    expect(reassignment?.gain.extraTransportMinutes).toBeGreaterThanOrEqual(0);
    expect(reassignment?.gain.transportMinutesSaved).toBeGreaterThanOrEqual(0);
    expect(verifyPlan(model, reassignment?.changes ?? []).ok).toBe(true);
  });

  it('serves a request with a window on another day, leaving the fixed booking alone', () => {
    const model = poolModel({
      ...base,
      bookings: [booking('sontra-tue', 'cam-1', 'sontra', '2026-04-14T07:00', 8)],
      requests: [
        request('wanfried-tue', 'sewer-camera', 'wanfried', '2026-04-14T07:00', 8, {
          window: window('2026-04-13T07:00', '2026-04-17T16:00'),
        }),
      ],
    });
    const [reassignment] = propose(model, { seed: 1, timeLimitMs: 1000 });
    expect(reassignment.kind).toBe('reassignment');
    expect(reassignment.gain.changedBookings).toBe(0);
    expect(reassignment.changes).toHaveLength(1);
    const [served] = reassignment.changes;
    // Closest to the wish (Tuesday 07:00): as late as the camera can work on Monday.
    expect(served).toMatchObject({
      toResourceId: 'cam-1',
      toStart: at('2026-04-13T08:00'),
      toEnd: at('2026-04-13T16:00'),
    });
    expect(verifyPlan(model, reassignment.changes).ok).toBe(true);
  });

  it('proposes nothing when neither booking nor request can move', () => {
    const model = poolModel({
      ...base,
      bookings: [booking('sontra-tue', 'cam-1', 'sontra', '2026-04-14T07:00', 8)],
      requests: [request('wanfried-tue', 'sewer-camera', 'wanfried', '2026-04-14T07:00', 8)],
    });
    expect(propose(model, { seed: 1, timeLimitMs: 500 }).filter((p) => p.kind === 'reassignment')).toEqual(
      [],
    );
  });
});
