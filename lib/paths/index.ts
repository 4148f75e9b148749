export * from './iam';
export * from './world';
export * from './checks';
export * from './paths';
export * from './format';
