import { describe, it } from 'vitest';
import { MeshArbitraryOptions } from './mesh-arbitrary';
import { PROPERTY_TIMEOUT, neverReadsAboveSubscribedClassifications, readsWhatSubscriptionsIntend } from './property-support';

/**
 * Like properties-read, but a column may be classified at any level, also below its table's classification (a
 * public column in a confidential table).
 *
 * (a) FAILS against the current toolkit, which is wrong here: for products subscriptions and for a domain's own
 * products, `readGrants` (lib/private/lf-grants.ts) skips every table whose classification is above the maximum,
 * so a column classified at or below the maximum is not readable, although `maxClassification` and
 * `queryRoleMaxClassification` are documented as "columns classified above it are excluded", and an expression
 * subscription with the same classifications does grant that column (Lake Formation matches columns by their own
 * tags). Minimal counterexample: a producer `hr` with product `customers` classified pii, table `facts` with
 * columns c1 (classified public) and c2: `pm-hr-query` (max confidential by default) cannot select c1.
 */
const MESHES: MeshArbitraryOptions = { columnClassifications: ['public', 'internal', 'confidential', 'pii', 'pii'], tableClassifications: true };

describe('generated meshes whose columns are classified at any level', () => {
  it('(a) every query role reads exactly what its own products and subscriptions intend', () => readsWhatSubscriptionsIntend(MESHES), PROPERTY_TIMEOUT);
  it('(b) a column classified above every classification a consumer subscribed to is never selectable by it',
    () => neverReadsAboveSubscribedClassifications(MESHES), PROPERTY_TIMEOUT);
});
