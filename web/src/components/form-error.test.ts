import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.js';
import { initI18n, setLanguage, t } from '../i18n/i18n.js';
import { formErrorFrom } from './form-error.js';

beforeEach(async () => {
  await initI18n('en');
});

describe('formErrorFrom', () => {
  it('translates the headline and the details the form could not place', async () => {
    await setLanguage('de');
    const error = new ApiError(400, 'validation_failed', 'Request validation failed.', [
      {
        path: 'permissions.0',
        message: 'Invalid option',
        code: 'invalid_option',
        params: { options: 'ro, rw' },
      },
      { path: 'body', message: 'unrecognized key', code: 'unknown_field' },
    ]);
    expect(formErrorFrom(error, error.details)).toEqual({
      message: 'Einige Felder müssen korrigiert werden.',
      details: [
        'permissions.0: Wählen Sie eine der Möglichkeiten: ro, rw.',
        'Dieses Feld wird hier nicht angenommen.',
      ],
    });
  });

  it('drops the kernel sentence of a 409 whose field details are translated', async () => {
    await setLanguage('de');
    const error = new ApiError(409, 'conflict', 'The login "admin" is taken.', [
      { path: 'login', message: 'is already taken', code: 'taken' },
    ]);
    expect(formErrorFrom(error, [])).toEqual({
      message: 'Das steht im Konflikt mit vorhandenen Daten.',
      details: [],
    });
  });

  it('puts a translated headline before the English sentence of a bare 409', async () => {
    await setLanguage('de');
    const error = new ApiError(409, 'conflict', 'Something about the data is off.');
    expect(formErrorFrom(error, [])).toEqual({
      message: 'Das steht im Konflikt mit vorhandenen Daten.',
      details: ['Something about the data is off.'],
    });
  });

  it('uses the reason the form knows for a bare 409, in the user language only', async () => {
    await setLanguage('de');
    const error = new ApiError(409, 'conflict', 'You cannot remove your own administrator rights.');
    expect(formErrorFrom(error, [], { conflict: t('members.errors.ownAdminRights') })).toEqual({
      message: 'Sie können sich Ihre eigenen Administratorrechte nicht entziehen.',
      details: [],
    });
  });

  it('keeps a known reason away from other errors', () => {
    const error = new ApiError(500, 'internal', 'Boom.');
    expect(formErrorFrom(error, [], { conflict: 'Not this.' })).toEqual({
      message: 'Something went wrong on the server. Please try again.',
      details: [],
    });
  });
});
