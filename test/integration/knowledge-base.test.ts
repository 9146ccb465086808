import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { as, createTestApp, loginCustomer, loginStaff, type Session, type TestApp } from '../support/app.js';

// Knowledge-base authoring and search (docs/product.md#knowledge-base): agents and admins write,
// publish and unpublish a project's articles; customers, visitors and REST clients see published
// ones only; search is full text with the english configuration and ranking.

let t: TestApp;
let alice: Session, erin: Session, sam: Session, ada: Session, greta: Session;
let helpId: string, supId: string;

const portal = (site: string, path: string) => `/s/${site}/api/portal${path}`;
const authoring = (site: string, key: string, path = '') => `/s/${site}/api/agent/projects/${key}/articles${path}`;

async function call(session: Session | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  const res = await t.app.inject({ method, url, headers: session ? as(session) : {}, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: res.body ? res.json() : undefined };
}
const titles = (r: { body: { values: { title: string }[] } }) => r.body.values.map((a) => a.title);
const search = async (who: Session | null, site: string, q: string) => titles(await call(who, 'GET', portal(site, `/kb?query=${encodeURIComponent(q)}`)));

beforeAll(async () => {
  t = await createTestApp();
  [alice, erin, sam, ada, greta] = await Promise.all([
    loginCustomer(t.app, 'acme', 'alice@customer.test'),
    loginCustomer(t.app, 'globex', 'erin@customer.test'),
    loginStaff(t.app, 'agent@acme.test'),
    loginStaff(t.app, 'admin@acme.test'),
    loginStaff(t.app, 'admin@globex.test'),
  ]);
  helpId = String((await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow()).id);
  supId = String((await t.db.selectFrom('projects').select('id').where('key', '=', 'SUP').executeTakeFirstOrThrow()).id);
});
afterAll(() => t?.close());

describe('search', () => {
  it('understands word forms: "printers not working" finds "Printer troubleshooting" first', async () => {
    expect((await search(alice, 'acme', 'printers not working'))[0]).toBe('Printer troubleshooting');
    expect((await search(alice, 'acme', 'printing'))[0]).toBe('Printer troubleshooting');
  });

  it('finds from a sentence that has words the article lacks: "my vpn password is wrong" finds "Reset your VPN password" first', async () => {
    expect((await search(alice, 'acme', 'my vpn password is wrong'))[0]).toBe('Reset your VPN password');
  });

  it('ranks the article that matches every word, and in its title, above one that matches a word of its body', async () => {
    // "minutes" is in the VPN article's body only; "printer" is in the printer article's title and body
    expect(await search(alice, 'acme', 'printer minutes')).toEqual(['Printer troubleshooting', 'Reset your VPN password']);
    expect(await search(alice, 'acme', 'vpn password minutes')).toEqual(['Reset your VPN password']);
  });

  it('keeps a quoted phrase together', async () => {
    expect(await search(alice, 'acme', '"vpn password"')).toEqual(['Reset your VPN password']);
    expect(await search(alice, 'acme', '"password vpn"')).toEqual([]);
  });

  it('finds the word being typed by its start', async () => {
    expect(await search(alice, 'acme', 'Print')).toEqual(['Printer troubleshooting']);
    expect(await search(alice, 'acme', 'exchan')).toEqual(['Set up email on your phone']);
  });

  it('lists the portal\'s published articles by title when the search is empty, and finds nothing for stop words or punctuation only', async () => {
    expect(titles(await call(alice, 'GET', portal('acme', `/kb?projectId=${helpId}`)))).toEqual(['Printer troubleshooting', 'Reset your VPN password', 'Set up email on your phone']);
    expect(await search(alice, 'acme', 'the is and')).toEqual([]);
    expect(await search(alice, 'acme', '!!! ???')).toEqual([]);
  });

  it('finds the same on the REST API, for the whole site and for one service desk (by id or key)', async () => {
    const headers = as(alice);
    for (const url of [
      '/s/acme/rest/servicedeskapi/knowledgebase/article',
      `/s/acme/rest/servicedeskapi/servicedesk/${helpId}/knowledgebase/article`,
      '/s/acme/rest/servicedeskapi/servicedesk/HELP/knowledgebase/article',
    ]) {
      const res = await t.app.inject({ method: 'GET', url: `${url}?query=${encodeURIComponent('my vpn password is wrong')}`, headers });
      expect(res.statusCode, url).toBe(200);
      const body = res.json();
      expect(body.values[0].title, url).toBe('Reset your VPN password');
      expect(body.values[0].content.iframeSrc).toMatch(/\/s\/acme\/servicedesk\/customer\/article\/\d+$/);
      expect(body).toMatchObject({ start: 0, isLastPage: true });
    }
    const bad = await t.app.inject({ method: 'GET', url: `/s/acme/rest/servicedeskapi/servicedesk/${helpId}/knowledgebase/article`, headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errorMessages).toEqual(["'query' is required."]);
  });

  it('answers 404 for another site\'s service desk, and for people of another organization', async () => {
    const acmeAsErin = await t.app.inject({ method: 'GET', url: `/s/globex/rest/servicedeskapi/servicedesk/${helpId}/knowledgebase/article?query=vpn`, headers: as(erin) });
    expect(acmeAsErin.statusCode).toBe(404);
    const asGreta = await t.app.inject({ method: 'GET', url: `/s/acme/rest/servicedeskapi/servicedesk/${helpId}/knowledgebase/article?query=vpn`, headers: as(greta) });
    expect(asGreta.statusCode).toBe(404);
    const supFromAcme = await t.app.inject({ method: 'GET', url: `/s/acme/rest/servicedeskapi/servicedesk/${supId}/knowledgebase/article?query=billing`, headers: as(alice) });
    expect(supFromAcme.statusCode).toBe(404);
  });

  it('has a GIN index that serves the search of the stored words', async () => {
    const site = await t.db.selectFrom('sites').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow();
    await sql`
      INSERT INTO kb_articles (site_id, project_id, title, body, published)
      SELECT ${site.id}, ${helpId}, 'Filler article ' || g, 'Nothing of interest about topic number ' || g, false
      FROM generate_series(1, 5000) g`.execute(t.db);
    await sql`ANALYZE kb_articles`.execute(t.db);
    // with sequential scans priced out, the plan shows whether an index can answer the search at all
    // (a table of a few thousand rows is still cheaper to read whole)
    const plan = await t.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      return sql<{ 'QUERY PLAN': string }>`
        EXPLAIN SELECT id FROM kb_articles WHERE search @@ to_tsquery('english', 'printers | working')`.execute(trx);
    });
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('kb_articles_search_idx');
    await sql`DELETE FROM kb_articles WHERE title LIKE 'Filler article %'`.execute(t.db);
  });
});

describe('authoring', () => {
  it('an agent writes a draft that customers, visitors and REST clients cannot see until it is published, and cannot see again once unpublished', async () => {
    const created = await call(sam, 'POST', authoring('acme', 'HELP'), {
      title: 'Connect to the guest Wi-Fi',
      body: 'Choose **Acme-Guest** and accept the terms.',
      category: '  Network  ',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'Connect to the guest Wi-Fi', category: 'Network', published: false, projectKey: 'HELP' });
    const id = created.body.id as string;

    const invisible = async () => {
      expect(await search(alice, 'acme', 'guest wifi')).toEqual([]);
      expect(titles(await call(alice, 'GET', portal('acme', `/kb?projectId=${helpId}`)))).not.toContain('Connect to the guest Wi-Fi');
      expect((await call(alice, 'GET', portal('acme', `/kb/${id}`))).status).toBe(404);
      // the agent in the help center sees what customers see
      expect((await call(sam, 'GET', portal('acme', `/kb/${id}`))).status).toBe(404);
      const rest = await t.app.inject({ method: 'GET', url: '/s/acme/rest/servicedeskapi/knowledgebase/article?query=guest', headers: as(alice) });
      expect(rest.json().values).toEqual([]);
      const desk = await t.app.inject({ method: 'GET', url: '/s/acme/rest/servicedeskapi/servicedesk/HELP/knowledgebase/article?query=guest', headers: as(sam) });
      expect(desk.json().values).toEqual([]);
    };
    await invisible();
    // the authors see the draft
    const list = await call(sam, 'GET', authoring('acme', 'HELP', '?query=guest'));
    expect(list.body.values.map((a: { title: string; published: boolean }) => [a.title, a.published])).toEqual([['Connect to the guest Wi-Fi', false]]);
    expect(list.body.categories).toEqual(expect.arrayContaining(['Network', 'Printing']));

    const published = await call(sam, 'PUT', authoring('acme', 'HELP', `/${id}/published`), { published: true });
    expect(published.status).toBe(200);
    expect(published.body.published).toBe(true);
    expect(await search(alice, 'acme', 'guest wifi')).toEqual(['Connect to the guest Wi-Fi']);
    const read = await call(alice, 'GET', portal('acme', `/kb/${id}`));
    expect(read.body).toMatchObject({ title: 'Connect to the guest Wi-Fi', body: 'Choose **Acme-Guest** and accept the terms.', category: 'Network' });

    expect((await call(sam, 'PUT', authoring('acme', 'HELP', `/${id}/published`), { published: false })).body.published).toBe(false);
    await invisible();

    const events = await t.db.selectFrom('audit_events').select('action').where('action', 'like', 'kb.%').orderBy('id').execute();
    expect(events.map((e) => e.action)).toEqual(['kb.article_created', 'kb.article_published', 'kb.article_unpublished']);
  });

  it('an edit of a published article shows at once, and finds by its new words', async () => {
    const created = await call(ada, 'POST', authoring('acme', 'HELP'), { title: 'Order a headset', body: 'Use the hardware form.', published: true });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const saved = await call(ada, 'PUT', authoring('acme', 'HELP', `/${id}`), { title: 'Order a headset or webcam', body: 'Raise **Request new hardware**.', category: null });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ title: 'Order a headset or webcam', published: true, category: null });
    expect(await search(alice, 'acme', 'webcams')).toEqual(['Order a headset or webcam']);
    expect((await call(alice, 'GET', portal('acme', `/kb/${id}`))).body.body).toBe('Raise **Request new hardware**.');
  });

  it("refuses to save over someone else's newer save (409), and saves on the version it was opened at", async () => {
    const created = await call(sam, 'POST', authoring('acme', 'HELP'), { title: 'Two authors', body: 'First' });
    const opened = created.body.updatedAt as string;
    const ada1 = await call(ada, 'PUT', authoring('acme', 'HELP', `/${created.body.id}`), { title: 'Two authors', body: 'Ada was here', baseUpdatedAt: opened });
    expect(ada1.status).toBe(200);
    const sam1 = await call(sam, 'PUT', authoring('acme', 'HELP', `/${created.body.id}`), { title: 'Two authors', body: 'Sam overwrites', baseUpdatedAt: opened });
    expect(sam1.status).toBe(409);
    expect(sam1.body.errorMessages[0]).toMatch(/^Someone else saved this article after you opened it/);
    expect((await call(sam, 'GET', authoring('acme', 'HELP', `/${created.body.id}`))).body.body).toBe('Ada was here');
    const sam2 = await call(sam, 'PUT', authoring('acme', 'HELP', `/${created.body.id}`), { title: 'Two authors', body: 'Sam, after reading Ada', baseUpdatedAt: ada1.body.updatedAt });
    expect(sam2.status).toBe(200);
  });

  it('refuses what is not an article in plain words, and changes nothing', async () => {
    const before = await t.db.selectFrom('kb_articles').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const blank = await call(sam, 'POST', authoring('acme', 'HELP'), { title: '   ', body: 'x' });
    expect(blank.status).toBe(400);
    expect(blank.body).toMatchObject({ errorMessages: ['Title is required.'], errors: { title: 'Title is required.' } });
    const long = await call(sam, 'POST', authoring('acme', 'HELP'), { title: 'Long', body: 'x'.repeat(100_001) });
    expect(long.status).toBe(400);
    expect(long.body.errorMessages).toEqual(['An article can be at most 100,000 characters.']);
    const category = await call(sam, 'POST', authoring('acme', 'HELP'), { title: 'Long', body: 'x', category: 'c'.repeat(61) });
    expect(category.body.errorMessages).toEqual(['A category can be at most 60 characters.']);
    expect((await call(sam, 'POST', authoring('acme', 'HELP'), { title: 'x', body: 'x', author: 'me' })).status).toBe(400);
    expect((await call(sam, 'PUT', authoring('acme', 'HELP', '/not-a-number/published'), { published: true })).status).toBe(404);
    expect((await call(sam, 'PUT', authoring('acme', 'HELP', '/99999999/published'), { published: true })).status).toBe(404);
    const after = await t.db.selectFrom('kb_articles').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('lets only the project\'s agents and the site\'s admins write: customers 403, another organization 404, no CSRF token 403', async () => {
    const body = { title: 'Sneaky', body: 'x' };
    expect((await call(alice, 'POST', authoring('acme', 'HELP'), body)).status).toBe(403);
    expect((await call(alice, 'GET', authoring('acme', 'HELP'))).status).toBe(403);
    expect((await call(greta, 'POST', authoring('acme', 'HELP'), body)).status).toBe(404);
    expect((await call(greta, 'GET', authoring('acme', 'HELP'))).status).toBe(404);
    expect((await call(null, 'POST', authoring('acme', 'HELP'), body)).status).toBe(401);
    const noCsrf = await t.app.inject({ method: 'POST', url: authoring('acme', 'HELP'), headers: { cookie: sam.cookie }, payload: body });
    expect(noCsrf.statusCode).toBe(403);
    expect(await t.db.selectFrom('kb_articles').select('id').where('title', '=', 'Sneaky').execute()).toEqual([]);
  });

  it('keeps each site\'s articles to itself: another site\'s article is not found through this site\'s project', async () => {
    const globexArticle = await t.db.selectFrom('kb_articles').select('id').where('title', '=', 'Update your billing address').executeTakeFirstOrThrow();
    const acmeArticle = await t.db.selectFrom('kb_articles').select('id').where('title', '=', 'Reset your VPN password').executeTakeFirstOrThrow();
    expect((await call(sam, 'GET', authoring('acme', 'HELP', `/${globexArticle.id}`))).status).toBe(404);
    expect((await call(sam, 'PUT', authoring('acme', 'HELP', `/${globexArticle.id}/published`), { published: false })).status).toBe(404);
    expect((await call(greta, 'PUT', authoring('globex', 'SUP', `/${acmeArticle.id}`), { title: 'Hacked', body: 'x' })).status).toBe(404);
    expect((await call(erin, 'GET', portal('globex', `/kb/${acmeArticle.id}`))).status).toBe(404);
    expect(await search(erin, 'globex', 'vpn password')).toEqual([]);
    expect((await t.db.selectFrom('kb_articles').select('title').where('id', '=', acmeArticle.id).executeTakeFirstOrThrow()).title).toBe('Reset your VPN password');
  });

  it('shows visitors published articles only where the site lets visitors browse', async () => {
    const created = await call(greta, 'POST', authoring('globex', 'SUP'), { title: 'Change your invoice currency', body: 'Open Billing.' });
    const id = created.body.id as string;
    expect((await call(null, 'GET', portal('globex', '/kb?query=invoice'))).status).toBe(401);
    await t.db.updateTable('sites').set({ help_center_login_required: false }).where('slug', '=', 'globex').execute();
    try {
      expect(await search(null, 'globex', 'billing')).toEqual(['Update your billing address']);
      expect(await search(null, 'globex', 'invoice currency')).toEqual([]);
      expect((await call(null, 'GET', portal('globex', `/kb/${id}`))).status).toBe(401);
      await call(greta, 'PUT', authoring('globex', 'SUP', `/${id}/published`), { published: true });
      expect(await search(null, 'globex', 'invoice currency')).toEqual(['Change your invoice currency']);
      expect((await call(null, 'GET', portal('globex', `/kb/${id}`))).status).toBe(200);
    } finally {
      await t.db.updateTable('sites').set({ help_center_login_required: true }).where('slug', '=', 'globex').execute();
    }
  });
});

describe('REST highlight', () => {
  it('marks the words a search found by their word forms', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/s/acme/rest/servicedeskapi/servicedesk/HELP/knowledgebase/article?query=printers&highlight=true', headers: as(alice) });
    expect(res.json().values[0].title).toBe('@@@hl@@@Printer@@@endhl@@@ troubleshooting');
  });
});
