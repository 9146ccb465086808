import packageJson from '../../package.json' with { type: 'json' };

/**
 * What this server is (GET /rest/servicedeskapi/info, docs/product.md#rest-info): the version of
 * package.json, and — in a server built by scripts/build-server.js — when and from which commit it
 * was built. Run from source (tsx, the tests), the build is not known and is left out.
 */
export interface BuildInfo {
  version: string;
  builtAt?: Date;
  changeSet?: string;
}

declare const __PORTICO_BUILD__: { date?: string; changeSet?: string } | undefined;

/** The build stamp scripts/build-server.js defines, if this code was built by it. */
function stamp(): { date?: string; changeSet?: string } {
  return typeof __PORTICO_BUILD__ === 'undefined' ? {} : __PORTICO_BUILD__;
}

export function buildInfoFrom(version: string, s: { date?: string; changeSet?: string }): BuildInfo {
  const builtAt = s.date ? new Date(s.date) : undefined;
  return {
    version,
    ...(builtAt && !Number.isNaN(builtAt.getTime()) ? { builtAt } : {}),
    ...(s.changeSet && /^[0-9a-f]{7,64}$/.test(s.changeSet) ? { changeSet: s.changeSet } : {}),
  };
}

export const BUILD_INFO: BuildInfo = buildInfoFrom(packageJson.version, stamp());
