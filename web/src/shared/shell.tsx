/**
 * A console's frame: the sign-in form until a key is given (checked against the API before it is
 * kept), then the navigation and the routed pages. The key lives in sessionStorage only.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiContext } from './use-api';
import { ApiError, SIGNED_OUT, createApi } from './api';
import { session, type Role } from './session';
import { Field } from './ui';

export interface NavItem {
  href: string;
  label: string;
}

export function Shell({
  role,
  title,
  check,
  nav,
  path,
  children,
}: {
  role: Role;
  title: string;
  /** A GET the key must pass to be kept (e.g. /v1/me for a client key). */
  check: string;
  nav: NavItem[];
  path: string;
  children: ComponentChildren;
}) {
  const [key, setKey] = useState(() => session.get(role));
  const api = useMemo(() => createApi(role), [role]);
  useEffect(() => {
    const out = (e: Event) => {
      if ((e as CustomEvent).detail !== role) return;
      session.clear(role);
      setKey(null);
    };
    window.addEventListener(SIGNED_OUT, out);
    return () => window.removeEventListener(SIGNED_OUT, out);
  }, [role]);

  if (!key) return <SignIn role={role} title={title} check={check} onKey={setKey} />;
  const signOut = () => {
    session.clear(role);
    setKey(null);
  };
  return (
    <ApiContext.Provider value={api}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">{title}</span>
        <nav aria-label="Main">
          <ul>
            {nav.map((n) => {
              const current = n.href === path || (n.href !== nav[0]!.href && path.startsWith(n.href));
              return (
                <li key={n.href}>
                  <a href={n.href} aria-current={current ? 'page' : undefined}>
                    {n.label}
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
        <button type="button" class="link" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </ApiContext.Provider>
  );
}

function SignIn({ role, title, check, onKey }: { role: Role; title: string; check: string; onKey: (k: string) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    const key = value.trim();
    try {
      await createApi(role, () => key).get(check);
      session.set(role, key);
      onKey(key);
    } catch (err) {
      setError(
        err instanceof ApiError && (err.status === 401 || err.status === 403) ? 'That key is not valid here.' : (err as Error).message,
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="signin" id="main">
      <h1>{title}</h1>
      <form id="signin" onSubmit={submit}>
        <Field label={role === 'admin' ? 'Admin API key' : 'Your API key'} hint="Kept in this tab only, until you close it or sign out.">
          <input
            id="key"
            name="key"
            type="password"
            autoComplete="off"
            required
            value={value}
            onInput={(e) => setValue(e.currentTarget.value)}
          />
        </Field>
        <button class="primary" type="submit" disabled={busy}>
          Sign in
        </button>
        <p id="signin-error" role="alert" class="error-text">
          {error}
        </p>
      </form>
    </main>
  );
}
