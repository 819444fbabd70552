import type { BookingFacts, NotifiableUser } from '@allmende/database';
import type { BookingView, MessageFacts, PlannedMessage } from './facts';
import type { NotificationKind } from './kinds';

export function bookingView(b: BookingFacts): BookingView {
  return {
    id: b.id,
    sequence: b.sequence,
    status: b.status,
    emergency: b.priority === 'emergency',
    poolName: b.poolName,
    resourceName: b.resourceName,
    resourceKind: b.resourceKind,
    machineName: b.machineName,
    operatorNames: b.operators.map((o) => o.name),
    municipalityName: b.municipalityName,
    siteName: b.siteName,
    homeMunicipalityName: b.homeMunicipalityName,
    start: b.startAt.toISOString(),
    end: b.endAt.toISOString(),
    notes: b.notes,
  };
}

export const userKey = (userId: string) => `user:${userId}`;
export const emailKey = (email: string) => `email:${email.toLowerCase()}`;

/**
 * Collects recipients in order (the first mention of an address wins, so the booker stays
 * first), skipping users who switched the kind off.
 */
export class Audience {
  private readonly messages: PlannedMessage[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly kind: NotificationKind) {}

  users(users: (NotifiableUser | null)[], facts: MessageFacts): this {
    for (const u of users) {
      if (!u || u.disabledKinds.includes(this.kind)) continue;
      this.add({
        kind: this.kind,
        recipientKey: userKey(u.id),
        userId: u.id,
        email: u.email,
        name: u.name,
        language: u.language,
        facts,
      });
    }
    return this;
  }

  /** A recipient without an account (an operator's address on the staff resource): German. */
  address(email: string | null, name: string, facts: MessageFacts): this {
    if (!email) return this;
    this.add({
      kind: this.kind,
      recipientKey: emailKey(email),
      userId: null,
      email,
      name,
      language: 'de',
      facts,
    });
    return this;
  }

  private add(m: PlannedMessage): void {
    const address = m.email.toLowerCase();
    if (this.seen.has(address)) return;
    this.seen.add(address);
    this.messages.push(m);
  }

  list(): PlannedMessage[] {
    return this.messages;
  }
}

/** The booker first, then the other yard managers of the booking municipality. */
export function bookerFirst(booker: NotifiableUser | null, yardManagers: NotifiableUser[]): NotifiableUser[] {
  return booker ? [booker, ...yardManagers.filter((u) => u.id !== booker.id)] : yardManagers;
}
