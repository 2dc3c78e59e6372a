// Custom email headers (templates and sending profiles): an editable list of
// name/value rows sent as `headers: [{name, value}]`. The API names a bad row's
// part (`headers[1].name`), shown next to that input.
import type { Header } from './api';
import { Field, fieldError } from './ui';

export function HeadersEditor({ headers, onChange, error, readOnly, hint }: {
  headers: Header[]; onChange: (h: Header[]) => void; error: unknown; readOnly: boolean; hint?: string;
}) {
  const set = (i: number, patch: Partial<Header>) => onChange(headers.map((h, j) => (i === j ? { ...h, ...patch } : h)));
  // An error about the list itself ("at most 50 headers").
  const listErr = fieldError(error, 'headers');
  const ownRow = headers.some((_, i) => fieldError(error, `headers[${i}]`));
  return (
    <fieldset class="fieldset" data-testid="headers-editor">
      <legend>Custom headers</legend>
      {hint && <p class="hint">{hint}</p>}
      {listErr && !ownRow && <p class="field-error" role="alert">{listErr}</p>}
      {headers.length === 0 && <p class="muted">None.</p>}
      {headers.map((h, i) => (
        <div class="header-row">
          <Field label={`Header ${i + 1} name`} name={`headers[${i}].name`} error={error}>
            {(a) => <input {...a} readOnly={readOnly} class="mono" autoComplete="off" spellcheck={false} placeholder="X-Mailer" value={h.name} onInput={(e) => set(i, { name: e.currentTarget.value })} />}
          </Field>
          <Field label={`Header ${i + 1} value`} name={`headers[${i}].value`} error={error}>
            {(a) => <input {...a} readOnly={readOnly} autoComplete="off" value={h.value} onInput={(e) => set(i, { value: e.currentTarget.value })} />}
          </Field>
          {!readOnly && (
            <button type="button" class="btn btn-small btn-danger-outline" onClick={() => onChange(headers.filter((_, j) => j !== i))}>
              Remove<span class="sr-only"> header {i + 1}{h.name ? ` (${h.name})` : ''}</span>
            </button>
          )}
        </div>
      ))}
      {!readOnly && headers.length < 50 && (
        <button type="button" class="btn btn-small" onClick={() => onChange([...headers, { name: '', value: '' }])}>Add a header</button>
      )}
    </fieldset>
  );
}
