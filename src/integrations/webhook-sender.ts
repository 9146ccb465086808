import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { mayConnectTo } from '../domain/network-address.js';

// Portico's side of a webhook endpoint: one signed POST per attempt (Standard Webhooks, signed with
// the `standardwebhooks` package), to an address checked against the private-network rule
// (docs/security.md, E7 and E8). Redirects are not followed: a 3xx is a failed attempt, so an
// endpoint cannot bounce Portico to an address the rule refuses.

/** The message an admin sees when an endpoint's address is private and not allowed. */
export const PRIVATE_ENDPOINT_MESSAGE = "This endpoint's address is on a private network that this Portico does not allow.";

export class WebhookEndpointRefused extends Error {
  constructor() {
    super(PRIVATE_ENDPOINT_MESSAGE);
  }
}

export class WebhookEndpointUnresolved extends Error {}

interface Resolved {
  address: string;
  family: 4 | 6;
}

/**
 * Resolves an endpoint's host ONCE and checks every address it has, as the mailbox host check does:
 * any address that is not public refuses the host unless the operator's allow list names the host,
 * the address or a range holding it. The request connects to the addresses returned, never to the
 * name again (no DNS rebinding between check and connect).
 */
export async function resolveWebhookHost(host: string, allowList: readonly string[], timeoutMs = 10_000): Promise<Resolved[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  let found: Resolved[];
  if (isIP(bare)) {
    found = [{ address: bare, family: isIP(bare) === 6 ? 6 : 4 }];
  } else {
    let timer: NodeJS.Timeout | undefined;
    try {
      const all = await Promise.race([
        lookup(bare, { all: true, verbatim: true }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new WebhookEndpointUnresolved(`the endpoint's host ${bare} did not resolve in time`)), timeoutMs);
        }),
      ]);
      found = all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
    } catch (error) {
      if (error instanceof WebhookEndpointUnresolved) throw error;
      throw new WebhookEndpointUnresolved(`the endpoint's host ${bare} could not be found`);
    } finally {
      clearTimeout(timer);
    }
    if (found.length === 0) throw new WebhookEndpointUnresolved(`the endpoint's host ${bare} could not be found`);
  }
  if (!found.every((a) => mayConnectTo(bare, a.address, allowList))) throw new WebhookEndpointRefused();
  return found;
}

export interface WebhookPost {
  url: string;
  /** the subscription's secret, `whsec_…` */
  secret: string;
  messageId: string;
  payload: string;
  /** the webhook-timestamp: when this attempt is made */
  timestamp: Date;
}

export interface WebhookAnswer {
  /** the endpoint answered 2xx */
  ok: boolean;
  statusCode: number | null;
  /** why the attempt failed, for the delivery log; null when it succeeded */
  error: string | null;
}

/** Posts one signed delivery; never throws: every failure is an answer with `ok: false`. */
export async function postWebhook(post: WebhookPost, options: { allowList: readonly string[]; timeoutMs: number }): Promise<WebhookAnswer> {
  const url = new URL(post.url);
  let addresses: Resolved[];
  try {
    addresses = await resolveWebhookHost(url.hostname, options.allowList, options.timeoutMs);
  } catch (error) {
    return { ok: false, statusCode: null, error: error instanceof Error ? error.message : String(error) };
  }
  const signature = new Webhook(post.secret).sign(post.messageId, post.timestamp, post.payload);
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    if ((lookupOptions as { all?: boolean }).all) (callback as (e: null, a: Resolved[]) => void)(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
  const requestOptions: RequestOptions = {
    method: 'POST',
    lookup: pinned,
    timeout: options.timeoutMs,
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(post.payload),
      'user-agent': 'Portico-Webhooks/1',
      'webhook-id': post.messageId,
      'webhook-timestamp': String(Math.floor(post.timestamp.getTime() / 1000)),
      'webhook-signature': signature,
    },
  };
  return new Promise<WebhookAnswer>((resolve) => {
    let settled = false;
    const done = (answer: WebhookAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(overall);
      resolve(answer);
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, requestOptions, (res) => {
      const status = res.statusCode ?? 0;
      // The answer's body is not kept; reading it lets the connection close cleanly.
      res.resume();
      res.on('end', () => done(status >= 200 && status < 300 ? { ok: true, statusCode: status, error: null } : { ok: false, statusCode: status, error: `HTTP ${status}` }));
      res.on('error', (error) => done({ ok: false, statusCode: status, error: error.message }));
    });
    // One deadline for the whole exchange, however slowly the endpoint trickles its answer.
    const overall = setTimeout(() => {
      req.destroy(new Error(`no answer within ${Math.round(options.timeoutMs / 1000)} s`));
    }, options.timeoutMs);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${Math.round(options.timeoutMs / 1000)} s`)));
    req.on('error', (error) => done({ ok: false, statusCode: null, error: error.message.slice(0, 500) }));
    req.end(post.payload);
  });
}
