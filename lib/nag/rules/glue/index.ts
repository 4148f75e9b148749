export * from './GlueDatabaseNoDefaultPermissions';
export * from './GlueProductDatabaseMetadata';
