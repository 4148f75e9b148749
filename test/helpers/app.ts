import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { expect } from 'vitest';
import {
  DataDomain, DataDomainProps, DataProduct, DataProductProps, LakeFormationSettings, LakeFormationSettingsProps, MeshGovernance,
  MeshGovernanceProps,
} from '../../constructs';
import { DataMeshValidationError } from '../../lib/errors';
import { TableSpec } from '../../lib/table-schema';

export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-1';
export const ENV = { account: ACCOUNT, region: REGION } as const;
export const MESH = 'acme';
export const DOMAIN = 'sales';

/** The feature flags of `cdk.json`: the constructs are meant to run with them (a test app without them is not the product). */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8'),
).context;

/** An app with the project's `cdk.json` context plus `context`. */
export function newApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { ...CDK_JSON_CONTEXT, ...context } });
}

/** A table most products of the tests use: unpartitioned, one string and one int column. */
export const SIMPLE_TABLE: TableSpec = {
  name: 'items',
  columns: [{ name: 'item_id', type: 'string' }, { name: 'quantity', type: 'int' }],
};

export interface MinimalMeshOptions {
  /** Extra app context (e.g. the allowDestroy flag). */
  readonly context?: Record<string, unknown>;
  /** `'agnostic'` for an environment-agnostic stack. @default ENV */
  readonly env?: { readonly account: string; readonly region: string } | 'agnostic';
  readonly settings?: LakeFormationSettingsProps;
  readonly governance?: Partial<MeshGovernanceProps>;
  readonly domain?: Partial<DataDomainProps>;
  /** Props of the one product, or `false` for none. @default - a product `items` with {@link SIMPLE_TABLE} */
  readonly product?: Partial<DataProductProps> | false;
}

export interface MinimalMesh {
  readonly app: App;
  readonly stack: Stack;
  readonly settings: LakeFormationSettings;
  readonly governance: MeshGovernance;
  readonly domain: DataDomain;
  readonly product?: DataProduct;
}

/**
 * A single-account mesh in one stack `Mesh`: settings, governance, the domain `sales` and (unless disabled) one
 * product. One stack keeps every dependency a visible `DependsOn`.
 */
export function buildMinimalMesh(o: MinimalMeshOptions = {}): MinimalMesh {
  const app = newApp(o.context);
  const stack = new Stack(app, 'Mesh', { env: o.env === 'agnostic' ? undefined : (o.env ?? ENV) });
  const settings = new LakeFormationSettings(stack, 'Settings', o.settings);
  const governance = new MeshGovernance(stack, 'Governance', { meshName: MESH, ...o.governance });
  const domain = new DataDomain(stack, 'Domain', { meshName: MESH, domainName: DOMAIN, ...o.domain });
  const product = o.product === false ? undefined : new DataProduct(stack, 'Product', productProps(domain, governance, o.product ?? {}));
  return { app, stack, settings, governance, domain, product };
}

/** Valid props of a product `items` of `domain`, with `overrides`. */
export function productProps(domain: DataDomain, governance: MeshGovernance, overrides: Partial<DataProductProps> = {}): DataProductProps {
  return {
    domain,
    governance,
    productName: 'items',
    description: 'Items sold',
    owner: 'sales-data-team',
    tables: [SIMPLE_TABLE],
    ...overrides,
  };
}

/** Runs `fn` and returns the DataMeshValidationError it throws; fails the test otherwise. */
export function captureValidationError(fn: () => unknown): DataMeshValidationError {
  try {
    fn();
  } catch (e) {
    if (DataMeshValidationError.isDataMeshValidationError(e)) return e;
    throw e;
  }
  throw new Error('expected a DataMeshValidationError, but nothing was thrown');
}

export interface ExpectedProblem {
  /** The field, as rendered between backticks at the start of the problem. */
  readonly field: string;
  /** Part of the rule text. */
  readonly rule?: string | RegExp;
  /** The rendered received value, exactly as after `got: ` (e.g. `"Orders"`, `nothing`, `5`). */
  readonly got?: string;
  /** Part of the fix text. */
  readonly fix?: string;
}

/**
 * Asserts that `fn` throws our validation error with a problem for `field` that follows the message template
 * `` `<field>` <rule>, got: <value>. <fix> `` with the given parts. Returns the problem and the error.
 */
export function expectProblem(fn: () => unknown, expected: ExpectedProblem): { problem: string; error: DataMeshValidationError } {
  const error = captureValidationError(fn);
  const problem = error.problems.find((p) => p.startsWith(`\`${expected.field}\` `));
  expect(problem, `no problem for \`${expected.field}\` in:\n${error.message}`).toBeDefined();
  const p = problem!;
  expect(p).toMatch(/^`[^`]*` .+, got: .+\. .+/s);
  if (expected.rule !== undefined) {
    if (typeof expected.rule === 'string') expect(p).toContain(expected.rule);
    else expect(p).toMatch(expected.rule);
  }
  if (expected.got !== undefined) expect(p).toContain(`, got: ${expected.got}. `);
  if (expected.fix !== undefined) expect(p.slice(p.indexOf(', got: '))).toContain(expected.fix);
  expect(error.message).toContain(p);
  return { problem: p, error };
}
