/**
 * The extension points of sign-in. Plugins attach here (through their child container, which removes them again
 * on disable): a second factor runs after the password matched, an authenticator accepts non-cookie credentials
 * such as bearer tokens. With nothing attached, login is password-only and only session cookies authenticate.
 * @module
 */
import type { Principal } from '../context/request-context.js';
import type { UserView } from './directory.js';

export interface LoginAttemptContext {
  ip: string | undefined;
  userAgent: string | undefined;
  requestId: string;
  /** The session the browser already had, if any: a successful sign-in ends it (no session fixation). */
  previousSessionId?: string | undefined;
}

/** What a second factor asks the client to do before the session is created. */
export interface SecondFactorChallenge {
  /** Which factor asks (e.g. `totp`); the client shows the matching form. */
  factor: string;
  /** Opaque data for the client, such as a challenge id. Never secrets. */
  data: Record<string, unknown>;
}

export interface SecondFactor {
  readonly id: string;
  /** Returns a challenge to stop the login until it is answered, or `null` when this user needs none. */
  afterPassword(user: UserView, ctx: LoginAttemptContext): Promise<SecondFactorChallenge | null>;
}

export interface Authenticator {
  readonly id: string;
  /**
   * Looks at the `Authorization` header. Returns `null` when the credential is not of its kind, a principal when
   * it is valid, and throws `UnauthenticatedError` when it is of its kind but invalid.
   */
  authenticate(authorization: string, ctx: LoginAttemptContext): Promise<Principal | null>;
}

export class LoginPipeline {
  private readonly factors: SecondFactor[] = [];
  private readonly authenticators: Authenticator[] = [];

  /** Attaches a second factor; the returned function detaches it. */
  addSecondFactor(factor: SecondFactor): () => void {
    return attach(this.factors, factor);
  }

  /** Attaches an authenticator for non-cookie credentials; the returned function detaches it. */
  addAuthenticator(authenticator: Authenticator): () => void {
    return attach(this.authenticators, authenticator);
  }

  /** The first challenge any attached factor raises, or `null`. */
  async secondFactor(user: UserView, ctx: LoginAttemptContext): Promise<SecondFactorChallenge | null> {
    for (const factor of [...this.factors]) {
      const challenge = await factor.afterPassword(user, ctx);
      if (challenge) return challenge;
    }
    return null;
  }

  /** The principal for an `Authorization` header, or `null` when no attached authenticator recognises it. */
  async authenticate(authorization: string, ctx: LoginAttemptContext): Promise<Principal | null> {
    for (const authenticator of [...this.authenticators]) {
      const principal = await authenticator.authenticate(authorization, ctx);
      if (principal) return principal;
    }
    return null;
  }
}

function attach<T extends { id: string }>(list: T[], item: T): () => void {
  if (list.some((x) => x.id === item.id)) {
    throw new Error(`A login extension with id "${item.id}" is already attached; detach it first.`);
  }
  list.push(item);
  return () => {
    const i = list.indexOf(item);
    if (i >= 0) list.splice(i, 1);
  };
}
