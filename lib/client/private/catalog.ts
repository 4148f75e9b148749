import type { Column, Database, Table } from '@aws-sdk/client-glue';
import type { LFTagPair } from '@aws-sdk/client-lakeformation';
import { CLASSIFICATION_TAG_KEY } from '../../defaults';
import {
  CLASSIFICATION_LEVEL_PARAMETER, DATA_PRODUCT_PARAMETER, PROJECTION_PARAMETER_PREFIX, QUALITY_PARAMETER_PREFIXES, SLA_PARAMETER_PREFIXES,
  STORAGE_LOCATION_TEMPLATE_PARAMETER,
} from '../defaults';
import type { ClassificationSource, DatabaseTarget, ProductColumn, ProductSummary, ProductTable } from '../types';

/** Whether Glue database parameters mark a data product (written by the toolkit's `ProductCatalog`). */
export function isDataProduct(parameters: Readonly<Record<string, string>> | undefined): boolean {
  return parameters?.[DATA_PRODUCT_PARAMETER] === 'true';
}

/** LF-tag pairs as key → value (a resource carries one value per key). */
export function lfTagMap(pairs: readonly LFTagPair[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs ?? []) {
    if (p.TagKey !== undefined && p.TagValues !== undefined && p.TagValues.length > 0) out[p.TagKey] = p.TagValues.join('|');
  }
  return out;
}

/** The database's target when it is a resource link. */
export function linkTarget(db: Database, catalogId: string | undefined): DatabaseTarget | undefined {
  const t = db.TargetDatabase;
  if (t === undefined) return undefined;
  const targetCatalog = t.CatalogId ?? catalogId;
  return {
    catalogId: targetCatalog ?? '',
    databaseName: t.DatabaseName ?? db.Name ?? '',
    ...(t.Region !== undefined ? { region: t.Region } : {}),
  };
}

/**
 * A product summary. `listed` is the database as found (a link or the product), `product` the product
 * database whose parameters describe it, `tags` the product database's LF-tags.
 */
export function productSummary(listed: Database, catalogId: string | undefined, product: Database, tags: Readonly<Record<string, string>>): ProductSummary {
  const p = product.Parameters ?? {};
  const target = linkTarget(listed, catalogId);
  return {
    name: listed.Name ?? '',
    domain: p.domain,
    product: p.product,
    description: product.Description ?? listed.Description,
    owner: p.owner,
    contact: p.contact,
    classification: tags[CLASSIFICATION_TAG_KEY] ?? p[CLASSIFICATION_LEVEL_PARAMETER],
    catalogId,
    isResourceLink: target !== undefined,
    ...(target !== undefined ? { target } : {}),
  };
}

/** Parameters with one of `prefixes`, keyed without it (`sla_freshness_hours` → `freshness_hours`). */
export function prefixedParameters(parameters: Readonly<Record<string, string>>, prefixes: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(parameters).sort()) {
    const prefix = prefixes.find((x) => key.startsWith(x) && key.length > x.length);
    if (prefix !== undefined) out[key.slice(prefix.length)] = parameters[key];
  }
  return out;
}

export const slaOf = (parameters: Readonly<Record<string, string>>) => prefixedParameters(parameters, SLA_PARAMETER_PREFIXES);
export const qualityOf = (parameters: Readonly<Record<string, string>>) => prefixedParameters(parameters, QUALITY_PARAMETER_PREFIXES);

/** Partition projection parameters of a table, or undefined when it has none. */
export function projectionOf(parameters: Readonly<Record<string, string>>): Record<string, string> | undefined {
  const keys = Object.keys(parameters).filter((k) => k.startsWith(PROJECTION_PARAMETER_PREFIX) || k === STORAGE_LOCATION_TEMPLATE_PARAMETER).sort();
  if (keys.length === 0) return undefined;
  return Object.fromEntries(keys.map((k) => [k, parameters[k]]));
}

interface Inherited {
  readonly classification?: string;
  readonly source?: ClassificationSource;
}

/**
 * A table with the effective classification of each column: its own `classification` LF-tag, else the
 * table's, else the database's, else the product's `classification_level` parameter.
 */
export function productTable(table: Table, tableTags: Readonly<Record<string, string>>, columnTags: ReadonlyMap<string, Record<string, string>>,
  inherited: Inherited): ProductTable {
  const own = tableTags[CLASSIFICATION_TAG_KEY];
  const tableLevel: Inherited = own !== undefined ? { classification: own, source: 'table' } : inherited;
  const column = (c: Column): ProductColumn => {
    const lfTags = columnTags.get(c.Name ?? '') ?? {};
    const value = lfTags[CLASSIFICATION_TAG_KEY];
    const effective: Inherited = value !== undefined ? { classification: value, source: 'column' } : tableLevel;
    return {
      name: c.Name ?? '',
      ...(c.Type !== undefined ? { type: c.Type } : {}),
      ...(c.Comment !== undefined ? { comment: c.Comment } : {}),
      lfTags,
      ...(effective.classification !== undefined ? { classification: effective.classification, classificationSource: effective.source } : {}),
    };
  };
  const parameters = table.Parameters ?? {};
  const projection = projectionOf(parameters);
  return {
    name: table.Name ?? '',
    ...(table.Description !== undefined ? { description: table.Description } : {}),
    ...(table.TableType !== undefined ? { tableType: table.TableType } : {}),
    ...(parameters.classification !== undefined ? { format: parameters.classification } : {}),
    ...(table.StorageDescriptor?.Location !== undefined ? { location: table.StorageDescriptor.Location } : {}),
    columns: (table.StorageDescriptor?.Columns ?? []).map(column),
    partitionKeys: (table.PartitionKeys ?? []).map(column),
    ...(projection !== undefined ? { projection } : {}),
    parameters,
    lfTags: tableTags,
    ...(tableLevel.classification !== undefined ? { classification: tableLevel.classification } : {}),
  };
}
