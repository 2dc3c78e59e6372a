import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, setCsrf, type Me, type SessionCreated } from '../api';
import { ErrorBanner, Field } from '../ui';

function Card({ title, children }: { title: string; children: ComponentChildren }) {
  useEffect(() => { document.title = `${title} · Phishdrill`; }, [title]);
  return (
    <main id="main" class="auth-screen">
      <div class="auth-card">
        <p class="brand brand-large"><span class="brand-mark" aria-hidden="true">◆</span> Phishdrill</p>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}

export function Login({ onLoggedIn }: { onLoggedIn: (me: Me) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await call<SessionCreated>('POST', '/session', { body: { email, password }, quiet401: true });
      setCsrf(s.csrf_token);
      const me = await call<Me>('GET', '/me');
      onLoggedIn(me);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid_credentials') setError(new ApiError(401, err.code, 'The email or password is wrong.'));
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Log in">
      <form onSubmit={submit} noValidate>
        <ErrorBanner error={error} title="Could not log in." />
        <Field label="Email" name="email" error={error}>
          {(a) => <input {...a} type="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />}
        </Field>
        <Field label="Password" name="password" error={error}>
          {(a) => <input {...a} type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />}
        </Field>
        <button class="btn btn-primary btn-block" type="submit" disabled={busy}>{busy ? 'Logging in…' : 'Log in'}</button>
      </form>
    </Card>
  );
}

export function ChangePassword({ me, onChanged }: { me: Me; onChanged: (me: Me) => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (next.length < 12) return setError(new ApiError(422, 'validation', 'Use at least 12 characters.', 'new_password'));
    if (next !== again) return setError(new ApiError(422, 'validation', 'The two new passwords differ.', 'new_password_again'));
    setBusy(true);
    try {
      await call('POST', '/me/password', { body: { current_password: current, new_password: next } });
      let m: Me;
      try {
        m = await call<Me>('GET', '/me', { quiet401: true });
      } catch {
        // The session may be ended by a password change: log in again.
        const s = await call<SessionCreated>('POST', '/session', { body: { email: me.user.email, password: next } });
        setCsrf(s.csrf_token);
        m = await call<Me>('GET', '/me');
      }
      onChanged(m);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="Choose a new password">
      <p>Your password was set by someone else. Choose your own before you continue (at least 12 characters, not your email address).</p>
      <form onSubmit={submit} noValidate>
        <ErrorBanner error={error} title="Could not change the password." />
        <Field label="Current password" name="current_password" error={error}>
          {(a) => <input {...a} type="password" autoComplete="current-password" value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />}
        </Field>
        <Field label="New password" name="new_password" error={error} hint="At least 12 characters.">
          {(a) => <input {...a} type="password" autoComplete="new-password" value={next} onInput={(e) => setNext(e.currentTarget.value)} />}
        </Field>
        <Field label="New password again" name="new_password_again" error={error}>
          {(a) => <input {...a} type="password" autoComplete="new-password" value={again} onInput={(e) => setAgain(e.currentTarget.value)} />}
        </Field>
        <button class="btn btn-primary btn-block" type="submit" disabled={busy}>{busy ? 'Saving…' : 'Change password'}</button>
      </form>
    </Card>
  );
}
