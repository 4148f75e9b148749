#!/usr/bin/env node
/**
 * The CDK app of `cdk.json`: synthesizes the mesh of `mesh.yaml` (or `-c mesh=path/to/mesh.yaml`) with the
 * compliance packs registered, so that an unacknowledged finding fails `cdk synth`.
 */
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { addCompliancePacks } from '../lib/compliance';
import { DataMeshValidationError } from '../lib/errors';
import { DataMesh } from '../lib/mesh/data-mesh';
import { DEFAULT_MESH_FILE, loadMeshDefinition } from '../lib/mesh/loader';

function main(): void {
  const app = new App();
  const file = app.node.tryGetContext('mesh') ?? DEFAULT_MESH_FILE;
  const loaded = loadMeshDefinition(path.resolve(String(file)));
  addCompliancePacks(app);
  new DataMesh(app, loaded);
  app.synth();
}

try {
  main();
} catch (e) {
  if (DataMeshValidationError.isDataMeshValidationError(e)) {
    // Our own validation: the message says what to fix; a stack trace would only hide it.
    process.stderr.write(`\n${e.message}\n\n`);
    process.exit(1);
  }
  throw e;
}
