// oidc-provider 8 ships no types; the tests use this much of it (test/support/oidc-provider.ts).
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    on(event: string, listener: (ctx: unknown, error: unknown) => void): this;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
