import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';

/**
 * Introspection fields graphql-js knows but the gateway's query planner (@apollo/federation-internals)
 * does not: the planner throws on them, which would surface as a 500. Refused in validation
 * instead, as the client's mistake, before planning.
 */
const UNPLANNABLE: Readonly<Record<string, readonly string[]>> = {
  __Type: ['isOneOf'],
};

export function plannableIntrospectionRule(context: ValidationContext): ASTVisitor {
  return {
    Field(field) {
      const parent = context.getParentType()?.name;
      if (parent && UNPLANNABLE[parent]?.includes(field.name.value)) {
        context.reportError(
          new GraphQLError(`The field "${parent}.${field.name.value}" is not supported by this gateway.`, {
            nodes: [field],
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          }),
        );
      }
    },
  };
}
