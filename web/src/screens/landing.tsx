import { useEffect, useState } from 'preact/hooks';
import { del, get, post, put, qs, type LandingPage, type Page } from '../api';
import { fmtTime } from '../format';
import { Link, navigate } from '../router';
import { useCan } from '../session';
import { ConfirmButton, Empty, ErrorBanner, Field, Loading, Notice, PageHeader, Pager, useAsync, usePager } from '../ui';

const CAPTURE: { value: LandingPage['capture']; label: string; text: string }[] = [
  { value: 'none', label: 'Nothing', text: 'Only the fact that the form was submitted is recorded.' },
  { value: 'fields', label: 'Field names', text: 'Which fields were filled in (e.g. “username”, “password”), never what was typed.' },
  { value: 'values', label: 'Values of safe fields', text: 'What was typed into the fields named as safe to keep below (e.g. a username); every other field is kept as a name only. Passwords, codes and other secret-looking fields can never be named safe.' },
];

export function LandingPages() {
  const canEdit = useCan('operator');
  const pager = usePager();
  const list = useAsync((s) => get<Page<LandingPage>>('/pages' + qs({ limit: 50, cursor: pager.cursor }), s), [pager.cursor]);
  return (
    <>
      <PageHeader title="Landing pages" sub="What people see after they click a simulated phishing link.">
        {canEdit && <Link class="btn btn-primary" href="/pages/new">New landing page</Link>}
      </PageHeader>
      <section class="card" aria-label="Landing pages">
        {list.loading && !list.data && <Loading what="Loading landing pages" />}
        <ErrorBanner error={list.error} title="Could not load the landing pages." />
        {list.data && list.data.items.length === 0 && pager.page === 1 && <Empty title="No landing pages yet">A campaign can also run without one: clicks then go straight to the teaching page.</Empty>}
        {list.data && list.data.items.length > 0 && (
          <>
            <div class="table-wrap table-wrap-cards" tabIndex={0}>
              <table class="table stack">
                <thead><tr><th scope="col">Name</th><th scope="col">Captures</th><th scope="col">Redirects to</th><th scope="col">Updated</th></tr></thead>
                <tbody>{list.data.items.map((p) => (
                  <tr><td class="stack-title"><Link href={`/pages/${p.id}`}>{p.name}</Link></td><td data-label="Captures">{CAPTURE.find((c) => c.value === p.capture)?.label}</td><td class="break" data-label="Redirects to">{p.redirect_url || '—'}</td><td data-label="Updated">{fmtTime(p.updated_at)}</td></tr>
                ))}</tbody>
              </table>
            </div>
            <Pager label="Landing page pages" page={pager.page} hasNext={!!list.data.next_cursor} onPrev={pager.prev} onNext={() => list.data?.next_cursor && pager.next(list.data.next_cursor)} />
          </>
        )}
      </section>
    </>
  );
}

type Draft = Pick<LandingPage, 'name' | 'html' | 'capture' | 'redirect_url' | 'source_url' | 'allow_scripts'> & { safe_fields: string };
const empty: Draft = { name: '', html: '', capture: 'fields', redirect_url: '', source_url: '', safe_fields: '', allow_scripts: false };

const toDraft = (p: LandingPage): Draft => ({ name: p.name, html: p.html, capture: p.capture, redirect_url: p.redirect_url, source_url: p.source_url, safe_fields: p.safe_fields.join(', '), allow_scripts: p.allow_scripts });
const toBody = (d: Draft) => ({ ...d, safe_fields: d.safe_fields.split(',').map((f) => f.trim()).filter(Boolean) });

export function LandingPageEditor({ id }: { id?: number }) {
  const canEdit = useCan('operator');
  const isAdmin = useCan('admin');
  const [draft, setDraft] = useState<Draft>(empty);
  const [scriptsCleared, setScriptsCleared] = useState(false);
  const [loaded, setLoaded] = useState(id === undefined);
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [previewHtml, setPreviewHtml] = useState('');
  useEffect(() => {
    if (id === undefined) { setDraft(empty); setLoaded(true); return; }
    setLoaded(false);
    get<LandingPage>(`/pages/${id}`).then((p) => { setDraft(toDraft(p)); setLoaded(true); }, setLoadErr);
  }, [id]);
  useEffect(() => { const t = setTimeout(() => setPreviewHtml(draft.html), 250); return () => clearTimeout(t); }, [draft.html]);
  const update = (p: Partial<Draft>) => { setDraft({ ...draft, ...p }); setSaved(false); setScriptsCleared(false); };
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (id === undefined) {
        const p = await post<LandingPage>('/pages', toBody(draft));
        navigate(`/pages/${p.id}`, true);
      } else {
        const p = await put<LandingPage>(`/pages/${id}`, toBody(draft));
        setScriptsCleared(draft.allow_scripts && !p.allow_scripts);
        setDraft(toDraft(p));
        setSaved(true);
      }
    } catch (err) { setError(err); } finally { setBusy(false); }
  };
  if (loadErr) return <><PageHeader title="Landing page" /><ErrorBanner error={loadErr} title="Could not load the landing page." /></>;
  if (!loaded) return <Loading what="Loading the landing page" />;
  const ro = !canEdit;
  return (
    <>
      <PageHeader title={id === undefined ? 'New landing page' : draft.name || 'Landing page'}>
        {id !== undefined && canEdit && (
          <ConfirmButton label="Delete landing page" title="Delete this landing page?" message="Campaigns that use it will no longer show it."
            onConfirm={async () => { await del(`/pages/${id}`); navigate('/pages'); }} />
        )}
      </PageHeader>
      <p><Link href="/pages">← All landing pages</Link></p>
      <div class="editor-layout">
        <form class="card" onSubmit={save} noValidate aria-label="Landing page">
          {saved && <Notice kind="success">Saved.{scriptsCleared && ' The page’s own scripts are off again: an admin must allow them for the new HTML.'}</Notice>}
          <ErrorBanner error={error} title="Could not save the landing page." />
          <Field label="Name" name="name" error={error}>
            {(a) => <input {...a} readOnly={ro} value={draft.name} onInput={(e) => update({ name: e.currentTarget.value })} />}
          </Field>
          <Field label="HTML" name="html" error={error} hint="Forms are rewritten to post back to Phishdrill; their target address is ignored.">
            {(a) => <textarea {...a} readOnly={ro} class="mono" rows={14} spellcheck={false} value={draft.html} onInput={(e) => update({ html: e.currentTarget.value })} />}
          </Field>
          <fieldset class="fieldset">
            <legend>What a submitted form records</legend>
            {CAPTURE.map((c) => (
              <label class="radio">
                <input type="radio" name="capture" value={c.value} disabled={ro} checked={draft.capture === c.value} onChange={() => update({ capture: c.value })} />
                <span><strong>{c.label}.</strong> {c.text}</span>
              </label>
            ))}
          </fieldset>
          <Field label="Fields safe to keep" name="safe_fields" error={error} hint="Names of the form fields whose values may be kept when the page records values, separated by commas (e.g. username, department). Every other field is kept as a name only; a password or code field cannot be named.">
            {(a) => <input {...a} readOnly={ro} value={draft.safe_fields} onInput={(e) => update({ safe_fields: e.currentTarget.value })} />}
          </Field>
          {isAdmin ? (
            <label class="check"><input type="checkbox" name="allow_scripts" checked={draft.allow_scripts} onChange={(e) => update({ allow_scripts: e.currentTarget.checked })} /> Let the page’s own scripts run (admins only). Forms and scripts can still only send to Phishdrill, but a script could leak what people type through image addresses or by navigating away: allow only scripts you have read.</label>
          ) : draft.allow_scripts && (
            <p class="hint">An admin has allowed this page’s own scripts. Changing its HTML turns them off until an admin allows them again.</p>
          )}
          <Field label="After submitting, send people to" name="redirect_url" error={error} hint="An http(s) address, e.g. the real login page. Leave empty to show the teaching page.">
            {(a) => <input {...a} readOnly={ro} type="url" value={draft.redirect_url} onInput={(e) => update({ redirect_url: e.currentTarget.value })} />}
          </Field>
          <Field label="Copied from (optional)" name="source_url" error={error} hint="Relative links, images and styles of the page load from this address.">
            {(a) => <input {...a} readOnly={ro} type="url" value={draft.source_url} onInput={(e) => update({ source_url: e.currentTarget.value })} />}
          </Field>
          {canEdit && <button class="btn btn-primary" type="submit" disabled={busy}>{busy ? 'Saving…' : id === undefined ? 'Create landing page' : 'Save changes'}</button>}
        </form>
        <section class="card preview-pane" aria-labelledby="lp-preview">
          <h2 id="lp-preview">Preview</h2>
          <p class="muted">Shown without scripts and without submitting anything.</p>
          <iframe class="page-frame" title="Landing page preview" sandbox="" srcdoc={previewHtml} />
        </section>
      </div>
    </>
  );
}
