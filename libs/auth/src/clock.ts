import { Injectable } from '@nestjs/common';

/** The time sign-in and sessions reckon with; tests move it to see sessions expire. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
