import type { Logger as ApolloLogger } from '@apollo/utils.logger';
import type { Logger } from '#platform';

/**
 * Apollo writes some messages over several lines (`Gateway successfully loaded schema.\n\t* Mode:
 * unmanaged`): the first line is the message, each `* key: value` line below a field, so the log
 * stays one JSON line per event and the details stay searchable.
 */
export function oneLine(message: unknown): { fields: Record<string, string>; msg: string } {
  const [first = '', ...rest] = String(message).split('\n');
  const fields: Record<string, string> = {};
  const extra: string[] = [];
  for (const line of rest.map((text) => text.trim()).filter(Boolean)) {
    const detail = /^\*\s*([A-Za-z][\w ]*):\s*(.*)$/.exec(line);
    if (detail) fields[detail[1]!.trim().toLowerCase().replace(/\s+/g, '_')] = detail[2]!;
    else extra.push(line);
  }
  if (extra.length > 0) fields.details = extra.join(' ');
  return { fields, msg: first.trim() };
}

/** The gateway's logger for Apollo's own messages (debug is Apollo's chatter, dropped). */
export function apolloLogger(logger: Logger): ApolloLogger {
  const write = (level: 'info' | 'warn' | 'error') => (message: unknown) => {
    const { fields, msg } = oneLine(message);
    logger[level](fields, msg);
  };
  return { debug: () => {}, info: write('info'), warn: write('warn'), error: write('error') };
}
