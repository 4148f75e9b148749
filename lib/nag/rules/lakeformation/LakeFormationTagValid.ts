import { NagRuleCompliance } from 'cdk-nag';
import { CFN_MAX_VALUES_PER_TAG_RESOURCE, LF_MAX_TAG_LENGTH, LF_MAX_VALUES_PER_TAG } from '../../../defaults';
import { UNRESOLVED, at, listAt, propertiesIfType } from '../../private/cfn';
import { namedRule } from '../../private/named-rule';

/**
 * An LF-tag (`AWS::LakeFormation::Tag`, or this toolkit's `Custom::LfTag`) that associations and grants can match:
 * key and values lowercase (Lake Formation stores them lowercased) and at most 50 characters, at least one value,
 * no repeated value, and at most 50 values for `AWS::LakeFormation::Tag` (CloudFormation's limit; the custom
 * resource adds values in batches up to Lake Formation's 1000).
 */
export const LakeFormationTagValid = namedRule('LakeFormationTagValid', (node) => {
  const props = propertiesIfType(node, 'AWS::LakeFormation::Tag', 'Custom::LfTag');
  if (!props) return NagRuleCompliance.NOT_APPLICABLE;
  const maxValues = node.cfnResourceType === 'Custom::LfTag' ? LF_MAX_VALUES_PER_TAG : CFN_MAX_VALUES_PER_TAG_RESOURCE;
  if (!isTagString(at(props, 'TagKey'))) return NagRuleCompliance.NON_COMPLIANT;
  const values = listAt(props, 'TagValues');
  if (values === UNRESOLVED) return NagRuleCompliance.COMPLIANT;
  if (values === undefined || values.length === 0 || values.length > maxValues) return NagRuleCompliance.NON_COMPLIANT;
  if (!values.every(isTagString)) return NagRuleCompliance.NON_COMPLIANT;
  const literals = values.filter((v): v is string => typeof v === 'string');
  return new Set(literals).size === literals.length ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});

/** A lowercase LF-tag key or value of 1 to 50 characters; intrinsics pass. */
function isTagString(value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'string') return true;
  return value.length > 0 && value.length <= LF_MAX_TAG_LENGTH && value === value.toLowerCase();
}
