import type { App } from '../../src/http/deps.js';

export interface RouteEntry {
  method: string;
  /** e.g. /s/:site/api/portal/requests/:key */
  url: string;
}

/**
 * Every route the app registered, read from Fastify's own route tree (`printRoutes`), so a route
 * added later is covered without anyone updating a list. HEAD twins of GET routes are left out.
 */
export function routeTable(app: App): RouteEntry[] {
  const out: RouteEntry[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    const url = (stack[depth - 1] ?? '') + m[2];
    stack[depth] = url;
    stack.length = depth + 1;
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      if (method !== 'HEAD') out.push({ method, url });
    }
  }
  return out;
}

/** Fills `:param` and `*` segments of a route with the given values (undefined when one is missing). */
export function fillRoute(url: string, values: Record<string, string>): string | undefined {
  let missing = false;
  const filled = url
    .replace(/:(\w+)/g, (_all, name: string) => {
      if (!(name in values)) missing = true;
      return encodeURIComponent(values[name] ?? '');
    })
    .replace(/\*$/, values['*'] ?? 'x');
  return missing ? undefined : filled;
}
