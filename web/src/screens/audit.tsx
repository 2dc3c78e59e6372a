import { get, qs, type AuditEntry, type Page } from '../api';
import { fmtTime } from '../format';
import { Empty, ErrorBanner, Loading, PageHeader, Pager, useAsync, usePager } from '../ui';

function details(d: Record<string, unknown>): string {
  const parts = Object.entries(d ?? {}).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return parts.join(' · ');
}

export function AuditLog() {
  const pager = usePager();
  const list = useAsync((s) => get<Page<AuditEntry>>('/audit-log' + qs({ limit: 50, cursor: pager.cursor }), s), [pager.cursor]);
  return (
    <>
      <PageHeader title="Audit log" sub="Every change, login and logout, newest first." />
      <section class="card" aria-label="Audit entries">
        {list.loading && !list.data && <Loading what="Loading the audit log" />}
        <ErrorBanner error={list.error} title="Could not load the audit log." />
        {list.data && list.data.items.length === 0 && <Empty title="Nothing recorded yet" />}
        {list.data && list.data.items.length > 0 && (
          <>
            <div class="table-wrap table-wrap-cards" tabIndex={0}>
              <table class="table stack">
                <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Resource</th><th scope="col">From</th><th scope="col">Details</th></tr></thead>
                <tbody>{list.data.items.map((e) => (
                  <tr>
                    <td class="nowrap" data-label="When">{fmtTime(e.at)}</td><td class="break" data-label="Who">{e.actor.label}</td><td class="break" data-label="What"><code>{e.action}</code></td>
                    <td data-label="Resource">{e.resource ? `${e.resource.type}${e.resource.id != null ? ' #' + e.resource.id : ''}` : '—'}</td>
                    <td data-label="From">{e.ip ?? '—'}</td><td class="small break" data-label="Details">{details(e.details) || '—'}</td>
                  </tr>
                ))}</tbody>
              </table>
            </div>
            <Pager label="Audit log pages" page={pager.page} hasNext={!!list.data.next_cursor} onPrev={pager.prev} onNext={() => list.data?.next_cursor && pager.next(list.data.next_cursor)} />
          </>
        )}
      </section>
    </>
  );
}
