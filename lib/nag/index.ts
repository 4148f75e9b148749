export * from './data-mesh-checks';
export * as rules from './rules';
export type { DataMeshRule } from './private/named-rule';
