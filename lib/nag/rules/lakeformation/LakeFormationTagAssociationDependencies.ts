import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { UNRESOLVED, at, listAt, propertiesIfType, renderResource, stringAt } from '../../private/cfn';
import { namedRule } from '../../private/named-rule';
import { dependsOnInStack, resourcesInSameStack } from '../../private/stack-resources';

/** Resource types that create an LF-tag: the native one and this toolkit's custom resource (tags with many values). */
export const LF_TAG_RESOURCE_TYPES = ['AWS::LakeFormation::Tag', 'Custom::LfTag'] as const;

/**
 * An `AWS::LakeFormation::TagAssociation` is created after what it needs, when that lives in the same stack
 * (CloudFormation creates resources in parallel unless told otherwise): the LF-tag of every key it uses
 * (an `AWS::LakeFormation::Tag` or `Custom::LfTag` with that `TagKey`), and the Glue database or table it tags
 * (matched by name; a resource cannot be tagged in the call that creates it). Dependencies may be direct or
 * through other resources of the stack. Tags and catalog resources of other stacks are ordered by stack
 * dependencies and are not checked here.
 */
export const LakeFormationTagAssociationDependencies = namedRule('LakeFormationTagAssociationDependencies', (node) => {
  const props = propertiesIfType(node, 'AWS::LakeFormation::TagAssociation');
  if (!props) return NagRuleCompliance.NOT_APPLICABLE;
  const needs: CfnResource[][] = [];
  const lfTags = listAt(props, 'LFTags');
  if (Array.isArray(lfTags)) {
    for (const tag of lfTags) {
      const key = stringAt(tag, 'TagKey');
      if (typeof key !== 'string') continue;
      needs.push(tagResourcesOf(node, key, catalogIdOf(at(tag, 'CatalogId'))));
    }
  }
  needs.push(taggedCatalogResources(node, at(props, 'Resource')));
  const ordered = needs.every((candidates) => candidates.length === 0 || candidates.some((c) => dependsOnInStack(node, c)));
  return ordered ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});

/** LF-tag resources of the stack that create `key` (in `catalogId` when both are known). */
function tagResourcesOf(node: CfnResource, key: string, catalogId: string | undefined): CfnResource[] {
  return resourcesInSameStack(node, LF_TAG_RESOURCE_TYPES).filter((r) => {
    const p = renderResource(r).properties;
    const tagKey = stringAt(p, 'TagKey');
    return typeof tagKey === 'string' && tagKey.toLowerCase() === key.toLowerCase() && sameCatalog(catalogId, catalogIdOf(at(p, 'CatalogId')));
  });
}

/** Glue databases or tables of the stack that the association's `Resource` names. */
function taggedCatalogResources(node: CfnResource, resource: unknown): CfnResource[] {
  const database = at(resource, 'Database');
  if (database !== undefined) {
    const name = stringAt(database, 'Name');
    if (typeof name !== 'string') return [];
    const catalogId = catalogIdOf(at(database, 'CatalogId'));
    return resourcesInSameStack(node, ['AWS::Glue::Database']).filter((r) => {
      const p = renderResource(r).properties;
      // A resource link cannot carry LF-tags: it is never the tagged database.
      return at(p, 'DatabaseInput', 'TargetDatabase') === undefined && sameName(name, stringAt(p, 'DatabaseInput', 'Name')) && sameCatalog(catalogId, catalogIdOf(at(p, 'CatalogId')));
    });
  }
  const table = at(resource, 'Table') ?? at(resource, 'TableWithColumns');
  if (table === undefined || table === UNRESOLVED) return [];
  const databaseName = stringAt(table, 'DatabaseName');
  const name = stringAt(table, 'Name');
  if (typeof databaseName !== 'string' || typeof name !== 'string') return [];
  const catalogId = catalogIdOf(at(table, 'CatalogId'));
  return resourcesInSameStack(node, ['AWS::Glue::Table']).filter((r) => {
    const p = renderResource(r).properties;
    return sameName(databaseName, stringAt(p, 'DatabaseName')) && sameName(name, stringAt(p, 'TableInput', 'Name'))
      && sameCatalog(catalogId, catalogIdOf(at(p, 'CatalogId')));
  });
}

/** Glue and Lake Formation names are case-insensitive (stored lowercase). */
function sameName(a: string, b: unknown): boolean {
  return typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
}

/** A literal catalog ID; undefined for an intrinsic (e.g. `AWS::AccountId` of an environment-agnostic stack). */
function catalogIdOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Unknown catalog IDs match anything: be lenient when the template does not say. */
function sameCatalog(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}
