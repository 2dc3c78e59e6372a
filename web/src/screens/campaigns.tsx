import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, listAll, post, put, qs, type Campaign, type CampaignStatus, type Difficulty, type FollowUp, type Group, type LandingPage, type ModuleList, type ModuleSummary, type Page, type Profile, type RatedTemplate, type SendWindow } from '../api';
import { DIFFICULTY_LABEL, DifficultyBadge } from '../phishscale';
import { fmtTime, localToRfc3339, num, pct, rfc3339ToLocal } from '../format';
import { Link, navigate } from '../router';
import { useCan } from '../session';
import { Badge, Empty, ErrorBanner, Field, Loading, PageHeader, Pager, useAsync, usePager } from '../ui';

export const STATUS_LABEL: Record<CampaignStatus, string> = {
  draft: 'Draft', scheduled: 'Scheduled', sending: 'Sending', sent: 'Sent', completed: 'Completed', cancelled: 'Cancelled',
};
export function StatusBadge({ status }: { status: CampaignStatus }) {
  return <Badge kind={'status-' + status}>{STATUS_LABEL[status]}</Badge>;
}

export function Campaigns() {
  const canEdit = useCan('operator');
  const pager = usePager();
  const list = useAsync((s) => get<Page<Campaign>>('/campaigns' + qs({ limit: 50, cursor: pager.cursor }), s), [pager.cursor]);
  return (
    <>
      <PageHeader title="Campaigns" sub="Simulations: who gets which message, when, and what they did.">
        {canEdit && <Link class="btn btn-primary" href="/campaigns/new">New campaign</Link>}
      </PageHeader>
      <section class="card" aria-label="Campaigns">
        {list.loading && !list.data && <Loading what="Loading campaigns" />}
        <ErrorBanner error={list.error} title="Could not load the campaigns." />
        {list.data && list.data.items.length === 0 && pager.page === 1 && <Empty title="No campaigns yet">Create groups, a template and a sending profile, then start a campaign.</Empty>}
        {list.data && list.data.items.length > 0 && (
          <>
            <div class="table-wrap table-wrap-cards" tabIndex={0}>
              <table class="table stack">
                <thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col" class="num">Recipients</th><th scope="col" class="num">Sent</th><th scope="col" class="num">Phish-prone</th><th scope="col" class="num">Reported</th><th scope="col">Launched</th></tr></thead>
                <tbody>{list.data.items.map((c) => (
                  <tr>
                    <td class="stack-title"><Link href={`/campaigns/${c.id}`}>{c.name}</Link></td><td data-label="Status"><span><StatusBadge status={c.status} /></span></td>
                    <td class="num" data-label="Recipients">{num(c.counts.recipients)}</td><td class="num" data-label="Sent">{num(c.counts.sent)}</td>
                    <td class="num" data-label="Phish-prone">{c.results && c.counts.sent ? pct(c.results.clicked, c.counts.sent) : '—'}</td>
                    <td class="num" data-label="Reported">{c.results && c.counts.sent ? pct(c.results.reported, c.counts.sent) : '—'}</td>
                    <td data-label="Launched">{fmtTime(c.launched_at)}</td>
                  </tr>
                ))}</tbody>
              </table>
            </div>
            <Pager label="Campaign pages" page={pager.page} hasNext={!!list.data.next_cursor} onPrev={pager.prev} onNext={() => list.data?.next_cursor && pager.next(list.data.next_cursor)} />
          </>
        )}
      </section>
    </>
  );
}

const DAYS: [SendWindow['days'][number], string][] = [['mon', 'Monday'], ['tue', 'Tuesday'], ['wed', 'Wednesday'], ['thu', 'Thursday'], ['fri', 'Friday'], ['sat', 'Saturday'], ['sun', 'Sunday']];

interface Choices { templates: RatedTemplate[]; pages: LandingPage[]; profiles: Profile[]; groups: Group[]; modules: ModuleSummary[] | null }

interface Draft {
  name: string; weights: Record<number, number>; group_ids: number[]; page_id: string; profile_id: string; base_url: string;
  launch_at: string; send_by: string; jitter: string; useWindow: boolean; window: SendWindow;
  followUp: boolean; follow: FollowUp;
}
const defaultWindow: SendWindow = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00', utc_offset_minutes: -new Date().getTimezoneOffset() };
const emptyDraft: Draft = {
  name: '', weights: {}, group_ids: [], page_id: '', profile_id: '', base_url: '', launch_at: '', send_by: '', jitter: '0',
  useWindow: false, window: defaultWindow, followUp: false, follow: { module: '', trigger: 'clicked', due_days: 7 },
};

export function describeWindow(w: SendWindow | null): string {
  if (!w) return 'any day, any time';
  const days = w.days.length === 7 ? 'every day' : w.days.map((d) => d[0].toUpperCase() + d.slice(1)).join(', ');
  const off = w.utc_offset_minutes;
  const sign = off < 0 ? '−' : '+';
  const tz = `UTC${sign}${String(Math.floor(Math.abs(off) / 60)).padStart(2, '0')}:${String(Math.abs(off) % 60).padStart(2, '0')}`;
  return `${days}, ${w.start}–${w.end} (${tz})`;
}

export function CampaignForm({ id }: { id?: number }) {
  const [choices, setChoices] = useState<Choices | null>(null);
  const [loadErr, setLoadErr] = useState<unknown>(null);
  const [d, setD] = useState<Draft>(emptyDraft);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Narrows the template choices to one Phish Scale difficulty (not saved).
  const [difficulty, setDifficulty] = useState<Difficulty | ''>('');
  useEffect(() => {
    Promise.all([
      listAll<RatedTemplate>('/templates'), listAll<LandingPage>('/pages'), listAll<Profile>('/sending-profiles'), listAll<Group>('/groups'),
      get<ModuleList>('/training/modules').then((r) => r.items, () => null),
      id !== undefined ? get<Campaign>(`/campaigns/${id}`) : Promise.resolve(null),
    ]).then(([templates, pages, profiles, groups, modules, c]) => {
      setChoices({ templates, pages, profiles, groups, modules });
      if (c) {
        setD({
          name: c.name, weights: Object.fromEntries(c.templates.map((t) => [t.template_id, t.weight])), group_ids: c.group_ids,
          page_id: c.page_id ? String(c.page_id) : '', profile_id: String(c.profile_id), base_url: c.base_url, launch_at: rfc3339ToLocal(c.launch_at),
          send_by: rfc3339ToLocal(c.send_by), jitter: String(c.jitter_seconds), useWindow: !!c.window, window: c.window ?? defaultWindow,
          followUp: !!c.follow_up, follow: c.follow_up ?? emptyDraft.follow,
        });
      } else if (profiles.length === 1) {
        setD((x) => ({ ...x, profile_id: String(profiles[0].id) }));
      }
    }, setLoadErr);
  }, [id]);
  const u = (p: Partial<Draft>) => setD({ ...d, ...p });
  if (loadErr) return <><PageHeader title="Campaign" /><ErrorBanner error={loadErr} title="Could not load what a campaign needs." /></>;
  if (!choices) return <Loading what="Loading templates, groups and profiles" />;
  const people = choices.groups.filter((g) => d.group_ids.includes(g.id)).reduce((n, g) => n + g.target_count, 0);
  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const templates = Object.entries(d.weights).map(([tid, w]) => ({ template_id: Number(tid), weight: w }));
    if (!templates.length) return setError(new ApiError(422, 'validation', 'Choose at least one template.', 'templates'));
    if (!d.group_ids.length) return setError(new ApiError(422, 'validation', 'Choose at least one group.', 'group_ids'));
    if (!d.profile_id) return setError(new ApiError(422, 'validation', 'Choose a sending profile.', 'profile_id'));
    const body: Record<string, unknown> = {
      name: d.name, templates, group_ids: d.group_ids, page_id: d.page_id ? Number(d.page_id) : null, profile_id: Number(d.profile_id), base_url: d.base_url.trim(),
      launch_at: localToRfc3339(d.launch_at), send_by: localToRfc3339(d.send_by), jitter_seconds: Number(d.jitter) || 0,
    };
    if (d.useWindow) body.window = d.window;
    // Sent only when chosen, so servers without follow-up training still accept the form.
    if (d.followUp) body.follow_up = { ...d.follow, due_days: Number(d.follow.due_days) || 7 };
    setBusy(true);
    try {
      const c = id === undefined ? await post<Campaign>('/campaigns', body) : await put<Campaign>(`/campaigns/${id}`, body);
      navigate(`/campaigns/${c.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'unknown_field' && err.field === 'follow_up') {
        setError(new ApiError(422, 'validation', 'Follow-up training is not available on this server yet; untick it to save.', 'follow_up'));
      } else setError(err);
    } finally { setBusy(false); }
  };
  // Templates already chosen stay listed whatever the difficulty, so none is chosen unseen.
  const shownTemplates = choices.templates.filter((t) => !difficulty || t.rating?.difficulty === difficulty || t.id in d.weights);
  const missing = [!choices.templates.length && 'an email template', !choices.groups.length && 'a group', !choices.profiles.length && 'a sending profile'].filter(Boolean);
  return (
    <>
      <PageHeader title={id === undefined ? 'New campaign' : 'Edit draft campaign'} sub="Saved as a draft. You confirm before anything is sent." />
      <p><Link href={id === undefined ? '/campaigns' : `/campaigns/${id}`}>← Back</Link></p>
      {missing.length > 0 && <div class="banner banner-warn" role="status">A campaign needs {missing.join(', ')} first.</div>}
      <form class="card form-steps" onSubmit={save} noValidate aria-label="Campaign">
        <ErrorBanner error={error} title="Could not save the campaign." />
        <fieldset class="fieldset step">
          <legend><span class="step-no" aria-hidden="true">1</span> Name</legend>
          <Field label="Campaign name" name="name" error={error}>
            {(a) => <input {...a} value={d.name} onInput={(e) => u({ name: e.currentTarget.value })} />}
          </Field>
        </fieldset>
        <fieldset class="fieldset step" aria-describedby="tpl-hint">
          <legend><span class="step-no" aria-hidden="true">2</span> Email templates</legend>
          <p class="hint" id="tpl-hint">Pick one or more. With several, each person gets one, chosen by weight.</p>
          {fieldErr(error, 'templates')}
          <Field label="Difficulty" name="template_difficulty" class="field-narrow" hint="Show only the templates of this Phish Scale difficulty; those already chosen stay listed.">
            {(a) => (
              <select {...a} value={difficulty} onChange={(e) => setDifficulty(e.currentTarget.value as Difficulty | '')}>
                <option value="">Any</option>
                {(Object.entries(DIFFICULTY_LABEL) as [Difficulty, string][]).map(([k, label]) => <option value={k}>{label}</option>)}
              </select>
            )}
          </Field>
          <p class="muted small" role="status" data-testid="template-choice-count">
            {!difficulty ? '' : shownTemplates.length
              ? `${shownTemplates.length} of ${choices.templates.length} templates shown.`
              : `No template is rated “${DIFFICULTY_LABEL[difficulty]}”.`}
          </p>
          <ul class="choice-list" data-testid="template-choices">
            {shownTemplates.map((t) => {
              const on = t.id in d.weights;
              return (
                <li class="choice-row">
                  <label class="check"><input type="checkbox" checked={on} onChange={() => {
                    const w = { ...d.weights };
                    if (on) delete w[t.id]; else w[t.id] = 1;
                    u({ weights: w });
                  }} /> <span class="break">{t.name} <span class="muted">— {t.subject}</span>
                    {t.rating && <> <DifficultyBadge difficulty={t.rating.difficulty} label={t.rating.difficulty_label} /></>}</span></label>
                  {on && (
                    <label class="weight">Weight <input type="number" min={1} max={1000} value={d.weights[t.id]} aria-label={`Weight of ${t.name}`} onInput={(e) => u({ weights: { ...d.weights, [t.id]: Math.max(1, Number(e.currentTarget.value) || 1) } })} /></label>
                  )}
                </li>
              );
            })}
          </ul>
        </fieldset>
        <fieldset class="fieldset step">
          <legend><span class="step-no" aria-hidden="true">3</span> Landing page and sending profile</legend>
          <div class="grid-2">
            <Field label="Landing page" name="page_id" error={error} hint="What people see when they click.">
              {(a) => (
                <select {...a} value={d.page_id} onChange={(e) => u({ page_id: e.currentTarget.value })}>
                  <option value="">None (teaching page only)</option>
                  {choices.pages.map((p) => <option value={String(p.id)}>{p.name}</option>)}
                </select>
              )}
            </Field>
            <Field label="Sending profile" name="profile_id" error={error}>
              {(a) => (
                <select {...a} value={d.profile_id} onChange={(e) => u({ profile_id: e.currentTarget.value })}>
                  <option value="">Choose…</option>
                  {choices.profiles.map((p) => <option value={String(p.id)}>{p.name} ({p.kind === 'smtp' ? `${p.host}:${p.port}` : 'outbox'})</option>)}
                </select>
              )}
            </Field>
          </div>
          <Field label="Address for links and the tracking image (optional)" name="base_url" error={error} hint="Empty: the phish server's configured address.">
            {(a) => <input {...a} type="url" placeholder="https://" value={d.base_url} onInput={(e) => u({ base_url: e.currentTarget.value })} />}
          </Field>
        </fieldset>
        <fieldset class="fieldset step">
          <legend><span class="step-no" aria-hidden="true">4</span> Groups</legend>
          {fieldErr(error, 'group_ids')}
          <ul class="choice-list">
            {choices.groups.map((g) => {
              const on = d.group_ids.includes(g.id);
              return (
                <li><label class="check"><input type="checkbox" checked={on} onChange={() => u({ group_ids: on ? d.group_ids.filter((x) => x !== g.id) : [...d.group_ids, g.id] })} /> {g.name} <span class="muted">({num(g.target_count)} people)</span></label></li>
              );
            })}
          </ul>
          <p class="muted" role="status">{d.group_ids.length ? `Up to ${num(people)} people (someone in two groups gets one email).` : 'No group chosen yet.'}</p>
        </fieldset>
        <fieldset class="fieldset step">
          <legend><span class="step-no" aria-hidden="true">5</span> Schedule</legend>
          <div class="grid-3">
            <Field label="Start sending at" name="launch_at" error={error} hint="Empty: when you launch. Your local time.">
              {(a) => <input {...a} type="datetime-local" value={d.launch_at} onInput={(e) => u({ launch_at: e.currentTarget.value })} />}
            </Field>
            <Field label="Finish sending by" name="send_by" error={error} hint="Sends are spread evenly until then. Empty: as fast as the profile allows.">
              {(a) => <input {...a} type="datetime-local" value={d.send_by} onInput={(e) => u({ send_by: e.currentTarget.value })} />}
            </Field>
            <Field label="Random delay per message (seconds)" name="jitter_seconds" error={error}>
              {(a) => <input {...a} inputMode="numeric" value={d.jitter} onInput={(e) => u({ jitter: e.currentTarget.value })} />}
            </Field>
          </div>
          <label class="check"><input type="checkbox" checked={d.useWindow} onChange={() => u({ useWindow: !d.useWindow })} /> Send only on certain days and hours</label>
          {d.useWindow && (
            <div class="window-box">
              <fieldset class="fieldset">
                <legend>Days</legend>
                {fieldErr(error, 'window.days')}
                <div class="days">
                  {DAYS.map(([k, label]) => (
                    <label class="check"><input type="checkbox" checked={d.window.days.includes(k)} onChange={() => u({ window: { ...d.window, days: d.window.days.includes(k) ? d.window.days.filter((x) => x !== k) : [...d.window.days, k] } })} /> {label}</label>
                  ))}
                </div>
              </fieldset>
              <div class="grid-3">
                <Field label="From (HH:MM)" name="window.start" error={error}>
                  {(a) => <input {...a} type="time" value={d.window.start} onInput={(e) => u({ window: { ...d.window, start: e.currentTarget.value } })} />}
                </Field>
                <Field label="Until (HH:MM)" name="window.end" error={error}>
                  {(a) => <input {...a} type="time" value={d.window.end === '24:00' ? '23:59' : d.window.end} onInput={(e) => u({ window: { ...d.window, end: e.currentTarget.value } })} />}
                </Field>
                <Field label="Offset from UTC (minutes)" name="window.utc_offset_minutes" error={error}>
                  {(a) => <input {...a} type="number" min={-840} max={840} value={d.window.utc_offset_minutes} onInput={(e) => u({ window: { ...d.window, utc_offset_minutes: Number(e.currentTarget.value) || 0 } })} />}
                </Field>
              </div>
              <p class="muted">Sending window: {describeWindow(d.window)}</p>
            </div>
          )}
        </fieldset>
        <fieldset class="fieldset step">
          <legend><span class="step-no" aria-hidden="true">6</span> Follow-up training</legend>
          {choices.modules === null ? <p class="muted">Training is not available on this server.</p> : (
            <>
              <label class="check"><input type="checkbox" checked={d.followUp} onChange={() => u({ followUp: !d.followUp, follow: { ...d.follow, module: d.follow.module || choices.modules?.[0]?.slug || '' } })} /> Assign training to people who fall for it</label>
              {fieldErr(error, 'follow_up')}
              {d.followUp && (
                <div class="grid-3">
                  <Field label="Module" name="follow_up.module" error={error}>
                    {(a) => (
                      <select {...a} value={d.follow.module} onChange={(e) => u({ follow: { ...d.follow, module: e.currentTarget.value } })}>
                        {choices.modules!.map((m) => <option value={m.slug}>{m.title}</option>)}
                      </select>
                    )}
                  </Field>
                  <Field label="When they" name="follow_up.trigger" error={error}>
                    {(a) => (
                      <select {...a} value={d.follow.trigger} onChange={(e) => u({ follow: { ...d.follow, trigger: e.currentTarget.value as FollowUp['trigger'] } })}>
                        <option value="clicked">click the link</option><option value="submitted">submit the form</option>
                      </select>
                    )}
                  </Field>
                  <Field label="Due after (days)" name="follow_up.due_days" error={error}>
                    {(a) => <input {...a} type="number" min={1} max={365} value={d.follow.due_days} onInput={(e) => u({ follow: { ...d.follow, due_days: Number(e.currentTarget.value) } })} />}
                  </Field>
                </div>
              )}
            </>
          )}
        </fieldset>
        <button class="btn btn-primary" type="submit" disabled={busy}>{busy ? 'Saving…' : 'Save draft'}</button>
      </form>
    </>
  );
}

function fieldErr(error: unknown, name: string) {
  if (!(error instanceof ApiError) || !error.field) return null;
  if (error.field === name || error.field.startsWith(name + '[') || error.field.startsWith(name + '.')) return <p class="field-error" role="alert">{error.message}</p>;
  return null;
}
