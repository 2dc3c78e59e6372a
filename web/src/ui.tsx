// Shared building blocks: fields with labels and API error messages, loading,
// empty and error states, confirmation dialogs, badges.
import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type DownloadedFile } from './api';

let idCounter = 0;
export function useId(prefix = 'f'): string {
  const ref = useRef<string>();
  if (!ref.current) ref.current = `${prefix}-${++idCounter}`;
  return ref.current;
}

// The API names the field at fault ("name", "targets[3].email"): a field shows
// the message when it is the one named (or a parent of it). `err` may be a list
// (a save error and a live-preview error): the first that names the field wins.
export function fieldError(err: unknown, name: string): string | undefined {
  if (Array.isArray(err)) {
    for (const e of err) { const m = fieldError(e, name); if (m) return m; }
    return undefined;
  }
  if (!(err instanceof ApiError) || !err.field) return undefined;
  if (err.field === name || err.field.startsWith(name + '[') || err.field.startsWith(name + '.')) return err.message;
  return undefined;
}

interface FieldProps {
  label: string;
  name: string;
  error?: unknown;
  hint?: ComponentChildren;
  children: (attrs: { id: string; name: string; 'aria-invalid'?: 'true'; 'aria-describedby'?: string }) => JSX.Element;
  class?: string;
}

export function Field({ label, name, error, hint, children, class: cls }: FieldProps) {
  const id = useId(name.replace(/[^a-z0-9]/gi, '-'));
  const msg = fieldError(error, name);
  const described = [hint ? id + '-hint' : '', msg ? id + '-err' : ''].filter(Boolean).join(' ');
  return (
    <div class={'field' + (msg ? ' field-invalid' : '') + (cls ? ' ' + cls : '')}>
      <label for={id}>{label}</label>
      {children({ id, name, 'aria-invalid': msg ? 'true' : undefined, 'aria-describedby': described || undefined })}
      {hint && <p class="hint" id={id + '-hint'}>{hint}</p>}
      {msg && <p class="field-error" id={id + '-err'}>{msg}</p>}
    </div>
  );
}

export function ErrorBanner({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const e = error as Error;
  let msg = e instanceof ApiError ? e.message : String(e?.message ?? e);
  if (e instanceof ApiError && e.code === 'forbidden') msg = 'Your role does not allow this.';
  return (
    <div class="banner banner-error" role="alert">
      <strong>{title ?? 'Something went wrong.'}</strong> {msg}
      {e instanceof ApiError && e.field && <span class="sr-only"> (field: {e.field})</span>}
    </div>
  );
}

export function Notice({ children, kind = 'info' }: { children: ComponentChildren; kind?: 'info' | 'success' | 'warn' }) {
  return <div class={'banner banner-' + kind} role="status">{children}</div>;
}

// A notice for the page that comes next ("Copied into your workspace."): set
// before navigate(), shown once by the page that takes it.
let flash: ComponentChildren = null;
export function setFlash(message: ComponentChildren) { flash = message; }
export function useFlash(): ComponentChildren {
  const [message] = useState<ComponentChildren>(() => { const m = flash; flash = null; return m; });
  return message;
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return <p class="loading" role="status" aria-live="polite"><span class="spinner" aria-hidden="true" />{what}…</p>;
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty-title">{title}</p>
      {children && <div class="empty-body">{children}</div>}
    </div>
  );
}

export function NotAvailable({ what }: { what: string }) {
  return <div class="banner banner-warn" role="status">{what} is not available on this server yet.</div>;
}

// `lang` when the title is not in the app's language (a Spanish simulation's).
export function PageHeader({ title, children, sub, lang }: { title: string; sub?: ComponentChildren; children?: ComponentChildren; lang?: string }) {
  useEffect(() => { document.title = `${title} · Phishdrill`; }, [title]);
  return (
    <div class="page-header">
      <div>
        <h1 id="page-title" tabIndex={-1} lang={lang}>{title}</h1>
        {sub && <p class="page-sub">{sub}</p>}
      </div>
      {children && <div class="page-actions">{children}</div>}
    </div>
  );
}

export function Badge({ kind, children }: { kind: string; children: ComponentChildren }) {
  return <span class={'badge badge-' + kind}>{children}</span>;
}

// Load data once (and on `deps` change); `reload` re-runs it.
export function useAsync<T>(fn: (signal: AbortSignal) => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const ctl = new AbortController();
    setState((s) => ({ data: s.data, loading: true }));
    fn(ctl.signal).then(
      (data) => { if (!ctl.signal.aborted) setState({ data, loading: false }); },
      (error) => { if (!ctl.signal.aborted && (error as Error)?.name !== 'AbortError') setState({ error, loading: false }); },
    );
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload, setData: (data: T) => setState({ data, loading: false }) };
}

// A modal confirmation (native <dialog>: focus is trapped and Escape closes).
export function ConfirmDialog(props: {
  open: boolean; title: string; children: ComponentChildren; confirmLabel: string; danger?: boolean;
  busy?: boolean; error?: unknown; onConfirm: () => void; onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId('dlg');
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog ref={ref} class="dialog" aria-labelledby={titleId} onCancel={(e) => { e.preventDefault(); props.onCancel(); }}>
      <h2 id={titleId}>{props.title}</h2>
      <div class="dialog-body">{props.children}</div>
      <ErrorBanner error={props.error} />
      <div class="dialog-actions">
        <button type="button" class="btn" onClick={props.onCancel}>Cancel</button>
        <button type="button" class={'btn ' + (props.danger ? 'btn-danger' : 'btn-primary')} disabled={props.busy} onClick={props.onConfirm}>
          {props.busy ? 'Working…' : props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

// A button that asks before doing something destructive.
export function ConfirmButton(props: { label: string; title: string; message: ComponentChildren; confirmLabel?: string; onConfirm: () => Promise<unknown>; class?: string; testid?: string }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <button type="button" class={props.class ?? 'btn btn-danger-outline'} data-testid={props.testid} onClick={() => { setError(null); setOpen(true); }}>{props.label}</button>
      <ConfirmDialog
        open={open} title={props.title} confirmLabel={props.confirmLabel ?? props.label} danger busy={busy} error={error}
        onCancel={() => setOpen(false)}
        onConfirm={async () => {
          setBusy(true);
          try { await props.onConfirm(); setOpen(false); } catch (e) { setError(e); } finally { setBusy(false); }
        }}
      >
        {props.message}
      </ConfirmDialog>
    </>
  );
}

// Cursor paging for server-side lists: keeps the cursors of pages seen so
// "Previous" works without the server knowing about it.
export function usePager() {
  const [stack, setStack] = useState<(string | null)[]>([null]);
  const cursor = stack[stack.length - 1];
  return {
    cursor,
    page: stack.length,
    next: (c: string) => setStack((s) => [...s, c]),
    prev: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setStack([null]),
  };
}

export function Pager({ page, hasNext, onPrev, onNext, label }: { page: number; hasNext: boolean; onPrev: () => void; onNext: () => void; label: string }) {
  return (
    <nav class="pager" aria-label={label}>
      <button type="button" class="btn btn-small" onClick={onPrev} disabled={page <= 1}>← Previous</button>
      <span>Page {page}</span>
      <button type="button" class="btn btn-small" onClick={onNext} disabled={!hasNext}>Next →</button>
    </nav>
  );
}

export function Stat({ label, value, sub, testid }: { label: string; value: ComponentChildren; sub?: ComponentChildren; testid?: string }) {
  return (
    <div class="stat" data-testid={testid}>
      <div class="stat-label">{label}</div>
      <div class="stat-value">{value}</div>
      {sub && <div class="stat-sub">{sub}</div>}
    </div>
  );
}

// Hands a downloaded file to the browser as a download (<a download> on an
// object URL, let go once the download has had time to start).
export function saveFile(file: DownloadedFile) {
  const url = URL.createObjectURL(file.blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
