import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { compliancePacks } from '../../lib/compliance';
import { DataMesh } from '../../lib/mesh/data-mesh';
import type { MeshDefinition } from '../../lib/mesh/definition';
import { loadMeshDefinition } from '../../lib/mesh/loader';

export const ROOT = path.join(__dirname, '..', '..');

/** The context of `cdk.json` (feature flags), plus the construct-path metadata the CDK CLI turns on. */
export function cdkContext(options: { validate?: boolean } = {}): Record<string, unknown> {
  const context = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context as Record<string, unknown>;
  return {
    ...context,
    'aws:cdk:enable-path-metadata': true,
    ...(options.validate === false ? { '@aws-cdk/core:validateAgainstDefaultRules': false } : {}),
  };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `report-${prefix}-`));
}

/** The definition of the shipped mesh.yaml. */
export function exampleDefinition(): MeshDefinition {
  return loadMeshDefinition(path.join(ROOT, 'mesh.yaml')).definition;
}

/**
 * Synthesizes a mesh into a fresh temporary cloud assembly. `nag: true` registers the compliance packs of
 * lib/compliance.ts as validation plugins (as bin/app.ts does), so the assembly holds validation-report.json and the
 * acknowledgements in the template metadata.
 */
export function synthesize(definition: MeshDefinition, options: { nag?: boolean; validate?: boolean } = {}): string {
  const outdir = tempDir('mesh');
  const app = new App({ outdir, context: cdkContext({ validate: options.validate }) });
  if (options.nag) Validations.of(app).addPlugins(...compliancePacks(app));
  new DataMesh(app, { definition });
  app.synth();
  return outdir;
}
