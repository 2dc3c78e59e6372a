// Reporting mailboxes (issue #13): the IMAP mailboxes people forward
// suspicious mail to. Admins add, edit, test and delete them; operators see
// them and may ask for a poll now. The secret (a password or an OAuth2 access
// token) is write-only: has_secret says whether one is stored. Below the list,
// what reporters hear back (feedback emails) and where button reports are
// forwarded: operators see it, admins change it.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, del, get, listAll, post, put, qs, type FeedbackKind, type FeedbackText, type Mailbox, type MailboxTest, type Page, type Profile, type ReportFeedback, type ReportFeedbackUpdate } from '../api';
import { fmtTime, num } from '../format';
import { Link, navigate } from '../router';
import { useCan } from '../session';
import { Badge, ConfirmButton, Empty, ErrorBanner, Field, Loading, NotAvailable, Notice, PageHeader, Pager, useAsync, usePager } from '../ui';

const TLS_LABEL: Record<Mailbox['tls'], string> = { implicit: 'TLS', starttls: 'STARTTLS' };
const DEFAULT_PORT: Record<Mailbox['tls'], string> = { implicit: '993', starttls: '143' };

function every(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? 'hour' : `${num(seconds / 3600)} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? 'minute' : `${num(seconds / 60)} minutes`;
  return `${num(seconds)} seconds`;
}

export function Mailboxes() {
  const isAdmin = useCan('admin');
  const pager = usePager();
  const list = useAsync((s) => get<Page<Mailbox>>('/reporting/mailboxes' + qs({ limit: 50, cursor: pager.cursor }), s), [pager.cursor]);
  return (
    <>
      <PageHeader title="Reporting mailboxes" sub="IMAP mailboxes people forward suspicious mail to. Each message read becomes a report in the triage inbox.">
        {isAdmin && <Link class="btn btn-primary" href="/mailboxes/new">New mailbox</Link>}
      </PageHeader>
      <section class="card" aria-label="Reporting mailboxes">
        {list.loading && !list.data && <Loading what="Loading reporting mailboxes" />}
        <ErrorBanner error={list.error} title="Could not load the reporting mailboxes." />
        {list.data && list.data.items.length === 0 && pager.page === 1 && (
          <Empty title="No reporting mailboxes yet">{isAdmin ? 'Add the mailbox your people forward suspicious mail to, such as phishing@your-company.' : 'An admin can add one.'}</Empty>
        )}
        {list.data && list.data.items.length > 0 && (
          <>
            <div class="table-wrap table-wrap-cards" tabIndex={0}>
              <table class="table stack" data-testid="mailboxes-table">
                <thead><tr><th scope="col">Name</th><th scope="col">Server</th><th scope="col">Account</th><th scope="col">Checked every</th><th scope="col">Last poll</th><th scope="col">Last error</th></tr></thead>
                <tbody>{list.data.items.map((m) => (
                  <tr>
                    <td class="stack-title"><Link href={`/mailboxes/${m.id}`}>{m.name}</Link>{!m.enabled && <> <Badge kind="muted">Paused</Badge></>}</td>
                    <td data-label="Server">{m.host}:{m.port} ({TLS_LABEL[m.tls] ?? m.tls})</td>
                    <td class="break" data-label="Account">{m.username} · {m.folder}</td>
                    <td data-label="Checked every">{every(m.poll_seconds)}</td>
                    <td data-label="Last poll">{m.last_polled_at ? fmtTime(m.last_polled_at) : 'Not yet'}</td>
                    <td class="break" data-label="Last error">{m.last_error ? <span class="text-danger">{m.last_error}</span> : <span class="muted">None</span>}</td>
                  </tr>
                ))}</tbody>
              </table>
            </div>
            <Pager label="Mailbox pages" page={pager.page} hasNext={!!list.data.next_cursor} onPrev={pager.prev} onNext={() => list.data?.next_cursor && pager.next(list.data.next_cursor)} />
          </>
        )}
      </section>
      <FeedbackSettings />
    </>
  );
}

// ---------------------------------------------------------------- feedback to reporters

// The five texts, in plain words, with when each is sent.
const FEEDBACK_TEXTS: [FeedbackKind, string, string][] = [
  ['simulation', 'Reported a simulation', 'Sent when a reporting mailbox takes in one of your simulations. The report button shows its own answer on screen instead.'],
  ['received', 'Reported real mail (we are looking at it)', 'Sent when a reporting mailbox takes in real mail. The report button shows its own answer on screen instead.'],
  ['clean', 'Verdict: clean', 'Sent when the report, or its cluster, is marked clean.'],
  ['spam', 'Verdict: spam', 'Sent when the report, or its cluster, is marked spam.'],
  ['threat', 'Verdict: threat', 'Sent when the report, or its cluster, is marked a threat.'],
];

const PLACEHOLDER_HELP: Record<string, string> = {
  '{{.FirstName}}': 'the reporter’s first name (“there” when unknown)',
  '{{.LastName}}': 'the reporter’s last name',
  '{{.Subject}}': 'the subject of the reported message',
  '{{.ReportedAt}}': 'the day it was reported',
};

type FeedbackDraft = Pick<ReportFeedback, 'enabled' | 'profile_id' | 'forward_to' | 'texts'>;

const draftOfFeedback = (f: ReportFeedback): FeedbackDraft => ({ enabled: f.enabled, profile_id: f.profile_id, forward_to: f.forward_to, texts: f.texts });
const sameText = (a: FeedbackText, b: FeedbackText) => a.subject === b.subject && a.body === b.body;

function FeedbackSettings() {
  const isAdmin = useCan('admin');
  const current = useAsync((s) => get<ReportFeedback>('/reporting/feedback', s), []);
  const profiles = useAsync(() => listAll<Profile>('/sending-profiles'), []);
  const [stored, setStored] = useState<ReportFeedback | null>(null);
  const [d, setD] = useState<FeedbackDraft | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => { if (current.data && !stored) { setStored(current.data); setD(draftOfFeedback(current.data)); } }, [current.data]);
  const notAvailable = current.error instanceof ApiError && current.error.notAvailable;
  const head = <h2 id="feedback-title">Feedback to reporters</h2>;
  if (current.error) {
    return (
      <section class="card" aria-labelledby="feedback-title">
        {head}
        {notAvailable ? <NotAvailable what="Feedback to reporters" /> : <ErrorBanner error={current.error} title="Could not load the feedback to reporters." />}
      </section>
    );
  }
  if (!stored || !d) return <section class="card" aria-labelledby="feedback-title">{head}<Loading what="Loading the feedback to reporters" /></section>;
  const ro = !isAdmin;
  const u = (p: Partial<FeedbackDraft>) => { setD({ ...d, ...p }); setSaved(false); setDirty(true); };
  const setText = (kind: FeedbackKind, p: Partial<FeedbackText>) => u({ texts: { ...d.texts, [kind]: { ...d.texts[kind], ...p } } });
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    // Only the texts that changed, so a text saved meanwhile by someone else is kept.
    const texts: NonNullable<ReportFeedbackUpdate['texts']> = {};
    for (const [kind] of FEEDBACK_TEXTS) if (!sameText(d.texts[kind], stored.texts[kind])) texts[kind] = d.texts[kind];
    const body: ReportFeedbackUpdate = { enabled: d.enabled, profile_id: d.profile_id, forward_to: d.forward_to };
    if (Object.keys(texts).length) body.texts = texts;
    try {
      const f = await put<ReportFeedback>('/reporting/feedback', body);
      setStored(f);
      setD(draftOfFeedback(f));
      setSaved(true);
      setDirty(false);
    } catch (err) { setError(err); } finally { setBusy(false); }
  };
  const known = profiles.data ?? [];
  const missingProfile = d.profile_id !== null && profiles.data && !known.some((p) => p.id === d.profile_id);
  return (
    <form class="card" onSubmit={save} noValidate aria-labelledby="feedback-title" data-testid="feedback-settings">
      {head}
      <p class="muted">
        Reporters in the targets list get an automatic email: a thank-you for their report, then the verdict once it is decided.
        Nobody else is ever answered (a sender can be forged), nor is a report sent by a machine.
      </p>
      {ro && <Notice>Only admins can change these settings.</Notice>}
      {saved && <Notice kind="success">Saved.</Notice>}
      <ErrorBanner error={error} title="Could not save the feedback to reporters." />
      <label class="check">
        <input type="checkbox" role="switch" disabled={ro} checked={d.enabled} onChange={(e) => u({ enabled: e.currentTarget.checked })} />
        Send feedback emails to reporters
      </label>
      <div class="grid-2">
        <Field label="Sending profile" name="profile_id" error={error} hint="Feedback and forwarded reports go out through it.">
          {(a) => (
            <select {...a} disabled={ro} value={d.profile_id ?? ''} onChange={(e) => u({ profile_id: e.currentTarget.value ? Number(e.currentTarget.value) : null })}>
              <option value="">None chosen</option>
              {missingProfile && <option value={d.profile_id ?? ''}>Profile {d.profile_id} (no longer exists)</option>}
              {known.map((p) => <option value={p.id}>{p.name}</option>)}
            </select>
          )}
        </Field>
        <Field label="Forward button reports to (optional)" name="forward_to" error={error}
          hint="Button reports of real mail are also sent here with the original attached (e.g. to your reporting mailbox), even when feedback is off.">
          {(a) => <input {...a} type="email" readOnly={ro} autoComplete="off" spellcheck={false} value={d.forward_to} onInput={(e) => u({ forward_to: e.currentTarget.value })} />}
        </Field>
      </div>
      <ErrorBanner error={profiles.error} title="Could not load the sending profiles." />
      <div class="variables" role="group" aria-labelledby="feedback-placeholders-title">
        <p id="feedback-placeholders-title" class="label">Placeholders you can use in the subjects and texts</p>
        <ul class="flag-list small">
          {stored.placeholders.map((p) => <li><code>{p}</code>{PLACEHOLDER_HELP[p] && <> — {PLACEHOLDER_HELP[p]}</>}</li>)}
        </ul>
      </div>
      {FEEDBACK_TEXTS.map(([kind, title, when]) => {
        const text = d.texts[kind];
        const shipped = stored.shipped_texts[kind];
        return (
          <fieldset class="fieldset" data-testid={`feedback-text-${kind}`}>
            <legend>{title}</legend>
            <p class="hint">{when}</p>
            <Field label="Subject" name={`texts.${kind}.subject`} error={error}>
              {(a) => <input {...a} readOnly={ro} value={text.subject} onInput={(e) => setText(kind, { subject: e.currentTarget.value })} />}
            </Field>
            <Field label="Text" name={`texts.${kind}.body`} error={error} hint="Plain text; a blank line starts a new paragraph.">
              {(a) => <textarea {...a} readOnly={ro} rows={10} value={text.body} onInput={(e) => setText(kind, { body: e.currentTarget.value })} />}
            </Field>
            {isAdmin && (
              <button type="button" class="btn btn-small" disabled={sameText(text, shipped)} onClick={() => setText(kind, shipped)}>
                Restore the shipped text<span class="sr-only"> of “{title}”</span>
              </button>
            )}
          </fieldset>
        );
      })}
      {isAdmin && (
        <div class="form-actions">
          <button class="btn btn-primary" type="submit" disabled={busy}>{busy ? 'Saving…' : 'Save feedback settings'}</button>
          {dirty && <span class="muted small">Unsaved changes</span>}
        </div>
      )}
    </form>
  );
}

interface Draft {
  name: string; host: string; port: string; tls: Mailbox['tls']; username: string; auth: Mailbox['auth']; secret: string;
  folder: string; after: Mailbox['after']; done_folder: string; poll_seconds: string; enabled: boolean;
}
const empty: Draft = {
  name: '', host: '', port: '993', tls: 'implicit', username: '', auth: 'password', secret: '',
  folder: 'INBOX', after: 'flag', done_folder: '', poll_seconds: '60', enabled: true,
};

function draftOf(m: Mailbox): Draft {
  return {
    name: m.name, host: m.host, port: String(m.port), tls: m.tls, username: m.username, auth: m.auth, secret: '',
    folder: m.folder, after: m.after, done_folder: m.done_folder, poll_seconds: String(m.poll_seconds), enabled: m.enabled,
  };
}

// A whole number as a number; anything else as typed, so the server names the field.
const whole = (s: string) => (/^\s*\d{1,9}\s*$/.test(s) ? Number(s) : s);

const secretLabel = (auth: Mailbox['auth']) => (auth === 'xoauth2' ? 'OAuth2 access token (XOAUTH2)' : 'Password');

// The field a failed connection test names ("password", "token") as the form's field.
function testField(field: string | undefined): string | undefined {
  if (!field) return undefined;
  return ['password', 'token', 'secret', 'access_token'].includes(field) ? 'secret' : field;
}

const FIELD_LABEL: Record<string, string> = {
  host: 'Host', port: 'Port', tls: 'Encryption', username: 'Username', auth: 'Sign-in method', folder: 'Folder', done_folder: 'Move to folder',
};

export function MailboxEditor({ id }: { id?: number }) {
  const isAdmin = useCan('admin');
  const [d, setD] = useState<Draft>(empty);
  const [stored, setStored] = useState<Mailbox | null>(null);
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [test, setTest] = useState<MailboxTest | null>(null);
  useEffect(() => {
    setError(null); setSaved(false); setDirty(false); setTest(null); setLoadErr(null);
    if (id === undefined) { setD(empty); setStored(null); return; }
    setStored(null);
    get<Mailbox>(`/reporting/mailboxes/${id}`).then((m) => { setStored(m); setD(draftOf(m)); }, setLoadErr);
  }, [id]);
  const u = (p: Partial<Draft>) => { setD({ ...d, ...p }); setSaved(false); setDirty(true); };
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = {
      name: d.name, host: d.host, port: whole(d.port), tls: d.tls, username: d.username, auth: d.auth, folder: d.folder,
      after: d.after, done_folder: d.after === 'move' ? d.done_folder : '', poll_seconds: whole(d.poll_seconds), enabled: d.enabled,
    };
    if (d.secret || id === undefined) body.secret = d.secret;
    try {
      if (id === undefined) {
        const m = await post<Mailbox>('/reporting/mailboxes', body);
        navigate(`/mailboxes/${m.id}`, true);
      } else {
        const m = await put<Mailbox>(`/reporting/mailboxes/${id}`, body);
        setStored(m);
        setD({ ...d, secret: '' });
        setSaved(true);
        setDirty(false);
        setTest(null);
      }
    } catch (err) { setError(err); } finally { setBusy(false); }
  };
  // Re-reads the status (last poll, last error) without touching what is being typed.
  const refresh = () => { if (id !== undefined) get<Mailbox>(`/reporting/mailboxes/${id}`).then(setStored, () => {}); };
  if (loadErr) return <><PageHeader title="Reporting mailbox" /><p><Link href="/mailboxes">← All reporting mailboxes</Link></p><ErrorBanner error={loadErr} title="Could not load the reporting mailbox." /></>;
  if (id !== undefined && !stored) return <Loading what="Loading the reporting mailbox" />;
  const ro = !isAdmin;
  // A failed connection test marks the field it names, like a save error does.
  const testErr = test && !test.ok ? new ApiError(200, 'test_failed', test.error, testField(test.field)) : null;
  const errors = [error, testErr];
  const secretHint = stored?.has_secret
    ? `A ${d.auth === 'xoauth2' ? 'token' : 'password'} is stored: leave empty to keep the stored one. Changing the host, port, username or sign-in method needs it again.`
    : 'Stored encrypted; never shown again.';
  return (
    <>
      <PageHeader title={id === undefined ? 'New reporting mailbox' : stored?.name || 'Reporting mailbox'}>
        {id !== undefined && isAdmin && (
          <ConfirmButton label="Delete mailbox" title="Delete this reporting mailbox?" message="Phishdrill stops reading it. Reports already taken in stay in the triage inbox."
            onConfirm={async () => { await del(`/reporting/mailboxes/${id}`); navigate('/mailboxes'); }} />
        )}
      </PageHeader>
      <p><Link href="/mailboxes">← All reporting mailboxes</Link></p>
      {stored && <MailboxStatus m={stored} dirty={dirty} test={test} onTest={setTest} canTest={isAdmin} onRefresh={refresh} />}
      <form class="card" onSubmit={save} noValidate aria-label="Reporting mailbox">
        {saved && <Notice kind="success">Saved.</Notice>}
        <ErrorBanner error={error} title="Could not save the reporting mailbox." />
        <div class="grid-2">
          <Field label="Name" name="name" error={errors}>
            {(a) => <input {...a} readOnly={ro} value={d.name} onInput={(e) => u({ name: e.currentTarget.value })} />}
          </Field>
        </div>
        <fieldset class="fieldset">
          <legend>Server</legend>
          <div class="grid-3">
            <Field label="Host" name="host" error={errors} hint="The IMAP server, such as imap.example.com.">
              {(a) => <input {...a} readOnly={ro} autoComplete="off" spellcheck={false} value={d.host} onInput={(e) => u({ host: e.currentTarget.value })} />}
            </Field>
            <Field label="Port" name="port" error={errors}>
              {(a) => <input {...a} readOnly={ro} inputMode="numeric" value={d.port} onInput={(e) => u({ port: e.currentTarget.value })} />}
            </Field>
            <Field label="Encryption" name="tls" error={errors}>
              {(a) => (
                <select {...a} disabled={ro} value={d.tls} onChange={(e) => {
                  const tls = e.currentTarget.value as Draft['tls'];
                  // Follow the usual port unless another one was typed.
                  u({ tls, port: d.port === DEFAULT_PORT[d.tls] ? DEFAULT_PORT[tls] : d.port });
                }}>
                  <option value="implicit">TLS (IMAPS, usually port 993)</option><option value="starttls">STARTTLS (usually port 143)</option>
                </select>
              )}
            </Field>
          </div>
        </fieldset>
        <fieldset class="fieldset">
          <legend>Sign-in</legend>
          <div class="grid-3">
            <Field label="Username" name="username" error={errors}>
              {(a) => <input {...a} readOnly={ro} autoComplete="off" spellcheck={false} value={d.username} onInput={(e) => u({ username: e.currentTarget.value })} />}
            </Field>
            <Field label="Sign-in method" name="auth" error={errors}>
              {(a) => (
                <select {...a} disabled={ro} value={d.auth} onChange={(e) => u({ auth: e.currentTarget.value as Draft['auth'] })}>
                  <option value="password">Password</option><option value="xoauth2">OAuth2 access token (XOAUTH2)</option>
                </select>
              )}
            </Field>
            <Field label={secretLabel(d.auth)} name="secret" error={errors} hint={secretHint}>
              {(a) => <input {...a} readOnly={ro} type="password" autoComplete="new-password" value={d.secret} onInput={(e) => u({ secret: e.currentTarget.value })} />}
            </Field>
          </div>
        </fieldset>
        <fieldset class="fieldset">
          <legend>Reading</legend>
          <div class="grid-2">
            <Field label="Folder" name="folder" error={errors} hint="Where reported messages arrive.">
              {(a) => <input {...a} readOnly={ro} autoComplete="off" spellcheck={false} value={d.folder} onInput={(e) => u({ folder: e.currentTarget.value })} />}
            </Field>
            <Field label="Check every (seconds)" name="poll_seconds" error={errors} hint="From 15 to 86,400 (a day).">
              {(a) => <input {...a} readOnly={ro} inputMode="numeric" value={d.poll_seconds} onInput={(e) => u({ poll_seconds: e.currentTarget.value })} />}
            </Field>
            <Field label="After a message is read" name="after" error={errors}>
              {(a) => (
                <select {...a} disabled={ro} value={d.after} onChange={(e) => u({ after: e.currentTarget.value as Draft['after'] })}>
                  <option value="flag">Flag it and leave it there</option><option value="move">Move it to another folder</option><option value="delete">Delete it</option>
                </select>
              )}
            </Field>
            {d.after === 'move' && (
              <Field label="Move to folder" name="done_folder" error={errors}>
                {(a) => <input {...a} readOnly={ro} autoComplete="off" spellcheck={false} value={d.done_folder} onInput={(e) => u({ done_folder: e.currentTarget.value })} />}
              </Field>
            )}
          </div>
          <label class="check"><input type="checkbox" disabled={ro} checked={d.enabled} onChange={(e) => u({ enabled: e.currentTarget.checked })} /> Read this mailbox (clear to pause)</label>
        </fieldset>
        {isAdmin && <button class="btn btn-primary" type="submit" disabled={busy}>{busy ? 'Saving…' : id === undefined ? 'Create mailbox' : 'Save changes'}</button>}
      </form>
    </>
  );
}

function MailboxStatus({ m, dirty, test, onTest, canTest, onRefresh }: {
  m: Mailbox; dirty: boolean; test: MailboxTest | null; onTest: (t: MailboxTest | null) => void; canTest: boolean; onRefresh: () => void;
}) {
  const [testing, setTesting] = useState(false);
  const [testErr, setTestErr] = useState<unknown>(null);
  const [polling, setPolling] = useState(false);
  const [pollErr, setPollErr] = useState<unknown>(null);
  const [polled, setPolled] = useState(false);
  useEffect(() => { setTestErr(null); setPollErr(null); setPolled(false); }, [m.id]);
  // The poll runs in the background: look again a moment later.
  useEffect(() => {
    if (!polled) return;
    const t = setTimeout(onRefresh, 3000);
    return () => clearTimeout(t);
  }, [polled]);
  const runTest = async () => {
    setTesting(true); setTestErr(null); onTest(null);
    try { onTest(await post<MailboxTest>(`/reporting/mailboxes/${m.id}/test`)); onRefresh(); } catch (x) { setTestErr(x); } finally { setTesting(false); }
  };
  const pollNow = async () => {
    setPolling(true); setPollErr(null); setPolled(false);
    try { await post(`/reporting/mailboxes/${m.id}/poll`); setPolled(true); } catch (x) { setPollErr(x); } finally { setPolling(false); }
  };
  const failedField = test && !test.ok ? testField(test.field) : undefined;
  return (
    <section class="card" aria-labelledby="mailbox-status-title">
      <h2 id="mailbox-status-title">Status</h2>
      <dl class="summary-list" data-testid="mailbox-status">
        <dt>Reading</dt><dd>{m.enabled ? <Badge kind="success">On</Badge> : <Badge kind="muted">Paused</Badge>} every {every(m.poll_seconds)}</dd>
        <dt>Last poll</dt><dd>{m.last_polled_at ? fmtTime(m.last_polled_at) : 'Not yet'}</dd>
        <dt>Last error</dt><dd class="break" data-testid="mailbox-last-error">{m.last_error ? <span class="text-danger">{m.last_error}</span> : 'None'}</dd>
      </dl>
      <div class="form-actions status-actions">
        {canTest && <button type="button" class="btn" onClick={runTest} disabled={testing}>{testing ? 'Testing…' : 'Test connection'}</button>}
        <button type="button" class="btn" onClick={pollNow} disabled={polling || !m.enabled}>{polling ? 'Asking…' : 'Poll now'}</button>
      </div>
      {canTest && <p class="hint">The test signs in with the saved settings and opens the folder.{dirty && <strong> Save your changes first to test them.</strong>}</p>}
      {!m.enabled && <p class="hint">The mailbox is paused: turn reading on to poll it.</p>}
      <div data-testid="mailbox-test-result">
        {test?.ok && <Notice kind="success"><strong>Connected.</strong> {num(test.messages)} {test.messages === 1 ? 'message' : 'messages'} in {m.folder}.</Notice>}
        {test && !test.ok && (
          <div class="banner banner-error" role="alert">
            <strong>Could not connect.</strong> {test.error}
            {failedField && <> (check {failedField === 'secret' ? secretLabel(m.auth) : FIELD_LABEL[failedField] ?? failedField})</>}
          </div>
        )}
        {polled && <Notice kind="info">Polling now. New reports appear in the <Link href="/triage">triage inbox</Link> in a moment.</Notice>}
      </div>
      <ErrorBanner error={testErr} title="The test could not run." />
      <ErrorBanner error={pollErr} title="Could not ask for a poll." />
    </section>
  );
}
