// The only way the app talks to the server: the documented REST API
// (docs/openapi.yaml). Cookie session + X-CSRF-Token on unsafe methods.

export type Role = 'admin' | 'operator' | 'viewer';
export interface User { id: number; email: string; name: string; role: Role; must_change_password: boolean; created_at: string }
export interface Me { user: User; csrf_token: string | null; workspace: { id: number; name: string } }
export interface Page<T> { items: T[]; next_cursor: string | null }
export interface Group { id: number; name: string; target_count: number; created_at: string; updated_at: string }
export interface Target { id: number; email: string; first_name: string; last_name: string; position: string; department: string; manager_email: string; locale: string }
export interface Header { name: string; value: string }
export interface RedFlag { part: 'subject' | 'from' | 'body' | 'link'; text: string; explanation: string }
export interface Attachment { name: string; content_type: string; content: string }
export interface Template { id: number; name: string; subject: string; html: string; text: string; from: string; headers: Header[]; attachments: Attachment[]; red_flags: RedFlag[]; created_at: string; updated_at: string }
export interface LandingPage { id: number; name: string; html: string; capture: 'none' | 'fields' | 'values'; redirect_url: string; source_url: string; safe_fields: string[]; allow_scripts: boolean; created_at: string; updated_at: string }
export interface Profile { id: number; name: string; kind: 'smtp' | 'outbox'; host: string; port: number; tls: 'none' | 'starttls' | 'tls'; username: string; has_password: boolean; from: string; headers: Header[]; rate_per_minute: number; created_at: string; updated_at: string }
export interface SendWindow { days: string[]; start: string; end: string; utc_offset_minutes: number }
export interface TrainingSettings {
  profile_id: number | null; portal_base_url: string; remind_days_before: number; overdue_every_days: number;
  max_overdue_reminders: number; cc_manager_when_overdue: boolean; link_valid_days: number; follow_up_delay_seconds: number;
}
export interface FollowUp { module: string; trigger: 'clicked' | 'submitted'; due_days: number }
export interface Counts { recipients: number; queued: number; sending: number; sent: number; failed: number; cancelled: number }
export type CampaignStatus = 'draft' | 'scheduled' | 'sending' | 'sent' | 'completed' | 'cancelled';
export interface Campaign {
  id: number; name: string; status: CampaignStatus; templates: { template_id: number; weight: number }[];
  group_ids: number[]; page_id: number | null; profile_id: number; base_url: string; launch_at: string | null;
  send_by: string | null; jitter_seconds: number; window: SendWindow | null; counts: Counts;
  created_at: string; updated_at: string; launched_at: string | null; completed_at: string | null;
  follow_up?: FollowUp | null;
  // People who opened, clicked (or went on to submit), submitted, reported: humans only,
  // as in /summary. In GET /campaigns and GET /campaigns/{id}.
  results?: CampaignResults;
}
export interface CampaignResults { opened: number; clicked: number; submitted: number; reported: number }
export interface TimelineBucket { start: string; sent: number; opened: number; clicked: number; submitted: number; reported: number }
export interface Timeline { bucket_seconds: number; buckets: TimelineBucket[] }
export interface TemplatePreview { subject: string; html: string; text: string; from: string }
export interface Summary extends Counts { id: number; status: CampaignStatus; opened: number; clicked: number; submitted: number; reported: number; automated_events: number }
export interface Recipient {
  id: number; email: string; first_name: string; last_name: string; position: string; department: string;
  target_id: number; variant_id: number; state: 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled';
  send_at: string; attempts: number; sent_at: string | null; message_id: string; last_error: string; smtp_code: number;
  result: 'none' | 'opened' | 'clicked' | 'submitted'; opened_at: string | null; clicked_at: string | null;
  submitted_at: string | null; reported_at: string | null;
}
export interface CampaignEvent { id: number; recipient_id: number; kind: string; at: string; ip: string; user_agent: string; automated: boolean; reason: string; suspect: string | null; details: Record<string, unknown> }
export interface ApiKey { id: number; name: string; role: Role; prefix: string; created_at: string; last_used_at: string | null; key?: string }
// url is masked ("https://hooks.example.com/…"): the URL itself is write-only.
export interface Webhook { id: number; name: string; url: string; url_set: boolean; events: string[]; active: boolean; has_secret: boolean; created_at: string; updated_at: string; secret?: string }
export interface AuditEntry { id: number; at: string; actor: { kind: string; id: number | null; label: string }; action: string; resource: { type: string; id: number | null } | null; ip: string | null; details: Record<string, unknown> }
export interface ModuleSummary { slug: string; title: string; summary: string; minutes: number; locale: string; version: number; tags: string[]; pass_mark: number; lessons: number; questions: number }
export interface ModuleDetail { slug: string; title: string; summary: string; minutes: number; locale: string; version: number; tags: string[]; pass_mark: number; lessons: { file: string; title: string; html: string }[]; quiz: { id: string; text: string; choices: string[]; answers: number[]; explanation: string }[] }
export interface PersonRef { id: number; email: string; first_name: string; last_name: string }
export interface Assignment {
  id: number; target: PersonRef; module: { slug: string; title: string; version: number }; reason: 'manual' | 'campaign';
  campaign_id: number | null; assigned_at: string; due_at: string; status: 'assigned' | 'in_progress' | 'completed' | 'overdue' | 'cancelled';
  started_at: string | null; completed_at: string | null; score: number | null; passed: boolean | null; module_version: number | null; reminders_sent: number;
}
export interface TrainingReport { items: { target: PersonRef; assigned: number; completed: number; overdue: number; last_completed_at: string | null }[]; totals: { assigned: number; completed: number; overdue: number; completion_rate: number } }
export interface CsvRowError { line: number; field?: string; reason: string }

export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string, public field?: string, public rows?: CsvRowError[]) {
    super(message);
  }
  get notAvailable(): boolean { return this.status === 404 && this.code === 'not_found' || this.status === 405; }
}

let csrf: string | null = null;
export function setCsrf(token: string | null) { csrf = token; }

// Called on 401 (session expired) so the app can show the login screen.
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(f: () => void) { onUnauthorized = f; }

export const API = '/api/v1';

export interface CallOptions { body?: unknown; raw?: string | Blob; contentType?: string; signal?: AbortSignal; quiet401?: boolean }

export async function call<T>(method: string, path: string, opts: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | Blob | undefined;
  if (opts.raw !== undefined) {
    body = opts.raw;
    headers['Content-Type'] = opts.contentType ?? 'text/plain';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  let res: Response;
  try {
    res = await fetch(API + path, { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'Cannot reach the server. Check that it is running and try again.');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; field?: string; rows?: CsvRowError[] } } | null)?.error;
    const e = new ApiError(res.status, err?.code ?? 'http_' + res.status, err?.message ?? `The server answered ${res.status}.`, err?.field, err?.rows);
    if (res.status === 401 && !opts.quiet401) onUnauthorized();
    throw e;
  }
  return data as T;
}

export const get = <T>(path: string, signal?: AbortSignal) => call<T>('GET', path, { signal });
export const post = <T>(path: string, body?: unknown) => call<T>('POST', path, { body });
export const put = <T>(path: string, body?: unknown) => call<T>('PUT', path, { body });
export const del = (path: string) => call<void>('DELETE', path);

export function qs(params: Record<string, string | number | null | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? '?' + s : '';
}

// Follows next_cursor to the end (bounded): for the small lists the forms need.
export async function listAll<T>(path: string, params: Record<string, string | number | undefined> = {}, maxPages = 40): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < maxPages; i++) {
    const page: Page<T> = await get<Page<T>>(path + qs({ ...params, limit: 500, cursor: cursor ?? undefined }));
    out.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return out;
}
