import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, setCsrf, setUnauthorizedHandler, type Me } from './api';
import { Link, match, navigate, useLocation } from './router';
import { SessionContext } from './session';
import { ChangePassword, Login } from './screens/login';
import { Dashboard } from './screens/dashboard';
import { GroupDetail, Groups } from './screens/groups';
import { TemplateEditor, Templates } from './screens/templates';
import { LandingPageEditor, LandingPages } from './screens/landing';
import { ProfileEditor, Profiles } from './screens/profiles';
import { CampaignForm, Campaigns } from './screens/campaigns';
import { CampaignResults } from './screens/results';
import { ClusterDetail, ReportDetail, TriageInbox } from './screens/triage';
import { MailboxEditor, Mailboxes } from './screens/mailboxes';
import { Training } from './screens/training';
import { Library, LibrarySimulationPage } from './screens/library';
import { Settings } from './screens/settings';
import { AuditLog } from './screens/audit';
import { ErrorBanner, Loading } from './ui';

type Auth = { state: 'loading' } | { state: 'anonymous' } | { state: 'error'; error: unknown } | { state: 'ready'; me: Me };

const NAV: { href: string; label: string; admin?: boolean; operator?: boolean }[] = [
  { href: '/', label: 'Dashboard' },
  { href: '/campaigns', label: 'Campaigns' },
  { href: '/triage', label: 'Triage', operator: true },
  { href: '/groups', label: 'Targets & groups' },
  { href: '/templates', label: 'Email templates' },
  { href: '/library', label: 'Simulation library' },
  { href: '/pages', label: 'Landing pages' },
  { href: '/profiles', label: 'Sending profiles' },
  { href: '/mailboxes', label: 'Reporting mailboxes', operator: true },
  { href: '/training', label: 'Training' },
  { href: '/settings', label: 'Settings', admin: true },
  { href: '/audit', label: 'Audit log', admin: true },
];

function NotAllowed({ role }: { role: string }) {
  return (
    <div>
      <h1 id="page-title" tabIndex={-1}>Not available to your role</h1>
      <p>This page needs the {role} role. <Link href="/">Go to the dashboard</Link>.</p>
    </div>
  );
}

function routeFor(path: string, role: string) {
  let m: Record<string, string> | null;
  if ((path === '/settings' || path === '/audit') && role !== 'admin') return <NotAllowed role="admin" />;
  if ((path.endsWith('/new') || path.endsWith('/edit')) && role === 'viewer') return <NotAllowed role="operator" />;
  // Reported mail may carry anyone's personal data: the inbox and the mailboxes are for operators.
  if (/^\/(triage|mailboxes)(\/|$)/.test(path) && role === 'viewer') return <NotAllowed role="operator" />;
  if (path === '/mailboxes/new' && role !== 'admin') return <NotAllowed role="admin" />;
  if (path === '/' || path === '') return <Dashboard />;
  if (path === '/groups') return <Groups />;
  if ((m = match('/groups/:id', path))) return <GroupDetail id={Number(m.id)} />;
  if (path === '/templates') return <Templates />;
  if (path === '/templates/new') return <TemplateEditor />;
  if ((m = match('/templates/:id', path))) return <TemplateEditor id={Number(m.id)} />;
  if (path === '/pages') return <LandingPages />;
  if (path === '/pages/new') return <LandingPageEditor />;
  if ((m = match('/pages/:id', path))) return <LandingPageEditor id={Number(m.id)} />;
  if (path === '/profiles') return <Profiles />;
  if (path === '/profiles/new') return <ProfileEditor />;
  if ((m = match('/profiles/:id', path))) return <ProfileEditor id={Number(m.id)} />;
  if (path === '/campaigns') return <Campaigns />;
  if (path === '/campaigns/new') return <CampaignForm />;
  if ((m = match('/campaigns/:id/edit', path))) return <CampaignForm id={Number(m.id)} />;
  if ((m = match('/campaigns/:id', path))) return <CampaignResults id={Number(m.id)} />;
  if (path === '/mailboxes') return <Mailboxes />;
  if (path === '/mailboxes/new') return <MailboxEditor />;
  if ((m = match('/mailboxes/:id', path))) return <MailboxEditor id={Number(m.id)} />;
  if (path === '/triage') return <TriageInbox view="clusters" />;
  if (path === '/triage/reports') return <TriageInbox view="reports" />;
  if ((m = match('/triage/clusters/:id', path))) return <ClusterDetail id={Number(m.id)} />;
  if ((m = match('/triage/reports/:id', path))) return <ReportDetail id={Number(m.id)} />;
  if (path === '/library') return <Library />;
  if ((m = match('/library/:slug', path))) return <LibrarySimulationPage slug={m.slug} />;
  if (path === '/training') return <Training />;
  if (path === '/settings') return <Settings />;
  if (path === '/audit') return <AuditLog />;
  return (
    <div>
      <h1 id="page-title" tabIndex={-1}>Page not found</h1>
      <p>There is nothing at this address. <Link href="/">Go to the dashboard</Link>.</p>
    </div>
  );
}

export function App() {
  const [auth, setAuth] = useState<Auth>({ state: 'loading' });
  const path = useLocation();

  const loadMe = () =>
    call<Me>('GET', '/me', { quiet401: true }).then(
      (me) => { setCsrf(me.csrf_token); setAuth({ state: 'ready', me }); },
      (e) => setAuth(e instanceof ApiError && e.status === 401 ? { state: 'anonymous' } : { state: 'error', error: e }),
    );

  useEffect(() => {
    setUnauthorizedHandler(() => { setCsrf(null); setAuth({ state: 'anonymous' }); });
    void loadMe();
  }, []);

  // Move focus to the new page's heading after client-side navigation, so
  // screen-reader and keyboard users start at the top of the new content.
  useEffect(() => {
    const h = document.getElementById('page-title');
    if (h && document.activeElement && document.activeElement !== document.body) h.focus({ preventScroll: true });
  }, [path]);

  if (auth.state === 'loading') return <main id="main" class="center-screen"><Loading what="Starting Phishdrill" /></main>;
  if (auth.state === 'error') {
    return (
      <main id="main" class="center-screen">
        <h1>Phishdrill</h1>
        <ErrorBanner error={auth.error} title="Cannot reach the server." />
        <button class="btn" type="button" onClick={() => { setAuth({ state: 'loading' }); void loadMe(); }}>Try again</button>
      </main>
    );
  }
  if (auth.state === 'anonymous') return <Login onLoggedIn={(me) => { setCsrf(me.csrf_token); setAuth({ state: 'ready', me }); }} />;
  const me = auth.me;
  if (me.user.must_change_password) {
    return <ChangePassword me={me} onChanged={(m) => { setCsrf(m.csrf_token); setAuth({ state: 'ready', me: m }); }} />;
  }
  const logout = async () => {
    try { await call('DELETE', '/session'); } catch { /* already gone */ }
    setCsrf(null);
    setAuth({ state: 'anonymous' });
    navigate('/', true);
  };
  const isAdmin = me.user.role === 'admin';
  const isOperator = isAdmin || me.user.role === 'operator';
  const current = (href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(href + '/'));
  return (
    <SessionContext.Provider value={{ me, logout }}>
      <a class="skip-link" href="#main">Skip to main content</a>
      <div class="layout">
        <header class="topbar">
          <Link href="/" class="brand"><span class="brand-mark" aria-hidden="true">◆</span> Phishdrill</Link>
          <span class="workspace">{me.workspace.name}</span>
          <div class="topbar-user">
            <span class="user-label">{me.user.email} <span class="role">({me.user.role})</span></span>
            <button type="button" class="btn btn-small" onClick={logout}>Log out</button>
          </div>
        </header>
        <nav class="sidenav" aria-label="Main">
          <ul>
            {NAV.filter((n) => (!n.admin || isAdmin) && (!n.operator || isOperator)).map((n) => (
              <li><Link href={n.href} aria-current={current(n.href) ? 'page' : undefined}>{n.label}</Link></li>
            ))}
          </ul>
        </nav>
        <main id="main" class="content" tabIndex={-1}>
          {routeFor(path, me.user.role)}
        </main>
      </div>
    </SessionContext.Provider>
  );
}

