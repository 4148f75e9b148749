import fc from 'fast-check';
import YAML from 'yaml';
import { expect } from 'vitest';
import { AccessMatrix, CatalogIndex, CatalogModel, selectedColumns, tableKey } from '../../lib/access';
import type { MeshDefinition } from '../../lib/mesh/definition';
import { parseMeshDefinition } from '../../lib/mesh/loader';
import { CLASSES, MeshArbitraryOptions, Selection, highestSubscribedClassification, intendedAccess, meshDefinitionArb, queryRoleArn } from './mesh-arbitrary';
import { synthesizeMesh } from './synth';

/** Synthesis dominates the runtime (about a second per mesh): each property runs at most this many meshes. */
export const NUM_RUNS = Number(process.env.ACCESS_PROPERTY_RUNS ?? 30);
/** Fixed so that the properties of one file see the same meshes (synthesized once); override to explore. */
export const SEED = Number(process.env.ACCESS_PROPERTY_SEED ?? 20_240_611);
export const PROPERTY_TIMEOUT = 900_000;
export const params = { numRuns: NUM_RUNS, seed: SEED, verbose: 1 } as const;

const cache = new Map<string, { model: CatalogModel; matrix: AccessMatrix }>();

/**
 * Synthesizes a generated definition once (cached by content), after checking that the loader accepts it: the
 * generator must only produce meshes a user could write.
 */
export function synth(def: MeshDefinition): { model: CatalogModel; matrix: AccessMatrix } {
  const key = JSON.stringify(def);
  const hit = cache.get(key);
  if (hit) return hit;
  parseMeshDefinition(YAML.stringify(def), 'generated.yaml');
  const { model, matrix } = synthesizeMesh(def, { validate: false });
  const result = { model, matrix };
  cache.set(key, result);
  return result;
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
export function readsWhatSubscriptionsIntend(options: MeshArbitraryOptions): void {
  fc.assert(fc.property(meshDefinitionArb(options), (def) => {
    const { matrix } = synth(def);
    for (const d of def.domains) {
      const actual = actualAccess(matrix, queryRoleArn(def, d.name));
      expect({ domain: d.name, databases: actual.databases, columns: actual.columns }).toEqual({ domain: d.name, ...intendedAccess(def, d.name) });
      expect({ domain: d.name, describableWithoutLink: actual.unreachable }).toEqual({ domain: d.name, describableWithoutLink: [] });
    }
  }), params);
}

/** Property (b): a column classified above every classification a domain subscribed to is never selectable by its query role. */
export function neverReadsAboveSubscribedClassifications(options: MeshArbitraryOptions): void {
  fc.assert(fc.property(meshDefinitionArb(options), (def) => {
    const { model, matrix } = synth(def);
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
  }), params);
}

/** Property (c): the evaluator finds no problem of the kind `pattern` matches in the synthesized assembly. */
export function hasNoProblem(options: MeshArbitraryOptions, pattern: RegExp, runs = NUM_RUNS): void {
  fc.assert(fc.property(meshDefinitionArb(options), (def) => {
    expect(synth(def).matrix.warnings.filter((w) => pattern.test(w))).toEqual([]);
  }), { ...params, numRuns: runs });
}
