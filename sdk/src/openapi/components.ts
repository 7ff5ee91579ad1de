/**
 * What every plugin document shares: the API's error body (`{"error": {code, message, details?}}`, see
 * `ApiErrorBody`) and how the kernel authenticates a browser — the session cookie, plus the CSRF header on writes.
 * @module
 */

/** The component name of the error body every error response uses. */
export const ERROR_BODY = 'ErrorBody';
/** The component name of one failing field in `error.details`. */
export const FIELD_ISSUE = 'FieldIssue';
/** The security scheme of the kernel's session cookie. */
export const SESSION_SCHEME = 'session';
/** The security scheme of the CSRF header a cookie-authenticated write must carry. */
export const CSRF_SCHEME = 'csrf';

/** The kernel's session cookie (HttpOnly, set by `POST /api/auth/login`). */
export const SESSION_COOKIE = 'gf_session';
/** The header a cookie-authenticated write echoes the session's `csrfToken` in (from login or `GET /api/auth/me`). */
export const CSRF_HEADER = 'X-CSRF-Token';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** JSON Schema of `ApiFieldIssue`. */
export const fieldIssueSchema = {
  type: 'object',
  description: 'One failing field of a rejected request.',
  properties: {
    path: { type: 'string', description: 'Dotted path of the field, e.g. `body.title` or `query.page`.' },
    message: { type: 'string', description: 'What is wrong with it, in English.' },
    code: {
      type: 'string',
      description:
        'Stable code to translate, e.g. `required`, `too_long`, `invalid_option`, `unknown_field`.',
    },
    params: {
      type: 'object',
      description: 'Values the translated message needs, e.g. `{"minimum": 8}`.',
      additionalProperties: { type: ['string', 'number'] },
    },
  },
  required: ['path', 'message'],
};

/** JSON Schema of `ApiErrorBody`, the body of every error response of the kernel and its plugins. */
export const errorBodySchema = {
  type: 'object',
  description: 'The body of every error response.',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: {
          type: 'string',
          description: 'Stable machine-readable code such as `validation_failed` or `not_found`.',
        },
        message: { type: 'string', description: 'What went wrong and what to do, for people.' },
        details: {
          type: 'array',
          items: ref(FIELD_ISSUE),
          description: 'For `validation_failed`: the fields.',
        },
      },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
};

/** The kernel's browser authentication as OpenAPI security schemes. */
export const securitySchemes = {
  [SESSION_SCHEME]: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'The session cookie `POST /api/auth/login` sets.',
  },
  [CSRF_SCHEME]: {
    type: 'apiKey',
    in: 'header',
    name: CSRF_HEADER,
    description:
      'On writes with the session cookie: the `csrfToken` from the login or `GET /api/auth/me` response.',
  },
} as const;
