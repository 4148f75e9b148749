export * from './defaults';
export * from './errors';
export * from './naming';
export * from './perms';
export * from './table-schema';
export { ALLOW_DESTROY_CONTEXT_KEY } from './private/removal';
export * from './compliance';
export * from './validation';
export * from './client';
