import net from 'node:net';
import type http from 'node:http';

/**
 * Shutting an HTTP server down without cutting a request off (docs/operations.md, "Graceful
 * shutdown"). Node's own server.close() stops accepting connections but keeps every kept-alive one
 * open until its idle timeout, answering "keep-alive" all the while, and closes the idle ones at once
 * — where a client may just have sent its next request. Here, once draining begins:
 *
 * - the listening socket closes: a new connection is refused before anything is sent;
 * - a request under way, and one that arrives on an open connection meanwhile, is answered as usual,
 *   with `Connection: close`, so its client opens no further request on that connection;
 * - once no request has been under way for DRAIN_LINGER_MS (or at the deadline), the connections
 *   left are closed: idle ones then, and at the deadline those of requests that still run (they are
 *   cut off: that is the bound). The linger lets a client that got its last answer on a kept-alive
 *   connection just before the drain send its next request and have it answered, rather than have
 *   the connection closed under it as it sends.
 */
export const DRAIN_LINGER_MS = 250;

/** The requests under way are a list threaded through their responses (HttpDrain, below). */
const NEXT = Symbol('next request under way');
const PREVIOUS = Symbol('previous request under way');
type Linked = http.ServerResponse & { [NEXT]?: Linked; [PREVIOUS]?: Linked };

export class HttpDrain {
  readonly #server: http.Server;
  // The requests under way: a count, and a list threaded through their responses — not a Set. With
  // a long-lived Set that took and gave back a response on every request, the server's young
  // collections under load kept about 800 KB each instead of 60 and moved nearly all of it to the
  // old generation, where it lived until a full collection: pauses of 3.5-5 ms instead of 1, every
  // request in flight waiting them out (docs/benchmarks.md, "What the young collections kept"). Most
  // likely the tables the Set leaves behind as it rebuilds (V8 keeps a replaced table pointing to
  // its successor, for iterators still walking it): once one is in the old generation, every later
  // table, and the responses each held, outlive their use. A list keeps nothing once a response
  // leaves it.
  #first: Linked | undefined;
  #count = 0;
  #draining = false;
  #idle: (() => void) | undefined;

  constructor(server: http.Server) {
    this.#server = server;
    // first, before the app sees the request: it must be counted before any await of the app's
    server.prependListener('request', (_request: http.IncomingMessage, response: http.ServerResponse) => {
      if (this.#draining) response.shouldKeepAlive = false;
      this.#add(response);
      response.once('close', () => {
        this.#remove(response);
        if (this.#count === 0) this.#idle?.();
      });
    });
  }

  #add(response: Linked): void {
    response[NEXT] = this.#first;
    if (this.#first) this.#first[PREVIOUS] = response;
    this.#first = response;
    this.#count++;
  }

  #remove(response: Linked): void {
    const next = response[NEXT];
    const previous = response[PREVIOUS];
    if (previous) previous[NEXT] = next;
    else if (this.#first === response) this.#first = next;
    else return; // not in the list
    if (next) next[PREVIOUS] = previous;
    response[NEXT] = response[PREVIOUS] = undefined;
    this.#count--;
  }

  /** The responses of the requests under way. */
  *#underWay(): Generator<Linked> {
    for (let response = this.#first; response; response = response[NEXT]) yield response;
  }

  /** Requests under way (answered or not yet, their connection not yet done with them). */
  get inFlight(): number {
    return this.#count;
  }

  /**
   * Stops accepting, lets the requests under way end until `deadline` (epoch ms), then closes every
   * connection left. Resolves with how many requests were cut off at the deadline (0: none).
   */
  async drain(deadline: number): Promise<number> {
    this.#draining = true;
    for (const response of this.#underWay()) if (!response.headersSent) response.shouldKeepAlive = false;
    // Stop listening at once, before any answer says `Connection: close`: a client that reconnects
    // then is refused before it sends anything, rather than land in the backlog of a socket about to
    // close (reset after it sent its request). And without Node's http close(), which would also
    // close the idle kept-alive connections now: a request already on its way over one is served.
    if (this.#server.listening) net.Server.prototype.close.call(this.#server);
    for (;;) {
      if (this.#count > 0) await this.#untilIdle(deadline);
      if (Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(DRAIN_LINGER_MS, deadline - Date.now())));
      // Timers run before the event loop reads its sockets: let it read once (setImmediate runs after
      // that), so a request that arrived during the linger is counted before the connections close.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.#count === 0 || Date.now() >= deadline) break;
    }
    const cutOff = [...this.#underWay()].filter((r) => !r.writableFinished).length;
    this.#server.closeIdleConnections();
    if (cutOff > 0 || this.#count > 0) this.#server.closeAllConnections();
    return cutOff;
  }

  /** Resolves when no request is under way, or at the deadline. */
  async #untilIdle(deadline: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.#idle = resolve;
      timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
    });
    clearTimeout(timer);
    this.#idle = undefined;
  }
}
