import { Injectable } from '@nestjs/common';

/** Now, for the webhook sender's failure streaks; tests move it instead of waiting a day. */
@Injectable()
export class WebhookClock {
  now(): Date {
    return new Date();
  }
}
