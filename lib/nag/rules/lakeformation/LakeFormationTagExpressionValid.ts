import { NagRuleCompliance } from 'cdk-nag';
import { CFN_MAX_VALUES_PER_TAG_RESOURCE, LF_MAX_EXPRESSION_CONDITIONS } from '../../../defaults';
import { UNRESOLVED, at, isLowercaseOrUnresolved, listAt, propertiesIfType } from '../../private/cfn';
import { namedRule } from '../../private/named-rule';

/**
 * The LF-tag expression of a tag-based grant (`AWS::LakeFormation::PrincipalPermissions`
 * `Resource.LFTagPolicy.Expression`) is one Lake Formation accepts and that matches what it means to: 1 to 5
 * conditions, each key at most once (OR across keys is impossible; use separate grants), each condition with 1 to
 * 50 values, keys and values lowercase (Lake Formation stores tags lowercased).
 */
export const LakeFormationTagExpressionValid = namedRule('LakeFormationTagExpressionValid', (node) => {
  const props = propertiesIfType(node, 'AWS::LakeFormation::PrincipalPermissions');
  if (!props) return NagRuleCompliance.NOT_APPLICABLE;
  const policy = at(props, 'Resource', 'LFTagPolicy');
  if (policy === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  if (policy === UNRESOLVED) return NagRuleCompliance.COMPLIANT;
  return expressionIsValid(listAt(policy, 'Expression')) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});

function expressionIsValid(expression: unknown[] | typeof UNRESOLVED | undefined): boolean {
  if (expression === UNRESOLVED) return true;
  if (expression === undefined || expression.length === 0 || expression.length > LF_MAX_EXPRESSION_CONDITIONS) return false;
  const keys = new Set<string>();
  for (const condition of expression) {
    if (at(condition) === UNRESOLVED) continue;
    const key = at(condition, 'TagKey');
    if (key === undefined || !isLowercaseOrUnresolved(key)) return false;
    if (typeof key === 'string') {
      if (keys.has(key)) return false;
      keys.add(key);
    }
    const values = listAt(condition, 'TagValues');
    if (values === UNRESOLVED) continue;
    if (values === undefined || values.length === 0 || values.length > CFN_MAX_VALUES_PER_TAG_RESOURCE) return false;
    if (!values.every(isLowercaseOrUnresolved)) return false;
  }
  return true;
}
