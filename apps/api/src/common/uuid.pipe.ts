import { PipeTransform } from '@nestjs/common';
import { NotFound } from '@allmende/core';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A path id: a malformed one can name nothing (404, the same answer as an unknown one); an
 * upper-case one names the same row as its lower-case form.
 */
class UuidPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value !== 'string' || !UUID.test(value)) throw new NotFound('The resource');
    return value.toLowerCase();
  }
}

export const uuidPipe = new UuidPipe();
