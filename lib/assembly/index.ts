export * from './read';
export * from './intrinsics';
