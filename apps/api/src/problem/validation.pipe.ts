import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { FieldError, ValidationFailed } from '@allmende/core';
import { parseInstant } from '@allmende/bookings';
import { guardInput, restorePlusInInstant } from './input-guard';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule,
      message: message.replace(/^property (\S+) should not exist$/, 'is not a known field'),
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

type Ctor = new (...args: unknown[]) => unknown;
const SCALARS = new Set<unknown>([String, Number, Boolean, Object, Array, Date, Function, undefined]);

type Properties = Map<string, { rules: Set<string>; designType: unknown }>;
/** A DTO's fields and rules never change after start-up: read once per class, not per request. */
const PROPERTIES = new WeakMap<Ctor, Properties>();

function propertiesOf(target: Ctor): Properties {
  let known = PROPERTIES.get(target);
  if (!known) {
    known = readProperties(target);
    PROPERTIES.set(target, known);
  }
  return known;
}

function readProperties(target: Ctor): Properties {
  const out = new Map<string, { rules: Set<string>; designType: unknown }>();
  for (const m of getMetadataStorage().getTargetValidationMetadatas(target, '', true, false)) {
    const entry = out.get(m.propertyName) ?? {
      rules: new Set<string>(),
      designType: Reflect.getMetadata('design:type', target.prototype as object, m.propertyName),
    };
    entry.rules.add(m.name ?? m.type);
    out.set(m.propertyName, entry);
  }
  return out;
}

function isDto(t: unknown): t is Ctor {
  return typeof t === 'function' && !SCALARS.has(t);
}

/**
 * Shapes class-transformer would silently coerce: text or a boolean for a number in a JSON body
 * ("12" is not 12 there, nor is true 1), an array or a scalar where a nested object belongs
 * (`costSharing: []`).
 */
function checkShapes(plain: unknown, target: Ctor, path: string, errors: FieldError[], depth = 0): void {
  if (depth > 8 || plain === null || typeof plain !== 'object' || Array.isArray(plain)) return;
  for (const [name, { designType }] of propertiesOf(target)) {
    const value = (plain as Record<string, unknown>)[name];
    const field = path ? `${path}.${name}` : name;
    if (value === undefined) continue;
    if (designType === Number && value !== null && typeof value !== 'number') {
      const what = typeof value === 'string' ? 'text' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
      errors.push({ field, rule: 'isNumber', message: `${name} must be a number, not ${what}` });
    } else if (designType === Boolean && value !== null && typeof value !== 'boolean') {
      errors.push({ field, rule: 'isBoolean', message: `${name} must be true or false` });
    } else if (isDto(designType)) {
      if (value === null) continue;
      if (typeof value !== 'object' || Array.isArray(value)) {
        errors.push({ field, rule: 'isObject', message: `${name} must be an object` });
      } else checkShapes(value, designType, field, errors, depth + 1);
    }
  }
}

/** Earliest and latest instant the API accepts anywhere: planning, not archaeology. */
export const EARLIEST = Date.UTC(2000, 0, 1);
export const LATEST = Date.UTC(2100, 0, 1);

function instantOf(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    // Date.parse rolls 2025-02-30 over to 2 March; a day that does not exist is the field's own error.
    const t = Date.parse(`${v}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === v ? t : null;
  }
  const d = parseInstant(v);
  return d ? d.getTime() : null;
}

/**
 * After validation: ids compare as lower-case text everywhere (an upper-case UUID names the same
 * row), every instant and date lies in 2000–2099, and every window (start/end, from/to) runs forward.
 */
function normalize(dto: unknown, path: string, errors: FieldError[], depth = 0): void {
  if (depth > 8 || dto === null || typeof dto !== 'object') return;
  const target = dto.constructor as Ctor;
  if (!isDto(target)) return;
  const record = dto as Record<string, unknown>;
  for (const [name, { rules }] of propertiesOf(target)) {
    const value = record[name];
    const field = path ? `${path}.${name}` : name;
    if (rules.has('minLength') && typeof value === 'string' && value.trim() === '') {
      errors.push({ field, rule: 'minLength', message: `${name} must not be blank` });
    }
    if (rules.has('isUuid')) {
      if (typeof value === 'string') record[name] = value.toLowerCase();
      else if (Array.isArray(value))
        record[name] = (value as unknown[]).map((v) => (typeof v === 'string' ? v.toLowerCase() : v));
    }
    if ((rules.has('isInstant') || rules.has('isIso8601')) && value !== undefined && value !== null) {
      const t = instantOf(value);
      if (t !== null && (t < EARLIEST || t >= LATEST)) {
        errors.push({ field, rule: 'inPlanningRange', message: `${name} must lie between 2000 and 2099` });
      }
    }
    if (Array.isArray(value)) value.forEach((v, i) => normalize(v, `${field}[${i}]`, errors, depth + 1));
    else normalize(value, field, errors, depth + 1);
  }
  for (const [a, b] of [
    ['start', 'end'],
    ['from', 'to'],
  ] as const) {
    const from = instantOf(record[a]);
    const to = instantOf(record[b]);
    if (from !== null && to !== null && to <= from) {
      errors.push({
        field: path ? `${path}.${b}` : b,
        rule: 'isAfter',
        message: `${b} must be after ${a}`,
      });
    }
  }
}

/**
 * The one validation of every request: unknown fields rejected (no mass assignment), text no
 * column can hold and absurd nesting refused first, shapes checked before any coercion, and
 * every problem named by its field.
 */
@Injectable()
export class RequestValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      stopAtFirstError: false,
      exceptionFactory: (errors) => new ValidationFailed(flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return value;
    const root = metadata.type === 'param' ? (metadata.data ?? 'id') : '';
    const guarded = guardInput(value, root);
    if (guarded.length > 0) throw new ValidationFailed(guarded);
    if (metadata.type === 'query' && value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v === 'string') (value as Record<string, unknown>)[k] = restorePlusInInstant(v);
      }
    }
    const target = metadata.metatype;
    if (metadata.type === 'body' && isDto(target)) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new ValidationFailed([
          { field: 'body', rule: 'isObject', message: 'the body must be a JSON object' },
        ]);
      }
      const shapes: FieldError[] = [];
      checkShapes(value, target, '', shapes);
      if (shapes.length > 0) throw new ValidationFailed(shapes);
    }
    const result: unknown = await super.transform(value, metadata);
    const errors: FieldError[] = [];
    normalize(result, '', errors);
    if (errors.length > 0) throw new ValidationFailed(errors);
    return result;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe();
}
