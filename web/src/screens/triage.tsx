// The triage inbox (issue #13): messages people reported, grouped into
// clusters of the same message; one cluster with its reports; one report with
// the evidence an analyst checks (headers, findings, links, attachments, a
// sandboxed rendering) and a verdict. Every list is a server-side page
// (cursor paging), so the inbox stays fast with 100,000 reports. Hostile
// content is never made clickable: targets are text, the rendering is an
// <iframe sandbox=""> of the server's sanitised HTML.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, API, get, put, qs, type Cluster, type Page, type Report, type ReportEmail, type ReportLink, type ReportSummary, type ReportWithEmails, type Verdict } from '../api';
import { duration, fmtTime, num } from '../format';
import { Link, useQueryParam } from '../router';
import { Badge, Empty, ErrorBanner, Field, Loading, Notice, PageHeader, Pager, fieldError, useAsync, useId, usePager } from '../ui';

const PAGE = 50;

const VERDICT_LABEL: Record<Verdict, string> = { clean: 'Clean', spam: 'Spam', threat: 'Threat' };
const VERDICTS: [Verdict, string][] = [
  ['clean', 'Legitimate mail; nothing to do.'],
  ['spam', 'Unwanted, but not dangerous.'],
  ['threat', 'Phishing or malware. Its indicators are exported.'],
];
const STATUS_LABEL: Record<ReportSummary['status'], string> = { simulation: 'Simulation', triage: 'To triage', refused: 'Refused' };
const STATUS_KIND: Record<ReportSummary['status'], string> = { simulation: 'info', triage: 'warn', refused: 'muted' };

export function ScoreBadge({ score, suggested }: { score: number; suggested: Verdict | '' }) {
  return (
    <Badge kind={'verdict-' + (suggested || 'none')}>
      {score}{suggested && <> · <span class="sr-only">suggests </span>{suggested}</>}
    </Badge>
  );
}

export function VerdictBadge({ verdict }: { verdict: Verdict | '' }) {
  return verdict ? <Badge kind={'verdict-' + verdict}>{VERDICT_LABEL[verdict]}</Badge> : <Badge kind="muted">Undecided</Badge>;
}

function StatusBadge({ status }: { status: ReportSummary['status'] }) {
  return <Badge kind={STATUS_KIND[status] ?? 'muted'}>{STATUS_LABEL[status] ?? status}</Badge>;
}

const subjectOf = (s: string) => s || '(no subject)';

function sender(name: string, address: string): string {
  if (name && address) return `${name} <${address}>`;
  return name || address || '—';
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

// ---------------------------------------------------------------- the inbox

export function TriageInbox({ view }: { view: 'clusters' | 'reports' }) {
  return (
    <>
      <PageHeader title="Triage" sub="Messages people reported. Decide what each one is.">
        <a class="btn" href={`${API}/triage/indicators?format=csv`} download>Export indicators (CSV)</a>
        <a class="btn" href={`${API}/triage/indicators?format=stix`} download>Export indicators (STIX 2.1)</a>
      </PageHeader>
      <p class="muted small">Indicators come from the reports marked as threats.</p>
      <nav class="tabs" aria-label="Triage views">
        <Link class="tab" href="/triage" aria-current={view === 'clusters' ? 'page' : undefined}>Clusters</Link>
        <Link class="tab" href="/triage/reports" aria-current={view === 'reports' ? 'page' : undefined}>Reports</Link>
      </nav>
      {view === 'clusters' ? <ClusterList /> : <ReportList />}
    </>
  );
}

function ClusterList() {
  const [verdict, setVerdict] = useQueryParam('verdict', 'none');
  const pager = usePager();
  const list = useAsync(
    (s) => get<Page<Cluster>>('/triage/clusters' + qs({ verdict: verdict === 'all' ? undefined : verdict, limit: PAGE, cursor: pager.cursor }), s),
    [verdict, pager.cursor],
  );
  const data = list.data;
  return (
    <section class="card" aria-labelledby="clusters-title" aria-busy={list.loading}>
      <h2 id="clusters-title">Clusters</h2>
      <p class="muted">Reports of the same message are grouped; a verdict on a cluster applies to all its reports.</p>
      <div class="filters filters-narrow" role="search" aria-label="Filter clusters">
        <div class="field">
          <label for="c-verdict">Verdict</label>
          <select id="c-verdict" value={verdict} onChange={(e) => { setVerdict(e.currentTarget.value); pager.reset(); }}>
            <option value="none">Undecided</option><option value="all">Any</option>
            <option value="threat">Threat</option><option value="spam">Spam</option><option value="clean">Clean</option>
          </select>
        </div>
      </div>
      <ErrorBanner error={list.error} title="Could not load the clusters." />
      {list.loading && !data && <Loading what="Loading clusters" />}
      {data && data.items.length === 0 && pager.page === 1 && (
        verdict === 'none'
          ? (
            <Empty title="Nothing left to triage">
              <p>New reports appear here as people report messages.</p>
              <button type="button" class="btn btn-small" onClick={() => { setVerdict('all'); pager.reset(); }}>Show all clusters</button>
            </Empty>
          )
          : <Empty title="No clusters match this filter" />
      )}
      {data && data.items.length > 0 && (
        <div class="table-wrap table-wrap-cards" tabIndex={0} role="region" aria-labelledby="clusters-title">
          <table class="table stack triage-table" data-testid="clusters-table">
            <thead><tr><th scope="col">Message</th><th scope="col" class="num">Reports</th><th scope="col">Score</th><th scope="col">Last reported</th><th scope="col">Verdict</th></tr></thead>
            <tbody>{data.items.map((c) => (
              <tr>
                <td class="stack-title"><Link href={`/triage/clusters/${c.id}`}>{subjectOf(c.subject)}</Link><div class="muted small break">{c.from_address || '—'}</div></td>
                <td class="num" data-label="Reports">{num(c.report_count)}</td>
                <td data-label="Score"><ScoreBadge score={c.score} suggested={c.suggested_verdict} /></td>
                <td data-label="Last reported"><time dateTime={c.last_at}>{fmtTime(c.last_at)}</time></td>
                <td data-label="Verdict"><VerdictBadge verdict={c.verdict} /></td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}
      {data && (data.items.length > 0 || pager.page > 1) && (
        <Pager label="Cluster pages" page={pager.page} hasNext={!!data.next_cursor} onPrev={pager.prev} onNext={() => data.next_cursor && pager.next(data.next_cursor)} />
      )}
    </section>
  );
}

function ReportList() {
  const [status, setStatus] = useQueryParam('status', '');
  const [verdict, setVerdict] = useQueryParam('verdict', '');
  const pager = usePager();
  const list = useAsync(
    (s) => get<Page<ReportSummary>>('/triage/reports' + qs({ status, verdict, limit: PAGE, cursor: pager.cursor }), s),
    [status, verdict, pager.cursor],
  );
  const data = list.data;
  return (
    <section class="card" aria-labelledby="reports-title" aria-busy={list.loading}>
      <h2 id="reports-title">Reports</h2>
      <p class="muted">Every report, newest first. Simulations are matched to a campaign automatically.</p>
      <div class="filters filters-narrow" role="search" aria-label="Filter reports">
        <div class="field">
          <label for="r-status">Status</label>
          <select id="r-status" value={status} onChange={(e) => { setStatus(e.currentTarget.value); pager.reset(); }}>
            <option value="">Any</option><option value="triage">To triage</option><option value="simulation">Simulation</option><option value="refused">Refused</option>
          </select>
        </div>
        <div class="field">
          <label for="r-verdict">Verdict</label>
          <select id="r-verdict" value={verdict} onChange={(e) => { setVerdict(e.currentTarget.value); pager.reset(); }}>
            <option value="">Any</option><option value="none">Undecided</option>
            <option value="threat">Threat</option><option value="spam">Spam</option><option value="clean">Clean</option>
          </select>
        </div>
      </div>
      <ErrorBanner error={list.error} title="Could not load the reports." />
      {list.loading && !data && <Loading what="Loading reports" />}
      {data && data.items.length === 0 && pager.page === 1 && (
        <Empty title={status || verdict ? 'No reports match these filters' : 'No reports yet'}>
          {!status && !verdict && 'Reports arrive through the reporting mailboxes and the report button.'}
        </Empty>
      )}
      {data && data.items.length > 0 && <ReportsTable items={data.items} labelledBy="reports-title" testid="reports-table" />}
      {data && (data.items.length > 0 || pager.page > 1) && (
        <Pager label="Report pages" page={pager.page} hasNext={!!data.next_cursor} onPrev={pager.prev} onNext={() => data.next_cursor && pager.next(data.next_cursor)} />
      )}
    </section>
  );
}

// Reports as rows; inside a cluster every subject is the same, so the reporter is the link.
function ReportsTable({ items, labelledBy, testid, inCluster }: { items: ReportSummary[]; labelledBy: string; testid: string; inCluster?: boolean }) {
  return (
    <div class="table-wrap table-wrap-cards" tabIndex={0} role="region" aria-labelledby={labelledBy}>
      <table class="table stack triage-table" data-testid={testid}>
        <thead><tr>
          {!inCluster && <th scope="col">Message</th>}<th scope="col">Reporter</th><th scope="col">Score</th>
          <th scope="col">Received</th><th scope="col">Status</th><th scope="col">Verdict</th>
        </tr></thead>
        <tbody>{items.map((r) => (
          <tr>
            {!inCluster && (
              <td class="stack-title"><Link href={`/triage/reports/${r.id}`}>{subjectOf(r.subject)}</Link><div class="muted small break">{sender(r.from_name, r.from_address)}</div></td>
            )}
            {inCluster
              ? <td class="stack-title break"><Link href={`/triage/reports/${r.id}`}>{r.reporter || '(unknown reporter)'}</Link></td>
              : <td class="break" data-label="Reporter">{r.reporter || '—'}</td>}
            <td data-label="Score"><ScoreBadge score={r.score} suggested={r.suggested_verdict} /></td>
            <td data-label="Received"><time dateTime={r.received_at}>{fmtTime(r.received_at)}</time></td>
            <td data-label="Status"><StatusBadge status={r.status} /></td>
            <td data-label="Verdict"><VerdictBadge verdict={r.verdict} /></td>
          </tr>
        ))}</tbody>
      </table>
    </div>
  );
}

// ---------------------------------------------------------------- verdicts

function VerdictForm<T>({ path, current, note, suggested, submitLabel, onSaved }: {
  path: string; current: Verdict | ''; note: string; suggested: Verdict | ''; submitLabel: string; onSaved: (saved: T) => void;
}) {
  const [verdict, setVerdict] = useState<Verdict | ''>(current);
  const [text, setText] = useState(note);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const group = useId('verdict');
  useEffect(() => { setVerdict(current); setText(note); setSaved(false); setError(null); }, [path]);
  const verdictErr = fieldError(error, 'verdict');
  const save = async (e: Event) => {
    e.preventDefault();
    setSaved(false);
    if (!verdict) { setError(new ApiError(422, 'validation', 'Choose clean, spam or threat.', 'verdict')); return; }
    setBusy(true);
    setError(null);
    try {
      onSaved(await put<T>(path, { verdict, note: text }));
      setSaved(true);
    } catch (x) { setError(x); } finally { setBusy(false); }
  };
  return (
    <form class="card" id="verdict" noValidate aria-labelledby={group + '-title'} onSubmit={save}>
      <h2 id={group + '-title'}>Verdict</h2>
      {saved && <Notice kind="success">Saved.</Notice>}
      <ErrorBanner error={error} title="Could not save the verdict." />
      <fieldset class={'fieldset' + (verdictErr ? ' field-invalid' : '')} aria-describedby={verdictErr ? group + '-err' : undefined}>
        <legend>What is it?</legend>
        {suggested && <p class="hint">The score suggests: {VERDICT_LABEL[suggested]}.</p>}
        {VERDICTS.map(([k, hint]) => (
          <label class="radio">
            <input type="radio" name={group} value={k} checked={verdict === k} onChange={() => { setVerdict(k); setSaved(false); }} />
            <span><strong>{VERDICT_LABEL[k]}</strong> <span class="muted">— {hint}</span></span>
          </label>
        ))}
        {verdictErr && <p class="field-error" id={group + '-err'}>{verdictErr}</p>}
      </fieldset>
      <Field label="Note (optional)" name="note" error={error}>
        {(a) => <textarea {...a} rows={2} value={text} onInput={(e) => { setText(e.currentTarget.value); setSaved(false); }} />}
      </Field>
      <button class="btn btn-primary" type="submit" disabled={busy}>{busy ? 'Saving…' : submitLabel}</button>
    </form>
  );
}

function DecidedLine({ verdict, note, at }: { verdict: Verdict | ''; note: string; at: string | null }) {
  return (
    <>
      <VerdictBadge verdict={verdict} />
      {verdict && at && <span class="muted small"> on {fmtTime(at)}</span>}
      {note && <div class="small break">{note}</div>}
    </>
  );
}

// ---------------------------------------------------------------- one cluster

export function ClusterDetail({ id }: { id: number }) {
  const cluster = useAsync((s) => get<Cluster>(`/triage/clusters/${id}`, s), [id]);
  const [version, setVersion] = useState(0);
  if (!cluster.data) {
    return cluster.error
      ? <><PageHeader title="Cluster" /><p><Link href="/triage">← Triage inbox</Link></p><ErrorBanner error={cluster.error} title="Could not load the cluster." /></>
      : <Loading what="Loading the cluster" />;
  }
  const c = cluster.data;
  return (
    <>
      <PageHeader title={subjectOf(c.subject)} sub={<><VerdictBadge verdict={c.verdict} /> {num(c.report_count)} {c.report_count === 1 ? 'report' : 'reports'} of the same message</>} />
      <p><Link href="/triage">← Triage inbox</Link></p>
      <div class="editor-layout">
        <section class="card" aria-labelledby="cluster-summary-title">
          <h2 id="cluster-summary-title">Summary</h2>
          <dl class="summary-list" data-testid="cluster-summary">
            <dt>Sender</dt><dd class="break">{c.from_address || '—'}</dd>
            <dt>Reports</dt><dd>{num(c.report_count)}</dd>
            <dt>First reported</dt><dd>{fmtTime(c.first_at)}</dd>
            <dt>Last reported</dt><dd>{fmtTime(c.last_at)}</dd>
            <dt>Score</dt><dd><ScoreBadge score={c.score} suggested={c.suggested_verdict} /></dd>
            <dt>Verdict</dt><dd><DecidedLine verdict={c.verdict} note={c.verdict_note} at={c.verdict_at} /></dd>
          </dl>
        </section>
        <VerdictForm<Cluster> path={`/triage/clusters/${id}/verdict`} current={c.verdict} note={c.verdict_note} suggested={c.suggested_verdict}
          submitLabel={c.report_count === 1 ? 'Set the verdict' : `Set the verdict on all ${num(c.report_count)} reports`}
          onSaved={(saved) => { cluster.setData(saved); setVersion((v) => v + 1); }} />
      </div>
      <ClusterReports id={id} version={version} />
    </>
  );
}

function ClusterReports({ id, version }: { id: number; version: number }) {
  const pager = usePager();
  const list = useAsync((s) => get<Page<ReportSummary>>('/triage/reports' + qs({ cluster_id: id, limit: PAGE, cursor: pager.cursor }), s), [id, pager.cursor, version]);
  const data = list.data;
  return (
    <section class="card" aria-labelledby="cluster-reports-title" aria-busy={list.loading}>
      <h2 id="cluster-reports-title">Its reports</h2>
      <ErrorBanner error={list.error} title="Could not load the reports." />
      {list.loading && !data && <Loading what="Loading reports" />}
      {data && data.items.length === 0 && pager.page === 1 && <Empty title="No reports in this cluster" />}
      {data && data.items.length > 0 && <ReportsTable items={data.items} labelledBy="cluster-reports-title" testid="cluster-reports-table" inCluster />}
      {data && (data.items.length > 0 || pager.page > 1) && (
        <Pager label="Report pages" page={pager.page} hasNext={!!data.next_cursor} onPrev={pager.prev} onNext={() => data.next_cursor && pager.next(data.next_cursor)} />
      )}
    </section>
  );
}

// ---------------------------------------------------------------- one report

const SHAPE_NOTE: Record<string, string> = {
  attached: 'Forwarded as an attachment: these are the original message’s headers.',
  inline_forward: 'Forwarded inline: these were read from the forwarded text, which the reporter’s mail program rewrote. Treat them with care.',
  direct: 'Reported with the report button: these are the headers as received.',
};

// The domain of an address ("Name <a@b.example>" or "<a@b.example>" or "a@b.example").
function domainOf(address: string): string {
  const m = /<([^>]*)>/.exec(address);
  const a = (m ? m[1] : address).trim();
  const at = a.lastIndexOf('@');
  return at >= 0 ? a.slice(at + 1).toLowerCase() : '';
}

function sameOrg(a: string, b: string): boolean {
  return a === b || a.endsWith('.' + b) || b.endsWith('.' + a);
}

function OtherDomain({ address, from }: { address: string; from: string }) {
  const d = domainOf(address);
  const f = domainOf(from);
  if (!d || !f || sameOrg(d, f)) return null;
  return <> <Badge kind="warn">Not the From domain</Badge></>;
}

// SPF, DKIM, DMARC and ARC results of the topmost Authentication-Results
// header (the one the receiving server added), as badges.
function AuthSummary({ values }: { values: string[] }) {
  if (!values.length) return null;
  const found: [string, string][] = [];
  const re = /\b(spf|dkim|dmarc|arc)\s*=\s*([a-z]+)/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(values[0])) && found.length < 8) {
    if (!found.some(([k]) => k === m![1].toLowerCase())) found.push([m[1].toLowerCase(), m[2].toLowerCase()]);
  }
  if (!found.length) return null;
  const kind = (r: string) => (r === 'pass' ? 'success' : ['fail', 'softfail', 'permerror', 'temperror'].includes(r) ? 'danger' : 'muted');
  return <div class="result-cell auth-summary">{found.map(([k, r]) => <Badge kind={kind(r)}>{k.toUpperCase()}: {r}</Badge>)}</div>;
}

function hostOfUrl(u: string): string {
  try { return new URL(u).hostname.toLowerCase().replace(/^www\./, ''); } catch { return ''; }
}

// The host a link's shown text names, when it looks like an address
// ("https://bank.example/login", "bank.example").
function shownHost(text: string): string {
  const m = /^\s*(?:https?:\/\/)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})(?:[:/?#]\S*)?\s*$/i.exec(text);
  return m ? m[1].toLowerCase().replace(/^www\./, '') : '';
}

export function linkMismatch(l: ReportLink): string {
  if (l.image) return '';
  const shown = shownHost(l.text);
  const real = hostOfUrl(l.target || l.href);
  return shown && real && !sameOrg(shown, real) ? shown : '';
}

export function ReportDetail({ id }: { id: number }) {
  const report = useAsync((s) => get<ReportWithEmails>(`/triage/reports/${id}`, s), [id]);
  // An email on its way is sent by the worker in a moment: look again a few times.
  const [rechecks, setRechecks] = useState(0);
  useEffect(() => setRechecks(0), [id]);
  const inFlight = !!report.data?.emails.some((e) => e.state === 'queued' || e.state === 'sending');
  useEffect(() => {
    if (!inFlight || report.loading || rechecks >= EMAIL_RECHECKS) return;
    const t = setTimeout(() => { setRechecks((n) => n + 1); report.reload(); }, 3000);
    return () => clearTimeout(t);
  }, [inFlight, report.loading, rechecks]);
  if (!report.data) {
    return report.error
      ? <><PageHeader title="Report" /><p><Link href="/triage/reports">← All reports</Link></p><ErrorBanner error={report.error} title="Could not load the report." /></>
      : <Loading what="Loading the report" />;
  }
  const r = report.data;
  const ev = r.evidence ?? {};
  const from = ev.from_address ?? r.from_address;
  return (
    <>
      <PageHeader title={subjectOf(r.subject)} sub={<><StatusBadge status={r.status} /> <VerdictBadge verdict={r.verdict} /> Reported {fmtTime(r.received_at)}</>} />
      <p class="back-links">
        <Link href="/triage/reports">← All reports</Link>
        {r.cluster_id !== null && <Link href={`/triage/clusters/${r.cluster_id}`}>Its cluster (the same message from others)</Link>}
      </p>
      <div class="editor-layout">
        <div>
          <section class="card" aria-labelledby="report-title">
            <h2 id="report-title">Report</h2>
            <dl class="summary-list" data-testid="report-summary">
              <dt>Reported by</dt><dd class="break">{r.reporter || '—'}</dd>
              <dt>Received</dt><dd>{fmtTime(r.received_at)}</dd>
              <dt>Through</dt><dd>{r.source === 'button' ? 'The report button' : r.mailbox_id !== null ? <Link href={`/mailboxes/${r.mailbox_id}`}>A reporting mailbox</Link> : 'A reporting mailbox'}</dd>
              <dt>Status</dt><dd><StatusBadge status={r.status} /></dd>
              <dt>{r.status === 'refused' ? 'Why refused' : r.status === 'simulation' ? 'How it was matched' : 'Note'}</dt><dd class="break">{r.note || '—'}</dd>
              {r.status === 'simulation' && <><dt>Time to report</dt><dd data-testid="time-to-report">{duration(r.seconds_to_report)}</dd></>}
              {r.campaign_id !== null && <><dt>Campaign</dt><dd><Link href={`/campaigns/${r.campaign_id}`}>Campaign {r.campaign_id} results</Link></dd></>}
              <dt>Verdict</dt><dd><DecidedLine verdict={r.verdict} note={r.verdict_note} at={r.verdict_at} /></dd>
            </dl>
          </section>
          <Headers ev={ev} from={from} r={r} />
        </div>
        <div>
          <Findings r={r} />
          <VerdictForm<Report> path={`/triage/reports/${id}/verdict`} current={r.verdict} note={r.verdict_note} suggested={r.suggested_verdict}
            submitLabel="Save the verdict" onSaved={(saved) => {
              // The answer has no emails: keep the ones shown and read them again (a verdict email may be queued).
              report.setData({ ...saved, emails: r.emails });
              setRechecks(0);
              report.reload();
            }} />
          <Emails emails={r.emails} />
        </div>
      </div>
      <Links links={ev.links ?? []} />
      <Attachments items={ev.attachments ?? []} />
      <section class="card" aria-labelledby="message-title">
        <div class="section-head">
          <h2 id="message-title">Message</h2>
          {r.has_original && <a class="btn btn-small" href={`${API}/triage/reports/${id}/original`} download={`report-${id}.eml`} aria-describedby="original-note">Download original (.eml)</a>}
        </div>
        {r.has_original && <p class="hint" id="original-note">The original is the message as received, hostile content included: open it only in a safe place.</p>}
        <p class="banner banner-info" id="rendering-note">Remote content is blocked: images and files from other servers are not loaded, scripts do not run, links do not work.</p>
        <iframe class="mail-frame report-frame" sandbox="" src={`${API}/triage/reports/${id}/rendering`} title="The reported message, with remote content blocked" aria-describedby="rendering-note" />
        {ev.text_excerpt && (
          <details class="excerpt">
            <summary>Text of the message</summary>
            <pre class="raw">{ev.text_excerpt}</pre>
          </details>
        )}
      </section>
    </>
  );
}

const EMAIL_RECHECKS = 10;
const EMAIL_KIND: Record<ReportEmail['kind'], string> = {
  acknowledge: 'Acknowledgement',
  verdict: 'Verdict',
  forward: 'Forwarded to the reporting mailbox',
};
const EMAIL_STATE: Record<ReportEmail['state'], string> = {
  queued: 'Queued', sending: 'Sending', sent: 'Sent', failed: 'Failed', cancelled: 'Cancelled',
};

// The emails the report caused: the reporter's acknowledgement and verdict,
// and the button report forwarded to the reporting mailbox.
function Emails({ emails }: { emails: ReportEmail[] }) {
  return (
    <section class="card" aria-labelledby="emails-title">
      <h2 id="emails-title">Emails</h2>
      {emails.length === 0 ? (
        <p class="muted" data-testid="report-emails">
          None. Reporters in the targets list get emails when <Link href="/mailboxes">feedback to reporters</Link> is on.
        </p>
      ) : (
        <div class="table-wrap table-wrap-cards" tabIndex={0} role="region" aria-labelledby="emails-title">
          <table class="table stack" data-testid="report-emails">
            <thead><tr><th scope="col">Email</th><th scope="col">State</th><th scope="col">Sent</th><th scope="col">Reason</th></tr></thead>
            <tbody>{emails.map((e) => (
              <tr>
                <td class="stack-title">
                  {EMAIL_KIND[e.kind] ?? e.kind}
                  {e.kind === 'verdict' && e.sent_verdict && (
                    <div class="muted small">{e.state === 'sent' ? 'Told' : 'The earlier one told'}: {VERDICT_LABEL[e.sent_verdict]}</div>
                  )}
                </td>
                <td data-label="State">
                  <Badge kind={'state-' + e.state}>{EMAIL_STATE[e.state] ?? e.state}</Badge>
                  {e.attempts > 1 && <span class="muted small"> after {num(e.attempts)} attempts</span>}
                </td>
                <td data-label="Sent">
                  {/* A verdict email queued again (the verdict changed) keeps the time of the earlier one. */}
                  {e.sent_at
                    ? <>{e.state !== 'sent' && 'The earlier one: '}<time dateTime={e.sent_at}>{fmtTime(e.sent_at)}</time></>
                    : <span class="muted">Not yet</span>}
                </td>
                <td class="break" data-label="Reason">
                  {(e.state === 'failed' || e.state === 'cancelled') && e.last_error
                    ? <span class={e.state === 'failed' ? 'text-danger' : ''}>{e.last_error}</span>
                    : e.state === 'queued' && e.last_error
                      ? <span>Will try again: {e.last_error}</span>
                      : <span class="muted">—</span>}
                </td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Headers({ ev, from, r }: { ev: Report['evidence']; from: string; r: Report }) {
  const auth = ev.authentication_results ?? [];
  return (
    <section class="card" aria-labelledby="headers-title">
      <h2 id="headers-title">Headers</h2>
      {ev.shape && SHAPE_NOTE[ev.shape] && <p class="hint">{SHAPE_NOTE[ev.shape]}</p>}
      <dl class="summary-list headers-list" data-testid="report-headers">
        <dt>From</dt>
        <dd class="break">{(ev.from_name ?? r.from_name) && <>{ev.from_name ?? r.from_name} </>}<span class="mono">&lt;{from || '—'}&gt;</span></dd>
        <dt>Reply-To</dt><dd class="break">{ev.reply_to ? <><span class="mono">{ev.reply_to}</span><OtherDomain address={ev.reply_to} from={from} /></> : '—'}</dd>
        <dt>Return-Path</dt><dd class="break">{ev.return_path ? <><span class="mono">{ev.return_path}</span><OtherDomain address={ev.return_path} from={from} /></> : '—'}</dd>
        <dt>Subject</dt><dd class="break">{(ev.subject ?? r.subject) || '—'}</dd>
        <dt>Message-ID</dt><dd class="mono break">{(ev.message_id ?? r.message_id) || '—'}</dd>
        <dt>Date</dt><dd>{ev.date ? fmtTime(new Date(ev.date * 1000).toISOString()) : 'Unknown'}</dd>
        <dt>Authentication-Results</dt>
        <dd>
          {auth.length === 0 ? 'None' : (
            <>
              <AuthSummary values={auth} />
              <ol class="raw-list" aria-label="Authentication-Results, topmost first">{auth.map((a) => <li><pre class="raw">{a}</pre></li>)}</ol>
            </>
          )}
        </dd>
      </dl>
    </section>
  );
}

function Findings({ r }: { r: Report }) {
  const findings = r.evidence?.findings ?? [];
  return (
    <section class="card" aria-labelledby="findings-title">
      <h2 id="findings-title">Score</h2>
      <p class="score-line" data-testid="report-score">
        <span class="score-total">{r.score}<span class="muted small"> / 100</span></span>
        {r.suggested_verdict
          ? <span>Suggested verdict: <Badge kind={'verdict-' + r.suggested_verdict}>{VERDICT_LABEL[r.suggested_verdict]}</Badge></span>
          : <span class="muted">No suggested verdict</span>}
      </p>
      {findings.length === 0 ? <p class="muted">Nothing suspicious was found.</p> : (
        <div class="table-wrap table-wrap-cards" tabIndex={0} role="region" aria-label="Findings">
          <table class="table stack" data-testid="findings-table">
            <thead><tr><th scope="col">Finding</th><th scope="col" class="num">Points</th></tr></thead>
            <tbody>{findings.map((f) => (
              <tr>
                <td class="stack-title break">{f.detail || f.code}<div class="muted small mono">{f.code}</div></td>
                <td class="num" data-label="Points">{f.points > 0 ? `+${f.points}` : f.points}</td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Links({ links }: { links: ReportLink[] }) {
  const mismatches = links.filter((l) => linkMismatch(l)).length;
  return (
    <section class="card" aria-labelledby="links-title">
      <h2 id="links-title">Links ({num(links.length)})</h2>
      {links.length === 0 ? <p class="muted">The message has no links.</p> : (
        <>
          <p class="hint">The real target is where a link leads once redirectors and link-protection wrappers are removed. Nothing here can be clicked.
            {mismatches > 0 && <strong> {mismatches === 1 ? 'One link shows' : `${mismatches} links show`} another address than the one it leads to.</strong>}</p>
          <div class="table-wrap table-wrap-cards" tabIndex={0} role="region" aria-labelledby="links-title">
            <table class="table stack links-table" data-testid="links-table">
              <thead><tr><th scope="col">Shown text</th><th scope="col">Real target</th><th scope="col">Check</th></tr></thead>
              <tbody>{links.map((l) => {
                const shown = linkMismatch(l);
                return (
                  <tr class={shown ? 'row-mismatch' : ''}>
                    <td class="stack-title break">{l.image ? <em>(an image)</em> : l.text || <em>(no text)</em>}</td>
                    <td class="break" data-label="Real target"><span class="mono">{l.target || l.href}</span>
                      {l.href && l.target && l.href !== l.target && <div class="small muted">Wrapped as <span class="mono">{l.href}</span></div>}</td>
                    <td data-label="Check">{shown ? <><Badge kind="danger">Mismatch</Badge> <span class="small">shows {shown}</span></> : <span class="muted">—</span>}</td>
                  </tr>
                );
              })}</tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function Attachments({ items }: { items: NonNullable<Report['evidence']['attachments']> }) {
  return (
    <section class="card" aria-labelledby="attachments-title">
      <h2 id="attachments-title">Attachments ({num(items.length)})</h2>
      {items.length === 0 ? <p class="muted">The message has no attachments.</p> : (
        <div class="table-wrap table-wrap-cards" tabIndex={0} role="region" aria-labelledby="attachments-title">
          <table class="table stack" data-testid="attachments-table">
            <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col" class="num">Size</th><th scope="col">SHA-256</th></tr></thead>
            <tbody>{items.map((a) => (
              <tr>
                <td class="stack-title break">{a.name || <em>(no name)</em>}</td>
                <td class="break" data-label="Type">{a.content_type || '—'}</td>
                <td class="num" data-label="Size">{bytes(a.size)}</td>
                <td class="mono hash" data-label="SHA-256">{a.sha256}</td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}
