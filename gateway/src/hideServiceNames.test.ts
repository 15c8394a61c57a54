import { describe, expect, it } from 'vitest';
import { hideServiceNames } from './hideServiceNames.ts';

const hide = hideServiceNames(['orders', 'payments', 'inventory']);

describe('hideServiceNames', () => {
  it('drops serviceName and the name in the message', () => {
    expect(
      hide({ message: 'The orders service is unavailable', extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: 'orders' } }),
    ).toEqual({ message: 'A service is unavailable', extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect(hide({ message: 'Could not reach the payments service in time' }).message).toBe('Could not reach a service in time');
  });

  it('leaves other words alone, the path included', () => {
    const error = { message: "Only the order's owner can read an order", path: ['orders', 0], extensions: { code: 'FORBIDDEN' } };
    expect(hide(error)).toEqual(error);
  });
});
