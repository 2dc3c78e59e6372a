import { useEffect, useState } from 'preact/hooks';
import { del, get, post, put, qs, type Page, type Profile } from '../api';
import { Link, navigate } from '../router';
import { useCan } from '../session';
import { HeadersEditor } from '../headers';
import { ConfirmButton, Empty, ErrorBanner, Field, Loading, Notice, PageHeader, Pager, useAsync, usePager } from '../ui';

export function Profiles() {
  const canEdit = useCan('operator');
  const pager = usePager();
  const list = useAsync((s) => get<Page<Profile>>('/sending-profiles' + qs({ limit: 50, cursor: pager.cursor }), s), [pager.cursor]);
  return (
    <>
      <PageHeader title="Sending profiles" sub="The mail relays (or the on-disk outbox) campaigns send through.">
        {canEdit && <Link class="btn btn-primary" href="/profiles/new">New sending profile</Link>}
      </PageHeader>
      <section class="card" aria-label="Sending profiles">
        {list.loading && !list.data && <Loading what="Loading sending profiles" />}
        <ErrorBanner error={list.error} title="Could not load the sending profiles." />
        {list.data && list.data.items.length === 0 && pager.page === 1 && <Empty title="No sending profiles yet">Add your SMTP relay, or an outbox profile to write messages to disk.</Empty>}
        {list.data && list.data.items.length > 0 && (
          <>
            <div class="table-wrap table-wrap-cards" tabIndex={0}>
              <table class="table stack">
                <thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Relay</th><th scope="col">From</th><th scope="col" class="num">Per minute</th></tr></thead>
                <tbody>{list.data.items.map((p) => (
                  <tr>
                    <td class="stack-title"><Link href={`/profiles/${p.id}`}>{p.name}</Link></td><td data-label="Kind">{p.kind === 'smtp' ? 'SMTP' : 'Outbox'}</td>
                    <td data-label="Relay">{p.kind === 'smtp' ? `${p.host}:${p.port} (${p.tls})` : '—'}</td><td class="break" data-label="From">{p.from}</td>
                    <td class="num" data-label="Per minute">{p.rate_per_minute || 'unlimited'}</td>
                  </tr>
                ))}</tbody>
              </table>
            </div>
            <Pager label="Profile pages" page={pager.page} hasNext={!!list.data.next_cursor} onPrev={pager.prev} onNext={() => list.data?.next_cursor && pager.next(list.data.next_cursor)} />
          </>
        )}
      </section>
    </>
  );
}

interface Draft { name: string; kind: 'smtp' | 'outbox'; host: string; port: string; tls: 'none' | 'starttls' | 'tls'; username: string; password: string; from: string; rate_per_minute: string }
const empty: Draft = { name: '', kind: 'smtp', host: '', port: '587', tls: 'starttls', username: '', password: '', from: '', rate_per_minute: '60' };

function TestSend({ id }: { id: number }) {
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<{ result: string; smtp_code: number; reply: string } | null>(null);
  return (
    <form class="card" noValidate aria-labelledby="test-title" onSubmit={async (e) => {
      e.preventDefault();
      setBusy(true); setError(null); setResult(null);
      try { setResult(await post(`/sending-profiles/${id}/test`, { to })); } catch (err) { setError(err); } finally { setBusy(false); }
    }}>
      <h2 id="test-title">Send a test email</h2>
      <p class="muted">Sends one message through this profile now and shows how the relay answered.</p>
      <ErrorBanner error={error} title="The test could not be sent." />
      <div class="inline-form">
        <Field label="Send to" name="to" error={error}>
          {(a) => <input {...a} type="email" value={to} onInput={(e) => setTo(e.currentTarget.value)} />}
        </Field>
        <button class="btn" type="submit" disabled={busy}>{busy ? 'Sending…' : 'Send test email'}</button>
      </div>
      {result && (
        <Notice kind={result.result === 'sent' ? 'success' : 'warn'}>
          <strong>{result.result === 'sent' ? 'Sent.' : result.result === 'temporary_failure' ? 'Temporary failure.' : 'Refused.'}</strong>{' '}
          {result.smtp_code ? `SMTP ${result.smtp_code}: ` : ''}{result.reply}
        </Notice>
      )}
    </form>
  );
}

export function ProfileEditor({ id }: { id?: number }) {
  const canEdit = useCan('operator');
  const [d, setD] = useState<Draft>(empty);
  const [hasPassword, setHasPassword] = useState(false);
  const [loaded, setLoaded] = useState(id === undefined);
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [headers, setHeaders] = useState<{ name: string; value: string }[]>([]);
  useEffect(() => {
    if (id === undefined) { setD(empty); setLoaded(true); return; }
    setLoaded(false);
    get<Profile>(`/sending-profiles/${id}`).then((p) => {
      setD({ name: p.name, kind: p.kind, host: p.host, port: String(p.port || ''), tls: p.tls, username: p.username, password: '', from: p.from, rate_per_minute: String(p.rate_per_minute) });
      setHasPassword(p.has_password);
      setHeaders(p.headers);
      setLoaded(true);
    }, setLoadErr);
  }, [id]);
  const u = (p: Partial<Draft>) => { setD({ ...d, ...p }); setSaved(false); };
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = {
      name: d.name, kind: d.kind, host: d.kind === 'smtp' ? d.host : '', port: d.kind === 'smtp' ? Number(d.port) || 0 : 0,
      tls: d.tls, username: d.username, from: d.from, headers, rate_per_minute: Number(d.rate_per_minute) || 0,
    };
    if (d.password || id === undefined) body.password = d.password;
    try {
      if (id === undefined) {
        const p = await post<Profile>('/sending-profiles', body);
        navigate(`/profiles/${p.id}`, true);
      } else {
        const p = await put<Profile>(`/sending-profiles/${id}`, body);
        setHasPassword(p.has_password);
        setD({ ...d, password: '' });
        setSaved(true);
      }
    } catch (err) { setError(err); } finally { setBusy(false); }
  };
  if (loadErr) return <><PageHeader title="Sending profile" /><ErrorBanner error={loadErr} title="Could not load the sending profile." /></>;
  if (!loaded) return <Loading what="Loading the sending profile" />;
  const ro = !canEdit;
  return (
    <>
      <PageHeader title={id === undefined ? 'New sending profile' : d.name || 'Sending profile'}>
        {id !== undefined && canEdit && (
          <ConfirmButton label="Delete profile" title="Delete this sending profile?" message="Draft campaigns that use it will need another profile before they can launch."
            onConfirm={async () => { await del(`/sending-profiles/${id}`); navigate('/profiles'); }} />
        )}
      </PageHeader>
      <p><Link href="/profiles">← All sending profiles</Link></p>
      <form class="card" onSubmit={save} noValidate aria-label="Sending profile">
        {saved && <Notice kind="success">Saved.</Notice>}
        <ErrorBanner error={error} title="Could not save the sending profile." />
        <div class="grid-2">
          <Field label="Name" name="name" error={error}>
            {(a) => <input {...a} readOnly={ro} value={d.name} onInput={(e) => u({ name: e.currentTarget.value })} />}
          </Field>
          <Field label="Kind" name="kind" error={error} hint={d.kind === 'outbox' ? 'Messages are written as .eml files under the data directory; nothing is sent.' : 'Deliver through an SMTP relay.'}>
            {(a) => (
              <select {...a} disabled={ro} value={d.kind} onChange={(e) => u({ kind: e.currentTarget.value as Draft['kind'] })}>
                <option value="smtp">SMTP relay</option><option value="outbox">Outbox (write to disk)</option>
              </select>
            )}
          </Field>
        </div>
        {d.kind === 'smtp' && (
          <div class="grid-3">
            <Field label="Host" name="host" error={error}>
              {(a) => <input {...a} readOnly={ro} value={d.host} onInput={(e) => u({ host: e.currentTarget.value })} />}
            </Field>
            <Field label="Port" name="port" error={error}>
              {(a) => <input {...a} readOnly={ro} inputMode="numeric" value={d.port} onInput={(e) => u({ port: e.currentTarget.value })} />}
            </Field>
            <Field label="Encryption" name="tls" error={error}>
              {(a) => (
                <select {...a} disabled={ro} value={d.tls} onChange={(e) => u({ tls: e.currentTarget.value as Draft['tls'] })}>
                  <option value="starttls">STARTTLS</option><option value="tls">TLS (SMTPS)</option><option value="none">None (loopback only)</option>
                </select>
              )}
            </Field>
            <Field label="Username" name="username" error={error}>
              {(a) => <input {...a} readOnly={ro} autoComplete="off" value={d.username} onInput={(e) => u({ username: e.currentTarget.value })} />}
            </Field>
            <Field label="Password" name="password" error={error} hint={hasPassword ? 'A password is stored. Leave empty to keep it; changing host, port, TLS or username needs it again.' : 'Stored encrypted; never shown again.'}>
              {(a) => <input {...a} readOnly={ro} type="password" autoComplete="new-password" value={d.password} onInput={(e) => u({ password: e.currentTarget.value })} />}
            </Field>
          </div>
        )}
        <div class="grid-2">
          <Field label="From" name="from" error={error} hint="“Name <address@domain>”; a template's own sender wins.">
            {(a) => <input {...a} readOnly={ro} value={d.from} onInput={(e) => u({ from: e.currentTarget.value })} />}
          </Field>
          <Field label="Messages per minute" name="rate_per_minute" error={error} hint="0 means no limit.">
            {(a) => <input {...a} readOnly={ro} inputMode="numeric" value={d.rate_per_minute} onInput={(e) => u({ rate_per_minute: e.currentTarget.value })} />}
          </Field>
        </div>
        <HeadersEditor headers={headers} onChange={(h) => { setHeaders(h); setSaved(false); }} error={error} readOnly={ro}
          hint="Added to every message sent through this profile, before the template's own headers. From, To, Subject, Date and the like are set by Phishdrill." />
        {canEdit && <button class="btn btn-primary" type="submit" disabled={busy}>{busy ? 'Saving…' : id === undefined ? 'Create profile' : 'Save changes'}</button>}
      </form>
      {id !== undefined && canEdit && <TestSend id={id} />}
    </>
  );
}
