/**
 * Shapes of the kernel's API responses, as the tests read them — the SDK's published shapes under the names
 * the suites use, so tests check the very contract clients compile against.
 * @module
 */

import type { GroupView, UserView } from '@goatflow/kernel';
import type { ApiAuditEntry, ApiErrorBody, ApiHealth, ApiList, ApiSession, ApiUser } from '@goatflow/sdk';

export type { GroupView, UserView };

export type ErrorBody = ApiErrorBody;

export interface LoginBody {
  status: 'authenticated';
  user: ApiUser;
  csrfToken: string;
}

export type MeBody = ApiSession;
export type ListBody<T> = ApiList<T>;
export type AuditItem = ApiAuditEntry;
export type HealthBody = ApiHealth;
