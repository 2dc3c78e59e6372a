export function fmtTime(s: string | null | undefined): string {
  if (!s) return '—';
  const d = new Date(s);
  if (isNaN(d.getTime())) return s;
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
export function fmtDate(s: string | null | undefined): string {
  if (!s) return '—';
  const d = new Date(s);
  return isNaN(d.getTime()) ? s : d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}
export function pct(n: number, d: number): string {
  if (!d) return '—';
  const v = (100 * n) / d;
  return (v >= 10 || v === 0 ? v.toFixed(0) : v.toFixed(1)) + '%';
}
export const num = (n: number) => n.toLocaleString();
export function fullName(p: { first_name: string; last_name: string }) {
  return [p.first_name, p.last_name].filter(Boolean).join(' ');
}
// "2026-11-29T10:00" (datetime-local, local time) -> RFC 3339 UTC.
export function localToRfc3339(v: string): string | null {
  if (!v) return null;
  const d = new Date(v);
  return isNaN(d.getTime()) ? null : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
export function rfc3339ToLocal(v: string | null): string {
  if (!v) return '';
  const d = new Date(v);
  if (isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
export const people = (n: number) => `${n.toLocaleString()} ${n === 1 ? 'person' : 'people'}`;

// "3 min 20 s", "2 h 5 min", "1 d 4 h".
export function duration(seconds: number | null): string {
  if (seconds === null || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  if (s < 86400) return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
  return `${Math.floor(s / 86400)} d${Math.floor((s % 86400) / 3600) ? ` ${Math.floor((s % 86400) / 3600)} h` : ''}`;
}
