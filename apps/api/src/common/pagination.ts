import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ValidationFailed } from '@allmende/core';
import { UNSTORABLE } from '../problem/input-guard';

export const MAX_PAGE_SIZE = 500;

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: "Opaque cursor from the previous page's `nextCursor`" })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(value: Record<string, string>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A cursor is ours only if each key has the shape we wrote: ids, ISO instants, plain text. */
function isCursorValue(key: string, value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (key === 'id' || key.endsWith('Id')) return UUID.test(value);
  if (key.endsWith('At')) {
    const t = Date.parse(value);
    return ISO_INSTANT.test(value) && t >= Date.UTC(1970, 0, 1) && t < Date.UTC(2200, 0, 1);
  }
  return value.length <= 1000 && !UNSTORABLE.test(value);
}

export function decodeCursor<K extends string>(
  cursor: string | undefined,
  keys: K[],
): Record<K, string> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (
      parsed &&
      typeof parsed === 'object' &&
      !Array.isArray(parsed) &&
      keys.every((k) => isCursorValue(k, parsed[k]))
    ) {
      return Object.fromEntries(keys.map((k) => [k, parsed[k]])) as Record<K, string>;
    }
  } catch {
    // fall through to the validation error
  }
  throw new ValidationFailed([
    { field: 'cursor', rule: 'cursor', message: 'is not a cursor this endpoint issued' },
  ]);
}

/** Fetch limit + 1 rows; the extra one tells whether there is a next page. */
export function toPage<E, T>(
  rows: E[],
  limit: number,
  map: (e: E) => T,
  cursorOf: (e: E) => Record<string, string>,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(map),
    nextCursor: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null,
  };
}
