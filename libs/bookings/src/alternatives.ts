import { Injectable } from '@nestjs/common';
import { BookingPriority, ResourceEntity, ResourceRepository } from '@allmende/database';
import { AvailabilityService } from './availability.service';
import { berlinWallClock } from './time';

export interface Alternative {
  resourceId: string;
  resourceName: string;
  resourceType: string;
  needsOperator: boolean;
  start: Date;
  end: Date;
  kind: 'other-resource' | 'other-time';
}

/** An alternative as problem details and outbox events carry it: instants in UTC and Berlin time. */
export function alternativeView(a: Alternative): Record<string, unknown> {
  return {
    ...a,
    start: a.start.toISOString(),
    end: a.end.toISOString(),
    startLocal: berlinWallClock(a.start),
    endLocal: berlinWallClock(a.end),
  };
}

/** What a refused or displaced booking could take instead: searched this far around it. */
const DAYS_BEFORE = 7;
const DAYS_AFTER = 21;

/** Other machines of the type then, and the nearest free time on the same machine. */
@Injectable()
export class AlternativesFinder {
  constructor(
    private readonly resources: ResourceRepository,
    private readonly availability: AvailabilityService,
  ) {}

  async find(
    resource: ResourceEntity,
    siteId: string,
    start: Date,
    end: Date,
    priority: BookingPriority = 'normal',
  ): Promise<Alternative[]> {
    const minutes = (end.getTime() - start.getTime()) / 60_000;
    const sameType = await this.resources.listByPoolAndType(resource.poolId, resource.type, resource.kind);
    const windows = await this.availability.windowsFor(sameType, {
      poolId: resource.poolId,
      type: resource.type,
      from: new Date(start.getTime() - DAYS_BEFORE * 86_400_000),
      to: new Date(end.getTime() + DAYS_AFTER * 86_400_000),
      siteMunicipalityId: siteId,
      minMinutes: minutes,
      emergency: priority === 'emergency',
    });
    const others: Alternative[] = windows
      .filter((w) => w.resource.id !== resource.id && w.start <= start && w.end >= end)
      .slice(0, 3)
      .map((w) => ({
        resourceId: w.resource.id,
        resourceName: w.resource.name,
        resourceType: w.resource.type,
        needsOperator: w.resource.requiredQualification !== null,
        start,
        end,
        kind: 'other-resource',
      }));
    const sameMachine = windows
      .filter((w) => w.resource.id === resource.id)
      .map((w) => {
        // The slot in the window closest to the requested start.
        const latestStart = w.end.getTime() - minutes * 60_000;
        const s = Math.min(Math.max(start.getTime(), w.start.getTime()), latestStart);
        return { w, s };
      })
      .sort((a, b) => Math.abs(a.s - start.getTime()) - Math.abs(b.s - start.getTime()))
      .slice(0, 2)
      .map(({ w, s }) => ({
        resourceId: w.resource.id,
        resourceName: w.resource.name,
        resourceType: w.resource.type,
        needsOperator: w.resource.requiredQualification !== null,
        start: new Date(s),
        end: new Date(s + minutes * 60_000),
        kind: 'other-time' as const,
      }));
    return [...others, ...sameMachine];
  }
}
