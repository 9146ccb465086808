import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Input, Label, SearchField } from 'react-aria-components';
import { Link } from '../link';
import { PortalLayout, useIsVisitor } from '../shared/PortalLayout';
import { Alert, Loading, PageHeading } from '../shared/ui';
import { errorText } from '../shared/errors';
import { portalApi, useLoginOn401 } from './portal-api';
import { useDebouncedValue } from '../shared/useDebouncedValue';
import './portal.css';

/** One portal: its request types and a knowledge-base search. */
export function PortalPage({ site, projectId }: { site: string; projectId: string }) {
  return (
    <PortalLayout site={site} visitors>
      <PortalContent site={site} projectId={projectId} />
    </PortalLayout>
  );
}

function PortalContent({ site, projectId }: { site: string; projectId: string }) {
  const q = useQuery({ queryKey: ['portal', site, 'portal', projectId], queryFn: () => portalApi.portal(site, projectId) });
  useLoginOn401(site, q.error);
  const visitor = useIsVisitor();
  if (q.isPending) return <Loading />;
  if (q.isError) return <Alert>{errorText(q.error)}</Alert>;
  const { portal, requestTypes } = q.data;
  return (
    <>
      <nav aria-label="Breadcrumb" className="portal-breadcrumb">
        <Link to="/s/$site/servicedesk/customer/portals" params={{ site }}>Help center</Link> / <span>{portal.name}</span>
      </nav>
      <PageHeading title={portal.name} description={portal.description} />
      <KnowledgeBaseSearch site={site} projectId={portal.id} />
      <section className="ui-section" aria-labelledby="request-types-heading">
        <h2 id="request-types-heading">What can we help you with?</h2>
        {visitor && <p className="ui-muted">Log in to raise a request: choosing one takes you to the login page first.</p>}
        <ul className="portal-request-types">
          {requestTypes.map((t) => (
            <li key={t.id}>
              <Link to="/s/$site/servicedesk/customer/portal/$projectId/create/$requestTypeId" params={{ site, projectId: portal.id, requestTypeId: t.id }} className="portal-request-type">
                <span className="portal-request-type-name">{t.name}</span>
                {t.description && <span className="ui-muted">{t.description}</span>}
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function KnowledgeBaseSearch({ site, projectId }: { site: string; projectId: string }) {
  const [text, setText] = useState('');
  const query = useDebouncedValue(text.trim(), 200);
  const q = useQuery({
    queryKey: ['portal', site, 'kb', projectId, query],
    queryFn: () => portalApi.searchKb(site, projectId, query),
    enabled: query.length > 0,
  });
  useLoginOn401(site, q.error);
  return (
    <section className="portal-kb" aria-labelledby="kb-heading">
      <h2 id="kb-heading" className="ui-visually-hidden">Knowledge base</h2>
      <SearchField value={text} onChange={setText} className="ui-field portal-kb-search">
        <Label className="ui-label">Search the knowledge base</Label>
        <Input className="ui-input" placeholder="e.g. VPN password" />
      </SearchField>
      {query.length > 0 && (
        <div aria-live="polite">
          {q.isPending ? (
            <Loading label="Searching…" />
          ) : q.isError ? (
            <Alert>{errorText(q.error)}</Alert>
          ) : q.data.values.length === 0 ? (
            <p className="ui-muted">No articles match “{query}”.</p>
          ) : (
            <ul className="portal-kb-results" aria-label="Articles">
              {q.data.values.map((a) => (
                <li key={a.id}>
                  <Link to="/s/$site/servicedesk/customer/article/$id" params={{ site, id: a.id }}>{a.title}</Link>
                  <p className="ui-muted">{a.excerpt}</p>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
