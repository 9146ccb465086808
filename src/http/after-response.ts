import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /** Work started once an answer has gone out (see AfterResponse). */
    afterResponse: AfterResponse;
  }
}

/** Decorates the app with its AfterResponse; closing the app waits for what is still running. */
export function registerAfterResponse(app: FastifyInstance): void {
  const afterResponse = new AfterResponse(app.log);
  app.decorate('afterResponse', afterResponse);
  app.addHook('onClose', async () => afterResponse.idle());
}

/**
 * Work a route starts only once its answer has gone out, so the answer cannot depend on it — not in
 * its content, and not in its timing. The password-reset request is the reason (docs/security.md,
 * R6): whether an email has an active account decides whether a token and a mail are written, and
 * that must not show in how long the answer takes. The work is not awaited by the request; the app
 * waits for what is still running when it closes, and tests wait with `idle()`.
 *
 * The price: if the process dies between the answer and the work, that work is lost — for a reset
 * link, the customer asks again. Work that must never be lost goes through the job queue (src/jobs).
 */
export class AfterResponse {
  readonly #pending = new Set<Promise<void>>();

  constructor(private readonly log: FastifyBaseLogger) {}

  /** Runs `work` after `reply` has been sent (or the client went away); errors are logged. */
  schedule(reply: FastifyReply, work: () => Promise<unknown>): void {
    // Tracked from now, not from when it starts, so idle() right after the answer already waits for it.
    let start!: () => void;
    const started = new Promise<void>((resolve) => (start = resolve));
    const done: Promise<void> = started
      .then(work)
      .then(
        () => undefined,
        (error: unknown) => this.log.error({ err: error }, 'work after the response failed'),
      )
      .finally(() => this.#pending.delete(done));
    this.#pending.add(done);
    reply.raw.once('close', () => setImmediate(start));
  }

  /** Resolves once no scheduled work is pending or running. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}
