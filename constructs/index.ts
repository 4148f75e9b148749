export * from './lake-formation-settings';
export * from './lf-tag-ontology';
export * from './mesh-governance';
export * from './data-domain';
export * from './data-product';
export * from './product-catalog';
export * from './catalog-shard';
export * from './consumer-access';
