export * from './model';
export { readAssembly, modelFromTemplates, canonicalResource } from './assembly';
export type { StackTemplate } from './assembly';
export { resolveValue, resolveString, stableJson } from './intrinsics';
export type { ResolveContext, TemplateResource } from './intrinsics';
export * from './evaluate';
export * from './diff';
export * from './format';
