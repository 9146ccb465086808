import { useQuery } from '@tanstack/react-query';
import { Link } from '../link';
import { PortalLayout } from '../shared/PortalLayout';
import { Alert, DateTime, Loading, PageHeading } from '../shared/ui';
import { errorText } from '../shared/errors';
import { Markdown } from '../shared/Markdown';
import { portalApi, useLoginOn401 } from './portal-api';
import './portal.css';

/** A knowledge-base article, for customers who may use its portal (and visitors, when the site allows it). */
export function ArticlePage({ site, id }: { site: string; id: string }) {
  return (
    <PortalLayout site={site} visitors>
      <ArticleContent site={site} id={id} />
    </PortalLayout>
  );
}

function ArticleContent({ site, id }: { site: string; id: string }) {
  const q = useQuery({ queryKey: ['portal', site, 'article', id], queryFn: () => portalApi.article(site, id) });
  useLoginOn401(site, q.error);
  if (q.isPending) return <Loading />;
  if (q.isError) {
    return (
      <>
        <PageHeading title="Article" />
        <Alert>{errorText(q.error)}</Alert>
      </>
    );
  }
  const a = q.data;
  return (
    <article className="portal-article">
      <nav aria-label="Breadcrumb" className="portal-breadcrumb">
        <Link to="/s/$site/servicedesk/customer/portals" params={{ site }}>Help center</Link> / <Link to="/s/$site/servicedesk/customer/portal/$projectId" params={{ site, projectId: a.projectId }}>{a.portalName}</Link>
      </nav>
      <h1>{a.title}</h1>
      <p className="ui-muted">
        {a.category && <span className="portal-article-category">{a.category} · </span>}
        Updated <DateTime value={a.updatedAt} />
      </p>
      <Markdown text={a.body} className="portal-article-body" />
    </article>
  );
}
