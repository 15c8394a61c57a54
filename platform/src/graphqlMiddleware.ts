/**
 * Apollo Server on Node's request and response (every subgraph), and behind Express (the gateway).
 * It does what @as-integrations/express5 does, except that it finds the query string without
 * Node's legacy `url.parse()`, which prints a DEP0169 deprecation warning on every supported Node.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BaseContext, ApolloServer, HTTPGraphQLRequest } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';

export interface GraphQLMiddlewareOptions<Context extends BaseContext> {
  context: (arguments_: { req: Request; res: Response }) => Promise<Context>;
}

/** `?a=1&b=2` of `/graphql?a=1&b=2#x`; '' when there is none. The same text `url.parse(url).search` gave. */
export function searchOf(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) return '';
  const end = url.indexOf('#', start);
  return end < 0 ? url.slice(start) : url.slice(start, end);
}

function requestOf(req: IncomingMessage, body: unknown): HTTPGraphQLRequest {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return { method: req.method!.toUpperCase(), headers, search: searchOf(req.url!), body };
}

/** Runs one HTTP request (its body already parsed) through Apollo Server and writes the answer. */
export async function answerGraphQL<Context extends BaseContext>(
  server: ApolloServer<Context>,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  context: () => Promise<Context>,
): Promise<void> {
  const response = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest: requestOf(req, body), context });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** Needs a JSON body parser in front of it, as the Express integration does. */
export function graphqlMiddleware<Context extends BaseContext>(
  server: ApolloServer<Context>,
  options: GraphQLMiddlewareOptions<Context>,
): RequestHandler {
  server.assertStarted('graphqlMiddleware()');
  // Express 5 hands a rejected promise to the error handlers.
  return (req, res) => answerGraphQL(server, req, res, req.body, () => options.context({ req, res }));
}
