import { describe, expect, it } from 'vitest';
import { DataMeshValidationError } from '../../lib/errors';
import type { DomainDefinition, MeshDefinition, ProductDefinition } from '../../lib/mesh/definition';
import { GOV_ACCOUNT, MESH_NAME, MeshArbitraryOptions } from './mesh-arbitrary';
import { PROPERTY_TIMEOUT, hasNoProblem, neverReadsAboveSubscribedClassifications, readsWhatSubscriptionsIntend, synth } from './property-support';

/**
 * Generated meshes (domains sharing accounts, grants to consumer accounts allowed) must synthesize templates that
 * Lake Formation and CloudFormation accept, or be rejected at synth with a DataMeshValidationError (for example
 * two subscriptions whose grants collide): a clear synth-time error is the intended outcome, any other exception
 * fails the property. Each property looks for one kind of problem the evaluator reports; each once failed, and
 * the former minimal counterexamples are kept as examples below.
 *
 * Against the current toolkit the properties fail on one kind of mesh, where DataMesh crashes instead: a consumer
 * with two grantToAccount subscriptions reaching the same product. addAccessStacks (lib/mesh/data-mesh.ts) makes one
 * RegrantedProduct per subscription and product, and ConsumerAccess creates `Regrant-<database>-*` under the
 * reader's construct for each, so the second throws "There is already a Construct with name
 * 'Regrant-<database>-DatabaseGrant'" (a plain Error) before the grant collision check. Minimal counterexample:
 * producer hr (governance account) with product customers, consumer finance (account 200000000000) subscribed with
 * grantToAccount to `domain: [hr]` and to products [hr.customers] (or to two expressions that both match it).
 */
const MESHES: MeshArbitraryOptions = { columnClassifications: ['public', 'internal', 'confidential', 'pii', 'pii'], tableClassifications: true, grantToAccount: true };
const RUNS = 25;
const PROBLEMS = {
  definedTwice: /is defined twice/,
  collision: /collide/,
  tagValue: /is not a value of LF-tag|is not defined in catalog/,
  beyondGrantOption: /without the grant option/,
};

describe('generated meshes deploy', () => {
  // Resource links are per account (access-<account>-<region>): two domains of one account reading one product share it.
  it('(c1) no catalog resource is defined twice', () => hasNoProblem(MESHES, PROBLEMS.definedTwice, RUNS), PROPERTY_TIMEOUT);

  // DataMesh rejects at synth any two grants of the mesh with the same principal and resource (re-grants included).
  it('(c2) no two grants have the same principal and resource', () => hasNoProblem(MESHES, PROBLEMS.collision, RUNS), PROPERTY_TIMEOUT);

  // Every domain (consumer-only ones too) is a value of the `domain` LF-tag.
  it('(c3) grant expressions use only LF-tag values of the ontology', () => hasNoProblem(MESHES, PROBLEMS.tagValue, RUNS), PROPERTY_TIMEOUT);

  // Re-grants of grantToAccount subscriptions are named grants of exactly the tables and columns the account holds.
  it('(c4) re-grants stay within what the consumer account holds with the grant option', () => hasNoProblem(MESHES, PROBLEMS.beyondGrantOption, RUNS),
    PROPERTY_TIMEOUT);

  // The same meshes (synthesized once, same seed and runs), read as in properties-read: subscriptions with
  // grantToAccount reach the query role through the account's named re-grants (see intendedAccess).
  it('(a) every query role reads exactly what its own products and subscriptions intend, grants to accounts included',
    () => readsWhatSubscriptionsIntend(MESHES, RUNS), PROPERTY_TIMEOUT);
  it('(b) a column classified above every classification a consumer subscribed to is never selectable by it',
    () => neverReadsAboveSubscribedClassifications(MESHES, RUNS), PROPERTY_TIMEOUT);
});

const REGION = 'eu-west-1';
const domain = (name: string, account: string, role: DomainDefinition['role'], products: ProductDefinition[] = []): DomainDefinition => ({
  name, account, region: REGION, role, ...(products.length > 0 ? { products } : {}),
});
const product = (name: string, tables: ProductDefinition['tables'], classification?: string): ProductDefinition => ({
  name, description: `Product ${name}`, owner: 'team', tables, ...(classification ? { classification } : {}),
});
const mesh = (domains: DomainDefinition[], subscriptions: MeshDefinition['subscriptions']): MeshDefinition => ({
  name: MESH_NAME, governance: { account: GOV_ACCOUNT, region: REGION }, domains, subscriptions,
});
/** The evaluated assembly of a mesh that must synthesize. */
const synthesized = (def: MeshDefinition) => {
  const outcome = synth(def);
  if (outcome.rejection) throw outcome.rejection;
  return outcome;
};
const problemsOf = (def: MeshDefinition, pattern: RegExp) => synthesized(def).matrix.warnings.filter((w) => pattern.test(w));

describe('former counterexamples', () => {
  it('(c1) two domains of one account reading one product share its resource link', () => {
    const def = mesh([
      domain('finance', '200000000000', 'consumer'),
      domain('hr', '200000000000', 'producer', [product('customers', [{ name: 'facts', columns: [{ name: 'c1', type: 'string' }] }], 'public')]),
    ], [{ consumer: 'finance', name: 's0', expression: { classification: ['public', 'confidential'] } }]);
    expect(problemsOf(def, PROBLEMS.definedTwice)).toEqual([]);
    const { model } = synthesized(def);
    expect(model.databases.filter((d) => d.isLink).map((d) => `${d.stack}:${d.catalogId}:${d.name}`)).toEqual([
      `access-200000000000-${REGION}:200000000000:hr_customers`,
    ]);
  });

  it('(c2) a re-grant that repeats a subscription grant is rejected at synth', () => {
    const def = mesh([
      domain('finance', GOV_ACCOUNT, 'producer', [product('events', [{ name: 'facts', columns: [{ name: 'c1', type: 'string' }] }], 'public')]),
      domain('hr', '200000000000', 'consumer'),
    ], [
      { consumer: 'hr', name: 's0', products: ['finance.events'] },
      { consumer: 'hr', name: 's1', expression: { classification: ['public', 'pii'] }, grantToAccount: true },
    ]);
    const { rejection } = synth(def);
    expect(rejection).toBeInstanceOf(DataMeshValidationError);
    expect(rejection!.problems).toEqual([
      expect.stringMatching(/^`subscriptions-hr\/Subscription-s0\/finance\.events-DatabaseGrant` must not repeat the grant of \S+ \(same principal and resource\)/),
      expect.stringMatching(/^`subscriptions-hr\/Subscription-s0\/finance\.events-TableGrant-facts` must not repeat the grant of \S+ \(same principal and resource\)/),
    ]);
  });

  it('(c3) an expression may name a domain without products', () => {
    const def = mesh([
      domain('finance', '300000000000', 'consumer'),
      domain('hr', '200000000000', 'producer', [product('customers', [{ name: 'facts', columns: [{ name: 'c1', type: 'string' }] }])]),
    ], [{ consumer: 'finance', name: 's0', expression: { domain: ['finance'] } }]);
    expect(problemsOf(def, PROBLEMS.tagValue)).toEqual([]);
  });

  it('(c4) re-grants name exactly the tables and columns the subscription allows', () => {
    const def = mesh([
      domain('finance', '300000000000', 'consumer'),
      domain('hr', '200000000000', 'producer', [product('customers', [
        { name: 'facts', columns: [{ name: 'c1', type: 'string' }, { name: 'c2', type: 'string', classification: 'pii' }] },
        { name: 'dims', classification: 'pii', columns: [{ name: 'c1', type: 'string' }] },
      ])]),
    ], [{ consumer: 'finance', name: 's0', products: ['hr.customers'], grantToAccount: true }]);
    expect(problemsOf(def, PROBLEMS.beyondGrantOption)).toEqual([]);
    const { model, matrix } = synthesized(def);
    const regrants = model.grants.filter((g) => g.stack === `access-300000000000-${REGION}` && g.resource.kind !== 'Database');
    expect(regrants.map((g) => [g.resource, g.permissions])).toEqual([
      [{ kind: 'TableWithColumns', catalogId: GOV_ACCOUNT, databaseName: 'hr_customers', name: 'facts', columnNames: ['c1'] }, ['SELECT']],
      [{ kind: 'Table', catalogId: GOV_ACCOUNT, databaseName: 'hr_customers', name: 'facts' }, ['DESCRIBE']],
    ]);
    expect(matrix.entries.find((e) => e.principal === `arn:aws:iam::300000000000:role/${MESH_NAME}-finance-query`)?.tables)
      .toEqual({ facts: { describe: true, select: ['c1'] } });
  });
});
