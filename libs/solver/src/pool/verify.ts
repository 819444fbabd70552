import { MINUTE_MS, mergeIntervals } from './calendar';
import type { Change, Interval, PoolModel, SolverBooking, SolverRequest, SolverResource } from './model';

export interface PlanCheck {
  ok: boolean;
  violations: string[];
}

interface Placed {
  key: string;
  resourceId: string;
  siteId: string;
  start: number;
  end: number;
  touched: boolean;
}

/**
 * Checks a set of changes against the hard rules, independently of the search code: eligible
 * resource, inside its availability, inside the booking's flexible window or the request's window
 * (and, when it moves in time, inside the model's movable hours),
 * emergencies untouched, operators with the required qualification at the same time, and no
 * overlap on any resource including transport time. Only pairs that involve a changed or new
 * booking are checked; what the input already got wrong is not the plan's fault.
 */
export function verifyPlan(model: PoolModel, changes: readonly Change[]): PlanCheck {
  return planVerifier(model)(changes);
}

/**
 * The same check, prepared once for a model and then run on many sets of changes (a large pool's
 * proposals are checked one by one): the model's maps and each resource's bookings are built once,
 * and each check looks only at the resources its changes touch.
 */
export function planVerifier(model: PoolModel): (changes: readonly Change[]) => PlanCheck {
  const resources = new Map(model.resources.map((r) => [r.id, r]));
  const available = new Map<string, Interval[]>();
  const availableOf = (id: string): Interval[] => {
    let list = available.get(id);
    if (!list) available.set(id, (list = mergeIntervals(resources.get(id)?.available ?? [])));
    return list;
  };
  const bookings = new Map(model.bookings.map((b) => [b.id, b]));
  const requests = new Map(model.requests.map((q) => [q.id, q]));
  const operatorsOf = new Map<string, SolverBooking[]>();
  for (const b of model.bookings)
    if (b.operatorForBookingId)
      operatorsOf.set(b.operatorForBookingId, [...(operatorsOf.get(b.operatorForBookingId) ?? []), b]);
  const onResource = new Map<string, SolverBooking[]>();
  for (const b of model.bookings) onResource.set(b.resourceId, [...(onResource.get(b.resourceId) ?? []), b]);

  const insideAvailability = (resourceId: string, start: number, end: number): boolean =>
    availableOf(resourceId).some((a) => a.start <= start && end <= a.end);
  // Work that moves in time (or a request served at another time than asked) keeps to the hours.
  const inMovableHours = (start: number, end: number): boolean =>
    !model.movableHours || model.movableHours.some((h) => h.start <= start && end <= h.end);

  return (changes) => {
    const violations: string[] = [];
    // Nothing is proposed for the past: a change starts at the present or later, and a booking
    // that has started is not moved.
    if (model.now !== undefined)
      for (const c of changes) {
        const b = c.bookingId !== undefined ? bookings.get(c.bookingId) : undefined;
        if (c.toStart < model.now) violations.push(`change ${describe(c)} starts in the past`);
        else if (b && b.start < model.now) violations.push(`booking ${b.id} has started and cannot move`);
      }

    const bookingChange = new Map<string, Change>();
    const requestChanges = new Map<string, { resource?: Change; operator?: Change }>();
    for (const c of changes) {
      if (c.toEnd <= c.toStart) violations.push(`change ${describe(c)}: empty or negative interval`);
      if (!resources.has(c.toResourceId))
        violations.push(`change ${describe(c)}: unknown resource ${c.toResourceId}`);
      if (c.bookingId !== undefined && c.requestId === undefined) {
        if (bookingChange.has(c.bookingId)) violations.push(`booking ${c.bookingId} changed twice`);
        bookingChange.set(c.bookingId, c);
      } else if (c.requestId !== undefined && c.bookingId === undefined) {
        const slot = requestChanges.get(c.requestId) ?? {};
        const role = c.role ?? 'resource';
        if (slot[role]) violations.push(`request ${c.requestId} has two ${role} changes`);
        slot[role] = c;
        requestChanges.set(c.requestId, slot);
      } else violations.push(`change ${describe(c)} must name exactly one booking or request`);
    }
    if (violations.length > 0) return { ok: false, violations };

    // Final place of a booking (its own unless changed).
    const placeOf = (b: SolverBooking): Placed => {
      const c = bookingChange.get(b.id);
      return {
        key: `booking ${b.id}`,
        resourceId: c?.toResourceId ?? b.resourceId,
        siteId: b.siteId,
        start: c?.toStart ?? b.start,
        end: c?.toEnd ?? b.end,
        touched: c !== undefined,
      };
    };
    const final = {
      get: (id: string): Placed | undefined => {
        const b = bookings.get(id);
        return b ? placeOf(b) : undefined;
      },
    };

    for (const [bookingId, c] of bookingChange) {
      const b = bookings.get(bookingId);
      if (!b) {
        violations.push(`booking ${bookingId} does not exist`);
        continue;
      }
      checkBookingChange(b, c, final, bookings, operatorsOf, resources, insideAvailability, violations);
      if (c.toStart !== b.start && !inMovableHours(c.toStart, c.toEnd))
        violations.push(`booking ${b.id} is moved outside the hours work may be moved to`);
    }
    // An operator booking must follow its machine booking in time when either moves.
    const related = new Set<string>();
    for (const id of bookingChange.keys()) {
      const b = bookings.get(id);
      if (b?.operatorForBookingId) related.add(b.id);
      for (const o of operatorsOf.get(id) ?? []) related.add(o.id);
    }
    for (const id of related) {
      const b = bookings.get(id)!;
      const machine = final.get(b.operatorForBookingId!);
      const operator = final.get(b.id);
      if (!machine || !operator || (!machine.touched && !operator.touched)) continue;
      if (machine.start !== operator.start || machine.end !== operator.end)
        violations.push(
          `operator booking ${b.id} is not at the time of machine booking ${b.operatorForBookingId}`,
        );
    }

    const placedRequests: Placed[] = [];
    for (const [requestId, slot] of requestChanges) {
      const q = requests.get(requestId);
      if (!q) {
        violations.push(`request ${requestId} does not exist`);
        continue;
      }
      checkRequest(q, slot, resources, insideAvailability, violations);
      const served = slot.resource;
      if (served && served.toStart !== q.start && !inMovableHours(served.toStart, served.toEnd))
        violations.push(`request ${q.id} is served outside the hours work may be moved to`);
      for (const c of [slot.resource, slot.operator]) {
        if (c)
          placedRequests.push({
            key: `request ${q.id}${c.role === 'operator' ? ' (operator)' : ''}`,
            resourceId: c.toResourceId,
            siteId: q.siteId,
            start: c.toStart,
            end: c.toEnd,
            touched: true,
          });
      }
    }

    // No overlap on a resource, transport time included: only resources a change touches.
    const touchedResources = new Set<string>(placedRequests.map((p) => p.resourceId));
    for (const c of bookingChange.values()) touchedResources.add(c.toResourceId);
    const byResource = new Map<string, Placed[]>();
    for (const resourceId of touchedResources) byResource.set(resourceId, []);
    for (const resourceId of touchedResources)
      for (const b of onResource.get(resourceId) ?? []) {
        const p = placeOf(b);
        byResource.get(p.resourceId)?.push(p);
      }
    for (const c of bookingChange.values()) {
      const b = bookings.get(c.bookingId!);
      if (b && !touchedResources.has(b.resourceId)) byResource.get(c.toResourceId)?.push(placeOf(b));
    }
    for (const p of placedRequests) byResource.get(p.resourceId)?.push(p);
    for (const [resourceId, list] of byResource) {
      list.forEach((p, i) => {
        if (!p.touched) return;
        list.forEach((q, j) => {
          if (i === j || (q.touched && j < i)) return;
          const [first, second] = q.start < p.start || (q.start === p.start && j < i) ? [q, p] : [p, q];
          const travel =
            first.siteId === second.siteId ? 0 : model.travelMinutes(first.siteId, second.siteId, resourceId);
          if (first.end + travel * MINUTE_MS > second.start)
            violations.push(`${first.key} and ${second.key} collide on ${resourceId} (transport included)`);
        });
      });
    }
    return { ok: violations.length === 0, violations };
  };
}

function describe(c: Change): string {
  return c.bookingId ?? c.requestId ?? '?';
}

function checkBookingChange(
  b: SolverBooking,
  c: Change,
  final: { get(id: string): Placed | undefined },
  bookings: Map<string, SolverBooking>,
  operatorsOf: Map<string, SolverBooking[]>,
  resources: Map<string, SolverResource>,
  insideAvailability: (resourceId: string, start: number, end: number) => boolean,
  violations: string[],
): void {
  const where = `booking ${b.id}`;
  if (b.priority === 'emergency') violations.push(`${where} is an emergency and must not move`);
  if (c.fromResourceId != null && c.fromResourceId !== b.resourceId)
    violations.push(`${where}: fromResourceId does not match the booking`);
  if (
    (c.fromStart !== undefined && c.fromStart !== b.start) ||
    (c.fromEnd !== undefined && c.fromEnd !== b.end)
  )
    violations.push(`${where}: from time does not match the booking`);
  if (c.toEnd - c.toStart !== b.end - b.start) violations.push(`${where}: duration changed`);
  // An operator booking moves with its machine booking, inside that booking's window.
  const machineBooking = b.operatorForBookingId ? bookings.get(b.operatorForBookingId) : undefined;
  const flexible = b.flexible ?? machineBooking?.flexible;
  if (machineBooking?.priority === 'emergency')
    violations.push(`${where} operates an emergency and must not move`);
  if (c.toStart !== b.start) {
    if (!flexible) violations.push(`${where} is not flexible in time`);
    else if (c.toStart < flexible.start || c.toEnd > flexible.end)
      violations.push(`${where} leaves its flexible window`);
  }
  const original = resources.get(b.resourceId);
  const target = resources.get(c.toResourceId);
  if (!original || !target) return;
  if (target.kind !== original.kind || target.type !== original.type)
    violations.push(`${where}: ${target.id} is not a ${original.type}`);
  if (!insideAvailability(target.id, c.toStart, c.toEnd))
    violations.push(`${where}: ${target.id} is not available then`);
  if (target.kind === 'staff') {
    const machineId = machineBooking ? final.get(machineBooking.id)?.resourceId : undefined;
    const needed = machineId ? resources.get(machineId)?.requiredQualification : b.requiredQualification;
    if (needed && !target.qualifications.includes(needed))
      violations.push(`${where}: ${target.id} lacks the qualification ${needed}`);
  } else if (
    target.requiredQualification &&
    target.requiredQualification !== original.requiredQualification
  ) {
    const operator = operatorsOf.get(b.id)?.[0];
    const operatorId = operator ? final.get(operator.id)?.resourceId : undefined;
    const person = operatorId ? resources.get(operatorId) : undefined;
    if (!person || !person.qualifications.includes(target.requiredQualification))
      violations.push(`${where}: ${target.id} needs an operator with ${target.requiredQualification}`);
  }
}

function checkRequest(
  q: SolverRequest,
  slot: { resource?: Change; operator?: Change },
  resources: Map<string, SolverResource>,
  insideAvailability: (resourceId: string, start: number, end: number) => boolean,
  violations: string[],
): void {
  const where = `request ${q.id}`;
  const c = slot.resource;
  if (!c) {
    violations.push(`${where}: operator without a resource`);
    return;
  }
  const window = q.window ?? { start: q.start, end: q.end };
  if (c.toEnd - c.toStart !== q.end - q.start) violations.push(`${where}: duration changed`);
  if (c.toStart < window.start || c.toEnd > window.end) violations.push(`${where}: outside its window`);
  const target = resources.get(c.toResourceId);
  if (!target) return;
  if (target.type !== q.type) violations.push(`${where}: ${target.id} is not a ${q.type}`);
  if (
    target.kind === 'staff' &&
    q.requiredQualification &&
    !target.qualifications.includes(q.requiredQualification)
  )
    violations.push(`${where}: ${target.id} lacks the qualification ${q.requiredQualification}`);
  if (!insideAvailability(target.id, c.toStart, c.toEnd))
    violations.push(`${where}: ${target.id} is not available then`);
  const needed = target.kind === 'machine' && q.needsOperator !== false ? target.requiredQualification : null;
  const op = slot.operator;
  if (needed && !op) violations.push(`${where}: ${target.id} needs an operator with ${needed}`);
  if (!needed && op) violations.push(`${where}: an operator was booked that the machine does not need`);
  if (!op) return;
  const person = resources.get(op.toResourceId);
  if (!person) return;
  if (person.kind !== 'staff') violations.push(`${where}: operator ${person.id} is not staff`);
  if (needed && !person.qualifications.includes(needed))
    violations.push(`${where}: operator ${person.id} lacks the qualification ${needed}`);
  if (op.toStart !== c.toStart || op.toEnd !== c.toEnd)
    violations.push(`${where}: operator not at the machine's time`);
  if (!insideAvailability(person.id, op.toStart, op.toEnd))
    violations.push(`${where}: operator ${person.id} is not available then`);
}
