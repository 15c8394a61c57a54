import { describe, expect, it } from 'vitest';
import { createLogger } from '#platform';
import { apolloLogger, oneLine } from './apolloLogger.ts';

describe("Apollo's messages", () => {
  it('become one JSON line each: the first line the message, the "* key: value" lines fields', () => {
    const lines: string[] = [];
    const log = apolloLogger(createLogger('gateway', 'info', { write: (line: string) => void lines.push(line) }));
    log.info('Gateway successfully loaded schema.\n\t* Mode: unmanaged\n\t* Service: shop@main');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.trim()).not.toContain('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      msg: 'Gateway successfully loaded schema.',
      mode: 'unmanaged',
      service: 'shop@main',
    });
  });

  it('keep any other continuation line as details', () => {
    expect(oneLine('Something failed\n  because of this')).toEqual({
      msg: 'Something failed',
      fields: { details: 'because of this' },
    });
    expect(oneLine('plain')).toEqual({ msg: 'plain', fields: {} });
  });
});
