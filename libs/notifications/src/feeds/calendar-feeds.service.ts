import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { policies } from '@allmende/auth';
import { Actor, Conflict, NotFound, SYSTEM_ACTOR, ValidationFailed } from '@allmende/core';
import {
  AuditLog,
  CalendarFeedRepository,
  CalendarFeedRow,
  FeedOwner,
  ResourceRepository,
  UnitOfWork,
  UserRepository,
} from '@allmende/database';
import { PoolVisibility } from '@allmende/pools';
import { renderFeedCalendar, RenderedFeed } from './feed-calendar';
import { feedTexts, FeedLanguage } from './feed-texts';

/** Lets people and secret scanners recognise a feed URL's token. */
export const FEED_TOKEN_PREFIX = 'almcal_';
/** The feed shows bookings from this long ago … */
const PAST_DAYS = 90;
/** … up to this far ahead (two years: next year's autumn is always inside). */
const FUTURE_DAYS = 731;
const MAX_EVENTS = 5000;
const DAY_MS = 86_400_000;

/** Finds a feed by its token before anyone's tenant is known; it does nothing else. */
const FEED_READER: Actor = { ...SYSTEM_ACTOR, tokenName: 'calendar-feed' };

export interface NewFeedRequest {
  name?: string;
  resourceId?: string;
  language?: FeedLanguage;
}

/** A freshly created feed: `token` is shown once and exists nowhere else. */
export interface IssuedFeed {
  feed: CalendarFeedRow;
  token: string;
}

export function hashFeedToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Calendar feeds: secret URLs a calendar subscribes to. A feed reads with its user's rights at
 * every fetch (row-level security included): the bookings of the pools the user sees, other
 * municipalities' as busy time, or one resource's (a staff resource's feed is the operator's own
 * assignments). The user being disabled or the feed revoked ends it at once.
 */
@Injectable()
export class CalendarFeedsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly feeds: CalendarFeedRepository,
    private readonly resources: ResourceRepository,
    private readonly users: UserRepository,
    private readonly visibility: PoolVisibility,
    private readonly audit: AuditLog,
  ) {}

  create(actor: Actor, request: NewFeedRequest): Promise<IssuedFeed> {
    const userId = this.userOf(actor);
    return this.uow.run(actor, async () => {
      let resourceName: string | null = null;
      if (request.resourceId) {
        const resource = await this.resources.findById(request.resourceId);
        if (!resource || !(await this.visibility.maySeePool(actor, resource.poolId))) {
          throw new ValidationFailed([{ field: 'resourceId', message: 'names no resource you can see' }]);
        }
        resourceName = resource.name;
      }
      const token = FEED_TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const language = request.language ?? 'de';
      const user = await this.users.findById(userId);
      if (!user) throw new NotFound('User', userId);
      const name =
        request.name?.trim() ||
        (resourceName ? feedTexts(language).resourceCalendar(resourceName) : null) ||
        feedTexts(language).userCalendar(user.name);
      const feed = await this.feeds.insert({
        userId,
        resourceId: request.resourceId ?? null,
        name,
        language,
        tokenHash: hashFeedToken(token),
      });
      await this.audit.record(actor, {
        action: 'calendar-feed.created',
        entityType: 'calendar_feed',
        entityId: feed.id,
        municipalityId: actor.municipalityId,
        after: { name, resourceId: feed.resourceId, language },
      });
      return { feed, token };
    });
  }

  list(actor: Actor): Promise<CalendarFeedRow[]> {
    const userId = this.userOf(actor);
    return this.uow.run(actor, () => this.feeds.listByUser(userId));
  }

  /** Revoking twice is harmless: the first time stays. Other users' feeds are 404. */
  revoke(actor: Actor, id: string): Promise<CalendarFeedRow> {
    const userId = this.userOf(actor);
    return this.uow.run(actor, async () => {
      const feed = await this.feeds.findById(id);
      if (!feed || feed.userId !== userId) throw new NotFound('Calendar feed', id);
      if (!feed.revokedAt) {
        const at = new Date();
        await this.feeds.revoke(id, at);
        await this.audit.record(actor, {
          action: 'calendar-feed.revoked',
          entityType: 'calendar_feed',
          entityId: id,
          municipalityId: actor.municipalityId,
          before: { revokedAt: null },
          after: { revokedAt: at },
        });
      }
      return (await this.feeds.findById(id)) ?? feed;
    });
  }

  /** The feed behind a token, rendered now; unknown, revoked and disabled are all 404. */
  async render(token: string, now = new Date()): Promise<RenderedFeed> {
    const owner = await this.uow.run(FEED_READER, async () => {
      const found = await this.feeds.findByTokenHash(hashFeedToken(token));
      if (found && !found.feed.revokedAt && !found.userDisabledAt) await this.feeds.touch(found.feed.id);
      return found;
    });
    if (!owner || owner.feed.revokedAt || owner.userDisabledAt) throw new NotFound('Calendar feed');
    const actor = this.ownerActor(owner);
    const { feed } = owner;
    const texts = feedTexts(feed.language);
    const bookings = await this.uow.run(actor, () =>
      this.feeds.bookings({
        resourceId: feed.resourceId,
        from: new Date(now.getTime() - PAST_DAYS * DAY_MS),
        to: new Date(now.getTime() + FUTURE_DAYS * DAY_MS),
        limit: MAX_EVENTS,
      }),
    );
    return renderFeedCalendar({
      name: feed.name,
      description: feed.resourceId
        ? texts.resourceCalendarDescription(feed.resourceName ?? feed.name)
        : texts.userCalendarDescription,
      language: feed.language,
      bookings: bookings.map((booking) => ({
        booking,
        privateDetails: policies.seesPrivateDetails(actor, booking.municipalityId, booking.poolId),
      })),
    });
  }

  private ownerActor(owner: FeedOwner): Actor {
    return {
      userId: owner.feed.userId,
      tokenName: `calendar-feed:${owner.feed.name}`,
      role: owner.role,
      municipalityId: owner.municipalityId,
      poolIds: owner.role === 'coordinator' ? owner.poolIds : [],
    };
  }

  private userOf(actor: Actor): string {
    if (actor.userId === null) {
      throw new Conflict(
        'Calendar feeds belong to a user account; the installation admin token has none. Use a user’s token.',
      );
    }
    return actor.userId;
  }
}
