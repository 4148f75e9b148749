import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { AccessEntry, AccessMatrix, CatalogModel, evaluate, readAssembly } from '../../lib/access';
import { DataMesh } from '../../lib/mesh/data-mesh';
import type { MeshDefinition } from '../../lib/mesh/definition';
import { removeDir, tempDir } from './helpers';

/** The feature flags of `cdk.json`: the mesh is meant to be synthesized with them. */
const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')).context;

export interface SynthesizedMesh {
  readonly mesh: DataMesh;
  readonly model: CatalogModel;
  readonly matrix: AccessMatrix;
}

/**
 * Synthesizes `definition` with DataMesh (no cdk-nag packs) into a temporary cloud assembly, reads and evaluates it,
 * and removes the assembly. `validate: false` skips the CloudFormation schema validation of `cdk.json`.
 */
export function synthesizeMesh(definition: MeshDefinition, options: { readonly validate?: boolean } = {}): SynthesizedMesh {
  const outdir = tempDir('mesh');
  try {
    // CloudFormation schema validation (cdk.json) costs seconds per synthesis; property tests turn it off.
    const context = options.validate ?? true ? CDK_JSON_CONTEXT : { ...CDK_JSON_CONTEXT, '@aws-cdk/core:validateAgainstDefaultRules': false };
    const app = new App({ outdir, context });
    const mesh = new DataMesh(app, { definition });
    app.synth();
    const model = readAssembly(outdir);
    return { mesh, model, matrix: evaluate(model) };
  } finally {
    removeDir(outdir);
  }
}

/** Grant IDs without the hash CDK appends to logical IDs, for readable expectations. */
export function withoutHashes(e: AccessEntry): AccessEntry {
  return { ...e, via: e.via.map((id) => id.replace(/[0-9A-F]{8}$/, '')) };
}
