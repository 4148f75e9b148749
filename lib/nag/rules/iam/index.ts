export * from './IAMNoLakeFormationOrGlueWildcard';
