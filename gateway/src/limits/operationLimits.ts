import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { plannableIntrospectionRule } from './plannerSupport.ts';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
}

const limitError = (message: string, limit: string) =>
  new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit } });

/**
 * Depth counted through fragments, introspection included: a fragment cannot hide nesting.
 * Runs in validation, before the query planner ever sees the operation.
 */
export function maxDepthRule(maxDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation: OperationDefinitionNode) {
      const depth = selectionDepth(operation.selectionSet, context, new Set(), maxDepth);
      if (depth > maxDepth) {
        context.reportError(
          limitError(`Query is nested deeper than the maximum depth of ${maxDepth}`, 'maxDepth'),
        );
      }
    },
  });
}

/** Stops descending once past `cutoff`, so a hostile document costs no more than the limit. */
function selectionDepth(
  selectionSet: SelectionSetNode,
  context: ValidationContext,
  visiting: Set<string>,
  cutoff: number,
  depth = 0,
): number {
  if (depth > cutoff) return depth;
  let deepest = depth;
  for (const selection of selectionSet.selections) {
    let reached = depth;
    if (selection.kind === Kind.FIELD) {
      reached = selection.selectionSet
        ? selectionDepth(selection.selectionSet, context, visiting, cutoff, depth + 1)
        : depth + 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      reached = selectionDepth(selection.selectionSet, context, visiting, cutoff, depth);
    } else {
      const fragment: FragmentDefinitionNode | undefined | null = context.getFragment(selection.name.value);
      if (fragment && !visiting.has(fragment.name.value)) {
        visiting.add(fragment.name.value);
        reached = selectionDepth(fragment.selectionSet, context, visiting, cutoff, depth);
        visiting.delete(fragment.name.value);
      }
    }
    deepest = Math.max(deepest, reached);
  }
  return deepest;
}

/** Counts every alias and directive in the document: each one can multiply the work behind it. */
function countingRule(
  limit: number,
  label: string,
  limitName: string,
  visitorFor: (increment: () => void) => ASTVisitor,
): ValidationRule {
  return (context) => {
    let count = 0;
    let reported = false;
    return {
      ...visitorFor(() => {
        count += 1;
        if (count > limit && !reported) {
          reported = true;
          context.reportError(limitError(`Query has more than the maximum of ${limit} ${label}`, limitName));
        }
      }),
    };
  };
}

export const maxAliasesRule = (maxAliases: number) =>
  countingRule(maxAliases, 'aliases', 'maxAliases', (increment) => ({
    Field(field) {
      if (field.alias) increment();
    },
  }));

export const maxDirectivesRule = (maxDirectives: number) =>
  countingRule(maxDirectives, 'directives', 'maxDirectives', (increment) => ({ Directive: increment }));

/** Every rule the gateway adds to GraphQL validation, so each runs before the query planner. */
export function operationLimitRules(limits: OperationLimits): ValidationRule[] {
  return [
    maxDepthRule(limits.maxDepth),
    maxAliasesRule(limits.maxAliases),
    maxDirectivesRule(limits.maxDirectives),
    plannableIntrospectionRule,
  ];
}
