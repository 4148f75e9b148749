import { expect } from 'vitest';
import { stringify } from 'yaml';
import { DataMeshValidationError } from '../../lib/errors';
import { ContractProductSpec, mapContract, MapContractOptions } from '../../lib/contracts/map';
import { parseContract } from '../../lib/contracts/parse';

export const FILE = 'orders.odcs.yaml';
/** The ontology used by the tests: the default classification values plus one custom LF-tag. */
export const OPTIONS: MapContractOptions = { ontologyTags: { cost_center: ['finance', 'marketing'] } };

/** The smallest valid contract, as an object to extend. */
export function base(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: 'sales-orders',
    version: '1.0.0',
    status: 'active',
    domain: 'sales',
    dataProduct: 'orders',
    description: { purpose: 'Every order' },
    team: { members: [{ username: 'jdoe', role: 'owner' }] },
    schema: [{ name: 'orders', logicalType: 'object', properties: [{ name: 'order_id', logicalType: 'string' }] }],
    ...extra,
  };
}

/** A contract with one table `orders` whose properties (and object-level keys) are given. */
export function withProperties(properties: readonly Record<string, unknown>[], object: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return base({ schema: [{ name: 'orders', logicalType: 'object', properties, ...object }], ...extra });
}

/** Parses the contract written as YAML and maps it. */
export function mapObject(obj: Record<string, unknown>, options: MapContractOptions = OPTIONS): ContractProductSpec {
  return mapContract(parseContract(stringify(obj), FILE), options);
}

export function mapText(text: string, options: MapContractOptions = OPTIONS): ContractProductSpec {
  return mapContract(parseContract(text, FILE), options);
}

/** The problems thrown by parse + map (fails when nothing is thrown). */
export function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (e) {
    if (DataMeshValidationError.isDataMeshValidationError(e)) return (e as DataMeshValidationError).problems;
    throw e;
  }
  expect.fail('expected a DataMeshValidationError');
  return [];
}

export function problemsOfText(text: string, options: MapContractOptions = OPTIONS): readonly string[] {
  return problemsOf(() => mapText(text, options));
}

export function problemsOfObject(obj: Record<string, unknown>, options: MapContractOptions = OPTIONS): readonly string[] {
  return problemsOf(() => mapObject(obj, options));
}

/** The one problem about `field`, failing when there is none. */
export function problemFor(problems: readonly string[], field: string): string {
  const p = problems.find((x) => x.includes(` \`${field}\` `));
  expect(p, `no problem for ${field} in ${JSON.stringify(problems, null, 1)}`).toBeDefined();
  return p!;
}

/** The warnings of an ID. */
export function warningsOf(spec: ContractProductSpec, id: string): string[] {
  return spec.warnings.filter((w) => w.id === id).map((w) => w.message);
}

/** The DQDL rules generated for the rules of a table, flattened. */
export function dqdlOf(spec: ContractProductSpec, table = 'orders'): string[] {
  return (spec.quality.find((q) => q.table === table)?.rules ?? []).flatMap((r) => r.dqdl);
}
