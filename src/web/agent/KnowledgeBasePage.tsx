import { useEffect, useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { FieldError, Input, Label, SearchField, Tab, TabList, TabPanel, Tabs, TextArea, TextField as AriaTextField, Text } from 'react-aria-components';
import { ApiError } from '../api';
import { Link } from '../link';
import { Alert, Button, DateTime, Loading, PageHeading, Status, TextField, LoadFailed } from '../shared/ui';
import { errorText } from '../shared/errors';
import { Markdown } from '../shared/Markdown';
import { useDebouncedValue } from '../shared/useDebouncedValue';
import { AgentLayout } from './AgentLayout';
import { agentApi, agentKeys, type ArticleText, type AuthoredArticle } from './agent-api';
import { accessText } from './common';

// Knowledge-base authoring (docs/product.md#knowledge-base): a project's articles, drafts
// included, searched as the help center searches (`?q=`), and the editor with its preview.

/** `/s/:site/jira/servicedesk/projects/:key/knowledge-base?q=`: the project's articles. */
export function KnowledgeBasePage({ site, projectKey, query = '' }: { site: string; projectKey: string; query?: string }) {
  return (
    <AgentLayout site={site} projectKey={projectKey}>
      {() => <ArticleList site={site} projectKey={projectKey.toUpperCase()} query={query} />}
    </AgentLayout>
  );
}

function PublishedBadge({ published }: { published: boolean }) {
  return <span className={`agent-status ${published ? 'agent-status-resolved' : ''}`}>{published ? 'Published' : 'Draft'}</span>;
}

function ArticleList({ site, projectKey, query }: { site: string; projectKey: string; query: string }) {
  const navigate = useNavigate();
  const [text, setText] = useState(query);
  const typed = useDebouncedValue(text.trim(), 250);
  useEffect(() => {
    if (typed !== query.trim()) {
      void navigate({ to: '/s/$site/jira/servicedesk/projects/$key/knowledge-base', params: { site, key: projectKey }, search: { q: typed || undefined }, replace: true });
    }
  }, [typed]);
  useEffect(() => {
    setText((t) => (t.trim() === query.trim() ? t : query));
  }, [query]);
  const searched = query.trim();
  const q = useQuery({
    queryKey: [...agentKeys.articles(site, projectKey), searched],
    queryFn: () => agentApi.articles(site, projectKey, searched),
    placeholderData: keepPreviousData,
  });
  if (q.isError) return <LoadFailed error={q.error} message={accessText(q.error, `Project ${projectKey}`)} />;
  return (
    <>
      <PageHeading
        title="Knowledge base"
        description="Articles of this project's portal. Customers see published articles only; drafts stay here."
        actions={
          <Link to="/s/$site/jira/servicedesk/projects/$key/knowledge-base/new" params={{ site, key: projectKey }} className="ui-button ui-button-primary">
            New article
          </Link>
        }
      />
      <SearchField value={text} onChange={setText} className="ui-field agent-kb-search">
        <Label className="ui-label">Search articles</Label>
        <Input className="ui-input" />
      </SearchField>
      {!q.data ? (
        <Loading />
      ) : q.data.values.length === 0 ? (
        <p className="ui-muted" role="status">{searched ? `No articles match “${searched}”.` : 'No articles yet. Write the first one.'}</p>
      ) : (
        <ul className="agent-kb-list" aria-label="Articles">
          {q.data.values.map((a) => (
            <li key={a.id} className="agent-kb-item">
              <Link to="/s/$site/jira/servicedesk/projects/$key/knowledge-base/$articleId" params={{ site, key: projectKey, articleId: a.id }} className="agent-kb-title">
                {a.title}
              </Link>
              <span className="agent-kb-meta">
                <PublishedBadge published={a.published} />
                {a.category && <span>{a.category}</span>}
                <span className="ui-muted">
                  Updated <DateTime value={a.updatedAt} />
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
      {q.data && q.data.total > q.data.values.length && (
        <p className="ui-muted">{`Showing ${q.data.values.length} of ${q.data.total} articles. Search to find the others.`}</p>
      )}
    </>
  );
}

/** `/…/knowledge-base/new` and `/…/knowledge-base/:articleId`: write, preview, publish. */
export function ArticleEditorPage({ site, projectKey, articleId }: { site: string; projectKey: string; articleId?: string }) {
  return (
    <AgentLayout site={site} projectKey={projectKey}>
      {() => <ArticleEditorLoader site={site} projectKey={projectKey.toUpperCase()} articleId={articleId} />}
    </AgentLayout>
  );
}

function ArticleEditorLoader({ site, projectKey, articleId }: { site: string; projectKey: string; articleId?: string }) {
  const q = useQuery({
    queryKey: [...agentKeys.articles(site, projectKey), 'article', articleId ?? 'new'],
    queryFn: () => agentApi.article(site, projectKey, articleId!),
    enabled: articleId !== undefined,
  });
  const categories = useQuery({ queryKey: [...agentKeys.articles(site, projectKey), ''], queryFn: () => agentApi.articles(site, projectKey, '') });
  if (articleId === undefined) return <ArticleEditor site={site} projectKey={projectKey} article={null} categories={categories.data?.categories ?? []} />;
  if (q.isError) return <LoadFailed error={q.error} message={accessText(q.error, 'The article')} />;
  if (!q.data) return <Loading />;
  return <ArticleEditor key={q.data.id} site={site} projectKey={projectKey} article={q.data} categories={categories.data?.categories ?? []} />;
}

/** What the editor said last, kept across the move from /new to the new article's own address (a new page). */
let carriedStatus: string | null = null;

function ArticleEditor({ site, projectKey, article, categories }: { site: string; projectKey: string; article: AuthoredArticle | null; categories: string[] }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [saved, setSaved] = useState<AuthoredArticle | null>(article);
  const [title, setTitle] = useState(article?.title ?? '');
  const [body, setBody] = useState(article?.body ?? '');
  const [category, setCategory] = useState(article?.category ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(() => {
    const carried = carriedStatus;
    carriedStatus = null;
    return carried;
  });
  const [busy, setBusy] = useState(false);
  const text: ArticleText = { title, body, category: category.trim() === '' ? null : category };
  const changed = !saved || saved.title !== title.trim() || saved.body !== body || (saved.category ?? '') !== category.trim();

  const act = async (what: 'save' | 'publish' | 'unpublish', e?: FormEvent) => {
    e?.preventDefault();
    if (title.trim() === '') {
      setErrors({ title: 'Title is required.' });
      setFormError('Title is required.');
      return;
    }
    setBusy(true);
    setFormError(null);
    setErrors({});
    try {
      let next: AuthoredArticle;
      if (!saved) {
        next = await agentApi.createArticle(site, projectKey, text, what === 'publish');
      } else {
        next = changed ? await agentApi.saveArticle(site, projectKey, saved.id, text, saved.updatedAt) : saved;
        if (what !== 'save') next = await agentApi.publishArticle(site, projectKey, saved.id, what === 'publish');
      }
      setSaved(next);
      setTitle(next.title);
      setCategory(next.category ?? '');
      await queryClient.invalidateQueries({ queryKey: agentKeys.articles(site, projectKey) });
      const said = what === 'publish' ? 'Published: customers can read it now.' : what === 'unpublish' ? 'Unpublished: customers no longer see it.' : next.published ? 'Saved: customers see the new text.' : 'Draft saved.';
      setStatus(said);
      if (!saved) {
        carriedStatus = said;
        void navigate({ to: '/s/$site/jira/servicedesk/projects/$key/knowledge-base/$articleId', params: { site, key: projectKey, articleId: next.id }, replace: true });
      }
    } catch (err) {
      setFormError(errorText(err));
      if (err instanceof ApiError) setErrors(err.errors);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <nav aria-label="Breadcrumb" className="agent-kb-breadcrumb">
        <Link to="/s/$site/jira/servicedesk/projects/$key/knowledge-base" params={{ site, key: projectKey }}>Knowledge base</Link> / <span>{saved ? saved.title : 'New article'}</span>
      </nav>
      <PageHeading
        title={saved ? 'Edit article' : 'New article'}
        description={
          saved ? (
            <>
              <PublishedBadge published={saved.published} /> {saved.published ? 'Customers of the portal can read this article.' : 'A draft: only agents see it.'}
            </>
          ) : (
            'Write in Markdown. Save it as a draft, or publish it for customers.'
          )
        }
        actions={
          saved?.published ? (
            <Link to="/s/$site/servicedesk/customer/article/$id" params={{ site, id: saved.id }}>View in the help center</Link>
          ) : undefined
        }
      />
      <Status onDismiss={() => setStatus(null)}>{status}</Status>
      <form className="agent-kb-editor" onSubmit={(e) => void act('save', e)} noValidate aria-label="Article">
        {formError && <Alert>{formError}</Alert>}
        <TextField label="Title" value={title} onChange={setTitle} isRequired maxLength={255} error={errors.title} />
        <TextField
          label="Category"
          value={category}
          onChange={setCategory}
          maxLength={60}
          error={errors.category}
          description={categories.length ? `Optional. In use: ${categories.join(', ')}.` : 'Optional, e.g. Printing.'}
        />
        <Tabs className="agent-kb-tabs">
          <TabList aria-label="Article text" className="agent-kb-tablist">
            <Tab id="write" className="agent-kb-tab">Write</Tab>
            <Tab id="preview" className="agent-kb-tab">Preview</Tab>
          </TabList>
          <TabPanel id="write">
            <AriaTextField className="ui-field" value={body} onChange={setBody} isInvalid={Boolean(errors.body)} validationBehavior="aria">
              <Label className="ui-label">Text (Markdown)</Label>
              <TextArea className="ui-input agent-kb-body" rows={16} />
              <Text slot="description" className="ui-description">**bold**, *italic*, # heading, - list, 1. steps, [link](https://…). HTML is shown as text, never run.</Text>
              <FieldError className="ui-field-error">{errors.body}</FieldError>
            </AriaTextField>
          </TabPanel>
          <TabPanel id="preview" className="agent-kb-preview" aria-label="Preview">
            {body.trim() === '' ? <p className="ui-muted">Nothing to preview yet.</p> : <Markdown text={body} />}
          </TabPanel>
        </Tabs>
        <div className="agent-kb-actions">
          <Button type="submit" variant={saved?.published ? 'primary' : 'secondary'} isDisabled={busy || (saved !== null && !changed)}>
            {saved ? 'Save' : 'Save draft'}
          </Button>
          {saved?.published ? (
            <Button variant="secondary" isDisabled={busy} onPress={() => void act('unpublish')}>
              Unpublish
            </Button>
          ) : (
            <Button variant="primary" isDisabled={busy} onPress={() => void act('publish')}>
              {changed && saved ? 'Save and publish' : 'Publish'}
            </Button>
          )}
        </div>
      </form>
    </>
  );
}
