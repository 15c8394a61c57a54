/** The subgraph kit: what every subgraph is built from. Infrastructure only: no domain word in here. */
export {
  DEFAULT_SUBGRAPH_TIMEOUTS,
  readSubgraphConfig,
  subgraphEnvNames,
  subgraphEnvVariables,
  type SubgraphConfig,
  type SubgraphTimeouts,
} from './config.ts';
export {
  assertIdentifier,
  DatabaseUnavailable,
  observeQueries,
  openDatabase,
  type Database,
  type DatabaseLocation,
  type DatabaseTimeouts,
  type Queryable,
} from './db.ts';
export { migrate, type MigrationPlan } from './migrations.ts';
export {
  DENY_BY_DEFAULT,
  denyByDefault,
  hasPermission,
  isSignedIn,
  NO_RULE_MESSAGE,
  permissionsOf,
  policyRule,
  ruleId,
  ruleWords,
  SIGN_IN_REQUIRED,
  type AuthorizationContext,
  type PermissionCatalogue,
} from './authorization.ts';
export { auditDenials, EXAMPLE_PATHS, isDenial, type RequestScope } from './audit.ts';
export { groupBy } from './collections.ts';
export { DateTimeScalar } from './scalars.ts';
export {
  buildShieldedSchema,
  loadSubgraphSdl,
  shieldedService,
  subgraphFiles,
  type Resolvers,
  type ServiceParts,
} from './schema.ts';
export {
  startSubgraphServer,
  type IncomingRequest,
  type RunningServer,
  type SubgraphServerOptions,
  type SubgraphService,
} from './server.ts';
export { launchSubgraph, runSubgraph, type LaunchOptions, type RunningSubgraph, type SubgraphProgram } from './run.ts';
export { createGate, GateTimeout, type Gate } from './gate.ts';
export { DataDirInUseError, exitIfDataDirInUse, lockDataDir, type DataDirLock } from './dataDirLock.ts';
export {
  askOnward,
  describeOnwardErrors,
  onwardErrorAt,
  type OnwardError,
  type OnwardResponse,
  type OnwardTarget,
} from './onwardCall.ts';
export { refuseNulInput } from './inputGuard.ts';
export {
  POLICY_ENGINES,
  PolicyEngineUnavailable,
  PolicyLoadError,
  type PolicyDecision,
  type PolicyEngine,
  type PolicyEngineName,
  type PolicyInput,
  type PolicyResource,
  type PolicyUser,
  type PolicyValue,
} from './policy/engine.ts';
export { requestPolicy, type RequestPolicy } from './policy/requestPolicy.ts';
export { decide, type PolicyContext, type ResourceOf } from './policy/decide.ts';
export { createCedarEngine, type CedarEngineOptions } from './policy/cedar.ts';
export { createOpaEngine, type OpaEngineOptions } from './policy/opa.ts';
