import { describe, expect, it } from 'vitest';
import { unknownVariableWarnings } from './unknownVariables.ts';

const known = {
  names: ['JWT_ALGORITHMS', 'JWT_SECRET', 'ORDERS_PORT', 'ORDERS_URL', 'IDENTITY_SIGNING_KEY', 'HOST', 'LOG_LEVEL'],
  prefixes: ['JWT_', 'IDENTITY_', 'ORDERS_'],
};

describe('unknownVariableWarnings', () => {
  it.each([
    ['JWT_ALGORITHM', 'JWT_ALGORITHMS'],
    ['ORDRES_PORT', 'ORDERS_PORT'],
    ['IDENTITY_SIGNING_KEYS', 'IDENTITY_SIGNING_KEY'],
    ['LOG_LEVL', 'LOG_LEVEL'],
  ])('warns about %s, naming %s', (misspelt, meant) => {
    expect(unknownVariableWarnings({ [misspelt]: 'x' }, known)).toEqual([
      `${misspelt} is not a variable this project reads: did you mean ${meant}?`,
    ]);
  });

  it('names the closest known variable even when it is far, for a name under a known prefix', () => {
    expect(unknownVariableWarnings({ JWT_KEY_ROTATION: 'on' }, known)).toEqual([
      expect.stringMatching(/^JWT_KEY_ROTATION is not a variable this project reads: did you mean JWT_/),
    ]);
  });

  it('leaves alone known variables, and strangers that are not near one (HOME is not HOST)', () => {
    expect(
      unknownVariableWarnings(
        { JWT_SECRET: 's', ORDERS_URL: 'u', HOME: '/root', PATH: '/bin', npm_config_cache: 'x', HOSTNAME: 'h' },
        known,
      ),
    ).toEqual([]);
  });

  it('lists every misspelt variable, in name order', () => {
    expect(unknownVariableWarnings({ ORDERS_PROT: '1', JWT_SECRETS: 's' }, known)).toHaveLength(2);
    expect(unknownVariableWarnings({ ORDERS_PROT: '1', JWT_SECRETS: 's' }, known)[0]).toMatch(/^JWT_SECRETS/);
  });
});
