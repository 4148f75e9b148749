export * from './definition';
export * from './subscriptions';
export * from './loader';
export * from './contracts';
