import { accountIdOf, type TestApp } from '../support/app.js';
import { hashSecret, newSecret } from '../../src/domain/secrets.js';

export interface AgentTestSession {
  headers: Record<string, string>;
  accountId: string;
}

/**
 * A session for a demo person, made the way a login makes one (a hashed random id, a CSRF token):
 * staff get the staff cookie, customers the help-center cookie of their site. The requests then go
 * through the real auth plugin, which re-reads session and account status each time.
 */
export async function agentSession(t: TestApp, email: string, customerSite?: string): Promise<AgentTestSession> {
  const accountId = await accountIdOf(t.db, email, customerSite ?? null);
  const site = customerSite
    ? await t.db.selectFrom('sites').select('id').where('slug', '=', customerSite).executeTakeFirstOrThrow()
    : null;
  const id = newSecret();
  const csrf = newSecret();
  const hour = 3600 * 1000;
  await t.db
    .insertInto('sessions')
    .values({
      id_hash: hashSecret(id),
      account_id: accountId,
      site_id: site?.id ?? null,
      csrf_token: csrf,
      last_seen_at: new Date(),
      idle_expires_at: new Date(Date.now() + hour),
      absolute_expires_at: new Date(Date.now() + 8 * hour),
    })
    .execute();
  const cookie = `${customerSite ? 'portico_csid' : 'portico_sid'}=${id}`;
  return { headers: { cookie, 'x-csrf-token': csrf }, accountId };
}
