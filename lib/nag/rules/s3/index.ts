export * from './S3BucketKmsEncrypted';
export * from './S3BucketRetained';
