import fc from 'fast-check';
import YAML from 'yaml';
import { expect } from 'vitest';
import { AccessMatrix, CatalogIndex, CatalogModel, selectedColumns, tableKey } from '../../lib/access';
import { DataMeshValidationError } from '../../lib/errors';
import type { MeshDefinition } from '../../lib/mesh/definition';
import { parseMeshDefinition } from '../../lib/mesh/loader';
import { CLASSES, MeshArbitraryOptions, Selection, highestSubscribedClassification, intendedAccess, meshDefinitionArb, queryRoleArn } from './mesh-arbitrary';
import { synthesizeMesh } from './synth';

/** Synthesis dominates the runtime (about half a second per mesh): each property runs at most this many meshes. */
export const NUM_RUNS = Number(process.env.ACCESS_PROPERTY_RUNS ?? 25);
/** Fixed so that the properties of one file see the same meshes (synthesized once); override to explore. */
export const SEED = Number(process.env.ACCESS_PROPERTY_SEED ?? 20_240_611);
export const PROPERTY_TIMEOUT = 900_000;
export const params = { numRuns: NUM_RUNS, seed: SEED, verbose: 1 } as const;

/**
 * The outcome of synthesizing a generated mesh: the evaluated assembly, or the DataMeshValidationError with which
 * DataMesh rejects the mesh at synth (for example two subscriptions whose grants collide). A clear synth-time error
 * is a valid outcome; any other exception is not, and propagates (the property fails).
 */
export type SynthOutcome =
  | { readonly model: CatalogModel; readonly matrix: AccessMatrix; readonly rejection?: undefined }
  | { readonly rejection: DataMeshValidationError; readonly model?: undefined; readonly matrix?: undefined };

const cache = new Map<string, SynthOutcome>();

/**
 * Synthesizes a generated definition once (cached by content), after checking that the loader accepts it: the
 * generator must only produce meshes a user could write, so a loader error fails the property.
 */
export function synth(def: MeshDefinition): SynthOutcome {
  const key = JSON.stringify(def);
  const hit = cache.get(key);
  if (hit) return hit;
  parseMeshDefinition(YAML.stringify(def), 'generated.yaml');
  let result: SynthOutcome;
  try {
    const { model, matrix } = synthesizeMesh(def, { validate: false });
    result = { model, matrix };
  } catch (e) {
    // Only DataMesh's own validation error is an accepted outcome; anything else is a toolkit crash.
    if (!(e instanceof DataMeshValidationError)) throw e;
    result = { rejection: e };
  }
  cache.set(key, result);
  return result;
}

/** Distinct meshes a property saw, and how many of them DataMesh rejected at synth. */
export interface Tally {
  readonly seen: Set<string>;
  readonly rejected: Set<string>;
}

function newTally(): Tally {
  return { seen: new Set(), rejected: new Set() };
}

/**
 * Runs `check` on every generated mesh that synthesizes; a mesh DataMesh rejects with a DataMeshValidationError
 * passes. Afterwards at least half the distinct meshes must have synthesized, so that rejections cannot make the
 * property vacuous.
 */
function forSynthesizedMeshes(options: MeshArbitraryOptions, runs: number,
  check: (def: MeshDefinition, model: CatalogModel, matrix: AccessMatrix) => void): Tally {
  const tally = newTally();
  fc.assert(fc.property(meshDefinitionArb(options), (def) => {
    const key = JSON.stringify(def);
    tally.seen.add(key);
    const outcome = synth(def);
    if (outcome.rejection) {
      // synth let only a DataMeshValidationError through: a clear error at synth is the intended outcome.
      tally.rejected.add(key);
      return;
    }
    check(def, outcome.model, outcome.matrix);
  }), { ...params, numRuns: runs });
  const synthesized = tally.seen.size - tally.rejected.size;
  expect({ synthesized, enough: synthesized * 2 >= tally.seen.size }).toEqual({ synthesized, enough: true });
  return tally;
}

/** What the matrix lets a principal describe and select, and the describable databases of another account it has no link to. */
export function actualAccess(matrix: AccessMatrix, principal: string): { databases: string[]; columns: Selection; unreachable: string[] } {
  const databases: string[] = [];
  const unreachable: string[] = [];
  const columns: Selection = {};
  for (const e of matrix.entries.filter((x) => x.principal === principal)) {
    if (e.describe) databases.push(e.database);
    if (e.describe && e.crossAccount && !e.throughLink) unreachable.push(e.database);
    for (const t of Object.keys(e.tables)) {
      const cols = selectedColumns(e.tables[t].select, matrix.schema[tableKey(e.catalogId, e.database, t)].columns);
      if (cols.length > 0) columns[`${e.database}.${t}`] = cols;
    }
  }
  return { databases: databases.sort(), columns, unreachable };
}

/** Property (a): every domain's query role reads exactly what its own products and its subscriptions intend. */
export function readsWhatSubscriptionsIntend(options: MeshArbitraryOptions, runs = NUM_RUNS): Tally {
  return forSynthesizedMeshes(options, runs, (def, _model, matrix) => {
    for (const d of def.domains) {
      const actual = actualAccess(matrix, queryRoleArn(def, d.name));
      expect({ domain: d.name, databases: actual.databases, columns: actual.columns }).toEqual({ domain: d.name, ...intendedAccess(def, d.name) });
      expect({ domain: d.name, describableWithoutLink: actual.unreachable }).toEqual({ domain: d.name, describableWithoutLink: [] });
    }
  });
}

/** Property (b): a column classified above every classification a domain subscribed to is never selectable by its query role. */
export function neverReadsAboveSubscribedClassifications(options: MeshArbitraryOptions, runs = NUM_RUNS): Tally {
  return forSynthesizedMeshes(options, runs, (def, model, matrix) => {
    const index = new CatalogIndex(model);
    for (const d of def.domains) {
      const highest = highestSubscribedClassification(def, d.name);
      const limit = highest === undefined ? -1 : CLASSES.indexOf(highest as (typeof CLASSES)[number]);
      const leaks: string[] = [];
      for (const e of matrix.entries.filter((x) => x.principal === queryRoleArn(def, d.name))) {
        for (const t of Object.keys(e.tables)) {
          const table = index.table(e.catalogId, e.database, t)!;
          for (const c of selectedColumns(e.tables[t].select, table.columns.map((x) => x.name))) {
            const cls = index.columnTags(table, c).classification;
            if (cls === undefined || CLASSES.indexOf(cls as (typeof CLASSES)[number]) > limit) leaks.push(`${e.database}.${t}.${c} (${cls ?? 'unclassified'})`);
          }
        }
      }
      expect({ domain: d.name, highest, leaks }).toEqual({ domain: d.name, highest, leaks: [] });
    }
  });
}

/**
 * Property (c): the evaluator finds no problem of the kind `pattern` matches in the synthesized assembly (a mesh
 * DataMesh rejects at synth deploys nothing, so has none).
 */
export function hasNoProblem(options: MeshArbitraryOptions, pattern: RegExp, runs = NUM_RUNS): Tally {
  return forSynthesizedMeshes(options, runs, (_def, _model, matrix) => {
    expect(matrix.warnings.filter((w) => pattern.test(w))).toEqual([]);
  });
}
