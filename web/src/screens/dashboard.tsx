import { ApiError, get, listAll, type Campaign, type Summary, type TrainingReport } from '../api';
import { TimelineChart } from '../chart';
import { fmtDate, num, pct } from '../format';
import { Link } from '../router';
import { useCan } from '../session';
import { Empty, ErrorBanner, Loading, PageHeader, Stat, useAsync } from '../ui';
import { StatusBadge } from './campaigns';

interface Row { c: Campaign; s: Summary }

export function Dashboard() {
  const canEdit = useCan('operator');
  // The API has no aggregate endpoint: the dashboard reads the campaign list
  // and the summaries of the latest launched campaigns.
  const data = useAsync(async () => {
    const campaigns = await listAll<Campaign>('/campaigns', {}, 10);
    const launched = campaigns.filter((c) => c.launched_at).sort((a, b) => Date.parse(a.launched_at!) - Date.parse(b.launched_at!)).slice(-12);
    const rows: Row[] = await Promise.all(launched.map(async (c) => ({ c, s: await get<Summary>(`/campaigns/${c.id}/summary`) })));
    return { campaigns, rows };
  }, []);
  const training = useAsync(() => get<TrainingReport>('/training/report').catch((e) => { if (e instanceof ApiError && e.status === 404) return null; throw e; }), []);
  return (
    <>
      <PageHeader title="Dashboard" sub="How likely your people are to fall for phishing, and whether it is improving.">
        {canEdit && <Link class="btn btn-primary" href="/campaigns/new">New campaign</Link>}
      </PageHeader>
      {data.loading && !data.data && <Loading what="Loading results" />}
      <ErrorBanner error={data.error} title="Could not load the results." />
      {data.data && <Overview rows={data.data.rows} training={training.data} trainingLoading={training.loading} />}
      {data.data && data.data.campaigns.length === 0 && (
        <div class="card"><Empty title="No campaigns yet">Import your people, write a template, set up a sending profile, then <Link href="/campaigns/new">start your first campaign</Link> to get a baseline.</Empty></div>
      )}
      {data.data && data.data.rows.length > 0 && <Trend rows={data.data.rows} />}
      {data.data && data.data.campaigns.length > 0 && <Recent campaigns={data.data.campaigns} rows={data.data.rows} />}
    </>
  );
}

function Overview({ rows, training, trainingLoading }: { rows: Row[]; training: TrainingReport | null | undefined; trainingLoading: boolean }) {
  const last = rows[rows.length - 1];
  const prev = rows[rows.length - 2];
  const prone = (r?: Row) => (r && r.s.sent ? (100 * r.s.clicked) / r.s.sent : null);
  const delta = prone(last) !== null && prone(prev) !== null ? prone(last)! - prone(prev)! : null;
  const sent = rows.reduce((n, r) => n + r.s.sent, 0);
  const reported = rows.reduce((n, r) => n + r.s.reported, 0);
  return (
    <section class="stats" aria-label="Key figures">
      <Stat label="Phish-prone (latest campaign)" value={last ? pct(last.s.clicked, last.s.sent) : '—'}
        sub={delta === null ? 'People who clicked or submitted, of those sent' : `${delta > 0 ? '▲' : delta < 0 ? '▼' : '='} ${Math.abs(delta).toFixed(1)} points since the one before`} />
      <Stat label="Report rate" value={pct(reported, sent)} sub={`${num(reported)} reports from ${num(sent)} messages (last ${rows.length} campaigns)`} />
      <Stat label="Training completion" value={trainingLoading ? '…' : training && training.totals.assigned ? `${Math.round(100 * training.totals.completion_rate)}%` : '—'}
        sub={training ? (training.totals.assigned ? `${num(training.totals.completed)} of ${num(training.totals.assigned)} assignments; ${num(training.totals.overdue)} overdue` : 'No training assigned yet') : trainingLoading ? 'Loading' : 'Not available on this server yet'} />
      <Stat label="Campaigns launched" value={num(rows.length)} sub="Shown here: up to the last 12" />
    </section>
  );
}

function Trend({ rows }: { rows: Row[] }) {
  const xs = rows.map((r) => Math.floor(Date.parse(r.c.launched_at!) / 1000));
  const series = [
    { label: 'Phish-prone %', color: '#dc2626', values: rows.map((r) => (r.s.sent ? Math.round((1000 * r.s.clicked) / r.s.sent) / 10 : null)) },
    { label: 'Report rate %', color: '#059669', values: rows.map((r) => (r.s.sent ? Math.round((1000 * r.s.reported) / r.s.sent) / 10 : null)) },
  ];
  return (
    <section class="card" aria-labelledby="trend-title">
      <h2 id="trend-title">Trend</h2>
      {rows.length < 2 ? <p class="muted">The trend appears after the second campaign.</p> : (
        <TimelineChart xs={xs} series={series} title="Phish-prone percentage and report rate per campaign, by launch date" />
      )}
    </section>
  );
}

function Recent({ campaigns, rows }: { campaigns: Campaign[]; rows: Row[] }) {
  const byId = new Map(rows.map((r) => [r.c.id, r.s]));
  const recent = [...campaigns].sort((a, b) => b.id - a.id).slice(0, 8);
  return (
    <section class="card" aria-labelledby="recent-title">
      <h2 id="recent-title">Recent campaigns</h2>
      <div class="table-wrap" tabIndex={0}>
        <table class="table">
          <thead><tr><th scope="col">Campaign</th><th scope="col">Status</th><th scope="col">Launched</th><th scope="col" class="num">Sent</th><th scope="col" class="num">Phish-prone</th><th scope="col" class="num">Reported</th></tr></thead>
          <tbody>{recent.map((c) => {
            const s = byId.get(c.id);
            return (
              <tr>
                <td><Link href={`/campaigns/${c.id}`}>{c.name}</Link></td><td><StatusBadge status={c.status} /></td><td>{fmtDate(c.launched_at)}</td>
                <td class="num">{num(c.counts.sent)}</td><td class="num">{s ? pct(s.clicked, s.sent) : '—'}</td><td class="num">{s ? pct(s.reported, s.sent) : '—'}</td>
              </tr>
            );
          })}</tbody>
        </table>
      </div>
    </section>
  );
}
