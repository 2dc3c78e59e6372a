import { ApiError, get, qs, type Campaign, type Page, type TrainingReport } from '../api';
import { TimelineChart } from '../chart';
import { fmtDate, num, pct } from '../format';
import { Link } from '../router';
import { useCan } from '../session';
import { Empty, ErrorBanner, Loading, PageHeader, Stat, useAsync } from '../ui';
import { StatusBadge } from './campaigns';

// One launched campaign's figures, from the campaign list itself (each item
// carries its recipient counts and its human results).
interface Row { c: Campaign; sent: number; prone: number; reported: number }

// `clicked` counts everyone whose result reached a click: people who went on
// to submit the form are among them (submitted ⊆ clicked), so the phish-prone
// count is `clicked` alone, never clicked + submitted.
const rowOf = (c: Campaign): Row => ({ c, sent: c.counts.sent, prone: c.results?.clicked ?? 0, reported: c.results?.reported ?? 0 });

const PAGE = 200;
const MAX_PAGES = 25; // 5,000 campaigns

export function Dashboard() {
  const canEdit = useCan('operator');
  // The list is by id ascending and each item carries its results: follow the
  // pages to the end (bounded), no per-campaign call.
  const data = useAsync(async (signal) => {
    const campaigns: Campaign[] = [];
    let cursor: string | null = null;
    let capped = false;
    for (let i = 0; ; i++) {
      if (i === MAX_PAGES) { capped = true; break; }
      const page: Page<Campaign> = await get<Page<Campaign>>('/campaigns' + qs({ limit: PAGE, cursor: cursor ?? undefined }), signal);
      campaigns.push(...page.items);
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    const launched = campaigns.filter((c) => c.launched_at && c.status !== 'draft')
      .sort((a, b) => Date.parse(a.launched_at!) - Date.parse(b.launched_at!));
    return { campaigns, rows: launched.slice(-12).map(rowOf), launched: launched.length, capped };
  }, []);
  const training = useAsync(() => get<TrainingReport>('/training/report').catch((e) => { if (e instanceof ApiError && e.status === 404) return null; throw e; }), []);
  return (
    <>
      <PageHeader title="Dashboard" sub="How likely your people are to fall for phishing, and whether it is improving.">
        {canEdit && <Link class="btn btn-primary" href="/campaigns/new">New campaign</Link>}
      </PageHeader>
      {data.loading && !data.data && <Loading what="Loading results" />}
      <ErrorBanner error={data.error} title="Could not load the results." />
      {data.data && <Overview rows={data.data.rows} launched={data.data.launched} training={training.data} trainingLoading={training.loading} />}
      {data.data?.capped && <p class="muted">Showing the first {num(data.data.campaigns.length)} campaigns.</p>}
      {data.data && data.data.campaigns.length === 0 && (
        <div class="card"><Empty title="No campaigns yet">Import your people, write a template, set up a sending profile, then <Link href="/campaigns/new">start your first campaign</Link> to get a baseline.</Empty></div>
      )}
      {data.data && data.data.rows.length > 0 && <Trend rows={data.data.rows} />}
      {data.data && data.data.campaigns.length > 0 && <Recent campaigns={data.data.campaigns} />}
    </>
  );
}

function Overview({ rows, launched, training, trainingLoading }: { rows: Row[]; launched: number; training: TrainingReport | null | undefined; trainingLoading: boolean }) {
  const last = rows[rows.length - 1];
  const prev = rows[rows.length - 2];
  const prone = (r?: Row) => (r && r.sent ? (100 * r.prone) / r.sent : null);
  const delta = prone(last) !== null && prone(prev) !== null ? prone(last)! - prone(prev)! : null;
  const sent = rows.reduce((n, r) => n + r.sent, 0);
  const reported = rows.reduce((n, r) => n + r.reported, 0);
  return (
    <section class="stats" aria-label="Key figures" data-testid="key-figures">
      <Stat label="Phish-prone (latest campaign)" value={last ? pct(last.prone, last.sent) : '—'} testid="phish-prone"
        sub={delta === null ? (last ? `${num(last.prone)} of ${num(last.sent)} people clicked or submitted` : 'People who clicked or submitted, of those sent') : `${delta > 0 ? '▲' : delta < 0 ? '▼' : '='} ${Math.abs(delta).toFixed(1)} points since the one before`} />
      <Stat label="Report rate" value={pct(reported, sent)} testid="report-rate"
        sub={rows.length ? `${num(reported)} ${reported === 1 ? "report" : "reports"} from ${num(sent)} people sent (last ${rows.length} ${rows.length === 1 ? 'campaign' : 'campaigns'})` : 'No campaign launched yet'} />
      <Stat label="Training completion" value={trainingLoading ? '…' : training && training.totals.assigned ? `${Math.round(100 * training.totals.completion_rate)}%` : '—'}
        sub={training ? (training.totals.assigned ? `${num(training.totals.completed)} of ${num(training.totals.assigned)} assignments; ${num(training.totals.overdue)} overdue` : 'No training assigned yet') : trainingLoading ? 'Loading' : 'Not available on this server yet'} />
      <Stat label="Campaigns launched" value={num(launched)} sub={launched > rows.length ? `Trend: the last ${rows.length}` : undefined} />
    </section>
  );
}

const rate = (n: number, d: number) => (d ? Math.round((1000 * n) / d) / 10 : null);

function Trend({ rows }: { rows: Row[] }) {
  const xs = rows.map((r) => Math.floor(Date.parse(r.c.launched_at!) / 1000));
  const series = [
    { label: 'Phish-prone %', color: '#dc2626', values: rows.map((r) => rate(r.prone, r.sent)) },
    { label: 'Report rate %', color: '#059669', values: rows.map((r) => rate(r.reported, r.sent)) },
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

function Recent({ campaigns }: { campaigns: Campaign[] }) {
  const recent = [...campaigns].sort((a, b) => b.id - a.id).slice(0, 8);
  return (
    <section class="card" aria-labelledby="recent-title">
      <h2 id="recent-title">Recent campaigns</h2>
      <div class="table-wrap table-wrap-cards" tabIndex={0} role="region" aria-labelledby="recent-title">
        <table class="table stack" data-testid="recent-campaigns">
          <thead><tr><th scope="col">Campaign</th><th scope="col">Status</th><th scope="col">Launched</th><th scope="col" class="num">Sent</th><th scope="col" class="num">Phish-prone</th><th scope="col" class="num">Reported</th></tr></thead>
          <tbody>{recent.map((c) => {
            const r = c.launched_at && c.status !== 'draft' ? rowOf(c) : null;
            return (
              <tr>
                <td class="stack-title"><Link href={`/campaigns/${c.id}`}>{c.name}</Link></td><td data-label="Status"><span><StatusBadge status={c.status} /></span></td><td data-label="Launched">{fmtDate(c.launched_at)}</td>
                <td class="num" data-label="Sent">{num(c.counts.sent)}</td><td class="num" data-label="Phish-prone">{r ? pct(r.prone, r.sent) : '—'}</td><td class="num" data-label="Reported">{r ? pct(r.reported, r.sent) : '—'}</td>
              </tr>
            );
          })}</tbody>
        </table>
      </div>
    </section>
  );
}
