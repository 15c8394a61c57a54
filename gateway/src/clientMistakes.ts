import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode, type GraphQLFormattedError } from 'graphql';

/** A subscription: this gateway serves queries and mutations over HTTP only. */
export const OPERATION_NOT_SUPPORTED = 'OPERATION_NOT_SUPPORTED';
/** Apollo Server's own code for a document whose operation cannot be chosen. */
const OPERATION_RESOLUTION_FAILURE = 'OPERATION_RESOLUTION_FAILURE';

const clientError = (message: string, code: string) => new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/**
 * Refuses, as the client's mistake (400), a request with no operation to run: an unknown
 * `operationName`, several operations and no name, a subscription. Apollo lets these through to
 * the gateway's planner, which throws and makes them 500s logged as internal errors.
 */
export function refuseUnrunnableOperations(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request, document }) {
          if (!operation) throw clientError(unresolvedOperation(document, request.operationName), OPERATION_RESOLUTION_FAILURE);
          if (operation.operation === 'subscription') {
            throw clientError('Subscriptions are not supported: send a query or a mutation', OPERATION_NOT_SUPPORTED);
          }
        },
      };
    },
  };
}

function unresolvedOperation(document: DocumentNode, operationName: string | undefined): string {
  if (operationName) return `Unknown operation named "${operationName}"`;
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  return operations.length > 1
    ? 'The document holds several operations: send operationName to choose one'
    : 'The document holds no operation';
}

/**
 * Apollo answers some client mistakes itself with a 4xx status but no code (a persisted-query hash
 * that does not match its query), which the error policy would mask and log as internal. Its
 * status says whose mistake it is: name it BAD_REQUEST, keeping Apollo's message.
 */
export function codeApolloClientErrors(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  if (!(error instanceof GraphQLError) || error.extensions.code !== undefined) return formatted;
  const status = (error.extensions.http as { status?: number } | undefined)?.status;
  if (status === undefined || status < 400 || status >= 500) return formatted;
  return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_REQUEST' } };
}
