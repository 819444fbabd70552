import { Injectable, OnModuleDestroy } from '@nestjs/common';
import * as http from 'node:http';
import * as https from 'node:https';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { WebhookTargetPolicy } from './webhook-target-policy';

export const SECRET_PREFIX = 'whsec_';
const TIMEOUT_MS = 10_000;
/** Of the answer, only this much is kept (for the delivery's last error). */
const MAX_ANSWER_BYTES = 1024;

/** A new signing secret in the Standard Webhooks format: whsec_ + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

export interface WebhookMessage {
  url: string;
  secret: string;
  /** webhook-id: the same on every retry of a delivery, so receivers can drop duplicates. */
  messageId: string;
  body: string;
  at: Date;
}

export interface SendResult {
  ok: boolean;
  responseStatus: number | null;
  error: string | null;
}

/** The three headers of the Standard Webhooks specification for `message`. */
export function signatureHeaders(message: Omit<WebhookMessage, 'url'>): Record<string, string> {
  const timestamp = new Date(Math.floor(message.at.getTime() / 1000) * 1000);
  return {
    'webhook-id': message.messageId,
    'webhook-timestamp': String(timestamp.getTime() / 1000),
    'webhook-signature': new Webhook(message.secret).sign(message.messageId, timestamp, message.body),
  };
}

/**
 * One POST of a signed message. Success is a 2xx answer within ten seconds; redirects are not
 * followed (a 3xx counts as failure). The connection goes only to addresses the target policy
 * allows, checked at this moment.
 */
@Injectable()
export class WebhookSender implements OnModuleDestroy {
  /** Kept-alive connections of this sender only: each was opened to an address the policy checked. */
  private readonly agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 8 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 8 }),
  };

  constructor(private readonly policy: WebhookTargetPolicy) {}

  onModuleDestroy(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  async send(message: WebhookMessage): Promise<SendResult> {
    let url: URL;
    try {
      url = this.policy.parse(message.url);
    } catch (e) {
      return { ok: false, responseStatus: null, error: (e as Error).message };
    }
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'allmende-webhooks/1',
      ...signatureHeaders(message),
    };
    const secure = url.protocol === 'https:';
    const request = secure ? https.request : http.request;
    const agent = secure ? this.agents.https : this.agents.http;
    return new Promise<SendResult>((resolve) => {
      const req = request(
        url,
        { method: 'POST', headers, agent, lookup: this.policy.lookup, timeout: TIMEOUT_MS },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            if (size < MAX_ANSWER_BYTES) chunks.push(c);
            size += c.length;
          });
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const ok = status >= 200 && status < 300;
            const answer = Buffer.concat(chunks).toString('utf8').slice(0, 200).trim();
            resolve({
              ok,
              responseStatus: status,
              error: ok ? null : `HTTP ${status}${answer ? `: ${answer}` : ''}`,
            });
          });
          res.on('error', (e) =>
            resolve({ ok: false, responseStatus: res.statusCode ?? null, error: e.message }),
          );
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
      req.on('error', (e) => resolve({ ok: false, responseStatus: null, error: e.message }));
      req.end(message.body);
    });
  }
}
