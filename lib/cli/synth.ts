import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { addCompliancePacks } from '../compliance';
import { DataMesh } from '../mesh/data-mesh';
import { LoadedMesh } from '../mesh/loader';

/** Synthesizes a loaded mesh in-process, without AWS credentials, into `outdir` (default: a temp folder). */
export function synthesizeMesh(loaded: LoadedMesh, options: { outdir?: string; compliance?: boolean } = {}): { mesh: DataMesh; outdir: string } {
  const outdir = options.outdir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'data-mesh-'));
  // Path metadata (as the cdk CLI sets it) lets reports name the construct of every resource.
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
  if (options.compliance ?? false) addCompliancePacks(app);
  const mesh = new DataMesh(app, loaded);
  app.synth();
  return { mesh, outdir };
}
