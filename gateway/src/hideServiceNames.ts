import type { GraphQLFormattedError } from 'graphql';

/**
 * In production a client learns that a service failed, not which internal service it was: the
 * gateway's `serviceName` extension goes, and "The orders service ..." reads "A service ...".
 * Development keeps both, where they help.
 */
export function hideServiceNames(names: readonly string[]): (formatted: GraphQLFormattedError) => GraphQLFormattedError {
  const named = new RegExp(`\\bthe (${names.map(escapeRegExp).join('|')}) service\\b`, 'gi');
  return (formatted) => {
    const { serviceName: _hidden, ...extensions } = formatted.extensions ?? {};
    const message = formatted.message.replace(named, (match) => (match.startsWith('T') ? 'A service' : 'a service'));
    return { ...formatted, message, extensions };
  };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
