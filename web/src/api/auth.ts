/** Session endpoints. Each one that returns a CSRF token stores it, so later writes carry the fresh token. @module */
import { api, setCsrfToken } from './client.js';
import type { Locale, Session, User } from './types.js';

/**
 * The kernel answers `status: 'second_factor_required'` when a login extension (a 2FA plugin) wants another
 * step. The shell has no UI for such steps yet, so it reports that instead of pretending the user is signed in.
 */
export class SecondFactorRequiredError extends Error {
  readonly factor: string;

  constructor(factor: string) {
    super(`The login needs a second factor (${factor}).`);
    this.name = 'SecondFactorRequiredError';
    this.factor = factor;
  }
}

type LoginResponse =
  | ({ status?: 'authenticated' } & Session)
  | { status: 'second_factor_required'; factor: string; data?: unknown };

export async function login(loginName: string, password: string): Promise<Session> {
  const response = await api.post<LoginResponse>('/api/auth/login', { login: loginName, password });
  if (response.status === 'second_factor_required') throw new SecondFactorRequiredError(response.factor);
  setCsrfToken(response.csrfToken);
  return { user: response.user, csrfToken: response.csrfToken };
}

export async function fetchSession(): Promise<Session> {
  const session = await api.get<Session>('/api/auth/me', { ignoreUnauthenticated: true });
  setCsrfToken(session.csrfToken);
  return session;
}

export async function updateMyLocale(locale: Locale): Promise<User> {
  const { user } = await api.patch<{ user: User }>('/api/auth/me', { locale });
  return user;
}

export async function logout(): Promise<void> {
  try {
    await api.post<void>('/api/auth/logout', undefined, { ignoreUnauthenticated: true });
  } finally {
    setCsrfToken(null);
  }
}
