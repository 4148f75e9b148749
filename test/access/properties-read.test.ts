import { describe, it } from 'vitest';
import { MeshArbitraryOptions } from './mesh-arbitrary';
import { PROPERTY_TIMEOUT, neverReadsAboveSubscribedClassifications, readsWhatSubscriptionsIntend } from './property-support';

/**
 * Random meshes as described by the task: 1-4 domains, 0-3 products of 1-2 tables, some columns classified pii,
 * products and tables classified at any level, expression (domain/classification) and products subscriptions.
 */
const MESHES: MeshArbitraryOptions = { columnClassifications: ['pii'], tableClassifications: true };

describe('generated meshes whose sensitive columns are classified pii', () => {
  it('(a) every query role reads exactly what its own products and subscriptions intend', () => readsWhatSubscriptionsIntend(MESHES), PROPERTY_TIMEOUT);
  it('(b) a column classified above every classification a consumer subscribed to is never selectable by it',
    () => neverReadsAboveSubscribedClassifications(MESHES), PROPERTY_TIMEOUT);
});
