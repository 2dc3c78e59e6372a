// The simulation library (issue #14): the phishing simulations shipped with
// Phishdrill, found by words and filters kept in the address, and one
// simulation with its preview for this workspace's branding, its red flags,
// its NIST Phish Scale cues and premise answers. The preview is the
// simulation's own HTML: it is shown only in <iframe sandbox="" srcdoc> (no
// scripts, forms or navigation; the page's CSP blocks remote images).
// Operators and admins copy a simulation into the workspace (an email
// template, and a landing page when it has one) and land on the new template.
// Packs: operators export the simulations they select (a .tar.gz that another
// Phishdrill imports); admins import packs and remove what was imported (a
// shipped simulation an imported one replaced comes back).
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, call, del, download, get, post, qs, type LibraryCue, type LibraryExport, type LibraryPackImport, type LibraryPackOutcome, type LibrarySimulation, type LibrarySource, type LibraryUseResult, type RatedLibraryList, type RatedLibrarySimulation, type RatedLibrarySummary, type RatingCue, type RedFlag } from '../api';
import { fmtTime } from '../format';
import { CueList, DifficultyBadge, RatingCard, difficultyLabel } from '../phishscale';
import { Link, navigate, useQueryParam } from '../router';
import { useCan } from '../session';
import { Badge, ConfirmButton, Empty, ErrorBanner, Field, Loading, Notice, PageHeader, fieldError, saveFile, setFlash, useAsync, useFlash, useId } from '../ui';
import { Flagged } from './templates';

// ---------------------------------------------------------------- words

const humanize = (v: string) => {
  const s = v.replace(/[-_]+/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
};
const labelIn = (labels: Record<string, string>) => (v: string) => labels[v] ?? humanize(v);

export const categoryLabel = labelIn({
  'credential-harvesting': 'Credential harvesting', mfa: 'MFA', 'business-email-compromise': 'Business email compromise',
  'invoice-and-payment': 'Invoice and payment', 'gift-cards': 'Gift cards', 'hr-and-payroll': 'HR and payroll',
  'it-help-desk': 'IT help desk', 'qr-code': 'QR code', 'social-media': 'Social media',
});
const channelLabel = labelIn({ email: 'Email with a link', 'qr-code': 'QR code', attachment: 'Attachment', callback: 'Phone call-back' });
const languageLabel = labelIn({ en: 'English', es: 'Spanish' });
const audienceLabel = labelIn({ everyone: 'Everyone', hr: 'HR', it: 'IT', clinical: 'Clinical staff' });
const SOURCES: LibrarySource[] = ['shipped', 'imported'];
const sourceLabel = labelIn({ shipped: 'Shipped', imported: 'Imported' });
const OUTCOME: Record<LibraryPackOutcome['outcome'], [string, string]> = { added: ['Added', 'success'], updated: ['Updated', 'info'], unchanged: ['Unchanged', 'muted'] };
// "For finance", "For HR" (acronyms keep their capitals).
const forAudience = (a: string) => { const l = audienceLabel(a); return 'For ' + (/^[A-Z]{2}/.test(l) ? l : l.toLowerCase()); };

const PART_LABEL: Record<RedFlag['part'], string> = { subject: 'Subject', from: 'Sender', body: 'Body', link: 'Link' };

const PREMISE: [keyof LibrarySimulation['premise'], string][] = [
  ['workplace_process', 'Mimics a workplace process or practice'],
  ['workplace_relevance', 'Has workplace relevance'],
  ['external_events', 'Aligns with events outside work (news, seasons, storms)'],
  ['consequences', 'Raises concern over consequences of not acting'],
  ['training_exposure', 'Has been the subject of training or warnings (high makes it easier to spot)'],
];
const PREMISE_KIND: Record<string, string> = { extreme: 'warn', significant: 'warn', moderate: 'info', low: 'muted', none: 'muted' };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const simulationPath = (slug: string) => `/library/${encodeURIComponent(slug)}`;
const importedAt = (seconds: number | null) => fmtTime(seconds == null ? null : new Date(seconds * 1000).toISOString());

// The list's address, filters included, for the way back from a simulation.
let listSearch = '';

// ---------------------------------------------------------------- the list

type FilterKey = 'category' | 'language' | 'channel' | 'audience' | 'difficulty' | 'source';
// A filter's choices come with every answer (`vocab` names them) or are fixed.
const FILTERS: { key: FilterKey; label: string; vocab: keyof Omit<RatedLibraryList, 'items'> | string[]; show: (v: string) => string; any?: string }[] = [
  { key: 'category', label: 'Category', vocab: 'categories', show: categoryLabel },
  { key: 'language', label: 'Language', vocab: 'languages', show: languageLabel },
  { key: 'channel', label: 'Channel', vocab: 'channels', show: channelLabel },
  { key: 'audience', label: 'Audience', vocab: 'audiences', show: audienceLabel },
  { key: 'difficulty', label: 'Difficulty', vocab: 'difficulties', show: difficultyLabel },
  { key: 'source', label: 'Source', vocab: SOURCES, show: sourceLabel, any: 'All' },
];

export function Library() {
  const [q, setQ] = useQueryParam('q', '');
  const filters = {
    category: useQueryParam('category', ''), language: useQueryParam('language', ''),
    channel: useQueryParam('channel', ''), audience: useQueryParam('audience', ''), difficulty: useQueryParam('difficulty', ''),
    source: useQueryParam('source', ''),
  };
  const values = {
    q, category: filters.category[0], language: filters.language[0], channel: filters.channel[0], audience: filters.audience[0],
    difficulty: filters.difficulty[0], source: filters.source[0],
  };
  const canExport = useCan('operator');
  const canImport = useCan('admin');
  const flash = useFlash();
  // The slugs chosen for export, kept while the filters change.
  const [selected, setSelected] = useState<string[]>([]);
  const key = JSON.stringify(values);
  const [typed, setTyped] = useState(q);
  // The search follows the typing, 300 ms after the last key (Enter: at once).
  useEffect(() => {
    if (typed.trim() === q) return;
    const t = setTimeout(() => setQ(typed.trim()), 300);
    return () => clearTimeout(t);
  }, [typed]);
  useEffect(() => { listSearch = location.search; }, [key]);
  const list = useAsync((s) => get<RatedLibraryList>('/library/simulations' + qs(values), s), [key]);
  // The filters' words come with every answer; an error (a bad filter in the address) keeps the last ones.
  const vocab = useRef<RatedLibraryList | null>(null);
  if (list.data) vocab.current = list.data;
  const filtered = Object.values(values).some(Boolean);
  const clear = () => { setTyped(''); setQ(''); FILTERS.forEach((f) => filters[f.key][1]('')); };
  const items = list.data?.items;
  return (
    <>
      <PageHeader title="Simulation library" sub="Ready-made phishing simulations, written for Phishdrill. Preview one with your organisation's branding, then use it in a campaign." />
      {flash && <Notice kind="success">{flash}</Notice>}
      <section class="card" aria-labelledby="library-filters-title">
        <h2 id="library-filters-title" class="sr-only">Find a simulation</h2>
        <form class="filters library-filters" role="search" aria-label="Find a simulation" onSubmit={(e) => { e.preventDefault(); setQ(typed.trim()); }}>
          <Field label="Search" name="q" error={list.error} hint="Words in the title, summary or tags.">
            {(a) => <input {...a} type="search" value={typed} autoComplete="off" onInput={(e) => setTyped(e.currentTarget.value)} />}
          </Field>
          {FILTERS.map((f) => {
            const [value, set] = filters[f.key];
            const options = (Array.isArray(f.vocab) ? f.vocab : vocab.current?.[f.vocab] ?? []) as string[];
            return (
              <Field label={f.label} name={f.key} error={list.error}>
                {(a) => (
                  <select {...a} value={value} onChange={(e) => set(e.currentTarget.value)}>
                    <option value="">{f.any ?? 'Any'}</option>
                    {value && !options.includes(value) && <option value={value}>{value}</option>}
                    {options.map((o) => <option value={o}>{f.show(o)}</option>)}
                  </select>
                )}
              </Field>
            );
          })}
        </form>
        <div class="library-count">
          <p role="status" data-testid="library-count" class="muted">
            {items ? `${plural(items.length, 'simulation', 'simulations')}${filtered ? (items.length === 1 ? ' matches' : ' match') : ''}` : ''}
          </p>
          {filtered && <button type="button" class="btn btn-small" onClick={clear}>Clear filters</button>}
        </div>
      </section>
      {canExport && (
        <section class="card" aria-labelledby="packs-title" data-testid="library-packs">
          <h2 id="packs-title">Packs</h2>
          <p class="hint">A pack is a .tar.gz of simulation folders: export simulations to use them in another Phishdrill{canImport ? ', or import a pack into this workspace' : ''}.</p>
          <div class="library-packs">
            <ExportSelected slugs={selected} onClear={() => setSelected([])} />
            {canImport && <ImportPack onImported={list.reload} />}
          </div>
        </section>
      )}
      <ErrorBanner error={list.error} title="Could not load the library." />
      {list.loading && !list.data && <Loading what="Loading the library" />}
      {items && items.length === 0 && (
        <Empty title={filtered ? 'No simulation matches these filters' : 'The library is empty'}>
          {filtered
            ? <><p>Try other words, or fewer filters.</p><button type="button" class="btn btn-small" onClick={clear}>Clear filters</button></>
            : 'No simulations were found in the server\u2019s simulation folder.'}
        </Empty>
      )}
      {items && items.length > 0 && (
        <ul class="module-grid library-grid" aria-label="Simulations" aria-busy={list.loading} data-testid="library-results">
          {items.map((s) => (
            <SimulationCard s={s} selected={selected.includes(s.slug)}
              onSelect={canExport ? (on) => setSelected((was) => (on ? [...was.filter((x) => x !== s.slug), s.slug] : was.filter((x) => x !== s.slug))) : undefined} />
          ))}
        </ul>
      )}
    </>
  );
}

function SimulationCard({ s, selected, onSelect }: { s: RatedLibrarySummary; selected: boolean; onSelect?: (on: boolean) => void }) {
  const lang = s.language === 'en' ? undefined : s.language;
  return (
    <li class="card library-card">
      <h2 class="h3" lang={lang}><Link href={simulationPath(s.slug)}>{s.title}</Link></h2>
      {onSelect && (
        <label class="check library-select">
          <input type="checkbox" checked={selected} onChange={(e) => onSelect(e.currentTarget.checked)} /> Select<span class="sr-only" lang={lang}> {s.title}</span>
        </label>
      )}
      <p lang={lang}>{s.summary}</p>
      <p class="library-meta small">
        {[categoryLabel(s.category), channelLabel(s.channel), languageLabel(s.language),
          s.audience === 'everyone' ? '' : forAudience(s.audience)]
          .filter(Boolean).join(' · ')}
      </p>
      <p class="library-badges">
        <DifficultyBadge difficulty={s.difficulty} label={s.rating?.difficulty_label} />
        <Badge kind="warn">{plural(s.red_flag_count, 'red flag', 'red flags')}</Badge>
        {s.has_landing_page && <Badge kind="info">Landing page</Badge>}
        {s.source === 'imported' && <span data-testid="source-badge"><Badge kind="automated">Imported</Badge></span>}
        {s.replaces_shipped && <Badge kind="muted">Replaces shipped</Badge>}
      </p>
    </li>
  );
}

// The selected simulations as a pack (POST /library/export), downloaded.
function ExportSelected({ slugs, onClear }: { slugs: string[]; onClear: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const exportPack = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const body: LibraryExport = { simulations: slugs };
      const file = await download('POST', '/library/export', { body }, 'phishdrill-pack.tar.gz');
      saveFile(file);
      setDone(`Downloaded ${file.filename} (${plural(slugs.length, 'simulation', 'simulations')}).`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="library-export" role="group" aria-labelledby="export-title">
      <h3 id="export-title">Export</h3>
      <p class="muted" data-testid="export-count">{slugs.length ? `${plural(slugs.length, 'simulation', 'simulations')} selected.` : 'Tick “Select” on the simulations to export.'}</p>
      <div class="form-actions">
        <button type="button" class="btn btn-primary" disabled={!slugs.length || busy} onClick={exportPack}>{busy ? 'Exporting…' : 'Export selected'}</button>
        {slugs.length > 0 && <button type="button" class="btn" onClick={onClear}>Clear selection</button>}
      </div>
      <ErrorBanner error={error} title="Could not export the pack." />
      {done && <Notice kind="success">{done}</Notice>}
    </div>
  );
}

// Importing a pack (admins): the file's bytes as they are (POST
// /library/packs), then what became of each simulation in it. The pack is taken
// whole or not at all: an error names the broken file or the version to raise.
function ImportPack({ onImported }: { onImported: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<{ file: string; outcomes: LibraryPackOutcome[] } | null>(null);
  const upload = async (file: File) => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await call<LibraryPackImport>('POST', '/library/packs', { raw: file, contentType: /\.tar$/i.test(file.name) ? 'application/x-tar' : 'application/gzip' });
      setResult({ file: file.name, outcomes: r.simulations });
      onImported();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const count = (o: LibraryPackOutcome['outcome']) => result?.outcomes.filter((x) => x.outcome === o).length ?? 0;
  return (
    <div class="library-import">
      <h3>Import</h3>
      <Field label="Import pack" name="pack" hint="A .tar, .tar.gz or .tgz of simulation folders in the library's format. A simulation imported before is replaced only when the pack raises its version.">
        {(a) => (
          <input {...a} type="file" accept=".tar,.tar.gz,.tgz" disabled={busy}
            onChange={(e) => { const f = e.currentTarget.files?.[0]; e.currentTarget.value = ''; if (f) void upload(f); }} />
        )}
      </Field>
      {busy && <Loading what="Importing the pack" />}
      <ErrorBanner error={error} title="Could not import the pack." />
      {result && (
        <div data-testid="pack-outcome">
          <Notice kind="success">
            <strong>Imported “{result.file}”.</strong> {count('added')} added, {count('updated')} updated, {count('unchanged')} unchanged.
          </Notice>
          <div class="table-wrap table-wrap-cards" tabIndex={0}>
            <table class="table stack">
              <caption class="sr-only">Simulations in the pack</caption>
              <thead><tr><th scope="col">Simulation</th><th scope="col">Slug</th><th scope="col" class="num">Version</th><th scope="col">Outcome</th></tr></thead>
              <tbody>{result.outcomes.map((o) => (
                <tr>
                  <td class="stack-title"><Link href={simulationPath(o.slug)}>{o.title}</Link></td>
                  <td data-label="Slug"><code>{o.slug}</code></td>
                  <td class="num" data-label="Version">{o.version}</td>
                  <td data-label="Outcome"><Badge kind={OUTCOME[o.outcome]?.[1] ?? 'muted'}>{OUTCOME[o.outcome]?.[0] ?? o.outcome}</Badge></td>
                </tr>
              ))}</tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
}

// ---------------------------------------------------------------- one simulation

export function LibrarySimulationPage({ slug }: { slug: string }) {
  const canRemove = useCan('admin');
  const sim = useAsync((s) => get<RatedLibrarySimulation>(`/library/simulations/${encodeURIComponent(slug)}`, s), [slug]);
  const back = <p><Link href={'/library' + listSearch}>← Simulation library</Link></p>;
  if (sim.error) {
    const missing = sim.error instanceof ApiError && sim.error.status === 404;
    return (
      <>
        <PageHeader title={missing ? 'Simulation not found' : 'Simulation'} />
        {back}
        {missing ? <p>The library has no simulation “{slug}”.</p> : <ErrorBanner error={sim.error} title="Could not load the simulation." />}
      </>
    );
  }
  if (!sim.data || sim.data.slug !== slug) return <Loading what="Loading the simulation" />;
  const d = sim.data;
  const lang = d.language === 'en' ? undefined : d.language;
  return (
    <>
      <PageHeader title={d.title} lang={lang}>
        {canRemove && d.source === 'imported' && (
          <ConfirmButton label="Remove" title="Remove this imported simulation?" confirmLabel="Remove simulation"
            message={<>“{d.title}” leaves this workspace's library{d.replaces_shipped ? ' and the shipped simulation it replaced comes back' : ''}. Templates already copied from it stay.</>}
            onConfirm={async () => {
              await del(`/library/simulations/${encodeURIComponent(d.slug)}`);
              setFlash(<>Removed “{d.title}” from the library.</>);
              navigate('/library' + listSearch);
            }} />
        )}
      </PageHeader>
      {back}
      <div class="library-top">
        <section class="card" aria-labelledby="about-title">
          <h2 id="about-title">About this simulation</h2>
          <p lang={lang}>{d.summary}</p>
          <dl class="summary-list" data-testid="simulation-meta">
            <dt>Category</dt><dd>{categoryLabel(d.category)}</dd>
            <dt>Channel</dt><dd>{channelLabel(d.channel)}</dd>
            <dt>Language</dt><dd>{languageLabel(d.language)}</dd>
            <dt>Audience</dt><dd>{audienceLabel(d.audience)}</dd>
            <dt>Tags</dt><dd>{d.tags.length ? d.tags.map((t) => <span class="tag">{t}</span>) : '—'}</dd>
            <dt>Landing page</dt>
            <dd>{d.landing_page
              ? <>{d.landing_page.title} <span class="muted small">({d.landing_page.capture === 'fields' ? 'records which fields were filled, never what was typed' : 'records only that the form was sent'})</span></>
              : 'None'}</dd>
            {d.attachments.length > 0 && (
              <><dt>Attachments</dt><dd>{d.attachments.map((a) => <div class="break">{a.name} <span class="muted small">({a.content_type})</span></div>)}</dd></>
            )}
            <dt>Version</dt><dd>{d.version}</dd>
            <dt>Source</dt>
            <dd data-testid="simulation-source">{d.source === 'imported'
              ? <><Badge kind="automated">Imported</Badge> {importedAt(d.imported_at)}{d.replaces_shipped && <> · replaces the shipped simulation</>}</>
              : 'Shipped with Phishdrill'}</dd>
          </dl>
        </section>
        <UseSimulation sim={d} />
      </div>
      <div class="editor-layout library-layout">
        <div>
          <Preview sim={d} />
          {d.preview.attachments.map((a, i) => (
            <section class="card" aria-labelledby={`attachment-title-${i}`} key={a.name}>
              <h2 id={`attachment-title-${i}`}>Attachment: {a.name}</h2>
              <p class="hint">The file as the person would open it, filled with their own link. Its links are inert here.</p>
              <iframe class="page-frame" title={`Attachment preview: ${a.name}`} sandbox="" srcdoc={a.html} />
            </section>
          ))}
          {d.preview.landing_html != null && (
            <section class="card" aria-labelledby="landing-title">
              <h2 id="landing-title">Landing page</h2>
              <p class="hint">Where the link leads{d.landing_page ? <>: “{d.landing_page.title}”</> : ''}. Its form is inert here.</p>
              <iframe class="page-frame" title={`Landing page preview: ${d.landing_page?.title ?? d.title}`} sandbox="" srcdoc={d.preview.landing_html} />
            </section>
          )}
        </div>
        <div>
          {d.rating && <RatingCard rating={d.rating} observed={d.observed} />}
          <RedFlags flags={d.red_flags} />
          <Cues cues={d.rating?.cues ?? d.cues} />
          <section class="card" aria-labelledby="premise-title">
            <h2 id="premise-title">Premise alignment</h2>
            <p class="hint">The author's answers to the Phish Scale's premise questions. How well the premise fits your organisation is yours to judge: the closer the fit, the harder the message is to spot.</p>
            <dl class="summary-list premise-list" data-testid="premise">
              {PREMISE.map(([k, q]) => <><dt>{q}</dt><dd><Badge kind={PREMISE_KIND[d.premise[k]] ?? 'muted'}>{humanize(d.premise[k])}</Badge></dd></>)}
            </dl>
          </section>
        </div>
      </div>
    </>
  );
}

function Preview({ sim }: { sim: LibrarySimulation }) {
  const [view, setView] = useState<'html' | 'text'>(sim.preview.html ? 'html' : 'text');
  const p = sim.preview;
  const lang = sim.language === 'en' ? undefined : sim.language;
  return (
    <section class="card" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview</h2>
      <p class="hint">Rendered for a sample person with this workspace's branding (“{sim.branding.org_name}”, {sim.branding.org_domain}). Links are inert and remote images are not loaded.</p>
      {sim.branding.org_domain_placeholder && (
        <p class="hint" data-testid="placeholder-domain"><strong>{sim.branding.org_domain} is a placeholder:</strong> once you add people, the domain most of their addresses share takes its place.</p>
      )}
      <dl class="mail-head">
        <dt>From</dt><dd data-testid="preview-from"><Flagged text={p.from} flags={sim.red_flags} part="from" /></dd>
        <dt>Subject</dt><dd data-testid="preview-subject" lang={lang}><Flagged text={p.subject} flags={sim.red_flags} part="subject" /></dd>
        {sim.attachments.length > 0 && <><dt>Attached</dt><dd data-testid="preview-attachments">{sim.attachments.map((a) => a.name).join(', ')}</dd></>}
      </dl>
      <div class="segmented" role="group" aria-label="Show the message as">
        <button type="button" class="btn btn-small" aria-pressed={view === 'html'} disabled={!p.html} onClick={() => setView('html')}>HTML</button>
        <button type="button" class="btn btn-small" aria-pressed={view === 'text'} onClick={() => setView('text')}>Plain text</button>
      </div>
      {/* sandbox="": no scripts, no forms, no navigation; the page's CSP blocks remote images. */}
      {view === 'html'
        ? <iframe class="mail-frame" title={`Email preview: ${sim.title}`} sandbox="" srcdoc={p.html} />
        : <pre class="raw mail-text" data-testid="preview-text" lang={lang} tabIndex={0} aria-label="Plain-text body">{p.text}</pre>}
    </section>
  );
}

function RedFlags({ flags }: { flags: RedFlag[] }) {
  return (
    <section class="card" aria-labelledby="flags-title">
      <h2 id="flags-title">Red flags ({flags.length})</h2>
      <p class="hint">What a careful reader could have spotted. The teaching page shows them to whoever falls for the message.</p>
      <ul class="flag-list" data-testid="red-flags">
        {flags.map((f) => (
          <li><Badge kind="warn">{PART_LABEL[f.part] ?? f.part}</Badge> {f.text && <mark>{f.text}</mark>} {f.explanation}</li>
        ))}
      </ul>
    </section>
  );
}

function Cues({ cues }: { cues: (LibraryCue | RatingCue)[] }) {
  const id = useId('cues');
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>Phish Scale cues ({cues.length})</h2>
      <p class="hint">The cues of the NIST Phish Scale this message shows, by category: the fewer there are, the harder it is to spot. “Detected” cues were found in the message by Phishdrill; “Author” cues are listed by the simulation's author.</p>
      <CueList cues={cues} />
    </section>
  );
}

// Copying into the workspace: operators and admins. A name left as suggested
// is not sent, so the server numbers it when taken (" (2)"); a name of one's
// own that is taken is a 409 shown next to the field.
function UseSimulation({ sim }: { sim: LibrarySimulation }) {
  const canUse = useCan('operator');
  const suggested = `Library: ${sim.title}`;
  const [name, setName] = useState(suggested);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => { setName(suggested); setError(null); }, [sim.slug]);
  const what = sim.landing_page ? 'an email template and a landing page' : 'an email template';
  if (!canUse) {
    return (
      <section class="card" aria-labelledby="use-title">
        <h2 id="use-title">Use it in your workspace</h2>
        <p>Using a simulation copies it into this workspace as {what}, which needs the operator role. Ask an operator or an admin of this workspace.</p>
      </section>
    );
  }
  const use = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const given = name.trim();
      const r = await post<LibraryUseResult>(`/library/simulations/${encodeURIComponent(sim.slug)}/use`, given && given !== suggested ? { name: given } : {});
      setFlash(r.landing_page_id == null
        ? <><strong>Added from the library.</strong> This template is your copy of “{sim.title}”. Review it, then choose it for a campaign.</>
        : (
          <>
            <strong>Added from the library.</strong> This template and its landing page are your copies of “{sim.title}”
            (<Link href={`/pages/${r.landing_page_id}`}>open the landing page</Link>). Review them, then choose both for a campaign.
          </>
        ));
      navigate(`/templates/${r.template_id}`);
    } catch (x) {
      setError(x);
      setBusy(false);
    }
  };
  return (
    <form class="card" aria-labelledby="use-title" noValidate onSubmit={use}>
      <h2 id="use-title">Use it in your workspace</h2>
      <p>Copies it into this workspace as {what}, with “{sim.branding.org_name}” and {sim.branding.org_domain} in place of the organisation's name and domain. The copies are yours to edit.</p>
      <ErrorBanner error={fieldError(error, 'name') ? null : error} title="Could not use this simulation." />
      <Field label="Template name" name="name" error={error} hint="As suggested, a name already taken gets “(2)” added; a name of your own must be new.">
        {(a) => <input {...a} value={name} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} />}
      </Field>
      <button type="submit" class="btn btn-primary" disabled={busy}>{busy ? 'Copying…' : 'Use this simulation'}</button>
    </form>
  );
}
