// The only way the app talks to the server: the documented REST API
// (docs/openapi.yaml). Cookie session + X-CSRF-Token on unsafe methods.

// Every shape is generated from docs/openapi.yaml (openapi-typescript, run by `npm run build`
// into generated/openapi.d.ts, not committed): a change to the contract fails `tsc` wherever
// the app no longer fits it. Only the names below are the app's own.
import type { components, operations } from '../generated/openapi';
export type Schemas = components['schemas'];
// The 200 answer of an operation whose shape has no name of its own (by operationId).
export type Ok<Op extends keyof operations> = operations[Op] extends { responses: { 200: { content: { 'application/json': infer T } } } } ? T : never;

export type Role = Schemas['Role'];
export type User = Schemas['User'];
export type Me = Schemas['Me'];
export type SessionCreated = Schemas['SessionCreated'];
export type PasswordChanged = Schemas['PasswordChanged'];
// Every list answers { items, next_cursor } (the *List schemas).
export interface Page<T> { items: T[]; next_cursor: Schemas['NextCursor'] }
export type Group = Schemas['Group'];
export type GroupImportResult = Schemas['GroupImportResult'];
export type Target = Schemas['Target'];
export type Header = Schemas['Header'];
export type RedFlag = Schemas['RedFlag'];
export type Attachment = Schemas['Attachment'];
export type Template = Schemas['Template'];
export type TemplatePreview = Schemas['TemplatePreview'];
export type EmlImportDraft = Schemas['EmlImportDraft'];
export type LandingPage = Schemas['Page'];
export type Profile = Schemas['SendingProfile'];
export type SendWindow = Schemas['SendWindow'];
export type TrainingSettings = Schemas['TrainingSettings'];
export type FollowUp = Schemas['FollowUp'];
export type Counts = Schemas['CampaignCounts'];
export type CampaignStatus = Schemas['CampaignStatus'];
export type Campaign = Schemas['Campaign'];
export type CampaignResults = NonNullable<Campaign['results']>;
export type Summary = Schemas['CampaignSummary'];
export type Timeline = Schemas['CampaignTimeline'];
export type Recipient = Schemas['Recipient'];
export type CampaignEvent = Schemas['CampaignEvent'];
export type ApiKey = Schemas['ApiKey'] & { key?: Schemas['ApiKeyCreated']['key'] };
// url is masked ("https://hooks.example.com/…"): the URL itself is write-only.
export type Webhook = Schemas['Webhook'] & { secret?: Schemas['WebhookCreated']['secret'] };
export type AuditEntry = Schemas['AuditEntry'];
export type ModuleSummary = Schemas['TrainingModuleSummary'];
export type ModuleList = Ok<'listTrainingModules'>;
export type Audience = Ok<'campaignAudience'>;
export type ModuleDetail = Schemas['TrainingModule'];
export type Assignment = Schemas['Assignment'];
export type AssignmentsCreated = Schemas['AssignmentsCreated'];
export type TrainingReport = Schemas['TrainingReport'];
export type CsvRowError = Schemas['CsvRowError'];

// Reporting mailboxes and the triage inbox.
export type Verdict = 'clean' | 'spam' | 'threat';
export type Mailbox = Schemas['ReportingMailbox'];
export type MailboxTest = Schemas['MailboxTestResult'];
export type ReportSummary = Schemas['ReportSummary'];
export type ReportEvidence = Schemas['ReportEvidence'];
export type ReportLink = ReportEvidence['links'][number];
export type ReportFinding = ReportEvidence['findings'][number];
export type ReportAttachment = ReportEvidence['attachments'][number];
// The server sends {} as evidence when it has none to give.
export type Report = Omit<Schemas['Report'], 'evidence'> & { evidence: Partial<ReportEvidence> };
export type Cluster = Schemas['ReportCluster'];
// One report's page also lists the emails it caused (lists and the verdict's answer do not).
export type ReportEmail = Schemas['ReportEmail'];
export type ReportWithEmails = Report & Pick<Schemas['ReportDetail'], 'emails'>;
// What reporters hear back (feedback emails) and where button reports are forwarded.
export type ReportFeedback = Schemas['ReportFeedback'];
export type ReportFeedbackUpdate = Schemas['ReportFeedbackUpdate'];
export type FeedbackText = Schemas['FeedbackText'];
export type FeedbackKind = keyof Schemas['FeedbackTexts'];

// The simulation library (shipped simulations, copied into the workspace on demand).
export type LibrarySummary = Schemas['LibrarySimulationSummary'];
export type LibraryList = Schemas['LibrarySimulationList'];
export type LibrarySimulation = Schemas['LibrarySimulation'];
export type LibraryCue = LibrarySimulation['cues'][number];
export type LibraryUseResult = Schemas['LibraryUseResult'];
export type LibrarySource = LibrarySummary['source'];
// Packs: a tar of simulation folders imported, simulations and templates exported.
export type LibraryPackImport = Schemas['LibraryPackImport'];
export type LibraryPackOutcome = LibraryPackImport['simulations'][number];
export type LibraryExport = Schemas['LibraryExport'];

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

// Sends a request and answers the response when it is a success; an error
// status becomes an ApiError with the server's {error: {code, message, field}}.
async function send(method: string, path: string, opts: CallOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept };
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
  if (res.ok) return res;
  const err = (parseJson(await res.text()) as { error?: { code?: string; message?: string; field?: string; rows?: CsvRowError[] } } | null)?.error;
  const e = new ApiError(res.status, err?.code ?? 'http_' + res.status, err?.message ?? `The server answered ${res.status}.`, err?.field, err?.rows);
  if (res.status === 401 && !opts.quiet401) onUnauthorized();
  throw e;
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try { return JSON.parse(text); } catch { return null; }
}

export async function call<T>(method: string, path: string, opts: CallOptions = {}): Promise<T> {
  const res = await send(method, path, opts, 'application/json');
  if (res.status === 204) return undefined as T;
  return parseJson(await res.text()) as T;
}

// A file the server answers with (a pack): its bytes and the name its
// Content-Disposition gives (else `fallback`). Errors are JSON, as for call().
export interface DownloadedFile { blob: Blob; filename: string }
export async function download(method: string, path: string, opts: CallOptions, fallback: string): Promise<DownloadedFile> {
  const res = await send(method, path, opts, 'application/octet-stream, application/gzip, application/json');
  const named = /filename="?([^";]+)"?/i.exec(res.headers.get('Content-Disposition') ?? '');
  return { blob: await res.blob(), filename: named?.[1].trim() || fallback };
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

// The NIST Phish Scale rating of templates and library simulations. Not yet in
// docs/openapi.yaml: these shapes are the app's own until the contract has them.
export type Difficulty = 'very' | 'moderately' | 'moderately_to_least' | 'least';
export type CueCategory = 'technical' | 'errors' | 'visual' | 'language';
export type PremiseAnswer = 'none' | 'low' | 'moderate' | 'significant' | 'extreme';
export interface RatingCue { type: string; category: CueCategory; where: string; source: 'detected' | 'author' }
export interface PhishRating {
  cues: RatingCue[];
  cue_count: number;
  cue_band: 'few' | 'some' | 'many';
  premise: { answers: Record<string, PremiseAnswer>; source: 'workspace' | 'suggested' | 'default'; score: number; band: 'weak' | 'medium' | 'strong' };
  difficulty: Difficulty;
  difficulty_label: string;
  reasons: string[];
}
export interface Observed {
  sent: number; clicked: number; submitted: number; failure_rate: number; interval: [number, number];
  observed_difficulty: Difficulty | null;
  verdict: 'too_few' | 'agrees' | 'harder_than_rated' | 'easier_than_rated';
}
export interface Rated { difficulty?: Difficulty; rating?: PhishRating; observed?: Observed }
export type RatedLibrarySummary = LibrarySummary & Rated;
export type RatedLibraryList = Omit<LibraryList, 'items'> & { items: RatedLibrarySummary[]; difficulties?: Difficulty[] };
export type RatedLibrarySimulation = LibrarySimulation & Rated;
// A template's Phish Scale settings (writable): its library category, the cues
// its author adds, and the detected cues dismissed.
export interface PhishScaleSettings { category: string; library_slug: string; cues: { type: string; where: string }[]; dismissed: string[] }
export type RatedTemplate = Template & { phish_scale?: PhishScaleSettings; rating?: PhishRating; observed?: Observed };
