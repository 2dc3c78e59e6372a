// Reporting mailboxes (issue #13): the IMAP mailboxes people forward
// suspicious mail to. Admins add, edit, test and delete them; operators see
// them and may ask for a poll now. The secret (a password or an OAuth2 access
// token) is write-only: has_secret says whether one is stored.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, del, get, post, put, qs, type Mailbox, type MailboxTest, type Page } from '../api';
import { fmtTime, num } from '../format';
import { Link, navigate } from '../router';
import { useCan } from '../session';
import { Badge, ConfirmButton, Empty, ErrorBanner, Field, Loading, Notice, PageHeader, Pager, useAsync, usePager } from '../ui';

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
    </>
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
