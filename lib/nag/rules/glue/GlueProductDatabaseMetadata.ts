import { NagRuleCompliance } from 'cdk-nag';
import { UNRESOLVED, at, isPresent, propertiesIfType } from '../../private/cfn';
import { namedRule } from '../../private/named-rule';

/** The database parameter that marks a Glue database as the published interface of a data product. */
export const DATA_PRODUCT_PARAMETER = 'data_product';
/** The database parameter that names a data product's accountable owner. */
export const OWNER_PARAMETER = 'owner';

/**
 * The Glue database of a data product (`DatabaseInput.Parameters.data_product: "true"`) documents itself in the
 * catalog: an accountable owner (`Parameters.owner`) and a description (`DatabaseInput.Description`), both
 * non-blank. Consumers find products, and whom to ask, in the catalog. Resource links are exempt.
 */
export const GlueProductDatabaseMetadata = namedRule('GlueProductDatabaseMetadata', (node) => {
  const props = propertiesIfType(node, 'AWS::Glue::Database');
  if (!props) return NagRuleCompliance.NOT_APPLICABLE;
  const input = at(props, 'DatabaseInput');
  if (input === UNRESOLVED || at(input, 'TargetDatabase') !== undefined) return NagRuleCompliance.NOT_APPLICABLE;
  const marker = at(input, 'Parameters', DATA_PRODUCT_PARAMETER);
  if (marker !== true && !(typeof marker === 'string' && marker.toLowerCase() === 'true')) return NagRuleCompliance.NOT_APPLICABLE;
  const owner = at(input, 'Parameters', OWNER_PARAMETER);
  const description = at(input, 'Description');
  return isPresent(owner) && isPresent(description) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
});
