import { useState, type FormEvent } from 'react';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../api';
import { errorText } from '../shared/errors';
import { Alert, Button, DateTime, Loading, PageHeading, Status, TextField, LoadFailed } from '../shared/ui';
import { AgentLayout } from './AgentLayout';
import { agentApi, agentKeys, type AgentSla, type SlaSettings, type SlaSettingsChange } from './agent-api';
import { accessText } from './common';

// SLAs in the agent workspace (docs/product.md#slas): a request's timers in its view, the most
// urgent one in a queue row, and the project's settings (goals per priority, business calendar).
// A breach is said in words and marked with a sign, never by colour alone.

/** How often the timers are read again while a page is open. */
const TICK_MS = 60_000;

/** "2h 30m left", "Breached 1h 5m ago"-style words for a running cycle. */
function runningText(o: NonNullable<AgentSla['ongoing']>): string {
  if (o.breached) return `Breached, ${o.remaining.replace(/^-/, '')} over`;
  if (o.paused) return `Paused, ${o.remaining} left`;
  return `${o.remaining} left`;
}

/** The request's SLAs, read again every minute while shown: RequestSlas's query, which the request view also waits for. */
export const requestSlasQuery = (site: string, issueKey: string) =>
  queryOptions({ queryKey: agentKeys.slas(site, issueKey), queryFn: () => agentApi.slas(site, issueKey), refetchInterval: TICK_MS });

/** The request view's SLA section: each metric with its running cycle and its completed ones. */
export function RequestSlas({ site, issueKey }: { site: string; issueKey: string }) {
  const q = useQuery(requestSlasQuery(site, issueKey));
  if (q.isError || !q.data) return null;
  return (
    <section aria-labelledby="request-slas" className="sla-section">
      <h2 id="request-slas">SLAs</h2>
      <ul className="sla-list">
        {q.data.slas.map((s) => (
          <li key={s.id} className="sla-item">
            <span className="sla-name">{s.name}</span>
            {s.ongoing ? (
              <span className={`sla-timer${s.ongoing.breached ? ' is-breached' : s.ongoing.paused ? ' is-paused' : ''}`}>
                <span aria-hidden="true">{s.ongoing.breached ? '⚠ ' : s.ongoing.paused ? '‖ ' : ''}</span>
                {runningText(s.ongoing)}
                <span className="ui-muted sla-detail">
                  {' '}· goal {s.ongoing.goal}
                  {!s.ongoing.breached && !s.ongoing.paused && s.ongoing.breachTime && (
                    <>
                      , due <DateTime value={s.ongoing.breachTime} />
                    </>
                  )}
                  {s.ongoing.paused && ' while waiting for the customer'}
                </span>
              </span>
            ) : s.completed.length === 0 ? (
              <span className="ui-muted">Not measured</span>
            ) : null}
            {s.completed.length > 0 && (
              <ul className="sla-cycles" aria-label={`Completed cycles of ${s.name}`}>
                {s.completed.map((c) => (
                  <li key={c.stopTime} className={c.breached ? 'is-breached' : 'is-met'}>
                    <span aria-hidden="true">{c.breached ? '✗ ' : '✓ '}</span>
                    {c.breached ? 'Breached' : 'Met'}: {c.elapsed} of {c.goal}, stopped <DateTime value={c.stopTime} />
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A queue row's SLA: the running timer with the least time left (a breached one first), in words. */
export function SlaBadge({ slas }: { slas: AgentSla[] }) {
  const running = slas.filter((s) => s.ongoing).sort((a, b) => Number(a.ongoing!.paused) - Number(b.ongoing!.paused) || a.ongoing!.remainingMillis - b.ongoing!.remainingMillis);
  const s = running[0];
  if (!s) return <span className="ui-muted">—</span>;
  const o = s.ongoing!;
  return (
    <span className={`sla-badge${o.breached ? ' is-breached' : o.paused ? ' is-paused' : ''}`}>
      <span aria-hidden="true">{o.breached ? '⚠ ' : o.paused ? '‖ ' : ''}</span>
      {o.breached ? `Breached ${o.remaining}` : o.paused ? `Paused, ${o.remaining} left` : `${o.remaining} left`}
      <span className="sla-badge-metric"> {s.name.replace(/^Time to /, '')}</span>
    </span>
  );
}

const PRIORITIES = ['Highest', 'High', 'Medium', 'Low', 'Lowest'] as const;
const METRICS = [
  { id: 'time-to-first-response', name: 'Time to first response' },
  { id: 'time-to-resolution', name: 'Time to resolution' },
] as const;
const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
type MetricId = (typeof METRICS)[number]['id'];
type Day = (typeof DAYS)[number];

const capital = (w: string) => w[0].toUpperCase() + w.slice(1);

/** The form's text: goals in hours, each day's hours as "09:00-17:00" (several: comma-separated). */
interface Draft {
  goals: Record<MetricId, Record<(typeof PRIORITIES)[number], string>>;
  useCalendar: boolean;
  timeZone: string;
  days: Record<Day, string>;
  holidays: string;
}

function draftOf(s: SlaSettings): Draft {
  const hours = (m: number | null | undefined) => (m === null || m === undefined ? '' : String(Math.round((m / 60) * 100) / 100));
  const goals = {} as Draft['goals'];
  for (const m of METRICS) goals[m.id] = Object.fromEntries(PRIORITIES.map((p) => [p, hours(s.goals[m.id][p])])) as Draft['goals'][MetricId];
  const c = s.calendar;
  const days = Object.fromEntries(DAYS.map((d) => [d, (c?.workingHours[d] ?? []).map((h) => `${h.start}-${h.end}`).join(', ')])) as Draft['days'];
  return {
    goals,
    useCalendar: c !== null,
    timeZone: c?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    days: c ? days : { ...days, monday: '09:00-17:00', tuesday: '09:00-17:00', wednesday: '09:00-17:00', thursday: '09:00-17:00', friday: '09:00-17:00' },
    holidays: c?.holidays.join(', ') ?? '',
  };
}

/** The draft as the API takes it, or the fields the browser can already tell are wrong. */
function changeOf(d: Draft): { change: SlaSettingsChange } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const goals = {} as Record<MetricId, Record<string, number | null>>;
  for (const m of METRICS) {
    goals[m.id] = {};
    for (const p of PRIORITIES) {
      const text = d.goals[m.id][p].trim().replace(',', '.');
      const hours = Number(text);
      if (text === '') goals[m.id][p] = null;
      else if (!Number.isFinite(hours) || hours <= 0) errors[`goals.${m.id}.${p}`] = 'Enter a number of hours greater than 0, or leave it empty.';
      else goals[m.id][p] = Math.max(1, Math.round(hours * 60));
    }
  }
  const workingHours: Record<string, Array<{ start: string; end: string }>> = {};
  for (const day of DAYS) {
    const parts = d.days[day].split(',').map((x) => x.trim()).filter(Boolean);
    const stretches = parts.map((x) => x.split(/\s*[-–]\s*/));
    if (stretches.some((x) => x.length !== 2)) errors[`calendar.workingHours.${day}`] = 'Write hours as 09:00-17:00 (several: 09:00-12:00, 13:00-17:00), or leave it empty.';
    else workingHours[day] = stretches.map(([start, end]) => ({ start, end }));
  }
  if (Object.keys(errors).length > 0) return { errors };
  const calendar = d.useCalendar
    ? { timeZone: d.timeZone.trim(), workingHours, holidays: d.holidays.split(/[\s,]+/).filter(Boolean) }
    : null;
  return { change: { goals: goals as SlaSettingsChange['goals'], calendar } };
}

/** `/s/:site/jira/servicedesk/projects/:key/slas`: the project's SLA goals and business calendar. */
export function SlaSettingsPage({ site, projectKey }: { site: string; projectKey: string }) {
  return <AgentLayout site={site} projectKey={projectKey}>{() => <SlaSettingsLoader site={site} projectKey={projectKey.toUpperCase()} />}</AgentLayout>;
}

function SlaSettingsLoader({ site, projectKey }: { site: string; projectKey: string }) {
  const q = useQuery({ queryKey: agentKeys.slaSettings(site, projectKey), queryFn: () => agentApi.slaSettings(site, projectKey) });
  if (q.isError) return <LoadFailed error={q.error} message={accessText(q.error, `Project ${projectKey}`)} />;
  if (!q.data) return <Loading />;
  return <SlaSettingsForm site={site} projectKey={projectKey} settings={q.data} />;
}

function SlaSettingsForm({ site, projectKey, settings }: { site: string; projectKey: string; settings: SlaSettings }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState(() => draftOf(settings));
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (change: SlaSettingsChange) => agentApi.saveSlaSettings(site, projectKey, change),
    onSuccess: async (s) => {
      client.setQueryData(agentKeys.slaSettings(site, projectKey), s);
      setDraft(draftOf(s));
      await Promise.all([client.invalidateQueries({ queryKey: ['agent', site, 'request'] }), client.invalidateQueries({ queryKey: ['agent', site, 'queue'] })]);
      setSaved(true);
    },
  });
  const errors: Record<string, string> = { ...(save.error instanceof ApiError ? save.error.errors : {}), ...localErrors };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const made = changeOf(draft);
    if ('errors' in made) {
      setLocalErrors(made.errors);
      return;
    }
    setLocalErrors({});
    save.mutate(made.change);
  };
  const setGoal = (m: MetricId, p: (typeof PRIORITIES)[number], v: string) => setDraft((d) => ({ ...d, goals: { ...d.goals, [m]: { ...d.goals[m], [p]: v } } }));
  const calendarError = errors.calendar;
  return (
    <>
      <PageHeading
        title="SLAs"
        description={`${settings.projectName} (${settings.projectKey}) — how long a request may wait for its first answer and for its resolution, by its priority, counted in working time.`}
      />
      <form onSubmit={onSubmit} className="sla-form" noValidate>
        {METRICS.map((m) => (
          <fieldset key={m.id} className="sla-fieldset">
            <legend>{m.name} (hours)</legend>
            <p className="ui-muted">Leave a priority empty to not measure it.</p>
            <div className="sla-goals">
              {PRIORITIES.map((p) => (
                <TextField
                  key={p}
                  label={p}
                  value={draft.goals[m.id][p]}
                  onChange={(v) => setGoal(m.id, p, v)}
                  error={errors[`goals.${m.id}.${p}`]}
                />
              ))}
            </div>
          </fieldset>
        ))}
        <fieldset className="sla-fieldset">
          <legend>Business calendar</legend>
          <label className="sla-check">
            <input type="checkbox" checked={draft.useCalendar} onChange={(e) => setDraft((d) => ({ ...d, useCalendar: e.target.checked }))} />{' '}
            Count only working hours (without a calendar every hour counts)
          </label>
          {draft.useCalendar && (
            <>
              <TextField label="Time zone" description="For example Europe/Berlin or America/New_York" value={draft.timeZone} onChange={(v) => setDraft((d) => ({ ...d, timeZone: v }))} error={errors['calendar.timeZone']} />
              <div className="sla-days">
                {DAYS.map((day) => (
                  <TextField
                    key={day}
                    label={capital(day)}
                    description={day === 'monday' ? '09:00-17:00; several: 09:00-12:00, 13:00-17:00; empty: closed' : undefined}
                    value={draft.days[day]}
                    onChange={(v) => setDraft((d) => ({ ...d, days: { ...d.days, [day]: v } }))}
                    error={errors[`calendar.workingHours.${day}`]}
                  />
                ))}
              </div>
              <TextField label="Holidays" description="Dates on which nothing counts, as YYYY-MM-DD, separated by commas" value={draft.holidays} onChange={(v) => setDraft((d) => ({ ...d, holidays: v }))} error={errors['calendar.holidays']} />
            </>
          )}
        </fieldset>
        {calendarError && <Alert>{calendarError}</Alert>}
        {save.isError && Object.keys(errors).length === 0 && <Alert>{errorText(save.error)}</Alert>}
        {Object.keys(errors).length > 0 && <Alert>Some settings need fixing: see the fields marked.</Alert>}
        <div>
          <Button type="submit" variant="primary" isDisabled={save.isPending}>
            Save SLAs
          </Button>
        </div>
        <Status>{saved ? 'SLA settings saved. Every request now follows them.' : ''}</Status>
      </form>
    </>
  );
}
