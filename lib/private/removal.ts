import { Annotations, RemovalPolicy } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ProblemCollector } from '../errors';

/** Context key that, together with `removalPolicy: DESTROY`, allows destroying data. */
export const ALLOW_DESTROY_CONTEXT_KEY = 'cdk-data-mesh:allowDestroy';

/**
 * How "retain" is rendered: `DeletionPolicy: RetainExceptOnCreate`. A retained resource stays when it leaves the
 * stack or the stack is deleted, but one whose *first* create rolled back is deleted with the rollback: our
 * buckets, catalog databases and LF-tags have fixed names, and a plain `Retain` would leave them behind after a
 * failed first deploy so that the retry collides with them ("already exists").
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
 */
export const RETAIN = RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;

/**
 * Two-key destroy: stateful resources (buckets, keys, catalog databases) are retained unless the prop asks
 * for DESTROY **and** the context flag is set. Asking with only one key is an error, never a silent retain.
 * Retained means {@link RETAIN} (RetainExceptOnCreate), so that a failed first deploy can be re-run.
 */
export function resolveRemovalPolicy(scope: IConstruct, c: ProblemCollector, requested: RemovalPolicy | undefined): RemovalPolicy {
  if (requested === undefined || requested === RemovalPolicy.RETAIN || requested === RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE) return RETAIN;
  if (requested === RemovalPolicy.SNAPSHOT) {
    c.add('removalPolicy', 'must be RETAIN or DESTROY for data resources', requested, 'Use RemovalPolicy.RETAIN (default) or RemovalPolicy.DESTROY.');
    return RETAIN;
  }
  const flag = scope.node.tryGetContext(ALLOW_DESTROY_CONTEXT_KEY);
  if (flag !== true && flag !== 'true') {
    c.add('removalPolicy', `is DESTROY, which also needs the context flag ${ALLOW_DESTROY_CONTEXT_KEY}=true`, requested,
      `Confirm with \`cdk deploy -c ${ALLOW_DESTROY_CONTEXT_KEY}=true\`, or remove removalPolicy to keep the data.`);
    return RETAIN;
  }
  Annotations.of(scope).addWarningV2('cdk-data-mesh:destroy-enabled',
    'removalPolicy is DESTROY and the allowDestroy context flag is set: deleting the stack deletes this data.');
  return RemovalPolicy.DESTROY;
}
