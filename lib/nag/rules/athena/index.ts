export * from './AthenaWorkGroupBytesScannedCutoff';
export * from './AthenaWorkGroupEnforceConfiguration';
export * from './AthenaWorkGroupPinnedEngineVersion';
export * from './AthenaWorkGroupResultsKmsEncrypted';
