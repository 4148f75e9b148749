import { NagRuleCompliance } from 'cdk-nag';
import { UNRESOLVED, at, isCatalogIdOrUnresolved, isLowercaseOrUnresolved, listAt, propertiesIfType } from '../../private/cfn';
import { namedRule } from '../../private/named-rule';

/** The kinds of catalog resource an `AWS::LakeFormation::TagAssociation` of a mesh tags. */
export const TAGGABLE_RESOURCE_KINDS = ['Database', 'Table', 'TableWithColumns'] as const;

/**
 * An `AWS::LakeFormation::TagAssociation` that Lake Formation accepts: its `Resource` names exactly one of
 * `Database`, `Table` or `TableWithColumns`; every `LFTags` entry has exactly one value (a resource carries one
 * value per key) and no key repeats; every `CatalogId` (of the resource and of each LF-tag) is set to an
 * account ID; keys and values are lowercase (Lake Formation stores them lowercased, so mixed case never matches).
 */
export const LakeFormationTagAssociationValid = namedRule('LakeFormationTagAssociationValid', (node) => {
  const props = propertiesIfType(node, 'AWS::LakeFormation::TagAssociation');
  if (!props) return NagRuleCompliance.NOT_APPLICABLE;
  return resourceIsValid(at(props, 'Resource')) && lfTagsAreValid(listAt(props, 'LFTags'))
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
});

function resourceIsValid(resource: unknown): boolean {
  if (resource === UNRESOLVED) return true;
  const kinds = TAGGABLE_RESOURCE_KINDS.filter((k) => at(resource, k) !== undefined);
  if (kinds.length !== 1) return false;
  const target = at(resource, kinds[0]);
  return target === UNRESOLVED || isCatalogIdOrUnresolved(at(target, 'CatalogId'));
}

function lfTagsAreValid(lfTags: unknown[] | typeof UNRESOLVED | undefined): boolean {
  if (lfTags === UNRESOLVED) return true;
  if (lfTags === undefined || lfTags.length === 0) return false;
  const keys = new Set<string>();
  for (const tag of lfTags) {
    if (at(tag) === UNRESOLVED) continue;
    if (!isCatalogIdOrUnresolved(at(tag, 'CatalogId'))) return false;
    const key = at(tag, 'TagKey');
    if (key === undefined || !isLowercaseOrUnresolved(key)) return false;
    if (typeof key === 'string') {
      if (keys.has(key)) return false;
      keys.add(key);
    }
    const values = listAt(tag, 'TagValues');
    if (values === UNRESOLVED) continue;
    if (values === undefined || values.length !== 1 || !isLowercaseOrUnresolved(values[0])) return false;
  }
  return true;
}
