import { describe, expect, it } from 'vitest';
import { GOV_ACCOUNT, MESH_NAME, MeshArbitraryOptions, queryRoleArn } from './mesh-arbitrary';
import { PROPERTY_TIMEOUT, actualAccess, neverReadsAboveSubscribedClassifications, readsWhatSubscriptionsIntend, synth } from './property-support';

/**
 * Like properties-read, but a column may be classified at any level, also below its table's classification (a
 * public column in a confidential table).
 *
 * (a) guards the column-level read grants: for products subscriptions and for a domain's own products, `readGrants`
 * (lib/private/lf-grants.ts) must grant the columns whose effective classification (column ?? table ?? product) is
 * allowed even in a table classified above the maximum, as `maxClassification` and `queryRoleMaxClassification`
 * document ("columns classified above it are excluded"), and as an expression subscription with the same
 * classifications does (Lake Formation matches columns by their own tags). It used to skip such tables whole:
 * a producer `hr` with product `customers` classified pii, table `facts` with columns c1 (classified public) and
 * c2, left c1 unreadable to `pm-hr-query` (max confidential by default).
 */
const MESHES: MeshArbitraryOptions = { columnClassifications: ['public', 'internal', 'confidential', 'pii', 'pii'], tableClassifications: true };

describe('generated meshes whose columns are classified at any level', () => {
  it('(a) every query role reads exactly what its own products and subscriptions intend', () => readsWhatSubscriptionsIntend(MESHES), PROPERTY_TIMEOUT);
  it('(b) a column classified above every classification a consumer subscribed to is never selectable by it',
    () => neverReadsAboveSubscribedClassifications(MESHES), PROPERTY_TIMEOUT);
});

describe('former counterexample', () => {
  it('(a) a column classified within the maximum is readable in a table classified above it', () => {
    const def = {
      name: MESH_NAME,
      governance: { account: GOV_ACCOUNT, region: 'eu-west-1' },
      domains: [{
        name: 'hr', role: 'producer' as const, account: '200000000000', region: 'eu-west-1',
        products: [{
          name: 'customers', description: 'Product customers', owner: 'team', classification: 'pii',
          tables: [{ name: 'facts', columns: [{ name: 'c1', type: 'string', classification: 'public' }, { name: 'c2', type: 'bigint' }] }],
        }],
      }],
    };
    const { matrix, rejection } = synth(def);
    expect(rejection).toBeUndefined();
    expect(actualAccess(matrix!, queryRoleArn(def, 'hr'))).toEqual({ databases: ['hr_customers'], columns: { 'hr_customers.facts': ['c1'] }, unreachable: [] });
  });
});
