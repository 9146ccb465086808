import { useEffect, useState } from 'react';
import { useNavigate } from '@tanstack/react-router';
import { useQuery } from '@tanstack/react-query';
import { Input, Label, SearchField, Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { Link } from '../link';
import { PortalLayout, useIsVisitor } from '../shared/PortalLayout';
import { Alert, Loading, PageHeading, LoadFailed } from '../shared/ui';
import { errorText } from '../shared/errors';
import { portalApi, useLoginOn401, type ArticleSummary, type PortalWithRequestTypes } from './portal-api';
import { useDebouncedValue } from '../shared/useDebouncedValue';
import './portal.css';

/** One portal: its request types and its knowledge base, searched with `?q=` (the search is the URL). */
export function PortalPage({ site, projectId, query = '' }: { site: string; projectId: string; query?: string }) {
  return (
    <PortalLayout site={site} visitors>
      <PortalContent site={site} projectId={projectId} query={query} />
    </PortalLayout>
  );
}

function PortalContent({ site, projectId, query }: { site: string; projectId: string; query: string }) {
  const q = useQuery({ queryKey: ['portal', site, 'portal', projectId], queryFn: () => portalApi.portal(site, projectId) });
  useLoginOn401(site, q.error);
  const visitor = useIsVisitor();
  if (q.isPending) return <Loading />;
  if (q.isError) return <LoadFailed error={q.error} />;
  const { portal, requestTypes, groups } = q.data;
  return (
    <>
      <nav aria-label="Breadcrumb" className="portal-breadcrumb">
        <Link to="/s/$site/servicedesk/customer/portals" params={{ site }}>Help center</Link> / <span>{portal.name}</span>
      </nav>
      <PageHeading title={portal.name} description={portal.description} />
      {/* The request types first, the knowledge base after them: its articles arrive on their own
          and, above the request types, pushed them down as they did — a tap then landed beside the
          request type it aimed at. */}
      <section className="ui-section" aria-labelledby="request-types-heading">
        <h2 id="request-types-heading">What can we help you with?</h2>
        {visitor && <p className="ui-muted">Log in to raise a request: choosing one takes you to the login page first.</p>}
        {groups.length === 0 ? (
          <RequestTypeList site={site} portalId={portal.id} types={requestTypes} />
        ) : (
          <RequestTypeTabs site={site} portalId={portal.id} types={requestTypes} groups={groups} />
        )}
      </section>
      <KnowledgeBaseSearch site={site} projectId={projectId} portalId={portal.id} query={query} />
    </>
  );
}

type RequestTypeSummary = PortalWithRequestTypes['requestTypes'][number];

/**
 * A portal's request types by group, one tab each (docs/product.md#request-type-groups); a request
 * type in no group is under "Other", so none is out of reach.
 */
function RequestTypeTabs({ site, portalId, types, groups }: { site: string; portalId: string; types: RequestTypeSummary[]; groups: PortalWithRequestTypes['groups'] }) {
  const byId = new Map(types.map((t) => [t.id, t]));
  const grouped = new Set(groups.flatMap((g) => g.requestTypeIds));
  const tabs = [
    ...groups.map((g) => ({ id: `group-${g.id}`, name: g.name, types: g.requestTypeIds.map((id) => byId.get(id)).filter((t): t is RequestTypeSummary => t !== undefined) })),
    ...(types.some((t) => !grouped.has(t.id)) ? [{ id: 'other', name: 'Other', types: types.filter((t) => !grouped.has(t.id)) }] : []),
  ];
  return (
    <Tabs className="portal-tabs">
      <TabList aria-label="Groups of request types" className="portal-tablist portal-group-tablist">
        {tabs.map((tab) => (
          <Tab key={tab.id} id={tab.id} className="portal-tab">
            {tab.name}
          </Tab>
        ))}
      </TabList>
      {tabs.map((tab) => (
        <TabPanel key={tab.id} id={tab.id} className="portal-tabpanel">
          {tab.types.length === 0 ? <p className="ui-muted">Nothing to raise here yet.</p> : <RequestTypeList site={site} portalId={portalId} types={tab.types} />}
        </TabPanel>
      ))}
    </Tabs>
  );
}

function RequestTypeList({ site, portalId, types }: { site: string; portalId: string; types: RequestTypeSummary[] }) {
  return (
    <ul className="portal-request-types">
      {types.map((t) => (
        <li key={t.id}>
          <Link to="/s/$site/servicedesk/customer/portal/$projectId/create/$requestTypeId" params={{ site, projectId: portalId, requestTypeId: t.id }} className="portal-request-type">
            <span className="portal-request-type-name">{t.name}</span>
            {t.description && <span className="ui-muted">{t.description}</span>}
          </Link>
        </li>
      ))}
    </ul>
  );
}

/**
 * The portal's knowledge base: its published articles by title, or those that match the search,
 * best first. What is typed goes into the URL (`?q=`, replacing the entry, once typing pauses), and
 * the URL's search is what is shown, so a search can be shared, reloaded and gone back to.
 */
function KnowledgeBaseSearch({ site, projectId, portalId, query }: { site: string; projectId: string; portalId: string; query: string }) {
  const navigate = useNavigate();
  const [text, setText] = useState(query);
  const typed = useDebouncedValue(text.trim(), 250);
  useEffect(() => {
    if (typed !== query.trim()) {
      void navigate({ to: '/s/$site/servicedesk/customer/portal/$projectId', params: { site, projectId }, search: { q: typed || undefined }, replace: true });
    }
    // only what was typed moves the URL; a URL changed from outside (back, a link) sets the box below
  }, [typed]);
  useEffect(() => {
    setText((t) => (t.trim() === query.trim() ? t : query));
  }, [query]);
  const searched = query.trim();
  const q = useQuery({
    queryKey: ['portal', site, 'kb', portalId, searched],
    queryFn: () => portalApi.searchKb(site, portalId, searched),
  });
  useLoginOn401(site, q.error);
  return (
    <section className="portal-kb" aria-labelledby="kb-heading">
      <h2 id="kb-heading">Knowledge base</h2>
      <SearchField value={text} onChange={setText} className="ui-field portal-kb-search">
        <Label className="ui-label">Search the knowledge base</Label>
        <Input className="ui-input" placeholder="e.g. my VPN password is wrong" />
      </SearchField>
      <div aria-live="polite">
        {q.isPending ? (
          <Loading label="Searching…" />
        ) : q.isError ? (
          <Alert>{errorText(q.error)}</Alert>
        ) : q.data.values.length === 0 ? (
          <p className="ui-muted">{searched ? `No articles match “${searched}”.` : 'This portal has no articles yet.'}</p>
        ) : (
          <>
            {searched && <p className="ui-visually-hidden">{`${q.data.total} ${q.data.total === 1 ? 'article matches' : 'articles match'} “${searched}”.`}</p>}
            <ArticleList site={site} articles={q.data.values} label={searched ? 'Matching articles' : 'Articles'} />
            {q.data.total > q.data.values.length && (
              <p className="ui-muted">{`Showing the ${searched ? 'best' : 'first'} ${q.data.values.length} of ${q.data.total} articles. ${searched ? 'More words narrow the search.' : 'Search to find the others.'}`}</p>
            )}
          </>
        )}
      </div>
    </section>
  );
}

/** Articles as links with their category and the start of their text. */
export function ArticleList({ site, articles, label }: { site: string; articles: ArticleSummary[]; label: string }) {
  return (
    <ul className="portal-kb-results" aria-label={label}>
      {articles.map((a) => (
        <li key={a.id}>
          <Link to="/s/$site/servicedesk/customer/article/$id" params={{ site, id: a.id }}>{a.title}</Link>
          {a.category && <span className="portal-kb-category"> · {a.category}</span>}
          <p className="ui-muted">{a.excerpt}</p>
        </li>
      ))}
    </ul>
  );
}
