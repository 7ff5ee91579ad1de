import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/index.js';
import { createUserInput, idParam } from '../identity/schemas.js';
import { parseInput } from './validate.js';

describe('parseInput', () => {
  it('returns the parsed value', () => {
    expect(parseInput(idParam, '42', 'id')).toBe(42);
  });

  it('names every failing field, including unknown ones', () => {
    try {
      parseInput(createUserInput, { login: 'x', type: 'robot', email: 'nope', password: 'short', extra: 1 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      const paths = (e as ValidationError).details!.map((d) => d.path).sort();
      expect(paths).toEqual(['email', 'extra', 'firstName', 'lastName', 'login', 'password', 'type']);
    }
  });

  it('prefixes query and parameter paths', () => {
    try {
      parseInput(idParam, 'abc', 'id');
      expect.unreachable();
    } catch (e) {
      expect((e as ValidationError).details).toEqual([
        { path: 'id', message: 'must be a positive whole number', code: 'invalid_format' },
      ]);
    }
  });
});
