import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PathResult, PathsReport, checkPaths, readWorld } from '../../lib/paths';
import { loadYamlDefinition, synthMesh } from '../helpers/mesh-assembly';

const assemblies = new Map<string, string>();

/** The synthesized cloud assembly of an example mesh, synthesized once per test file (synthesis is slow). */
export function exampleAssembly(file: string): string {
  let dir = assemblies.get(file);
  if (!dir) {
    dir = synthMesh(loadYamlDefinition(file));
    assemblies.set(file, dir);
  }
  return dir;
}

/** A copy of an assembly in a fresh temp folder, to edit templates in. */
export function copyAssembly(dir: string): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'paths-copy-'));
  fs.cpSync(dir, copy, { recursive: true });
  return copy;
}

export type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, any> }> };

/** Edits the template of stack `stack` of an assembly in place. */
export function editTemplate(dir: string, stack: string, edit: (t: Template) => void): void {
  const file = path.join(dir, `${stack}.template.json`);
  const t = JSON.parse(fs.readFileSync(file, 'utf8')) as Template;
  edit(t);
  fs.writeFileSync(file, JSON.stringify(t));
}

/** The one resource of `type` whose logical ID starts with `prefix`. */
export function resourceId(t: Template, type: string, prefix: string): string {
  const ids = Object.keys(t.Resources).filter((id) => t.Resources[id].Type === type && id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} ${prefix}*, found ${ids.join(', ') || 'none'}`);
  return ids[0];
}

/** Removes the statement with `sid` (or matching `match`) from a policy document. */
export function removeStatement(doc: { Statement: any[] }, match: (st: any) => boolean): void {
  const before = doc.Statement.length;
  doc.Statement = doc.Statement.filter((st) => !match(st));
  if (doc.Statement.length !== before - 1) throw new Error(`expected to remove one statement, removed ${before - doc.Statement.length}`);
}

export function report(dir: string): PathsReport {
  return checkPaths(readWorld(dir));
}

export function pathOf(r: PathsReport, kind: PathResult['kind'], instance: string): PathResult {
  const p = r.paths.find((x) => x.kind === kind && x.instance.includes(instance));
  if (!p) throw new Error(`no ${kind} path ${instance}: ${r.paths.filter((x) => x.kind === kind).map((x) => x.instance).join('; ')}`);
  return p;
}

/** Every path that is not ok, as `kind instance: call on resource: missing`, for readable failures. */
export function problems(r: PathsReport): string[] {
  return r.paths.filter((p) => p.status !== 'ok')
    .map((p) => `${p.kind} ${p.instance}: ${p.firstProblem!.call} on ${p.firstProblem!.resource}: ${p.firstProblem!.missing ?? p.firstProblem!.reason}`);
}
