import { describe, expect, it } from 'vitest';
import { loginPathFor, matchRoute, normalizePath, safeNextPath } from './router.js';

describe('matchRoute', () => {
  it('maps the known paths', () => {
    expect(matchRoute('/login').name).toBe('login');
    expect(matchRoute('/').name).toBe('dashboard');
    expect(matchRoute('/admin/users').name).toBe('admin-users');
    expect(matchRoute('/admin/groups').name).toBe('admin-groups');
    expect(matchRoute('/admin/plugins').name).toBe('admin-plugins');
    expect(matchRoute('/api-reference').name).toBe('api-reference');
  });

  it('ignores trailing slashes', () => {
    expect(matchRoute('/admin/users/').name).toBe('admin-users');
    expect(normalizePath('///')).toBe('/');
  });

  it('sends unknown paths to not-found, behind login', () => {
    const route = matchRoute('/admin/nope');
    expect(route.name).toBe('not-found');
    expect(route.requiresAuth).toBe(true);
  });

  it('marks only the admin pages as admin-only', () => {
    expect(matchRoute('/admin/users').requiresAdmin).toBe(true);
    expect(matchRoute('/admin/groups').requiresAdmin).toBe(true);
    expect(matchRoute('/admin/plugins').requiresAdmin).toBe(true);
    expect(matchRoute('/').requiresAdmin).toBe(false);
    expect(matchRoute('/api-reference')).toMatchObject({ requiresAuth: true, requiresAdmin: false });
    expect(matchRoute('/login').requiresAuth).toBe(false);
  });
});

describe('safeNextPath', () => {
  it('keeps same-site paths with their query', () => {
    expect(safeNextPath('/admin/users?type=agent')).toBe('/admin/users?type=agent');
  });

  it('rejects anything that could leave the site or loop', () => {
    for (const next of [
      null,
      undefined,
      '',
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      '/login',
    ]) {
      expect(safeNextPath(next)).toBe('/');
    }
    expect(safeNextPath('/login?next=/x')).toBe('/');
  });
});

describe('loginPathFor', () => {
  it('remembers where the user wanted to go', () => {
    expect(loginPathFor('/admin/groups')).toBe('/login?next=%2Fadmin%2Fgroups');
  });

  it('leaves the query off for the dashboard', () => {
    expect(loginPathFor('/')).toBe('/login');
  });
});
