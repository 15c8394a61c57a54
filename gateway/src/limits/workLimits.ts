import { GraphQLError, type ASTVisitor, type ValidationContext, type ValidationRule } from 'graphql';
import type { DemandHints } from './demandHints.ts';
import { createWorkAnalyser, type OperationWork } from './operationWork.ts';

/** The bounds on what one operation may ask, measured with its fragments expanded. */
export interface WorkLimits {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxSelections: number;
  maxCost: number;
}

export const limitError = (message: string, limit: string, extensions: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit, ...extensions } });

type Check = (work: OperationWork, limits: WorkLimits) => GraphQLError | undefined;

const CHECKS: readonly Check[] = [
  ({ depth }, { maxDepth }) =>
    depth > maxDepth ? limitError(`Query is nested deeper than the maximum depth of ${maxDepth}`, 'maxDepth') : undefined,
  ({ aliases }, { maxAliases }) =>
    aliases > maxAliases ? limitError(`Query has more than the maximum of ${maxAliases} aliases`, 'maxAliases') : undefined,
  ({ rootFields }, { maxRootFields }) =>
    rootFields > maxRootFields
      ? limitError(`Query has more than the maximum of ${maxRootFields} root fields`, 'maxRootFields')
      : undefined,
  ({ selections }, { maxSelections }) =>
    selections > maxSelections
      ? limitError(
          `Query selects more than the maximum of ${maxSelections} fields once its fragments are expanded`,
          'maxSelections',
        )
      : undefined,
  ({ cost }, { maxCost }) =>
    cost > maxCost
      ? limitError(`Query's estimated cost of ${cost} exceeds the maximum of ${maxCost}`, 'maxCost', { cost, maxCost })
      : undefined,
];

/**
 * Depth, aliases, root fields, selections and cost, all measured in one linear pass over the
 * document as executed (a fragment cannot hide nesting, aliases or fan-out), in validation, before
 * the query planner ever sees the operation. Each exceeded limit is reported once per document.
 */
export function workLimitsRule(limits: WorkLimits, hints: DemandHints): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const analyser = createWorkAnalyser(context.getSchema(), (name) => context.getFragment(name), hints);
    const reported = new Set<string>();
    return {
      OperationDefinition(operation) {
        const work = analyser.operation(operation);
        for (const check of CHECKS) {
          const error = check(work, limits);
          const limit = error?.extensions.limit as string | undefined;
          if (!error || reported.has(limit!)) continue;
          reported.add(limit!);
          context.reportError(error);
        }
        return false;
      },
    };
  };
}
