import type { ApolloServerPlugin } from '@apollo/server';
import { pino, type DestinationStream, type Logger } from 'pino';
import { clientOperationName, operationOutcome } from './metrics.ts';
import { traceIds } from './tracing.ts';

export type { Logger };

/**
 * JSON logs; tokens never appear because the only headers logged are named here. Each line made
 * while a span is active carries its `traceId` and `spanId`, so logs and traces join.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options = loggerOptions(service, level);
  return destination ? pino(options, destination) : pino(options);
}

/** The services' pino options, for `createLogger` and for anything that must log the same way. */
export function loggerOptions(service: string, level: string) {
  return {
    level,
    base: { service },
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers.dpop', '*.token'],
    mixin: traceIds,
  };
}

/** What an operation log line needs from the context: its logger and who asked. */
interface OperationScope {
  log?: Logger;
  viewer?: { sub: string | null };
}

/**
 * One line per GraphQL operation, written with the request's own logger (so with its id): who
 * asked, what, how it ended and the HTTP status answered.
 */
export function logOperations(): ApolloServerPlugin<OperationScope> {
  return {
    async requestDidStart() {
      const startedAt = performance.now();
      return {
        async willSendResponse({ contextValue, operationName, operation, errors, response }) {
          contextValue.log?.info(
            {
              sub: contextValue.viewer?.sub ?? null,
              operationName: clientOperationName(operationName),
              operationType: operation?.operation ?? null,
              outcome: operationOutcome(response, errors),
              status: response.http.status ?? 200,
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
