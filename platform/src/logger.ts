import type { ApolloServerPlugin } from '@apollo/server';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** JSON logs; tokens never appear because the only headers logged are named here. */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service },
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers.dpop', '*.token'],
  };
  return destination ? pino(options, destination) : pino(options);
}

/** One line per GraphQL operation, written with the request's own logger (so with its id). */
export function logOperations(): ApolloServerPlugin<{ log?: Logger }> {
  return {
    async requestDidStart() {
      const startedAt = performance.now();
      return {
        async willSendResponse({ contextValue, operationName, errors }) {
          contextValue.log?.info(
            {
              operationName: operationName ?? null,
              errors: errors?.length ?? 0,
              durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
            },
            'operation answered',
          );
        },
      };
    },
  };
}
