export * from './engine.ts';
export * from './requestPolicy.ts';
export * from './decide.ts';
export * from './cedar.ts';
export * from './opa.ts';
