import { useState } from 'preact/hooks';
import { ApiError, call, del, get, post, put, qs, type Group, type GroupImportResult, type Page, type Target } from '../api';
import { fmtTime, fullName, num, people } from '../format';
import { Link, navigate } from '../router';
import { useCan } from '../session';
import { ConfirmButton, Empty, ErrorBanner, Field, Loading, Notice, PageHeader, Pager, useAsync, usePager } from '../ui';

function CsvImport({ groups, onDone, into }: { groups: Group[]; onDone: (g: Group) => void; into?: Group }) {
  const [name, setName] = useState('');
  const [target, setTarget] = useState<string>(into ? String(into.id) : 'new');
  const [csv, setCsv] = useState('');
  const [fileName, setFileName] = useState('');
  // The chosen file is sent as its bytes (the server detects Windows-1252 and UTF-16);
  // the text area shows it and, once edited, is sent instead.
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [warnings, setWarnings] = useState<GroupImportResult['warnings']>([]);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    setWarnings([]);
    if (!csv.trim() && !file) return setError(new ApiError(422, 'validation', 'Choose a CSV file or paste its contents.', 'csv'));
    setBusy(true);
    try {
      const q = target === 'new' ? qs({ name }) : qs({ group_id: target });
      const r = await call<GroupImportResult>('POST', '/groups/import' + q, { raw: file ?? csv, contentType: 'text/csv' });
      setDone(`Imported ${people(r.imported)} into “${r.group.name}” (${num(r.created)} new, ${num(r.updated)} updated).`);
      setWarnings(r.warnings ?? []);
      setCsv('');
      setFile(null);
      setFileName('');
      setName('');
      onDone(r.group);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const rows = error instanceof ApiError ? error.rows : undefined;
  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="csv-import-title">
      <h2 id="csv-import-title">Import people from CSV</h2>
      <p class="muted">Columns are matched by header: <code>Email</code> (required), <code>First Name</code>, <code>Last Name</code>, <code>Position</code>, <code>Department</code>, <code>Manager Email</code>, <code>Locale</code>. The import is all or nothing: if a row is bad, nothing is saved and every bad row is listed.</p>
      {done && <Notice kind="success">{done}</Notice>}
      {warnings.length > 0 && (
        <div class="table-wrap" tabIndex={0}>
          <table class="table" data-testid="csv-warnings">
            <caption>Please check: the file was read with these adjustments</caption>
            <thead><tr><th scope="col">Line</th><th scope="col">Column</th><th scope="col">Note</th></tr></thead>
            <tbody>{warnings.map((w) => <tr><td>{w.line}</td><td>{w.field ?? '—'}</td><td>{w.message}</td></tr>)}</tbody>
          </table>
        </div>
      )}
      <ErrorBanner error={error} title="Nothing was imported." />
      {rows && rows.length > 0 && (
        <div class="table-wrap" tabIndex={0}>
          <table class="table" data-testid="csv-row-errors">
            <caption>Rows to fix</caption>
            <thead><tr><th scope="col">Line</th><th scope="col">Column</th><th scope="col">Problem</th></tr></thead>
            <tbody>{rows.map((r) => <tr><td>{r.line}</td><td>{r.field ?? '—'}</td><td>{r.reason}</td></tr>)}</tbody>
          </table>
        </div>
      )}
      <div class="grid-2">
        {!into && (
          <Field label="Import into" name="group_id" error={error}>
            {(a) => (
              <select {...a} value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
                <option value="new">A new group</option>
                {groups.map((g) => <option value={String(g.id)}>{g.name}</option>)}
              </select>
            )}
          </Field>
        )}
        {target === 'new' && (
          <Field label="New group name" name="name" error={error}>
            {(a) => <input {...a} value={name} onInput={(e) => setName(e.currentTarget.value)} />}
          </Field>
        )}
      </div>
      <Field label="CSV file" name="csv_file" hint={fileName ? `Loaded ${fileName}.` : 'Or paste the contents below.'}>
        {(a) => (
          <input {...a} type="file" accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values" onChange={async (e) => {
            const f = e.currentTarget.files?.[0];
            if (f) { setCsv(await f.text()); setFile(f); setFileName(f.name); }
          }} />
        )}
      </Field>
      <Field label="CSV contents" name="csv" error={error}>
        {(a) => <textarea {...a} rows={6} class="mono" value={csv} onInput={(e) => { setCsv(e.currentTarget.value); setFile(null); }} placeholder="Email,First Name,Last Name,Position" />}
      </Field>
      <button class="btn btn-primary" type="submit" disabled={busy}>{busy ? 'Importing…' : 'Import'}</button>
    </form>
  );
}

export function Groups() {
  const canEdit = useCan('operator');
  const pager = usePager();
  const list = useAsync((s) => get<Page<Group>>('/groups' + qs({ limit: 50, cursor: pager.cursor }), s), [pager.cursor]);
  return (
    <>
      <PageHeader title="Targets & groups" sub="The people who receive simulations, organised in groups." />
      <section aria-labelledby="groups-title" class="card">
        <h2 id="groups-title">Groups</h2>
        {list.loading && !list.data && <Loading what="Loading groups" />}
        <ErrorBanner error={list.error} title="Could not load the groups." />
        {list.data && list.data.items.length === 0 && pager.page === 1 && (
          <Empty title="No groups yet">Import a CSV file below to create your first group.</Empty>
        )}
        {list.data && list.data.items.length > 0 && (
          <>
            <div class="table-wrap" tabIndex={0}>
              <table class="table">
                <thead><tr><th scope="col">Name</th><th scope="col" class="num">People</th><th scope="col">Updated</th></tr></thead>
                <tbody>
                  {list.data.items.map((g) => (
                    <tr><td><Link href={`/groups/${g.id}`}>{g.name}</Link></td><td class="num">{num(g.target_count)}</td><td>{fmtTime(g.updated_at)}</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager label="Groups pages" page={pager.page} hasNext={!!list.data.next_cursor} onPrev={pager.prev} onNext={() => list.data?.next_cursor && pager.next(list.data.next_cursor)} />
          </>
        )}
      </section>
      {canEdit && <CsvImport groups={list.data?.items ?? []} onDone={() => list.reload()} />}
    </>
  );
}

export function GroupDetail({ id }: { id: number }) {
  const canEdit = useCan('operator');
  const group = useAsync((s) => get<Group>(`/groups/${id}`, s), [id]);
  const pager = usePager();
  const targets = useAsync((s) => get<Page<Target>>(`/groups/${id}/targets` + qs({ limit: 50, cursor: pager.cursor }), s), [id, pager.cursor]);
  const [rename, setRename] = useState<string | null>(null);
  const [renameErr, setRenameErr] = useState<unknown>(null);
  const [person, setPerson] = useState({ email: '', first_name: '', last_name: '', position: '', department: '' });
  const [addErr, setAddErr] = useState<unknown>(null);
  if (group.loading && !group.data) return <Loading what="Loading the group" />;
  if (group.error) return <><PageHeader title="Group" /><ErrorBanner error={group.error} title="Could not load the group." /></>;
  const g = group.data!;
  const reloadAll = () => { group.reload(); targets.reload(); };
  return (
    <>
      <PageHeader title={g.name} sub={`${num(g.target_count)} people · updated ${fmtTime(g.updated_at)}`}>
        {canEdit && (
          <ConfirmButton label="Delete group" title={`Delete “${g.name}”?`} message="The group is removed. The people in it stay in the workspace and in campaigns already launched."
            onConfirm={async () => { await del(`/groups/${id}`); navigate('/groups'); }} />
        )}
      </PageHeader>
      <p><Link href="/groups">← All groups</Link></p>
      {canEdit && (
        <form class="card inline-form" onSubmit={async (e) => {
          e.preventDefault();
          setRenameErr(null);
          try { await put(`/groups/${id}`, { name: rename ?? g.name }); setRename(null); group.reload(); } catch (err) { setRenameErr(err); }
        }}>
          <Field label="Group name" name="name" error={renameErr}>
            {(a) => <input {...a} value={rename ?? g.name} onInput={(e) => setRename(e.currentTarget.value)} />}
          </Field>
          <button class="btn" type="submit">Rename</button>
          <ErrorBanner error={renameErr && !(renameErr instanceof ApiError && renameErr.field) ? renameErr : null} />
        </form>
      )}
      <section class="card" aria-labelledby="members-title">
        <h2 id="members-title">People</h2>
        {targets.loading && !targets.data && <Loading what="Loading people" />}
        <ErrorBanner error={targets.error} />
        {targets.data && targets.data.items.length === 0 && pager.page === 1 && <Empty title="Nobody in this group yet" />}
        {targets.data && targets.data.items.length > 0 && (
          <>
            <div class="table-wrap table-wrap-cards" tabIndex={0}>
              <table class="table stack">
                <thead><tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Position</th><th scope="col">Department</th>{canEdit && <th scope="col"><span class="sr-only">Actions</span></th>}</tr></thead>
                <tbody>
                  {targets.data.items.map((t) => (
                    <tr>
                      <td class="break stack-title">{t.email}</td><td data-label="Name">{fullName(t) || '—'}</td><td data-label="Position">{t.position || '—'}</td><td data-label="Department">{t.department || '—'}</td>
                      {canEdit && (
                        <td class="actions">
                          <ConfirmButton class="btn btn-small btn-danger-outline" label="Remove" title={`Remove ${t.email} from the group?`} message="The person stays in the workspace; only the membership is removed."
                            onConfirm={async () => { await del(`/groups/${id}/targets/${t.id}`); reloadAll(); }} />
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager label="People pages" page={pager.page} hasNext={!!targets.data.next_cursor} onPrev={pager.prev} onNext={() => targets.data?.next_cursor && pager.next(targets.data.next_cursor)} />
          </>
        )}
      </section>
      {canEdit && (
        <form class="card" noValidate onSubmit={async (e) => {
          e.preventDefault();
          setAddErr(null);
          try {
            await post(`/groups/${id}/targets`, { targets: [person] });
            setPerson({ email: '', first_name: '', last_name: '', position: '', department: '' });
            reloadAll();
          } catch (err) {
            // "targets[0].email" -> show next to the email input.
            if (err instanceof ApiError && err.field?.startsWith('targets[0].')) err.field = err.field.slice('targets[0].'.length);
            setAddErr(err);
          }
        }} aria-labelledby="add-person-title">
          <h2 id="add-person-title">Add a person</h2>
          <ErrorBanner error={addErr} title="Could not add the person." />
          <div class="grid-3">
            {(['email', 'first_name', 'last_name', 'position', 'department'] as const).map((k) => (
              <Field label={{ email: 'Email', first_name: 'First name', last_name: 'Last name', position: 'Position', department: 'Department' }[k]} name={k} error={addErr}>
                {(a) => <input {...a} type={k === 'email' ? 'email' : 'text'} value={person[k]} onInput={(e) => setPerson({ ...person, [k]: e.currentTarget.value })} />}
              </Field>
            ))}
          </div>
          <button class="btn btn-primary" type="submit">Add</button>
        </form>
      )}
      {canEdit && <CsvImport groups={[]} into={g} onDone={reloadAll} />}
    </>
  );
}
