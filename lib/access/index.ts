export * from './model';
export { readAssembly, modelFromTemplates, stackTemplate, canonicalResource } from './assembly';
export type { StackTemplate } from './assembly';
export { resolveValue, resolveString } from './intrinsics';
export { stableJson } from '../assembly';
export type { ResolveContext, TemplateResource } from '../assembly';
export * from './evaluate';
export * from './diff';
export * from './format';
