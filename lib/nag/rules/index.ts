export * as athena from './athena';
export * as glue from './glue';
export * as iam from './iam';
export * as lakeformation from './lakeformation';
export * as s3 from './s3';
