import type { ASTVisitor, ValidationRule } from 'graphql';
import type { DemandHints } from './demandHints.ts';
import { plannableIntrospectionRule } from './plannerSupport.ts';
import { limitError, workLimitsRule, type WorkLimits } from './workLimits.ts';

export interface OperationLimits extends WorkLimits {
  maxDirectives: number;
}

/** Counts every directive in the document: each `@include`/`@skip` is a branch the planner weighs. */
export function maxDirectivesRule(maxDirectives: number): ValidationRule {
  return (context): ASTVisitor => {
    let count = 0;
    return {
      Directive() {
        count += 1;
        if (count === maxDirectives + 1) {
          context.reportError(limitError(`Query has more than the maximum of ${maxDirectives} directives`, 'maxDirectives'));
        }
      },
    };
  };
}

/** Every rule the gateway adds to GraphQL validation, so each runs before the query planner. */
export function operationLimitRules(limits: OperationLimits, hints: DemandHints): ValidationRule[] {
  return [workLimitsRule(limits, hints), maxDirectivesRule(limits.maxDirectives), plannableIntrospectionRule];
}
