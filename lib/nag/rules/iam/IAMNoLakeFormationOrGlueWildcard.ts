import { NagRuleCompliance } from 'cdk-nag';
import { UNRESOLVED, at, listAt, propertiesIfType, stringAt } from '../../private/cfn';
import { namedRule } from '../../private/named-rule';

/** Actions that hand out every Lake Formation or Glue permission at once. */
export const FORBIDDEN_CATALOG_WILDCARD_ACTIONS: readonly string[] = ['*', 'lakeformation:*', 'glue:*'];

/**
 * No identity policy allows `lakeformation:*`, `glue:*` or `*` on every resource (`Resource: "*"`, or any
 * `NotResource`): that lets a principal change the data lake settings, grant itself any permission and rewrite
 * every catalog entry, bypassing the mesh's governance. Checked in inline policies of `AWS::IAM::Role`,
 * `AWS::IAM::User` and `AWS::IAM::Group`, and in `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy`.
 */
export const IAMNoLakeFormationOrGlueWildcard = namedRule('IAMNoLakeFormationOrGlueWildcard', (node) => {
  const props = propertiesIfType(node, 'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy');
  if (!props) return NagRuleCompliance.NOT_APPLICABLE;
  const documents: unknown[] = [];
  if (node.cfnResourceType === 'AWS::IAM::Policy' || node.cfnResourceType === 'AWS::IAM::ManagedPolicy') {
    documents.push(at(props, 'PolicyDocument'));
  } else {
    const inline = listAt(props, 'Policies');
    if (Array.isArray(inline)) documents.push(...inline.map((p) => at(p, 'PolicyDocument')));
  }
  const statements = documents.flatMap((doc) => {
    const s = listAt(doc, 'Statement');
    return Array.isArray(s) ? s : [];
  });
  return statements.some(allowsCatalogWildcard) ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
});

function allowsCatalogWildcard(statement: unknown): boolean {
  const effect = stringAt(statement, 'Effect');
  if (effect === UNRESOLVED || (typeof effect === 'string' && effect !== 'Allow')) return false;
  const actions = listAt(statement, 'Action');
  if (!Array.isArray(actions)) return false;
  const wildcardAction = actions.some((a) => typeof a === 'string' && FORBIDDEN_CATALOG_WILDCARD_ACTIONS.includes(a.toLowerCase()));
  if (!wildcardAction) return false;
  if (at(statement, 'NotResource') !== undefined) return true;
  const resources = listAt(statement, 'Resource');
  return Array.isArray(resources) && resources.includes('*');
}
