import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import * as YAML from 'yaml';
import { DataMesh } from '../../lib/mesh/data-mesh';
import type { MeshDefinition } from '../../lib/mesh/definition';

export const ROOT = path.join(__dirname, '..', '..');

export function loadYamlDefinition(file: string): MeshDefinition {
  return YAML.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
}

/** Synthesizes a mesh definition (without the nag packs) into a fresh temporary cloud assembly. */
export function synthMesh(def: MeshDefinition): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-assembly-'));
  const app = new App({ outdir });
  new DataMesh(app, { definition: def });
  app.synth();
  return outdir;
}
