import type { Role } from '@allmende/core';

/** What an endpoint needs; every route declares one (or is @Public). */
export enum Permission {
  MunicipalitiesRead = 'municipalities:read',
  MunicipalitiesWrite = 'municipalities:write',
  PoolsRead = 'pools:read',
  PoolsCreate = 'pools:create',
  /** Members, travel times, cost sharing of a pool the actor coordinates. */
  PoolsManage = 'pools:manage',
  ResourcesRead = 'resources:read',
  ResourcesWrite = 'resources:write',
  AvailabilityRead = 'availability:read',
  BookingsRead = 'bookings:read',
  BookingsWrite = 'bookings:write',
  UsageWrite = 'usage:write',
  WaitlistRead = 'waitlist:read',
  WaitlistWrite = 'waitlist:write',
  StatementsRead = 'statements:read',
  SolverRun = 'solver:run',
  AuditRead = 'audit:read',
  UsersRead = 'users:read',
  UsersWrite = 'users:write',
  /** Listing, creating and revoking one's own tokens. */
  OwnTokens = 'tokens:own',
  /** Who am I: the caller's own account (and its notification preferences). */
  Me = 'me:read',
  /** The notifications ledger: list, retry failed ones, the queue dashboard (admin only). */
  NotificationsAdmin = 'notifications:admin',
  /** Creating, listing and revoking one's own calendar feeds. */
  OwnCalendarFeeds = 'calendar-feeds:own',
  /** Webhook endpoints within the caller's reach (pool, municipality) and their deliveries. */
  WebhooksManage = 'webhooks:manage',
}

const READ_BASICS = [
  Permission.MunicipalitiesRead,
  Permission.PoolsRead,
  Permission.ResourcesRead,
  Permission.AvailabilityRead,
  Permission.BookingsRead,
  Permission.OwnTokens,
  Permission.Me,
  Permission.OwnCalendarFeeds,
];

/** Which role may call what; the reach (own municipality, own pools) is checked by policies. */
export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(Object.values(Permission)),
  coordinator: new Set([
    ...READ_BASICS,
    Permission.PoolsManage,
    Permission.ResourcesWrite,
    Permission.BookingsWrite,
    Permission.UsageWrite,
    Permission.WaitlistRead,
    Permission.WaitlistWrite,
    Permission.StatementsRead,
    Permission.SolverRun,
    Permission.AuditRead,
    Permission.UsersRead,
    Permission.WebhooksManage,
  ]),
  'yard-manager': new Set([
    ...READ_BASICS,
    Permission.BookingsWrite,
    Permission.UsageWrite,
    Permission.WaitlistRead,
    Permission.WaitlistWrite,
    Permission.WebhooksManage,
  ]),
  finance: new Set([...READ_BASICS, Permission.StatementsRead, Permission.WebhooksManage]),
  viewer: new Set(READ_BASICS),
};

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}
