import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs; tokens never appear because the only headers logged are named here. */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service }, redact: ['req.headers.authorization', '*.token'] });
}
