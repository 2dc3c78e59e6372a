import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, type Audience, del, download, get, listAll, post, qs, type Campaign, type CampaignEvent, type Group, type LandingPage, type Page, type Profile, type Recipient, type Summary, type Template, type Timeline as TimelineData } from '../api';
import { TimelineChart, type Series } from '../chart';
import { duration, fmtTime, fullName, num, pct, people } from '../format';
import { Link, navigate } from '../router';
import { useCan } from '../session';
import { Badge, ConfirmButton, ConfirmDialog, Empty, ErrorBanner, Loading, PageHeader, Pager, Stat, saveFile, useAsync, usePager } from '../ui';
import { StatusBadge, describeWindow } from './campaigns';

const POLL_MS = 3000;

// Re-runs `fn` every `ms` while the tab is visible.
function usePoll(fn: () => void, ms: number, active: boolean) {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => { if (document.visibilityState === 'visible') ref.current(); }, ms);
    return () => clearInterval(t);
  }, [ms, active]);
}

const live = (c: Campaign | undefined) => !!c && ['scheduled', 'sending', 'sent'].includes(c.status);

export function CampaignResults({ id }: { id: number }) {
  const [campaign, setCampaign] = useState<Campaign>();
  const [summary, setSummary] = useState<Summary>();
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const refresh = () => {
    get<Campaign>(`/campaigns/${id}`).then(setCampaign, setError);
    get<Summary>(`/campaigns/${id}/summary`).then((s) => { setSummary(s); setError(null); }, setError);
    setTick((t) => t + 1);
  };
  useEffect(() => { setCampaign(undefined); setSummary(undefined); refresh(); }, [id]);
  usePoll(refresh, POLL_MS, live(campaign));

  if (!campaign || !summary) {
    return error ? <><PageHeader title="Campaign" /><ErrorBanner error={error} title="Could not load the campaign." /></> : <Loading what="Loading results" />;
  }
  if (campaign.status === 'draft') return <DraftView campaign={campaign} onChanged={refresh} />;
  return (
    <>
      <Header campaign={campaign} onChanged={refresh} />
      <ErrorBanner error={error} title="Could not refresh; showing the last results." />
      <Counters s={summary} launchAt={campaign.launch_at} sendBy={campaign.send_by} />
      <section class="card" aria-labelledby="chart-title">
        <h2 id="chart-title">Timeline</h2>
        <Timeline id={id} activity={activityKey(summary)} />
      </section>
      <RecipientsTable id={id} tick={tick} onChanged={refresh} />
    </>
  );
}

function Header({ campaign: c, onChanged }: { campaign: Campaign; onChanged: () => void }) {
  const canEdit = useCan('operator');
  const active = live(c);
  return (
    <>
      <PageHeader title={c.name} sub={<><StatusBadge status={c.status} /> Launched {fmtTime(c.launched_at)}{c.send_by ? ` · sending until ${fmtTime(c.send_by)}` : ''}{c.window ? ` · window ${describeWindow(c.window)}` : ''}</>}>
        {canEdit && active && (
          <>
            <ConfirmButton class="btn" label="Complete" title="Complete this campaign?" confirmLabel="Complete campaign"
              message="Sending stops now; messages not yet sent are cancelled. Results collected so far are kept."
              onConfirm={async () => { await post(`/campaigns/${c.id}/complete`); onChanged(); }} />
            <ConfirmButton label="Cancel campaign" title="Cancel this campaign?" confirmLabel="Cancel campaign"
              message="Sending stops now; messages not yet sent are cancelled. Results collected so far are kept."
              onConfirm={async () => { await post(`/campaigns/${c.id}/cancel`); onChanged(); }} />
          </>
        )}
        {canEdit && !active && (
          <ConfirmButton label="Delete campaign" title="Delete this campaign and its results?" confirmLabel="Delete for good"
            message="Its recipients and every recorded event are deleted. This cannot be undone."
            onConfirm={async () => { await del(`/campaigns/${c.id}`); navigate('/campaigns'); }} />
        )}
      </PageHeader>
      <p><Link href="/campaigns">← All campaigns</Link></p>
    </>
  );
}

function Counters({ s, launchAt, sendBy }: { s: Summary; launchAt: string | null; sendBy: string | null }) {
  const done = s.sent + s.failed + s.cancelled;
  const sending = s.queued + s.sending > 0;
  const steps: [string, number][] = [['Sent', s.sent], ['Opened', s.opened], ['Clicked', s.clicked], ['Submitted', s.submitted], ['Reported', s.reported]];
  return (
    <>
      {sending && s.status === 'scheduled' && (
        <div class="banner banner-info" role="status">Scheduled: sending starts {fmtTime(launchAt)}{sendBy ? ` and ends by ${fmtTime(sendBy)}` : ''}; {num(s.queued)} messages are queued.</div>
      )}
      {sending && s.status !== 'scheduled' && (
        <div class="card progress-card">
          <label for="send-progress">Sending: {num(done)} of {num(s.recipients)} handled ({num(s.queued + s.sending)} to go{s.failed ? `, ${num(s.failed)} failed` : ''})</label>
          <progress id="send-progress" max={s.recipients || 1} value={done} />
        </div>
      )}
      <section class="stats" aria-label="Results" data-testid="counters">
        <Stat label="Recipients" value={num(s.recipients)} testid="count-recipients" />
        <Stat label="Sent" value={num(s.sent)} sub={s.failed ? `${num(s.failed)} failed` : undefined} testid="count-sent" />
        <Stat label="Opened" value={num(s.opened)} sub={pct(s.opened, s.sent)} testid="count-opened" />
        <Stat label="Clicked" value={num(s.clicked)} sub={pct(s.clicked, s.sent)} testid="count-clicked" />
        <Stat label="Submitted" value={num(s.submitted)} sub={pct(s.submitted, s.sent)} testid="count-submitted" />
        <Stat label="Reported" value={num(s.reported)} sub={pct(s.reported, s.sent)} testid="count-reported" />
        <Stat label="Time to report" value={s.median_seconds_to_report == null ? '—' : duration(s.median_seconds_to_report)} sub="median, from delivery" testid="time-to-report" />
      </section>
      <section class="card" aria-labelledby="funnel-title">
        <h2 id="funnel-title">Funnel</h2>
        <p class="muted">People, not scanners: {num(s.automated_events)} automated {s.automated_events === 1 ? 'hit was' : 'hits were'} recognised (mail scanners, link previews) and counted nowhere.</p>
        <ol class="funnel">
          {steps.map(([label, n]) => (
            <li>
              <span class="funnel-label">{label}</span>
              <span class="funnel-bar" aria-hidden="true"><span class={'funnel-fill funnel-' + label.toLowerCase()} style={{ width: `${s.sent ? Math.min(100, (100 * n) / s.sent) : 0}%` }} /></span>
              <span class="funnel-num">{num(n)} <span class="muted">({pct(n, s.sent)})</span></span>
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

const STAGES = [
  ['sent', 'Sent', '#64748b'], ['opened', 'Opened', '#2563eb'], ['clicked', 'Clicked', '#d97706'],
  ['submitted', 'Submitted', '#dc2626'], ['reported', 'Reported', '#059669'],
] as const;

// A campaign's span is cut into fewer than ~200 round buckets by the server;
// anything far beyond that (a clock jump) is drawn point to point instead.
const MAX_FILLED_BUCKETS = 2000;

// Cumulative people per stage over time from the server's buckets (people
// reaching each stage first in each bucket; only non-empty buckets are sent).
// Every line starts at zero at the first bucket's start; each point is the
// total at the end of a bucket, and the buckets in between are filled in so
// the lines stay flat where nothing happened.
export function cumulativeTimeline(t: TimelineData): { xs: number[]; series: Series[] } {
  const step = Math.max(1, t.bucket_seconds);
  const rows = t.buckets
    .map((b) => ({ ...b, at: Math.floor(Date.parse(b.start) / 1000) }))
    .filter((b) => Number.isFinite(b.at))
    .sort((a, b) => a.at - b.at);
  if (!rows.length) return { xs: [], series: [] };
  const first = rows[0].at;
  const last = rows[rows.length - 1].at;
  const fill = (last - first) / step <= MAX_FILLED_BUCKETS;
  const ends: number[] = [];
  if (fill) for (let at = first; at <= last; at += step) ends.push(at + step);
  else rows.forEach((r) => ends.push(r.at + step));
  const xs = [first, ...ends];
  const series: Series[] = STAGES.map(([key, label, color]) => {
    const values: number[] = [0];
    let total = 0;
    let i = 0;
    for (const end of ends) {
      while (i < rows.length && rows[i].at < end) total += rows[i++][key] || 0;
      values.push(total);
    }
    return { label, color, values, dash: key === 'sent' ? [4, 4] : undefined };
  });
  return { xs, series };
}

// Changes whenever anything the chart shows changes (a send, a first result,
// a hit re-classified), so the chart is re-read only then, not on every poll.
function activityKey(s: Summary): string {
  return [s.sent, s.opened, s.clicked, s.submitted, s.reported, s.automated_events].join('/');
}

// The results chart: /campaigns/{id}/timeline, re-read when the activity changes.
function Timeline({ id, activity }: { id: number; activity: string }) {
  const [data, setData] = useState<TimelineData>();
  const [error, setError] = useState<unknown>(null);
  const seq = useRef(0);
  useEffect(() => { setData(undefined); setError(null); }, [id]);
  useEffect(() => {
    const n = ++seq.current;
    get<TimelineData>(`/campaigns/${id}/timeline`).then(
      (t) => { if (n === seq.current) { setData(t); setError(null); } },
      (e) => { if (n === seq.current) setError(e); },
    );
  }, [id, activity]);
  const chart = useMemo(() => (data ? cumulativeTimeline(data) : null), [data]);
  if (!chart) return error ? <ErrorBanner error={error} title="Could not load the timeline." /> : <Loading what="Loading the timeline" />;
  return (
    <>
      {error && <ErrorBanner error={error} title="Could not refresh the timeline; showing the last one." />}
      {chart.xs.length === 0 ? (
        <Empty title="Nothing has happened yet">The chart fills in as messages go out and people open, click and report them.</Empty>
      ) : (
        <>
          <TimelineChart xs={chart.xs} series={chart.series} title="Cumulative number of people who were sent the message, opened, clicked, submitted and reported, over time" />
          <p class="muted small" data-testid="timeline-note">People, not scanners: each person counts once per stage, when they first reached it{data ? ` (in steps of ${bucketLabel(data.bucket_seconds)})` : ''}.</p>
        </>
      )}
    </>
  );
}

function bucketLabel(s: number): string {
  if (s % 86400 === 0) return s === 86400 ? '1 day' : s === 604800 ? '1 week' : `${s / 86400} days`;
  if (s % 3600 === 0) return s === 3600 ? '1 hour' : `${s / 3600} hours`;
  if (s % 60 === 0) return s === 60 ? '1 minute' : `${s / 60} minutes`;
  return `${s} seconds`;
}

const RESULT_LABEL: Record<string, string> = { none: 'No action', opened: 'Opened', clicked: 'Clicked', submitted: 'Submitted' };

function RecipientsTable({ id, tick, onChanged }: { id: number; tick: number; onChanged: () => void }) {
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [result, setResult] = useState('');
  const [state, setState] = useState('');
  const pager = usePager();
  const [data, setData] = useState<Page<Recipient>>();
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [exportErr, setExportErr] = useState<unknown>(null);
  const [exporting, setExporting] = useState(false);
  const filters = { q: query, result, state };
  useEffect(() => { const t = setTimeout(() => setQuery(q.trim()), 300); return () => clearTimeout(t); }, [q]);
  useEffect(() => { pager.reset(); }, [query, result, state]);
  const seq = useRef(0);
  const load = () => {
    const n = ++seq.current;
    get<Page<Recipient>>(`/campaigns/${id}/recipients` + qs({ ...filters, limit: 25, cursor: pager.cursor })).then(
      (p) => { if (n === seq.current) { setData(p); setError(null); } },
      (e) => { if (n === seq.current) setError(e); },
    );
  };
  useEffect(load, [id, query, result, state, pager.cursor]);
  useEffect(() => { if (tick > 1) load(); }, [tick]);
  const exportCsv = async () => {
    setExportErr(null);
    setExporting(true);
    try {
      saveFile(await download('GET', `/campaigns/${id}/recipients.csv` + qs(filters), {}, `campaign-${id}-recipients.csv`));
    } catch (e) {
      setExportErr(e instanceof ApiError && e.notAvailable ? new ApiError(404, 'not_found', 'CSV export is not available on this server yet.') : e);
    } finally { setExporting(false); }
  };
  return (
    <section class="card" aria-labelledby="recipients-title">
      <div class="section-head">
        <h2 id="recipients-title">Recipients</h2>
        <button type="button" class="btn btn-small" onClick={exportCsv} disabled={exporting}>{exporting ? 'Exporting…' : 'Export CSV'}</button>
      </div>
      <ErrorBanner error={exportErr} title="Export failed." />
      <div class="filters" role="search" aria-label="Filter recipients">
        <div class="field">
          <label for="r-q">Search</label>
          <input id="r-q" type="search" placeholder="Name or email" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="r-result">Result</label>
          <select id="r-result" value={result} onChange={(e) => setResult(e.currentTarget.value)}>
            <option value="">Any</option><option value="none">No action</option><option value="opened">Opened</option>
            <option value="clicked">Clicked</option><option value="submitted">Submitted</option><option value="reported">Reported</option>
          </select>
        </div>
        <div class="field">
          <label for="r-state">Sending</label>
          <select id="r-state" value={state} onChange={(e) => setState(e.currentTarget.value)}>
            <option value="">Any</option><option value="queued">Queued</option><option value="sending">Sending</option>
            <option value="sent">Sent</option><option value="failed">Failed</option><option value="cancelled">Cancelled</option>
          </select>
        </div>
      </div>
      <ErrorBanner error={error} title="Could not load the recipients." />
      {!data && !error && <Loading what="Loading recipients" />}
      {data && data.items.length === 0 && <Empty title={query || result || state ? 'Nobody matches these filters' : 'No recipients'} />}
      {data && data.items.length > 0 && (
        <div class="table-wrap table-wrap-cards" tabIndex={0} role="region" aria-labelledby="recipients-title">
          <table class="table recipients cards" data-testid="recipients-table">
            <thead><tr><th scope="col">Person</th><th scope="col">Sending</th><th scope="col">Result</th><th scope="col"><span class="sr-only">Details</span></th></tr></thead>
            <tbody>
              {data.items.map((r) => [
                <tr class={open === r.id ? 'is-open' : ''}>
                  <td class="card-main"><div><strong class="person-name">{fullName(r) || r.email}</strong></div><div class="muted small break">{r.email}</div></td>
                  <td class="card-state"><span class="cell-label" aria-hidden="true">Sending</span><Badge kind={'state-' + r.state}>{r.state}</Badge>{r.state === 'failed' && r.last_error && <div class="small muted">{r.last_error}</div>}</td>
                  <td class="card-result"><span class="cell-label" aria-hidden="true">Result</span><div class="result-cell"><Badge kind={'result-' + r.result}>{RESULT_LABEL[r.result]}</Badge>{r.reported_at && <Badge kind="reported">Reported</Badge>}</div></td>
                  <td class="card-action"><button type="button" class="btn btn-small" aria-expanded={open === r.id} aria-controls={`tl-${r.id}`} onClick={() => setOpen(open === r.id ? null : r.id)}>{open === r.id ? 'Hide' : 'Timeline'}<span class="sr-only"> of {r.email}</span></button></td>
                </tr>,
                open === r.id && <tr class="timeline-row"><td colSpan={4} id={`tl-${r.id}`}><RecipientTimeline cid={id} r={r} tick={tick} onChanged={onChanged} /></td></tr>,
              ])}
            </tbody>
          </table>
        </div>
      )}
      {data && <Pager label="Recipient pages" page={pager.page} hasNext={!!data.next_cursor} onPrev={pager.prev} onNext={() => data.next_cursor && pager.next(data.next_cursor)} />}
    </section>
  );
}

const KIND_LABEL: Record<string, string> = {
  sent: 'Message sent', send_deferred: 'Sending deferred', send_failed: 'Sending failed', opened: 'Opened the message',
  clicked: 'Clicked the link', submitted: 'Submitted the form', reported: 'Reported the message', decoy: 'Hidden decoy link followed', viewed: 'Used the landing page',
};

function RecipientTimeline({ cid, r, tick, onChanged }: { cid: number; r: Recipient; tick: number; onChanged: () => void }) {
  const canEdit = useCan('operator');
  const ev = useAsync(() => listAll<CampaignEvent>(`/campaigns/${cid}/events`, { recipient_id: r.id }, 4), [cid, r.id, tick]);
  const [err, setErr] = useState<unknown>(null);
  if (ev.loading && !ev.data) return <Loading what="Loading the timeline" />;
  if (ev.error) return <ErrorBanner error={ev.error} />;
  const items = ev.data ?? [];
  if (!items.length) return <p class="muted">No events yet.</p>;
  return (
    <div>
      <ErrorBanner error={err} title="Could not change the classification." />
      <ol class="timeline" aria-label={`Events for ${r.email}`}>
        {items.map((e) => {
          const tracking = !['sent', 'send_deferred', 'send_failed'].includes(e.kind);
          const fields = Array.isArray(e.details?.fields) ? (e.details.fields as string[]) : null;
          return (
            <li class={e.automated ? 'automated' : ''}>
              <div class="tl-head">
                <time dateTime={e.at}>{fmtTime(e.at)}</time> <strong>{KIND_LABEL[e.kind] ?? e.kind}</strong>{' '}
                {tracking && (e.automated ? <Badge kind="automated">Automated</Badge> : <Badge kind="human">Human</Badge>)}
              </div>
              {e.automated && e.reason && <div class="small">Why automated: {e.reason}</div>}
              {!e.automated && e.suspect && <div class="small">Counted, but worth a look: {e.suspect}</div>}
              {tracking && <div class="small muted break">{e.ip || 'no IP'} · {e.user_agent || 'no user agent'}</div>}
              {fields && <div class="small">Fields filled in: {fields.join(', ') || 'none'}</div>}
              {typeof e.details?.reply === 'string' && <div class="small">Relay said: {String(e.details.reply)}</div>}
              {canEdit && tracking && e.kind !== 'decoy' && (
                <button type="button" class="btn btn-small btn-link" onClick={async () => {
                  setErr(null);
                  try { await post(`/campaigns/${cid}/events/${e.id}/classification`, { automated: !e.automated }); onChanged(); } catch (x) { setErr(x); }
                }}>Mark as {e.automated ? 'human' : 'automated'}</button>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

function DraftView({ campaign: c, onChanged }: { campaign: Campaign; onChanged: () => void }) {
  const canEdit = useCan('operator');
  const refs = useAsync(async () => {
    const [templates, groups, pages, profiles] = await Promise.all([listAll<Template>('/templates'), listAll<Group>('/groups'), listAll<LandingPage>('/pages'), listAll<Profile>('/sending-profiles')]);
    return { templates, groups, pages, profiles };
  }, [c.id]);
  const [confirm, setConfirm] = useState(false);
  const audience = useAsync((sig) => get<Audience>(`/campaigns/${c.id}/audience`, sig), [c.id, c.updated_at]);
  const [count, setCount] = useState<number | null>(null);
  const [countErr, setCountErr] = useState<unknown>(null);
  const countSeq = useRef(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const openConfirm = async () => {
    setError(null);
    setCountErr(null);
    setConfirm(true);
    setCount(null);
    // The server counts distinct people (someone in two groups gets one message).
    const n = ++countSeq.current;
    try {
      const a = await get<Audience>(`/campaigns/${c.id}/audience`);
      if (n === countSeq.current) setCount(a.recipients);
    } catch (e) { if (n === countSeq.current) setCountErr(e); }
  };
  const launch = async () => {
    setBusy(true);
    setError(null);
    try { await post(`/campaigns/${c.id}/launch`); setConfirm(false); onChanged(); } catch (e) { setError(e); } finally { setBusy(false); }
  };
  const name = <T extends { id: number; name: string }>(list: T[] | undefined, id: number | null) => (id == null ? 'None' : list?.find((x) => x.id === id)?.name ?? `#${id}`);
  const start = c.launch_at && Date.parse(c.launch_at) > Date.now() ? fmtTime(c.launch_at) : 'now, when you launch';
  return (
    <>
      <PageHeader title={c.name} sub={<><StatusBadge status="draft" /> Nothing has been sent.</>}>
        {canEdit && (
          <>
            <Link class="btn" href={`/campaigns/${c.id}/edit`}>Edit</Link>
            <ConfirmButton label="Delete draft" title="Delete this draft?" onConfirm={async () => { await del(`/campaigns/${c.id}`); navigate('/campaigns'); }} message="The draft is removed; nothing was sent." />
            <button type="button" class="btn btn-primary" onClick={openConfirm}>Launch…</button>
          </>
        )}
      </PageHeader>
      <p><Link href="/campaigns">← All campaigns</Link></p>
      <section class="card" aria-labelledby="draft-title">
        <h2 id="draft-title">What will be sent</h2>
        <ErrorBanner error={refs.error} />
        <dl class="summary-list">
          <dt>Templates</dt><dd>{c.templates.map((t) => `${name(refs.data?.templates, t.template_id)}${c.templates.length > 1 ? ` (weight ${t.weight})` : ''}`).join(', ')}</dd>
          <dt>Groups</dt><dd>{c.group_ids.map((g) => name(refs.data?.groups, g)).join(', ')}</dd>
          <dt>People</dt><dd data-testid="draft-audience">{audience.data ? `${people(audience.data.recipients)} right now (someone in two groups counts once)` : audience.error ? 'Could not be counted' : 'Counting…'}</dd>
          <dt>Landing page</dt><dd>{name(refs.data?.pages, c.page_id)}</dd>
          <dt>Sending profile</dt><dd>{name(refs.data?.profiles, c.profile_id)}</dd>
          <dt>Starts</dt><dd>{start}</dd>
          <dt>Finishes by</dt><dd>{c.send_by ? fmtTime(c.send_by) : 'as fast as the profile allows'}</dd>
          <dt>Sending window</dt><dd>{describeWindow(c.window)}</dd>
          {c.follow_up && <><dt>Follow-up training</dt><dd>{c.follow_up.module}, when people {c.follow_up.trigger === 'clicked' ? 'click' : 'submit'}; due in {c.follow_up.due_days} days</dd></>}
        </dl>
      </section>
      <ConfirmDialog open={confirm} title={`Launch “${c.name}”?`} confirmLabel="Launch campaign" busy={busy || count === null || count === 0} error={error}
        onCancel={() => setConfirm(false)} onConfirm={launch}>
        {count === null ? (countErr ? <ErrorBanner error={countErr} title="Could not count the recipients." /> : <Loading what="Counting recipients" />) : (
          <div data-testid="launch-summary">
            {count === 0 ? (
              <p><strong>Nobody</strong> is in the chosen groups yet: add people to them, or choose other groups, before launching.</p>
            ) : (
              <p><strong>{num(count)}</strong> {count === 1 ? 'person' : 'people'} will receive a simulated phishing message{c.group_ids.length > 1 ? ' (someone in several of the groups gets one)' : ''}.</p>
            )}
            <ul>
              <li>Sending starts {start}.</li>
              <li>{c.send_by ? `All messages are sent by ${fmtTime(c.send_by)}, spread evenly.` : 'Messages go out as fast as the sending profile allows.'}</li>
              <li>Sending window: {describeWindow(c.window)}.</li>
            </ul>
            <p class="muted">Once launched, the campaign can be completed or cancelled but not edited.</p>
          </div>
        )}
      </ConfirmDialog>
    </>
  );
}
