import { useEffect, useRef, useState, type FormEvent } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ComboBox, Input, Label, ListBox, ListBoxItem, Popover, Text, TextField as AriaTextField, type Key } from 'react-aria-components';
import { useNavigate } from '@tanstack/react-router';
import { Link } from '../link';
import { errorText } from '../shared/errors';
import { useDebouncedValue } from '../shared/useDebouncedValue';
import { Alert, Button, DataTable, Loading, PageHeading, Status, TextField } from '../shared/ui';
import { AgentLayout } from './AgentLayout';
import { agentApi, agentKeys, type IssueRow, type Person } from './agent-api';
import { PersonLabel, StatusLozenge } from './common';

/**
 * `/s/:site/issues?jql=…`: the issue search page. The URL holds the query, so a search, a saved
 * filter and a shared link are the same thing. A JQL box with "Search", a basic Reporter filter,
 * the results, and the agent's saved filters.
 */
export function IssueSearchPage({ site, jql }: { site: string; jql: string | null }) {
  return <AgentLayout site={site}>{() => <IssueSearch site={site} jql={jql} />}</AgentLayout>;
}

/** A JQL string literal: quotes and backslashes escaped. */
function jqlString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function IssueSearch({ site, jql }: { site: string; jql: string | null }) {
  const navigate = useNavigate();
  const [text, setText] = useState(jql ?? '');
  const [startAt, setStartAt] = useState(0);
  useEffect(() => {
    setText(jql ?? '');
    setStartAt(0);
  }, [jql]);

  const run = (query: string) => void navigate({ to: '/s/$site/issues', params: { site }, search: { jql: query } });
  const results = useQuery({
    queryKey: agentKeys.search(site, jql ?? '', startAt),
    queryFn: () => agentApi.search(site, jql ?? '', startAt),
    enabled: jql !== null,
    placeholderData: keepPreviousData,
  });
  // A key typed into the box opens its request (the search found it, so the agent may see it).
  const opened = results.data && !results.isPlaceholderData && results.data.searchedAs === 'key' && results.data.issues.length === 1 ? results.data.issues[0].key : null;
  useEffect(() => {
    if (opened) void navigate({ to: '/s/$site/browse/$key', params: { site, key: opened }, replace: true });
  }, [opened, navigate, site]);

  return (
    <>
      <PageHeading
        title="Search issues"
        description="Find requests with JQL, for example reporter = &quot;alice@customer.test&quot; AND status = Open — or type a few words to search their text, or a key such as HELP-2 to open that request."
      />
      <form
        className="agent-jql-form"
        role="search"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          run(text);
        }}
      >
        <AriaTextField value={text} onChange={setText} className="ui-field">
          <Label className="ui-label">JQL query</Label>
          <Input className="ui-input agent-jql-input" placeholder='project = HELP AND status = Open ORDER BY created DESC' />
        </AriaTextField>
        <Button variant="primary" type="submit">
          Search
        </Button>
      </form>
      <div className="agent-basic-filter">
        <ReporterFilter site={site} onChoose={(p) => run(`reporter = ${jqlString(p.email ?? p.accountId)}`)} />
      </div>
      <div className="agent-search-layout">
        <div>
          {jql === null ? (
            <p className="ui-muted">Type a query and choose Search, pick a reporter, or open a saved filter.</p>
          ) : results.isError ? (
            <Alert>{errorText(results.error)}</Alert>
          ) : !results.data ? (
            <Loading label="Searching…" />
          ) : (
            <>
              {results.data.searchedAs === 'text' && (
                <p className="ui-muted" role="status">
                  Showing requests whose text has these words. As JQL: <code>{results.data.jql}</code>
                </p>
              )}
              <DataTable
                caption="Search results"
                columns={[
                  {
                    header: 'Key',
                    cell: (i: IssueRow) => (
                      <Link to="/s/$site/browse/$key" params={{ site, key: i.key }}>
                        {i.key}
                      </Link>
                    ),
                  },
                  {
                    header: 'Summary',
                    cell: (i) => (
                      <Link to="/s/$site/browse/$key" params={{ site, key: i.key }}>
                        {i.summary}
                      </Link>
                    ),
                  },
                  { header: 'Status', cell: (i) => <StatusLozenge status={i.status} /> },
                  { header: 'Reporter', cell: (i) => <PersonLabel person={i.reporter} /> },
                ]}
                rows={results.data.issues}
                rowKey={(i) => i.id}
                empty="No requests match this query."
              />
              {(startAt > 0 || !results.data.isLast) && (
                <div className="agent-pager">
                  <Button isDisabled={startAt === 0} onPress={() => setStartAt(Math.max(0, startAt - results.data.maxResults))}>
                    Previous
                  </Button>
                  <Button isDisabled={results.data.isLast} onPress={() => setStartAt(startAt + results.data.maxResults)}>
                    Next
                  </Button>
                </div>
              )}
            </>
          )}
        </div>
        <SavedFilters site={site} currentJql={jql} />
      </div>
    </>
  );
}

/**
 * The basic filter's Reporter autocomplete. Active people by prefix; a revoked customer only when the
 * whole email is typed, labelled "(Deactivated)" — GET /s/{site}/api/agent/filter-users.
 */
function ReporterFilter({ site, onChoose }: { site: string; onChoose: (p: Person) => void }) {
  const [text, setText] = useState('');
  // an emptied box (a choice was made) asks nothing at once; typing asks after a pause
  const typed = useDebouncedValue(text.trim(), 150);
  const debounced = text.trim() === '' ? '' : typed;
  const input = useRef<HTMLInputElement>(null);
  const q = useQuery({
    queryKey: ['agent', site, 'filter-users', debounced],
    queryFn: () => agentApi.filterUsers(site, debounced),
    enabled: debounced.length > 0,
    staleTime: 10_000,
  });
  const users = debounced.length > 0 ? (q.data?.users ?? []) : [];
  const choose = (key: Key | null) => {
    const p = users.find((u) => u.accountId === key);
    if (!p) return;
    // the choice lives on in the JQL box (reporter = "…"); the autocomplete is ready for the next one
    setText('');
    // leave the field so the (now empty) suggestion list closes
    setTimeout(() => input.current?.blur(), 0);
    onChoose(p);
  };
  return (
    <ComboBox
      className="user-picker-combobox"
      items={users}
      inputValue={text}
      onInputChange={setText}
      selectedKey={null}
      onSelectionChange={choose}
      allowsCustomValue
      allowsEmptyCollection
      menuTrigger="input"
    >
      <Label className="ui-label">Reporter</Label>
      <Input ref={input} className="ui-input user-picker-input" placeholder="Name or email" />
      <Text slot="description" className="ui-description">
        People whose access was revoked are found by their full email only.
      </Text>
      <Popover className="user-picker-popover" placement="bottom start">
        <ListBox
          className="user-picker-list"
          renderEmptyState={() => <Text className="user-picker-empty">{q.isFetching ? 'Searching…' : 'No matching people'}</Text>}
        >
          {(u: Person) => (
            <ListBoxItem id={u.accountId} textValue={u.label} className="user-picker-option">
              <span className="user-picker-option-label">{u.label}</span>
              {u.email && <span className="user-picker-option-email">{u.email}</span>}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}

function SavedFilters({ site, currentJql }: { site: string; currentJql: string | null }) {
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const filters = useQuery({ queryKey: agentKeys.filters(site), queryFn: () => agentApi.filters(site) });
  const refresh = () => client.invalidateQueries({ queryKey: agentKeys.filters(site) });
  const save = useMutation({
    mutationFn: () => agentApi.saveFilter(site, name, currentJql ?? ''),
    onSuccess: async (f) => {
      setName('');
      setNotice(`Filter “${f.name}” saved.`);
      await refresh();
    },
  });
  const remove = useMutation({ mutationFn: (id: string) => agentApi.deleteFilter(site, id), onSuccess: refresh });
  return (
    <section className="agent-filters" aria-labelledby="saved-filters-title">
      <h2 id="saved-filters-title">Saved filters</h2>
      {filters.isError ? (
        <Alert>{errorText(filters.error)}</Alert>
      ) : !filters.data ? (
        <Loading />
      ) : filters.data.values.length === 0 ? (
        <p className="ui-muted">No saved filters yet.</p>
      ) : (
        <ul aria-label="Your saved filters">
          {filters.data.values.map((f) => (
            <li key={f.id}>
              <Link to="/s/$site/issues" params={{ site }} search={{ jql: f.jql }}>
                {f.name}
              </Link>
              <Button variant="quiet" aria-label={`Delete filter ${f.name}`} onPress={() => remove.mutate(f.id)} isDisabled={remove.isPending}>
                ×
              </Button>
            </li>
          ))}
        </ul>
      )}
      {currentJql !== null && currentJql.trim() !== '' && (
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            setNotice(null);
            save.mutate();
          }}
        >
          <TextField label="Filter name" value={name} onChange={setName} isRequired maxLength={255} error={save.isError ? errorText(save.error) : undefined} />
          <Button type="submit" isDisabled={!name.trim() || save.isPending}>
            Save filter
          </Button>
        </form>
      )}
      {notice && <Status onDismiss={() => setNotice(null)}>{notice}</Status>}
    </section>
  );
}
