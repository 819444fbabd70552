import { ParseUUIDPipe } from '@nestjs/common';
import { NotFound } from '@allmende/core';

/** A malformed id can name nothing: 404, the same answer as an unknown one. */
export const uuidPipe = new ParseUUIDPipe({
  exceptionFactory: () => new NotFound('The resource'),
});
