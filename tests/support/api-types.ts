/**
 * Shapes of the kernel's API responses, as the tests read them.
 * @module
 */
import type { GroupView, UserView } from '@goatflow/kernel';

export type { GroupView, UserView };

export interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

export interface LoginBody {
  status: 'authenticated';
  user: UserView;
  csrfToken: string;
}

export interface MeBody {
  user: UserView;
  csrfToken: string | null;
}

export interface ListBody<T> {
  items: T[];
  total: number;
}

export interface AuditItem {
  id: number;
  at: string;
  actorUserId: number | null;
  actorLogin: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

export interface HealthBody {
  status: string;
  database: string;
  version: string;
}
