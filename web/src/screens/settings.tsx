import { useState } from 'preact/hooks';
import { del, get, post, put, qs, type ApiKey, type Page, type Role, type User, type Webhook } from '../api';
import { fmtTime } from '../format';
import { useSession } from '../session';
import { Badge, ConfirmButton, Empty, ErrorBanner, Field, Loading, Notice, PageHeader, Pager, useAsync, usePager } from '../ui';

const ROLES: [Role, string][] = [['admin', 'Admin — everything'], ['operator', 'Operator — run campaigns'], ['viewer', 'Viewer — read only']];

export function Settings() {
  return (
    <>
      <PageHeader title="Settings" sub="Who can use Phishdrill, keys for scripts, and webhooks." />
      <Users />
      <ApiKeys />
      <Webhooks />
    </>
  );
}

function Users() {
  const { me } = useSession();
  const pager = usePager();
  const list = useAsync((s) => get<Page<User>>('/users' + qs({ limit: 50, cursor: pager.cursor }), s), [pager.cursor]);
  const [f, setF] = useState({ email: '', name: '', role: 'operator' as Role, password: '' });
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [rowErr, setRowErr] = useState<unknown>(null);
  return (
    <section class="card" aria-labelledby="users-title">
      <h2 id="users-title">Users and roles</h2>
      {list.loading && !list.data && <Loading what="Loading users" />}
      <ErrorBanner error={list.error || rowErr} />
      {list.data && (
        <>
          <div class="table-wrap table-wrap-cards" tabIndex={0}>
            <table class="table stack">
              <thead><tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Created</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
              <tbody>{list.data.items.map((u) => (
                <tr>
                  <td class="break stack-title">{u.email}{u.must_change_password && <> <Badge kind="warn">must change password</Badge></>}</td>
                  <td data-label="Name">{u.name}</td>
                  <td data-label="Role">
                    <label class="sr-only" for={`role-${u.id}`}>Role of {u.email}</label>
                    <select id={`role-${u.id}`} value={u.role} disabled={u.id === me.user.id} onChange={async (e) => {
                      setRowErr(null);
                      try { await put(`/users/${u.id}`, { role: e.currentTarget.value }); list.reload(); } catch (x) { setRowErr(x); list.reload(); }
                    }}>{ROLES.map(([r]) => <option value={r}>{r}</option>)}</select>
                  </td>
                  <td data-label="Created">{fmtTime(u.created_at)}</td>
                  <td class="stack-actions">{u.id !== me.user.id && (
                    <ConfirmButton class="btn btn-small btn-danger-outline" label="Delete" title={`Delete ${u.email}?`} message="They can no longer log in. The audit log keeps what they did."
                      onConfirm={async () => { await del(`/users/${u.id}`); list.reload(); }} />
                  )}</td>
                </tr>
              ))}</tbody>
            </table>
          </div>
          <Pager label="User pages" page={pager.page} hasNext={!!list.data.next_cursor} onPrev={pager.prev} onNext={() => list.data?.next_cursor && pager.next(list.data.next_cursor)} />
        </>
      )}
      <form noValidate aria-labelledby="new-user-title" onSubmit={async (e) => {
        e.preventDefault();
        setError(null); setDone(null);
        try { const u = await post<User>('/users', f); setDone(`Created ${u.email}. Give them the initial password; they must change it when they first log in.`); setF({ email: '', name: '', role: 'operator', password: '' }); list.reload(); } catch (x) { setError(x); }
      }}>
        <h3 id="new-user-title">Add a user</h3>
        {done && <Notice kind="success">{done}</Notice>}
        <ErrorBanner error={error} title="Could not add the user." />
        <div class="grid-2">
          <Field label="Email" name="email" error={error}>{(a) => <input {...a} type="email" value={f.email} onInput={(e) => setF({ ...f, email: e.currentTarget.value })} />}</Field>
          <Field label="Name" name="name" error={error}>{(a) => <input {...a} value={f.name} onInput={(e) => setF({ ...f, name: e.currentTarget.value })} />}</Field>
          <Field label="Role" name="role" error={error}>{(a) => <select {...a} value={f.role} onChange={(e) => setF({ ...f, role: e.currentTarget.value as Role })}>{ROLES.map(([r, l]) => <option value={r}>{l}</option>)}</select>}</Field>
          <Field label="Initial password" name="password" error={error} hint="At least 12 characters; changed at first login.">{(a) => <input {...a} type="password" autoComplete="new-password" value={f.password} onInput={(e) => setF({ ...f, password: e.currentTarget.value })} />}</Field>
        </div>
        <button class="btn btn-primary" type="submit">Add user</button>
      </form>
    </section>
  );
}

function ApiKeys() {
  const list = useAsync((s) => get<Page<ApiKey>>('/api-keys?limit=100', s), []);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<ApiKey | null>(null);
  return (
    <section class="card" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      {list.loading && !list.data && <Loading what="Loading API keys" />}
      <ErrorBanner error={list.error} />
      {created && (
        <Notice kind="success">
          Key “{created.name}” created. Copy it now; it is not shown again:
          <code class="secret" data-testid="new-api-key">{created.key}</code>
        </Notice>
      )}
      {list.data && list.data.items.length === 0 && <Empty title="No API keys" />}
      {list.data && list.data.items.length > 0 && (
        <div class="table-wrap table-wrap-cards" tabIndex={0}>
          <table class="table stack">
            <thead><tr><th scope="col">Name</th><th scope="col">Key starts with</th><th scope="col">Role</th><th scope="col">Last used</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>{list.data.items.map((k) => (
              <tr>
                <td class="stack-title">{k.name}</td><td data-label="Key starts with"><code>{k.prefix}…</code></td><td data-label="Role">{k.role}</td><td data-label="Last used">{fmtTime(k.last_used_at)}</td>
                <td class="stack-actions"><ConfirmButton class="btn btn-small btn-danger-outline" label="Revoke" title={`Revoke “${k.name}”?`} message="Scripts using this key stop working at once."
                  onConfirm={async () => { await del(`/api-keys/${k.id}`); list.reload(); }} /></td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}
      <form class="inline-form" noValidate aria-label="New API key" onSubmit={async (e) => {
        e.preventDefault();
        setError(null); setCreated(null);
        try { setCreated(await post<ApiKey>('/api-keys', { name, role })); setName(''); list.reload(); } catch (x) { setError(x); }
      }}>
        <Field label="Key name" name="name" error={error}>{(a) => <input {...a} value={name} onInput={(e) => setName(e.currentTarget.value)} />}</Field>
        <Field label="Key role" name="role" error={error}>{(a) => <select {...a} value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>{ROLES.map(([r]) => <option value={r}>{r}</option>)}</select>}</Field>
        <button class="btn" type="submit">Create key</button>
      </form>
      <ErrorBanner error={error} title="Could not create the key." />
    </section>
  );
}

const EVENTS = ['sent', 'send_failed', 'opened', 'clicked', 'submitted', 'reported'];

function Webhooks() {
  const list = useAsync((s) => get<Page<Webhook>>('/webhooks?limit=100', s), []);
  const [f, setF] = useState({ name: '', url: '', events: ['clicked', 'submitted', 'reported'] });
  const [error, setError] = useState<unknown>(null);
  const [rowErr, setRowErr] = useState<unknown>(null);
  const [created, setCreated] = useState<Webhook | null>(null);
  return (
    <section class="card" aria-labelledby="hooks-title">
      <h2 id="hooks-title">Webhooks</h2>
      <p class="muted">Signed HTTP callbacks for campaign events (HMAC-SHA256, retried for hours).</p>
      {list.loading && !list.data && <Loading what="Loading webhooks" />}
      <ErrorBanner error={list.error || rowErr} />
      {created?.secret && (
        <Notice kind="success">Webhook “{created.name}” created. Its signing secret, shown only now: <code class="secret">{created.secret}</code></Notice>
      )}
      {list.data && list.data.items.length === 0 && <Empty title="No webhooks" />}
      {list.data && list.data.items.length > 0 && (
        <div class="table-wrap table-wrap-cards" tabIndex={0}>
          <table class="table stack">
            <thead><tr><th scope="col">Name</th><th scope="col">URL</th><th scope="col">Events</th><th scope="col">Active</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>{list.data.items.map((w) => (
              <tr>
                <td class="stack-title">{w.name}</td><td class="break" data-label="URL">{w.url}</td><td data-label="Events">{w.events.join(', ')}</td>
                <td data-label="Active">
                  <label class="check"><input type="checkbox" checked={w.active} onChange={async () => {
                    setRowErr(null);
                    try { await put(`/webhooks/${w.id}`, { name: w.name, events: w.events, active: !w.active }); list.reload(); } catch (x) { setRowErr(x); }
                  }} /> <span class="sr-only">{w.name} </span>active</label>
                </td>
                <td class="stack-actions"><ConfirmButton class="btn btn-small btn-danger-outline" label="Delete" title={`Delete webhook “${w.name}”?`} message="Deliveries still pending are dropped."
                  onConfirm={async () => { await del(`/webhooks/${w.id}`); list.reload(); }} /></td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}
      <form noValidate aria-labelledby="new-hook-title" onSubmit={async (e) => {
        e.preventDefault();
        setError(null); setCreated(null);
        try { setCreated(await post<Webhook>('/webhooks', f)); setF({ name: '', url: '', events: ['clicked', 'submitted', 'reported'] }); list.reload(); } catch (x) { setError(x); }
      }}>
        <h3 id="new-hook-title">Add a webhook</h3>
        <ErrorBanner error={error} title="Could not add the webhook." />
        <div class="grid-2">
          <Field label="Name" name="name" error={error}>{(a) => <input {...a} value={f.name} onInput={(e) => setF({ ...f, name: e.currentTarget.value })} />}</Field>
          <Field label="URL" name="url" error={error}>{(a) => <input {...a} type="url" placeholder="https://" value={f.url} onInput={(e) => setF({ ...f, url: e.currentTarget.value })} />}</Field>
        </div>
        <fieldset class="fieldset">
          <legend>Events</legend>
          <div class="days">{EVENTS.map((ev) => (
            <label class="check"><input type="checkbox" checked={f.events.includes(ev)} onChange={() => setF({ ...f, events: f.events.includes(ev) ? f.events.filter((x) => x !== ev) : [...f.events, ev] })} /> {ev}</label>
          ))}</div>
        </fieldset>
        <button class="btn btn-primary" type="submit">Add webhook</button>
      </form>
    </section>
  );
}
