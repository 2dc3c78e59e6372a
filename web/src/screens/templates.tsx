import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, call, del, download, get, listAll, post, put, qs, type Attachment, type EmlImportDraft, type LandingPage, type LibraryExport, type Page, type PhishRating, type PhishScaleSettings, type RatedLibraryList, type RatedTemplate, type RedFlag, type TemplatePreview } from '../api';
import { CueList, DifficultyBadge, DismissedCues, VerdictBadge } from '../phishscale';
import { categoryLabel } from './library';
import { HeadersEditor } from '../headers';
import { fmtTime } from '../format';
import { Link, navigate } from '../router';
import { useCan } from '../session';
import { ConfirmButton, Empty, ErrorBanner, Field, Loading, Notice, PageHeader, Pager, fieldError, saveFile, useAsync, useFlash, useId, usePager } from '../ui';

interface Chosen { id: number; name: string }

export function Templates() {
  const canEdit = useCan('operator');
  const pager = usePager();
  const list = useAsync((s) => get<Page<RatedTemplate>>('/templates' + qs({ limit: 50, cursor: pager.cursor }), s), [pager.cursor]);
  // Templates chosen for a pack (operators), kept across the list's pages.
  const [chosen, setChosen] = useState<Chosen[]>([]);
  const [packOpen, setPackOpen] = useState(false);
  const choose = (t: RatedTemplate, on: boolean) => setChosen((was) => (on ? [...was.filter((c) => c.id !== t.id), { id: t.id, name: t.name }] : was.filter((c) => c.id !== t.id)));
  return (
    <>
      <PageHeader title="Email templates" sub="The simulated phishing messages.">
        <Link class="btn" href="/library">Browse the library</Link>
        {canEdit && <Link class="btn btn-primary" href="/templates/new">New template</Link>}
      </PageHeader>
      <section class="card" aria-label="Templates">
        {list.loading && !list.data && <Loading what="Loading templates" />}
        <ErrorBanner error={list.error} title="Could not load the templates." />
        {list.data && list.data.items.length === 0 && pager.page === 1 && (
          <Empty title="No templates yet">Write one from scratch, import a real message from a .eml file, or start from the <Link href="/library">simulation library</Link>.</Empty>
        )}
        {list.data && list.data.items.length > 0 && (
          <>
            {canEdit && (
              <div class="form-actions" role="group" aria-label="Export templates">
                <button type="button" class="btn" disabled={!chosen.length} onClick={() => setPackOpen(true)}>Export as pack</button>
                <span class="muted small" data-testid="templates-chosen">{chosen.length ? `${chosen.length} selected` : 'Select templates to export them as a pack of library simulations.'}</span>
              </div>
            )}
            <div class="table-wrap table-wrap-cards" tabIndex={0}>
              <table class="table stack">
                <thead><tr>{canEdit && <th scope="col"><span class="sr-only">Select</span></th>}<th scope="col">Name</th><th scope="col">Subject</th><th scope="col" class="num">Red flags</th><th scope="col">Difficulty</th><th scope="col">Results</th><th scope="col">Updated</th></tr></thead>
                <tbody>{list.data.items.map((t) => (
                  <tr>
                    {canEdit && (
                      <td data-label="Select">
                        <input type="checkbox" aria-label={`Select ${t.name}`} checked={chosen.some((c) => c.id === t.id)} onChange={(e) => choose(t, e.currentTarget.checked)} />
                      </td>
                    )}
                    <td class="stack-title"><Link href={`/templates/${t.id}`}>{t.name}</Link></td><td data-label="Subject">{t.subject}</td><td class="num" data-label="Red flags">{t.red_flags.length}</td>
                    <td data-label="Difficulty">{t.rating ? <DifficultyBadge difficulty={t.rating.difficulty} label={t.rating.difficulty_label} /> : '—'}</td>
                    <td data-label="Results">{t.observed ? <VerdictBadge observed={t.observed} /> : '—'}</td>
                    <td data-label="Updated">{fmtTime(t.updated_at)}</td></tr>
                ))}</tbody>
              </table>
            </div>
            <Pager label="Template pages" page={pager.page} hasNext={!!list.data.next_cursor} onPrev={pager.prev} onNext={() => list.data?.next_cursor && pager.next(list.data.next_cursor)} />
          </>
        )}
      </section>
      {packOpen && chosen.length > 0 && <ExportPack chosen={chosen} onClose={() => setPackOpen(false)} />}
    </>
  );
}

// The chosen templates as a pack of library simulations (POST /library/export),
// each with the landing page to ship with it and its folder's name. The server
// checks each as an import would: a 422 names the template and the rule it breaks.
function ExportPack({ chosen, onClose }: { chosen: Chosen[]; onClose: () => void }) {
  const pages = useAsync(() => listAll<LandingPage>('/pages'), []);
  const [rows, setRows] = useState<Record<number, { page: string; slug: string }>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => { titleRef.current?.focus(); }, []);
  const row = (id: number) => rows[id] ?? { page: '', slug: '' };
  const set = (id: number, patch: Partial<{ page: string; slug: string }>) => setRows({ ...rows, [id]: { ...row(id), ...patch } });
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const body: LibraryExport = {
        templates: chosen.map((t) => {
          const r = row(t.id);
          return { template_id: t.id, ...(r.page ? { landing_page_id: Number(r.page) } : {}), ...(r.slug.trim() ? { slug: r.slug.trim() } : {}) };
        }),
      };
      const file = await download('POST', '/library/export', { body }, 'phishdrill-pack.tar.gz');
      saveFile(file);
      setDone(`Downloaded ${file.filename}.`);
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  };
  const claimed = chosen.some((_, i) => fieldError(error, `templates[${i}].landing_page_id`) || fieldError(error, `templates[${i}].slug`));
  return (
    <form class="card pack-form" aria-labelledby="pack-title" noValidate onSubmit={submit} data-testid="template-pack">
      <h2 id="pack-title" ref={titleRef} tabIndex={-1}>Export as pack</h2>
      <p class="hint">Each template becomes a library simulation that another Phishdrill can import: its category, red flags and Phish Scale cues go with it. It must have a library category and link to {'{{.URL}}'}.</p>
      <ErrorBanner error={claimed ? null : error} title="Could not export the pack." />
      <ErrorBanner error={pages.error} title="Could not load the landing pages." />
      {chosen.map((t, i) => (
        <fieldset class="fieldset">
          <legend class="break">{t.name}</legend>
          <div class="grid-2">
            <Field label="Landing page" name={`templates[${i}].landing_page_id`} error={error} hint="Optional: shipped with it.">
              {(a) => (
                <select {...a} value={row(t.id).page} onChange={(e) => set(t.id, { page: e.currentTarget.value })}>
                  <option value="">None</option>
                  {(pages.data ?? []).map((p) => <option value={String(p.id)}>{p.name}</option>)}
                </select>
              )}
            </Field>
            <Field label="Folder name" name={`templates[${i}].slug`} error={error} hint="Optional: lowercase letters, digits and hyphens. Empty: made from the name.">
              {(a) => <input {...a} value={row(t.id).slug} maxLength={64} autoComplete="off" spellcheck={false} onInput={(e) => set(t.id, { slug: e.currentTarget.value })} />}
            </Field>
          </div>
        </fieldset>
      ))}
      {done && <Notice kind="success">{done}</Notice>}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>{busy ? 'Exporting…' : `Download pack (${chosen.length})`}</button>
        <button type="button" class="btn" onClick={onClose}>Close</button>
      </div>
    </form>
  );
}

const VARIABLES: [string, string][] = [
  ['{{.FirstName}}', 'First name'], ['{{.LastName}}', 'Last name'], ['{{.Email}}', 'Email address'],
  ['{{.Position}}', 'Position'], ['{{.From}}', 'Sender'], ['{{.URL}}', 'Link to the landing page (tracked click)'],
  ['{{.Tracker}}', 'Invisible open-tracking image'], ['{{.TrackingURL}}', 'Address of the tracking image'],
  ['{{.RId}}', 'Recipient id'], ['{{.BaseURL}}', 'Phish server address'],
];

interface Sample { first_name: string; last_name: string; email: string; position: string }
type Draft = Pick<RatedTemplate, 'name' | 'subject' | 'from' | 'html' | 'text' | 'red_flags' | 'headers' | 'attachments'> & { phish_scale: PhishScaleSettings };
const emptyPhishScale: PhishScaleSettings = { category: '', library_slug: '', cues: [], dismissed: [] };
const emptyDraft: Draft = { name: '', subject: '', from: '', html: '', text: '', red_flags: [], headers: [], attachments: [], phish_scale: emptyPhishScale };

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function RedFlagsEditor({ flags, onChange, error, readOnly }: { flags: RedFlag[]; onChange: (f: RedFlag[]) => void; error: unknown; readOnly: boolean }) {
  const set = (i: number, patch: Partial<RedFlag>) => onChange(flags.map((f, j) => (i === j ? { ...f, ...patch } : f)));
  return (
    <fieldset class="fieldset">
      <legend>Red flags</legend>
      <p class="hint">The signs a careful reader could have spotted. The teaching page shows them to whoever falls for the message.</p>
      {flags.length === 0 && <p class="muted">No red flags yet.</p>}
      {flags.map((f, i) => (
        <div class="redflag-row">
          <Field label={`Flag ${i + 1}: where`} name={`red_flags[${i}].part`} error={error}>
            {(a) => (
              <select {...a} disabled={readOnly} value={f.part} onChange={(e) => set(i, { part: e.currentTarget.value as RedFlag['part'] })}>
                <option value="subject">Subject</option><option value="from">Sender</option><option value="body">Body</option><option value="link">Link</option>
              </select>
            )}
          </Field>
          <Field label={`Flag ${i + 1}: text to highlight`} name={`red_flags[${i}].text`} error={error}>
            {(a) => <input {...a} readOnly={readOnly} value={f.text} onInput={(e) => set(i, { text: e.currentTarget.value })} />}
          </Field>
          <Field label={`Flag ${i + 1}: why it matters`} name={`red_flags[${i}].explanation`} error={error}>
            {(a) => <input {...a} readOnly={readOnly} value={f.explanation} onInput={(e) => set(i, { explanation: e.currentTarget.value })} />}
          </Field>
          {!readOnly && <button type="button" class="btn btn-small btn-danger-outline" onClick={() => onChange(flags.filter((_, j) => j !== i))}>Remove flag {i + 1}</button>}
        </div>
      ))}
      {!readOnly && flags.length < 20 && (
        <button type="button" class="btn btn-small" onClick={() => onChange([...flags, { part: 'subject', text: '', explanation: '' }])}>Add a red flag</button>
      )}
    </fieldset>
  );
}

function Attachments({ list, onChange, readOnly, error }: { list: Attachment[]; onChange: (a: Attachment[]) => void; readOnly: boolean; error: unknown }) {
  const add = async (files: FileList | null) => {
    const out = [...list];
    for (const f of Array.from(files ?? [])) {
      const bytes = new Uint8Array(await f.arrayBuffer());
      let bin = '';
      for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      out.push({ name: f.name, content_type: f.type || 'application/octet-stream', content: btoa(bin) });
    }
    onChange(out);
  };
  return (
    <fieldset class="fieldset">
      <legend>Attachments</legend>
      {list.length === 0 && <p class="muted">None.</p>}
      <ul class="attachment-list">
        {list.map((a, i) => (
          <li>
            <span>{a.name} <span class="muted small">({a.content_type}, {Math.round((a.content.length * 3) / 4 / 1024)} KiB)</span></span>
            {!readOnly && <button type="button" class="btn btn-small btn-danger-outline" onClick={() => onChange(list.filter((_, j) => j !== i))}>Remove<span class="sr-only"> {a.name}</span></button>}
          </li>
        ))}
      </ul>
      {!readOnly && (
        <Field label="Add attachments" name="attachments" error={error}>
          {(a) => <input {...a} type="file" multiple onChange={(e) => { void add(e.currentTarget.files); e.currentTarget.value = ''; }} />}
        </Field>
      )}
    </fieldset>
  );
}

const PART_LABEL: Record<string, string> = {
  subject: 'Subject', from: 'From', html: 'HTML body', text: 'Plain-text body', headers: 'Custom headers', target: 'Sample person', template: 'Template',
};

// Why the preview is not up to date, naming the field the server points at.
function previewProblem(err: unknown): string {
  if (!(err instanceof ApiError)) return 'The preview could not be rendered: ' + String((err as Error)?.message ?? err);
  const part = err.field ? PART_LABEL[err.field.split(/[.[]/)[0]] : undefined;
  if (err.status === 422 && part) return `Preview not updated — ${part}: ${err.message}`;
  return 'The preview could not be rendered: ' + err.message;
}

// A subject or sender line with its red flags' text highlighted (as the
// teaching page will show it; an empty text flags the whole line).
export function Flagged({ text, flags, part }: { text: string; flags: RedFlag[]; part: RedFlag['part'] }) {
  const mine = flags.filter((f) => f.part === part);
  if (!mine.length) return <>{text}</>;
  if (mine.some((f) => !f.text)) return <mark title="Red flag">{text}</mark>;
  const needles = mine.map((f) => f.text).sort((a, b) => b.length - a.length);
  const out: (string | JSX.Element)[] = [];
  let rest = text;
  while (rest) {
    let best = -1;
    let hit = '';
    for (const n of needles) {
      const i = rest.indexOf(n);
      if (i >= 0 && (best < 0 || i < best)) { best = i; hit = n; }
    }
    if (best < 0) { out.push(rest); break; }
    if (best > 0) out.push(rest.slice(0, best));
    out.push(<mark title="Red flag">{hit}</mark>);
    rest = rest.slice(best + hit.length);
  }
  return <>{out}</>;
}

export function TemplateEditor({ id }: { id?: number }) {
  const canEdit = useCan('operator');
  const flash = useFlash();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [dirty, setDirty] = useState(false);
  const [loaded, setLoaded] = useState(id === undefined);
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [sample, setSample] = useState<Sample>({ first_name: 'Dana', last_name: 'Lee', email: 'dana.lee@example.com', position: 'Picker' });
  const [preview, setPreview] = useState<{ subject: string; html: string; from: string; attachments: TemplatePreview['attachments'] } | null>(null);
  const [previewErr, setPreviewErr] = useState<unknown>(null);
  const [previewState, setPreviewState] = useState<'idle' | 'waiting' | 'fresh' | 'error' | 'empty'>('idle');
  const [emlErr, setEmlErr] = useState<unknown>(null);
  const [emlNote, setEmlNote] = useState<string | null>(null);
  const htmlRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (id === undefined) { setDraft(emptyDraft); setLoaded(true); return; }
    setLoaded(false);
    get<RatedTemplate>(`/templates/${id}`).then((t) => {
      setDraft({
        name: t.name, subject: t.subject, from: t.from, html: t.html, text: t.text, red_flags: t.red_flags, headers: t.headers, attachments: t.attachments ?? [],
        // Kept as read (its cues and dismissed cues included) so a save loses nothing.
        phish_scale: { ...emptyPhishScale, ...t.phish_scale },
      });
      setDirty(false);
      setLoaded(true);
    }, setLoadErr);
  }, [id]);

  // Live preview: the server renders the unsaved template for the sample
  // person (POST /templates/preview), ~400 ms after the last keystroke, and
  // checks it as a save would: an unknown {{.Variable}} is shown next to its field.
  const previewSeq = useRef(0);
  useEffect(() => {
    if (!loaded) return;
    const n = ++previewSeq.current;
    if (!draft.html.trim() && !draft.text.trim()) {
      setPreview(null);
      setPreviewErr(null);
      setPreviewState('empty');
      return;
    }
    setPreviewState('waiting');
    const ctl = new AbortController();
    const t = setTimeout(() => {
      // Header rows still being typed (no name yet) are left out until complete.
      const headers = draft.headers.every((h) => h.name.trim()) ? draft.headers : undefined;
      const template = {
        // The subject is required to save, not to look at the body.
        subject: draft.subject || '(no subject)', html: draft.html, text: draft.text, from: draft.from,
        ...(headers ? { headers } : {}),
      };
      call<TemplatePreview>('POST', '/templates/preview', { body: { template, target: sample }, signal: ctl.signal }).then(
        (p) => {
          if (n !== previewSeq.current) return;
          setPreview({ subject: p.subject, from: p.from, html: p.html || `<pre>${esc(p.text)}</pre>`, attachments: p.attachments });
          setPreviewErr(null);
          setPreviewState('fresh');
        },
        (e) => {
          if (n !== previewSeq.current || (e as Error)?.name === 'AbortError') return;
          setPreviewErr(e);
          setPreviewState('error');
        },
      );
    }, 400);
    return () => { clearTimeout(t); ctl.abort(); };
  }, [loaded, draft.subject, draft.html, draft.text, draft.from, draft.headers, sample]);

  const update = (patch: Partial<Draft>) => { setDraft({ ...draft, ...patch }); setDirty(true); setSaved(false); };
  const insertVar = (v: string) => {
    const ta = htmlRef.current;
    if (!ta) return;
    const start = ta.selectionStart ?? draft.html.length;
    const end = ta.selectionEnd ?? start;
    update({ html: draft.html.slice(0, start) + v + draft.html.slice(end) });
    requestAnimationFrame(() => { ta.focus(); ta.selectionStart = ta.selectionEnd = start + v.length; });
  };
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { ...draft };
      if (id === undefined) {
        const t = await post<RatedTemplate>('/templates', body);
        setDirty(false);
        setEmlNote(null);
        navigate(`/templates/${t.id}`, true);
      } else {
        await put<RatedTemplate>(`/templates/${id}`, body);
        setDirty(false);
        setSaved(true);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const importEml = async (file: File) => {
    setEmlErr(null);
    setEmlNote(null);
    try {
      const content = await file.text();
      const d = await post<EmlImportDraft>('/templates/import-eml', { content, convert_links: true });
      update({ subject: d.subject, html: d.html, text: d.text, from: d.from, headers: d.headers, attachments: d.attachments ?? [], name: draft.name || d.subject });
      const removed = d.removed?.length ? ` Active content was removed: ${d.removed.join('; ')}.` : '';
      setEmlNote(`Imported “${file.name}”. Every link now points at the landing page ({{.URL}}).${removed} Review it, add red flags, then save.`);
    } catch (err) {
      setEmlErr(err);
    }
  };

  if (loadErr) return <><PageHeader title="Template" /><ErrorBanner error={loadErr} title="Could not load the template." /></>;
  if (!loaded) return <Loading what="Loading the template" />;
  const readOnly = !canEdit;
  return (
    <>
      <PageHeader title={id === undefined ? 'New email template' : draft.name || 'Template'}>
        {id !== undefined && canEdit && (
          <ConfirmButton label="Delete template" title="Delete this template?" message="Campaigns already launched keep their copy of it."
            onConfirm={async () => { await del(`/templates/${id}`); navigate('/templates'); }} />
        )}
      </PageHeader>
      <p><Link href="/templates">← All templates</Link></p>
      {flash && <Notice kind="success">{flash}</Notice>}
      <div class="editor-layout">
        <form class="card" onSubmit={save} noValidate aria-label="Template">
          {saved && <Notice kind="success">Saved.</Notice>}
          <ErrorBanner error={error} title="Could not save the template." />
          {canEdit && (
            <div class="eml-import">
              <Field label="Import from a .eml file" name="eml" error={emlErr} hint="Start from a real message: its subject, sender and body are copied.">
                {(a) => <input {...a} type="file" accept=".eml,message/rfc822" onChange={(e) => { const f = e.currentTarget.files?.[0]; if (f) void importEml(f); }} />}
              </Field>
              <ErrorBanner error={emlErr && !(emlErr instanceof ApiError && emlErr.field) ? emlErr : null} title="Could not import the message." />
              {emlNote && <Notice>{emlNote}</Notice>}
            </div>
          )}
          <Field label="Name" name="name" error={error}>
            {(a) => <input {...a} readOnly={readOnly} value={draft.name} onInput={(e) => update({ name: e.currentTarget.value })} />}
          </Field>
          <Field label="Subject" name="subject" error={[error, previewErr]}>
            {(a) => <input {...a} readOnly={readOnly} value={draft.subject} onInput={(e) => update({ subject: e.currentTarget.value })} />}
          </Field>
          <Field label="From" name="from" error={[error, previewErr]} hint="“Name <address@domain>”. Leave empty to use the sending profile's.">
            {(a) => <input {...a} readOnly={readOnly} value={draft.from} onInput={(e) => update({ from: e.currentTarget.value })} />}
          </Field>
          <div class="variables" role="group" aria-labelledby="vars-title">
            <p id="vars-title" class="label">Variables (insert into the HTML at the cursor)</p>
            <ul class="var-list">
              {VARIABLES.map(([v, d]) => (
                <li><button type="button" class="chip" disabled={readOnly} onClick={() => insertVar(v)} title={d}><code>{v}</code><span class="sr-only"> — {d}</span></button></li>
              ))}
            </ul>
          </div>
          <Field label="HTML body" name="html" error={[error, previewErr]} hint="Checked as you type: the preview shows any problem here.">
            {(a) => <textarea {...a} ref={htmlRef} readOnly={readOnly} class="mono" rows={14} spellcheck={false} value={draft.html} onInput={(e) => update({ html: e.currentTarget.value })} />}
          </Field>
          <p class="phone-only">
            <button type="button" class="btn btn-small btn-link" onClick={() => { const h = document.getElementById('preview-title'); h?.scrollIntoView({ block: 'start' }); h?.focus(); }}>See the preview</button>
          </p>
          <Field label="Plain-text body" name="text" error={[error, previewErr]} hint="For mail clients that do not show HTML. Optional when there is an HTML body.">
            {(a) => <textarea {...a} readOnly={readOnly} class="mono" rows={6} value={draft.text} onInput={(e) => update({ text: e.currentTarget.value })} />}
          </Field>
          <HeadersEditor headers={draft.headers} onChange={(h) => update({ headers: h })} error={[error, previewErr]} readOnly={readOnly}
            hint="Added to every message, e.g. X-Mailer. Values may use the variables. From, To, Subject, Date and the like are set by Phishdrill." />
          <Attachments list={draft.attachments} onChange={(a) => update({ attachments: a })} readOnly={readOnly} error={error} />
          <RedFlagsEditor flags={draft.red_flags} onChange={(f) => update({ red_flags: f })} error={error} readOnly={readOnly} />
          <PhishScaleCard draft={draft} loaded={loaded} error={error} readOnly={readOnly}
            onCategory={(category) => update({ phish_scale: { ...(draft.phish_scale ?? emptyPhishScale), category } })}
            onDismissed={(dismissed) => update({ phish_scale: { ...(draft.phish_scale ?? emptyPhishScale), dismissed } })} />
          {canEdit && (
            <div class="form-actions">
              <button class="btn btn-primary" type="submit" disabled={busy}>{busy ? 'Saving…' : id === undefined ? 'Create template' : 'Save changes'}</button>
              {dirty && id !== undefined && <span class="muted small">Unsaved changes</span>}
            </div>
          )}
        </form>
        <section class="card preview-pane" aria-labelledby="preview-title">
          <h2 id="preview-title" tabIndex={-1}>Preview</h2>
          <fieldset class="fieldset sample">
            <legend>Sample person</legend>
            <div class="grid-2">
              {(['first_name', 'last_name', 'email', 'position'] as const).map((k) => (
                <Field label={{ first_name: 'First name', last_name: 'Last name', email: 'Email', position: 'Position' }[k]} name={'target.' + k} error={previewErr}>
                  {(a) => <input {...a} value={sample[k]} onInput={(e) => setSample({ ...sample, [k]: e.currentTarget.value })} />}
                </Field>
              ))}
            </div>
          </fieldset>
          <p class={'preview-status' + (previewErr && previewState !== 'empty' ? ' preview-status-error' : '')} role="status" data-testid="preview-status">
            {previewState === 'empty' ? 'Write an HTML or plain-text body to see the preview.'
              : previewErr ? previewProblem(previewErr)
              : preview ? 'Rendered by the server for the sample person, as they will receive it.'
              : previewState === 'waiting' ? 'Rendering the preview…' : ''}
          </p>
          {preview && previewState !== 'empty' && (
            <div class={previewErr ? 'preview-stale' : ''}>
              <dl class="mail-head">
                <dt>From</dt><dd>{preview.from ? <Flagged text={preview.from} flags={draft.red_flags} part="from" /> : '(the sending profile’s sender)'}</dd>
                <dt>Subject</dt><dd data-testid="preview-subject"><Flagged text={preview.subject} flags={draft.red_flags} part="subject" /></dd>
              </dl>
              {/* sandbox="": no scripts, no forms, no navigation; the page's CSP blocks remote images. */}
              <iframe class="mail-frame" title="Email preview" sandbox="" srcdoc={preview.html} />
              {preview.attachments.map((a) => (
                <div key={a.name}>
                  <h3>Attachment: {a.name}</h3>
                  <iframe class="page-frame" title={`Attachment preview: ${a.name}`} sandbox="" srcdoc={a.html} />
                </div>
              ))}
              <p class="hint">Links are inert and remote images are not loaded in the preview, so previewing never contacts another server.</p>
              {draft.red_flags.length > 0 && (
                <div>
                  <h3>Red flags in this message</h3>
                  <ul class="flag-list">{draft.red_flags.map((f) => <li><span class="badge badge-warn">{f.part}</span> {f.text && <mark>{f.text}</mark>} {f.explanation}</li>)}</ul>
                </div>
              )}
            </div>
          )}
        </section>
      </div>
    </>
  );
}

// The NIST Phish Scale rating of the unsaved draft: the server rates it
// (POST /templates/rate) ~600 ms after the last change. The library category
// chooses which premise answers apply (saved in phish_scale.category). A
// detected cue type can be dismissed (its detected cues stop counting) and
// restored (phish_scale.dismissed), saved with the template.
function PhishScaleCard({ draft, loaded, error, readOnly, onCategory, onDismissed }: {
  draft: Draft; loaded: boolean; error: unknown; readOnly: boolean; onCategory: (c: string) => void; onDismissed: (d: string[]) => void;
}) {
  const titleId = useId('phish-scale');
  const [rating, setRating] = useState<PhishRating | null>(null);
  const [rateErr, setRateErr] = useState<unknown>(null);
  const [waiting, setWaiting] = useState(false);
  const categories = useAsync((s) => get<RatedLibraryList>('/library/simulations', s).then((l) => l.categories), []);
  const seq = useRef(0);
  useEffect(() => {
    if (!loaded) return;
    const n = ++seq.current;
    if (!draft.html.trim() && !draft.text.trim() && !draft.subject.trim()) { setRating(null); setRateErr(null); setWaiting(false); return; }
    setWaiting(true);
    const ctl = new AbortController();
    const t = setTimeout(() => {
      const headers = draft.headers.every((h) => h.name.trim()) ? draft.headers : undefined;
      const template = {
        subject: draft.subject, html: draft.html, text: draft.text, from: draft.from, attachments: draft.attachments,
        ...(headers ? { headers } : {}), ...(draft.phish_scale ? { phish_scale: draft.phish_scale } : {}),
      };
      call<PhishRating>('POST', '/templates/rate', { body: { template }, signal: ctl.signal }).then(
        (r) => { if (n === seq.current) { setRating(r); setRateErr(null); setWaiting(false); } },
        (e) => { if (n === seq.current && (e as Error)?.name !== 'AbortError') { setRateErr(e); setWaiting(false); } },
      );
    }, 600);
    return () => { clearTimeout(t); ctl.abort(); };
  }, [loaded, draft.subject, draft.html, draft.text, draft.from, draft.headers, draft.attachments, draft.phish_scale]);
  const category = draft.phish_scale?.category ?? '';
  const options: string[] = categories.data ?? [];
  const dismissed = draft.phish_scale?.dismissed ?? [];
  return (
    <fieldset class="fieldset" aria-labelledby={titleId} data-testid="phish-scale">
      <legend id={titleId}>Phish Scale</legend>
      <p class="hint">How hard this message is to spot, on the NIST Phish Scale: the fewer cues and the closer its premise fits your organisation, the harder.</p>
      <Field label="Category" name="phish_scale.category" error={error} hint="Which library category's premise answers apply to this message.">
        {(a) => (
          <select {...a} disabled={readOnly} value={category} onChange={(e) => onCategory(e.currentTarget.value)}>
            <option value="">General</option>
            {category && !options.includes(category) && <option value={category}>{categoryLabel(category)}</option>}
            {options.map((c) => <option value={c}>{categoryLabel(c)}</option>)}
          </select>
        )}
      </Field>
      <p role="status" class="small" data-testid="phish-scale-status">
        {rateErr ? `Could not rate the message: ${rateErr instanceof ApiError ? rateErr.message : String((rateErr as Error)?.message ?? rateErr)}`
          : !rating ? (waiting ? 'Rating the message…' : 'Write the message to see its rating.')
          : <>{rating.cue_count} cues ({rating.cue_band}) · <DifficultyBadge difficulty={rating.difficulty} label={rating.difficulty_label} />{waiting && <span class="muted"> (updating…)</span>}</>}
      </p>
      {rating && (
        <>
          <ul class="small">{rating.reasons.map((r) => <li>{r}</li>)}</ul>
          <CueList cues={rating.cues} testid="phish-scale-cues"
            onDismiss={readOnly ? undefined : (t) => onDismissed([...dismissed.filter((x) => x !== t), t])} />
        </>
      )}
      {(rating || dismissed.length > 0) && (
        <>
          <DismissedCues dismissed={dismissed} onRestore={readOnly ? undefined : (t) => onDismissed(dismissed.filter((x) => x !== t))} />
          {fieldError(error, 'phish_scale.dismissed') && <p class="field-error">{fieldError(error, 'phish_scale.dismissed')}</p>}
        </>
      )}
    </fieldset>
  );
}
