import { useEffect, useState } from 'preact/hooks';
import { ApiError, API, call, get, listAll, post, put, qs, type Assignment, type AssignmentsCreated, type Group, type ModuleDetail, type ModuleList, type ModuleSummary, type Page, type Profile, type TrainingReport, type TrainingSettings } from '../api';
import { fmtDate, fullName, localToRfc3339, num, people } from '../format';
import { useCan } from '../session';
import { Badge, ConfirmButton, Empty, ErrorBanner, Field, Loading, NotAvailable, Notice, PageHeader, Pager, useAsync, usePager } from '../ui';

type Tab = 'modules' | 'assignments' | 'completion' | 'settings';

export function Training() {
  const [tab, setTab] = useState<Tab>('modules');
  const tabs: [Tab, string][] = [['modules', 'Modules'], ['assignments', 'Assignments'], ['completion', 'Completion'], ['settings', 'Emails']];
  return (
    <>
      <PageHeader title="Training" sub="Short modules for everyone, and automatically for whoever falls for a simulation." />
      <div class="tabs" role="tablist" aria-label="Training">
        {tabs.map(([k, label]) => (
          <button type="button" role="tab" id={`tab-${k}`} aria-controls={`panel-${k}`} aria-selected={tab === k} tabIndex={tab === k ? 0 : -1} class="tab"
            onClick={() => setTab(k)}
            onKeyDown={(e) => {
              const i = tabs.findIndex(([t]) => t === tab);
              if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                const n = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length][0];
                setTab(n);
                document.getElementById(`tab-${n}`)?.focus();
              }
            }}>{label}</button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'modules' && <Modules />}
        {tab === 'assignments' && <Assignments />}
        {tab === 'completion' && <Completion />}
        {tab === 'settings' && <EmailSettings />}
      </div>
    </>
  );
}

function Modules() {
  const list = useAsync((s) => get<ModuleList>('/training/modules', s), []);
  const [open, setOpen] = useState<string | null>(null);
  const isAdmin = useCan('admin');
  if (list.loading && !list.data) return <Loading what="Loading modules" />;
  if (list.error) return <ErrorBanner error={list.error} title="Could not load the modules." />;
  const items = list.data?.items ?? [];
  return (
    <>
      {isAdmin && <ImportModule onDone={list.reload} />}
      {!items.length && <Empty title="No training modules">Modules are loaded from the server's training content folder, or imported above.</Empty>}
      <ul class="module-grid">
        {items.map((m) => (
          <li class="card module-card">
            <h2 class="h3">{m.title}</h2>
            <p>{m.summary}</p>
            <p class="muted small">{m.minutes} min · {m.lessons} lessons · {m.questions} questions · pass mark {m.pass_mark}% · version {m.version}</p>
            <p>{m.tags.map((t) => <span class="tag">{t}</span>)}</p>
            <button type="button" class="btn btn-small" aria-expanded={open === m.slug} onClick={() => setOpen(open === m.slug ? null : m.slug)}>{open === m.slug ? 'Hide content' : 'Preview content'}<span class="sr-only"> of {m.title}</span></button>
            {open === m.slug && <ModulePreview slug={m.slug} />}
          </li>
        ))}
      </ul>
    </>
  );
}

function ModulePreview({ slug }: { slug: string }) {
  const m = useAsync((s) => get<ModuleDetail>(`/training/modules/${encodeURIComponent(slug)}`, s), [slug]);
  if (m.loading) return <Loading what="Loading the module" />;
  if (m.error) return <ErrorBanner error={m.error} />;
  const d = m.data!;
  const doc = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a202c;margin:12px">${d.lessons.map((l) => `<section><h2>${l.title.replace(/</g, '&lt;')}</h2>${l.html}</section>`).join('')}</body></html>`;
  return (
    <div class="module-preview">
      <iframe class="page-frame" title={`Lessons of ${d.title}`} sandbox="" srcdoc={doc} />
      <h3>Quiz ({d.quiz.length} questions)</h3>
      <ol>{d.quiz.map((q) => <li>{q.text}<ul>{q.choices.map((c, i) => <li>{c}{q.answers.includes(i) && <strong> — right answer</strong>}</li>)}</ul></li>)}</ol>
    </div>
  );
}

const STATUS_KIND: Record<string, string> = { assigned: 'info', in_progress: 'info', completed: 'success', overdue: 'danger', cancelled: 'muted' };

function Assignments() {
  const canEdit = useCan('operator');
  const [status, setStatus] = useState('');
  const [module, setModule] = useState('');
  const pager = usePager();
  const modules = useAsync((s) => get<ModuleList>('/training/modules', s).then((r) => r.items), []);
  const groups = useAsync(() => listAll<Group>('/groups'), []);
  const list = useAsync((s) => get<Page<Assignment>>('/training/assignments' + qs({ status, module, limit: 50, cursor: pager.cursor }), s), [status, module, pager.cursor]);
  const notAvailable = list.error instanceof ApiError && list.error.notAvailable;
  return (
    <>
      {canEdit && !notAvailable && <AssignForm modules={modules.data ?? []} groups={groups.data ?? []} onDone={list.reload} />}
      <section class="card" aria-labelledby="asg-title">
        <h2 id="asg-title">Assignments</h2>
        <div class="filters">
          <div class="field">
            <label for="asg-status">Status</label>
            <select id="asg-status" value={status} onChange={(e) => { setStatus(e.currentTarget.value); pager.reset(); }}>
              <option value="">Any</option><option value="assigned">Assigned</option><option value="in_progress">In progress</option>
              <option value="completed">Completed</option><option value="overdue">Overdue</option><option value="cancelled">Cancelled</option>
            </select>
          </div>
          <div class="field">
            <label for="asg-module">Module</label>
            <select id="asg-module" value={module} onChange={(e) => { setModule(e.currentTarget.value); pager.reset(); }}>
              <option value="">Any</option>{(modules.data ?? []).map((m) => <option value={m.slug}>{m.title}</option>)}
            </select>
          </div>
        </div>
        {notAvailable ? <NotAvailable what="Training assignment" /> : <ErrorBanner error={list.error} title="Could not load the assignments." />}
        {list.loading && !list.data && <Loading what="Loading assignments" />}
        {list.data && list.data.items.length === 0 && <Empty title="No assignments">Assign a module to groups above, or let campaigns assign follow-up training.</Empty>}
        {list.data && list.data.items.length > 0 && (
          <>
            <div class="table-wrap table-wrap-cards" tabIndex={0}>
              <table class="table stack">
                <thead><tr><th scope="col">Person</th><th scope="col">Module</th><th scope="col">Why</th><th scope="col">Due</th><th scope="col">Status</th><th scope="col" class="num">Score</th>{canEdit && <th scope="col"><span class="sr-only">Actions</span></th>}</tr></thead>
                <tbody>{list.data.items.map((a) => (
                  <tr>
                    <td class="stack-title"><div>{fullName(a.target) || a.target.email}</div><div class="small muted break">{a.target.email}</div></td>
                    <td data-label="Module">{a.module.title}</td>
                    <td data-label="Why">{a.reason === 'campaign' ? `Campaign #${a.campaign_id}` : 'Assigned'}</td>
                    <td data-label="Due">{fmtDate(a.due_at)}</td>
                    <td data-label="Status"><div><Badge kind={STATUS_KIND[a.status] ?? 'info'}>{a.status.replace('_', ' ')}</Badge>{a.completed_at && <div class="small muted">{fmtDate(a.completed_at)}</div>}</div></td>
                    <td class="num" data-label="Score">{a.score == null ? '—' : `${a.score}%${a.passed === false ? ' (not passed)' : ''}`}</td>
                    {canEdit && <td class="stack-actions">{['assigned', 'in_progress', 'overdue'].includes(a.status) && <RemindButton a={a} onDone={list.reload} />}{['assigned', 'in_progress', 'overdue'].includes(a.status) && (
                      <ConfirmButton class="btn btn-small btn-danger-outline" label="Cancel" title="Cancel this assignment?" confirmLabel="Cancel assignment"
                        message={`${a.target.email} will no longer be asked to take “${a.module.title}”.`}
                        onConfirm={async () => { await post(`/training/assignments/${a.id}/cancel`); list.reload(); }} />
                    )}</td>}
                  </tr>
                ))}</tbody>
              </table>
            </div>
            <Pager label="Assignment pages" page={pager.page} hasNext={!!list.data.next_cursor} onPrev={pager.prev} onNext={() => list.data?.next_cursor && pager.next(list.data.next_cursor)} />
          </>
        )}
      </section>
    </>
  );
}

function AssignForm({ modules, groups, onDone }: { modules: ModuleSummary[]; groups: Group[]; onDone: () => void }) {
  const [module, setModule] = useState('');
  const [groupIds, setGroupIds] = useState<number[]>([]);
  const [due, setDue] = useState(() => new Date(Date.now() + 14 * 86400e3).toISOString().slice(0, 10));
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form class="card" noValidate aria-labelledby="assign-title" onSubmit={async (e) => {
      e.preventDefault();
      setError(null); setDone(null);
      const slug = module || modules[0]?.slug;
      if (!groupIds.length) return setError(new ApiError(422, 'validation', 'Choose at least one group.', 'group_ids'));
      setBusy(true);
      try {
        const r = await post<AssignmentsCreated>('/training/assignments', { module: slug, group_ids: groupIds, target_ids: [], due_at: localToRfc3339(due + 'T23:59') });
        setDone(`Assigned to ${people(r.created)}${r.already_assigned ? ` (${people(r.already_assigned)} already had it)` : ''}.`);
        onDone();
      } catch (err) { setError(err); } finally { setBusy(false); }
    }}>
      <h2 id="assign-title">Assign a module</h2>
      {done && <Notice kind="success">{done}</Notice>}
      <ErrorBanner error={error} title="Could not assign." />
      <div class="grid-2">
        <Field label="Module" name="module" error={error}>
          {(a) => <select {...a} value={module || modules[0]?.slug} onChange={(e) => setModule(e.currentTarget.value)}>{modules.map((m) => <option value={m.slug}>{m.title}</option>)}</select>}
        </Field>
        <Field label="Due on" name="due_at" error={error}>
          {(a) => <input {...a} type="date" value={due} onInput={(e) => setDue(e.currentTarget.value)} />}
        </Field>
      </div>
      <fieldset class="fieldset">
        <legend>Groups</legend>
        {groups.length === 0 && <p class="muted">No groups yet.</p>}
        <ul class="choice-list">{groups.map((g) => (
          <li><label class="check"><input type="checkbox" checked={groupIds.includes(g.id)} onChange={() => setGroupIds(groupIds.includes(g.id) ? groupIds.filter((x) => x !== g.id) : [...groupIds, g.id])} /> {g.name} <span class="muted">({num(g.target_count)})</span></label></li>
        ))}</ul>
        {error instanceof ApiError && error.field === 'group_ids' && <p class="field-error">{error.message}</p>}
      </fieldset>
      <button class="btn btn-primary" type="submit" disabled={busy || !modules.length}>{busy ? 'Assigning…' : 'Assign'}</button>
    </form>
  );
}

function Completion() {
  const [groupId, setGroupId] = useState('');
  const groups = useAsync(() => listAll<Group>('/groups'), []);
  const rep = useAsync((s) => get<TrainingReport>('/training/report' + qs({ group_id: groupId }), s), [groupId]);
  const notAvailable = rep.error instanceof ApiError && rep.error.notAvailable;
  return (
    <section class="card" aria-labelledby="comp-title">
      <div class="section-head">
        <h2 id="comp-title">Completion</h2>
        {!notAvailable && <a class="btn btn-small" href={`${API}/training/report.csv` + qs({ group_id: groupId })} download="training-report.csv">Export CSV</a>}
      </div>
      <div class="filters">
        <div class="field">
          <label for="comp-group">Group</label>
          <select id="comp-group" value={groupId} onChange={(e) => setGroupId(e.currentTarget.value)}>
            <option value="">Everyone</option>{(groups.data ?? []).map((g) => <option value={String(g.id)}>{g.name}</option>)}
          </select>
        </div>
      </div>
      {notAvailable ? <NotAvailable what="The training report" /> : <ErrorBanner error={rep.error} title="Could not load the report." />}
      {rep.loading && !rep.data && <Loading what="Loading the report" />}
      {rep.data && (
        <>
          <div class="stats">
            <div class="stat"><div class="stat-label">Completion rate</div><div class="stat-value">{rep.data.totals.assigned > 0 ? `${Math.round(100 * rep.data.totals.completion_rate)}%` : '—'}</div>{rep.data.totals.assigned === 0 && <div class="stat-sub">Nothing assigned yet</div>}</div>
            <div class="stat"><div class="stat-label">Assigned</div><div class="stat-value">{num(rep.data.totals.assigned)}</div></div>
            <div class="stat"><div class="stat-label">Completed</div><div class="stat-value">{num(rep.data.totals.completed)}</div></div>
            <div class="stat"><div class="stat-label">Overdue</div><div class="stat-value">{num(rep.data.totals.overdue)}</div></div>
          </div>
          {rep.data.items.length === 0 ? <Empty title="No training assigned yet" /> : (
            <div class="table-wrap table-wrap-cards" tabIndex={0}>
              <table class="table stack">
                <thead><tr><th scope="col">Person</th><th scope="col" class="num">Assigned</th><th scope="col" class="num">Completed</th><th scope="col" class="num">Overdue</th><th scope="col">Last completed</th></tr></thead>
                <tbody>{rep.data.items.map((r) => (
                  <tr><td class="stack-title"><div>{fullName(r.target) || r.target.email}</div><div class="small muted break">{r.target.email}</div></td><td class="num" data-label="Assigned">{r.assigned}</td><td class="num" data-label="Completed">{r.completed}</td><td class="num" data-label="Overdue">{r.overdue}</td><td data-label="Last completed">{fmtDate(r.last_completed_at)}</td></tr>
                ))}</tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}

// The workspace's training emails: which relay sends them, where the personal
// links point, when reminders go, and whether managers hear about overdue work.
function EmailSettings() {
  const isAdmin = useCan('admin');
  const current = useAsync((sig) => get<TrainingSettings>('/training/settings', sig), []);
  const profiles = useAsync(() => listAll<Profile>('/sending-profiles'), []);
  const [form, setForm] = useState<TrainingSettings | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => { if (current.data && !form) setForm(current.data); }, [current.data]);
  if (current.error) return <ErrorBanner error={current.error} title="Could not load the training email settings." />;
  if (!form) return <Loading what="Loading the training email settings" />;
  const set = <K extends keyof TrainingSettings>(k: K, v: TrainingSettings[K]) => { setForm({ ...form, [k]: v }); setSaved(false); };
  const number = (k: 'remind_days_before' | 'overdue_every_days' | 'max_overdue_reminders' | 'link_valid_days' | 'follow_up_delay_seconds', label: string, hint: string) => (
    <Field label={label} name={k} error={error} hint={hint}>
      {(a) => <input {...a} type="number" inputMode="numeric" value={form[k]} disabled={!isAdmin}
        onInput={(e) => set(k, Number(e.currentTarget.value))} />}
    </Field>
  );
  return (
    <form class="card" noValidate aria-labelledby="tset-title" onSubmit={async (e) => {
      e.preventDefault();
      setError(null); setSaved(false); setBusy(true);
      try { setForm(await put<TrainingSettings>('/training/settings', form)); setSaved(true); }
      catch (err) { setError(err); } finally { setBusy(false); }
    }}>
      <h2 id="tset-title">Training emails</h2>
      <p class="muted">Notices and reminders go through the same sending pipeline as campaigns, each with a personal link to the training portal. Changes apply to assignments made from now on.</p>
      {!isAdmin && <Notice>Only admins can change these settings.</Notice>}
      {saved && <Notice kind="success">Saved.</Notice>}
      <ErrorBanner error={error} title="Could not save." />
      <div class="grid-2">
        <Field label="Sending profile" name="profile_id" error={error} hint="Without one, assignments made by hand send no email. A campaign's follow-up then uses the campaign's own profile.">
          {(a) => <select {...a} value={form.profile_id ?? ''} disabled={!isAdmin} onChange={(e) => set('profile_id', e.currentTarget.value ? Number(e.currentTarget.value) : null)}>
            <option value="">No training emails</option>
            {(profiles.data ?? []).map((p) => <option value={p.id}>{p.name}</option>)}
          </select>}
        </Field>
        <Field label="Portal address (optional)" name="portal_base_url" error={error} hint="Where the personal links point, e.g. https://learn.example.com. Empty: the phish server's address.">
          {(a) => <input {...a} type="url" placeholder="https://" value={form.portal_base_url} disabled={!isAdmin} onInput={(e) => set('portal_base_url', e.currentTarget.value)} />}
        </Field>
        {number('remind_days_before', 'Reminder before the due date (days)', '0 for no reminder before the due date.')}
        {number('overdue_every_days', 'Overdue reminders every (days)', 'The first goes an hour after the due date.')}
        {number('max_overdue_reminders', 'At most this many overdue reminders', '0 for none.')}
        {number('link_valid_days', 'Personal links work for (days)', 'Each email carries a fresh link.')}
        {number('follow_up_delay_seconds', 'Wait before a follow-up notice (seconds)', 'Lets a click that turns out to be a mail scanner\'s be withdrawn before anyone is emailed.')}
      </div>
      <label class="check"><input type="checkbox" checked={form.cc_manager_when_overdue} disabled={!isAdmin} onChange={(e) => set('cc_manager_when_overdue', e.currentTarget.checked)} /> Tell the person's manager when training is overdue (a short notice of its own, without the personal link)</label>
      {isAdmin && <p><button class="btn btn-primary" type="submit" disabled={busy}>{busy ? 'Saving…' : 'Save'}</button></p>}
    </form>
  );
}

// Admins add a module (or a newer version of one) from a tar of its folder.
function ImportModule({ onDone }: { onDone: () => void }) {
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <section class="card" aria-labelledby="import-title">
      <h2 id="import-title">Import a module</h2>
      <p class="muted">A <code>.tar</code> of a module folder (<code>module.toml</code>, the lessons, <code>quiz.toml</code>, <code>images/</code>), e.g. <code>tar -cf my-module.tar my-module</code>. Everything is checked before it is added; to replace a module, raise its <code>version</code>.</p>
      {done && <Notice kind="success">{done}</Notice>}
      <ErrorBanner error={error} title="Could not import the module." />
      <Field label="Module archive (.tar)" name="module_archive" error={error}>
        {(a) => <input {...a} type="file" accept=".tar,application/x-tar" disabled={busy} onChange={async (e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (!file) return;
          setError(null); setDone(null); setBusy(true);
          try {
            const m = await call<ModuleSummary>('POST', '/training/modules/import', { raw: file, contentType: 'application/x-tar' });
            setDone(`Imported “${m.title}” (version ${m.version}).`);
            onDone();
          } catch (err) { setError(err); } finally { setBusy(false); }
        }} />}
      </Field>
    </section>
  );
}

// Sends the person a reminder (with a fresh personal link) right away.
function RemindButton({ a, onDone }: { a: Assignment; onDone: () => void }) {
  const [state, setState] = useState<'idle' | 'busy' | 'queued'>('idle');
  const [error, setError] = useState<unknown>(null);
  return (
    <span class="remind">
      <button type="button" class="btn btn-small" disabled={state !== 'idle'} onClick={async () => {
        setState('busy'); setError(null);
        try { await post(`/training/assignments/${a.id}/remind`); setState('queued'); onDone(); }
        catch (err) { setError(err); setState('idle'); }
      }}>{state === 'queued' ? 'Reminder sent' : 'Remind now'}<span class="sr-only"> {a.target.email}</span></button>
      {error instanceof ApiError && <span class="field-error small" role="alert">{error.message}</span>}
    </span>
  );
}
