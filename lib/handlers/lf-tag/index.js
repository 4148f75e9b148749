// @ts-check
'use strict';

/**
 * Custom::LfTag — manages one Lake Formation LF-tag whose value set can exceed the 50 values that
 * `AWS::LakeFormation::Tag` accepts (Lake Formation allows up to 1000 values per LF-tag, 50 per API call).
 *
 * Invoked directly by CloudFormation (ServiceToken = the Lake Formation administration function); answers through
 * the shared response protocol (../shared/cfn-response.js), on success, on failure and at the deadline.
 *
 * ResourceProperties (strings, as CloudFormation passes them):
 *   CatalogId  12-digit account id of the Data Catalog
 *   TagKey     the LF-tag key
 *   TagValues  the values the mesh needs (1..1000 distinct)
 *
 * PhysicalResourceId: `<CatalogId>:<TagKey>`.
 *
 * Values are deleted only on Update, and only if the previous properties listed them, the new ones do not, and
 * they are still live. Create never deletes a value (it adopts an existing tag), and values that someone else added
 * are kept.
 */

const { runCustomResource } = require('../shared/cfn-response.js');
const {
  sdkClientConfig, errorName, errorMessage, isRetryable, withRetry, backoffDelay, render: renderValue, setSleep, RETRYABLE_ERRORS,
} = require('../shared/runtime.js');
const {
  LakeFormationClient,
  GetLFTagCommand,
  CreateLFTagCommand,
  UpdateLFTagCommand,
  DeleteLFTagCommand,
} = require('@aws-sdk/client-lakeformation');

/** @type {(v: unknown, max?: number) => string} */
const render = (v, max = 120) => renderValue(v, max);

/** Most values one CreateLFTag/UpdateLFTag call accepts. */
const MAX_VALUES_PER_CALL = 50;
/** Most values one LF-tag may hold (Lake Formation soft limit). */
const MAX_VALUES_PER_TAG = 1000;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;
const CATALOG_ID_PATTERN = /^\d{12}$/;
const TAG_KEY_PATTERN = /^[a-z0-9][a-z0-9_.:/=+\-@%]*$/;
const TAG_VALUE_PATTERN = /^[a-z0-9][a-z0-9_.:*/=+\-@%]*$/;

/** How many offending TagValues entries a validation message lists before summarizing. */
const MAX_LISTED_PROBLEMS = 10;

/**
 * @typedef {{ CatalogId: string, TagKey: string, TagValues: string[] }} LfTagProps
 * @typedef {{ toAdd: string[][], toDelete: string[][], deleteFirst: boolean }} TagChangePlan
 * @typedef {{ TagKey: string, ValueCount: number }} LfTagData
 * @typedef {{ PhysicalResourceId: string, Data: LfTagData | Record<string, never> }} Outcome
 * @typedef {{
 *   RequestType: 'Create' | 'Update' | 'Delete',
 *   ResponseURL: string,
 *   StackId: string,
 *   RequestId: string,
 *   LogicalResourceId: string,
 *   ResourceType?: string,
 *   PhysicalResourceId?: string,
 *   ResourceProperties: Record<string, unknown>,
 *   OldResourceProperties?: Record<string, unknown>,
 * }} CfnEvent
 * @typedef {import('../shared/cfn-response.js').LambdaContext} LambdaContext
 */

// ---------------------------------------------------------------------------------------------------------------
// Lake Formation client

/** @type {LakeFormationClient | undefined} */
let client;
/** The signal of the request being handled: aborted when its deadline passes. */
/** @type {AbortSignal | undefined} */
let activeSignal;

/** The Lake Formation client, created on first use (region and credentials come from the Lambda environment). */
function lakeFormation() {
  if (!client) client = new LakeFormationClient(sdkClientConfig());
  return client;
}

/**
 * Sends one Lake Formation command, retrying throttling and transient errors, under the request's deadline.
 * @param {string} what
 * @param {any} command
 * @returns {Promise<any>}
 */
function call(what, command) {
  return withRetry(what, () => lakeFormation().send(command, { abortSignal: activeSignal }), activeSignal);
}

// ---------------------------------------------------------------------------------------------------------------
// Pure helpers

/**
 * Distinct values, sorted (code-unit order, which is what `Array.prototype.sort` gives).
 * @param {Iterable<string>} values
 * @returns {string[]}
 */
function sortedUnique(values) {
  return [...new Set(values)].sort();
}

/**
 * Splits a list into consecutive batches of at most `size` elements.
 * @template T
 * @param {readonly T[]} items
 * @param {number} [size]
 * @returns {T[][]}
 */
function toBatches(items, size = MAX_VALUES_PER_CALL) {
  if (!Number.isInteger(size) || size < 1) throw new Error(`batch size must be a positive integer, got: ${size}`);
  /** @type {T[][]} */
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * What to change on a live LF-tag so that it holds every desired value.
 *
 * - add: desired values that are not live;
 * - delete: values the previous properties listed (`oldDesired`), that are no longer desired and are still live.
 *   A live value that `oldDesired` did not list was added by someone else and is never deleted.
 *
 * Both lists are sorted and cut into batches of at most 50 values. `deleteFirst` is true when adding before
 * deleting would take the tag above the 1000-value limit.
 *
 * @param {readonly string[]} live values the LF-tag holds now
 * @param {readonly string[]} oldDesired values the previous properties listed ([] on Create)
 * @param {readonly string[]} newDesired values the current properties list
 * @returns {TagChangePlan}
 */
function planTagChange(live, oldDesired, newDesired) {
  const liveSet = new Set(live);
  const desiredSet = new Set(newDesired);
  const add = sortedUnique(newDesired).filter((v) => !liveSet.has(v));
  const del = sortedUnique(oldDesired).filter((v) => liveSet.has(v) && !desiredSet.has(v));
  return {
    toAdd: toBatches(add),
    toDelete: toBatches(del),
    deleteFirst: liveSet.size + add.length > MAX_VALUES_PER_TAG && del.length > 0,
  };
}

/**
 * @param {string} catalogId
 * @param {string} tagKey
 */
function physicalIdOf(catalogId, tagKey) {
  return `${catalogId}:${tagKey}`;
}

/**
 * Checks the resource properties. Throws one Error listing every problem, each naming the property, the value
 * received and what is allowed.
 * @param {Record<string, unknown> | undefined} props
 * @returns {LfTagProps}
 */
function validateProperties(props) {
  /** @type {string[]} */
  const problems = [];
  const p = props ?? {};
  const { CatalogId, TagKey, TagValues } = p;

  if (typeof CatalogId !== 'string' || !CATALOG_ID_PATTERN.test(CatalogId)) {
    problems.push(`\`CatalogId\` must be a 12-digit AWS account id, got: ${render(CatalogId)}`);
  }

  if (typeof TagKey !== 'string' || TagKey.length < 1 || TagKey.length > MAX_KEY_LENGTH || !TAG_KEY_PATTERN.test(TagKey)) {
    problems.push(`\`TagKey\` must be a string of 1-${MAX_KEY_LENGTH} characters matching ${TAG_KEY_PATTERN.source} `
      + `(lowercase letters, digits and _.:/=+-@%, starting with a letter or digit), got: ${render(TagKey)}`);
  }

  if (!Array.isArray(TagValues) || TagValues.length < 1 || TagValues.length > MAX_VALUES_PER_TAG) {
    const got = Array.isArray(TagValues) ? `an array of ${TagValues.length} values` : render(TagValues);
    problems.push(`\`TagValues\` must be a list of 1-${MAX_VALUES_PER_TAG} values, got: ${got}`);
  } else {
    /** @type {string[]} */
    const bad = [];
    /** @type {Set<unknown>} */
    const seen = new Set();
    TagValues.forEach((v, i) => {
      if (typeof v !== 'string' || v.length < 1 || v.length > MAX_VALUE_LENGTH || !TAG_VALUE_PATTERN.test(v)) {
        bad.push(`\`TagValues[${i}]\` must be a string of 1-${MAX_VALUE_LENGTH} characters matching ${TAG_VALUE_PATTERN.source} `
          + `(lowercase letters, digits and _.:*/=+-@%, starting with a letter or digit), got: ${render(v)}`);
      } else if (seen.has(v)) {
        bad.push(`\`TagValues[${i}]\` must not repeat an earlier value, got: ${render(v)}`);
      }
      seen.add(v);
    });
    problems.push(...bad.slice(0, MAX_LISTED_PROBLEMS));
    if (bad.length > MAX_LISTED_PROBLEMS) problems.push(`... and ${bad.length - MAX_LISTED_PROBLEMS} more invalid \`TagValues\` entries`);
  }

  if (problems.length > 0) {
    throw new Error(`Invalid properties for Custom::LfTag: ${problems.join('; ')}`);
  }
  return {
    CatalogId: /** @type {string} */ (CatalogId),
    TagKey: /** @type {string} */ (TagKey),
    TagValues: /** @type {string[]} */ (TagValues),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Lake Formation operations

/**
 * The LF-tag's live values, or `undefined` if the tag does not exist.
 * @param {string} catalogId
 * @param {string} tagKey
 * @returns {Promise<string[] | undefined>}
 */
async function getLiveValues(catalogId, tagKey) {
  try {
    /** @type {{ TagValues?: string[] }} */
    const out = await call(`GetLFTag ${tagKey}`, new GetLFTagCommand({ CatalogId: catalogId, TagKey: tagKey }));
    return out.TagValues ?? [];
  } catch (err) {
    if (errorName(err) === 'EntityNotFoundException') return undefined;
    throw err;
  }
}

/**
 * Applies a plan: additions, then deletions (deletions first only when needed to stay within 1000 values).
 * @param {string} catalogId
 * @param {string} tagKey
 * @param {TagChangePlan} plan
 */
async function applyPlan(catalogId, tagKey, plan) {
  const add = async () => {
    for (const batch of plan.toAdd) {
      console.log(`UpdateLFTag ${tagKey}: adding ${batch.length} values`);
      await call(`UpdateLFTag ${tagKey} (add)`,
        new UpdateLFTagCommand({ CatalogId: catalogId, TagKey: tagKey, TagValuesToAdd: batch }));
    }
  };
  const del = async () => {
    for (const batch of plan.toDelete) {
      console.log(`UpdateLFTag ${tagKey}: deleting values ${JSON.stringify(batch)}`);
      try {
        await call(`UpdateLFTag ${tagKey} (delete)`,
          new UpdateLFTagCommand({ CatalogId: catalogId, TagKey: tagKey, TagValuesToDelete: batch }));
      } catch (err) {
        // Lake Formation documents that it refuses to delete a value still assigned to a resource; say which.
        throw new Error(`Deleting values ${render(batch)} from LF-tag "${tagKey}" failed: ${errorMessage(err)}`, { cause: err });
      }
    }
  };
  if (plan.deleteFirst) {
    await del();
    await add();
  } else {
    await add();
    await del();
  }
}

/**
 * Makes sure the LF-tag exists and holds every desired value, without deleting anything (Create, and Update to a
 * new key). Adopts an existing tag of the same key.
 * @param {LfTagProps} props
 * @param {{ created: boolean }} state set to created=true once CreateLFTag succeeded
 */
async function ensureTag(props, state) {
  const { CatalogId, TagKey } = props;
  const desired = sortedUnique(props.TagValues);
  let live = await getLiveValues(CatalogId, TagKey);
  if (live === undefined) {
    const [first, ...rest] = toBatches(desired);
    console.log(`CreateLFTag ${TagKey} in catalog ${CatalogId} with ${first.length} of ${desired.length} values`);
    try {
      await call(`CreateLFTag ${TagKey}`, new CreateLFTagCommand({ CatalogId, TagKey, TagValues: first }));
      state.created = true;
      await applyPlan(CatalogId, TagKey, { toAdd: rest, toDelete: [], deleteFirst: false });
      return;
    } catch (err) {
      // Someone created it between our read and our create (or a retried create had gone through): adopt it.
      if (state.created || errorName(err) !== 'AlreadyExistsException') throw err;
      live = await getLiveValues(CatalogId, TagKey);
      if (live === undefined) throw err;
    }
  }
  console.log(`LF-tag ${TagKey} already exists in catalog ${CatalogId} with ${live.length} values; adding the missing ones`);
  await applyPlan(CatalogId, TagKey, planTagChange(live, [], desired));
}

// ---------------------------------------------------------------------------------------------------------------
// Request types

/**
 * @param {LfTagProps} props
 * @returns {LfTagData}
 */
function dataOf(props) {
  return { TagKey: props.TagKey, ValueCount: new Set(props.TagValues).size };
}

/**
 * @param {CfnEvent} event
 * @param {{ created: boolean }} state
 * @returns {Promise<Outcome>}
 */
async function onCreate(event, state) {
  const props = validateProperties(event.ResourceProperties);
  await ensureTag(props, state);
  return { PhysicalResourceId: physicalIdOf(props.CatalogId, props.TagKey), Data: dataOf(props) };
}

/**
 * @param {CfnEvent} event
 * @param {{ created: boolean }} state
 * @returns {Promise<Outcome>}
 */
async function onUpdate(event, state) {
  const props = validateProperties(event.ResourceProperties);
  const physicalId = physicalIdOf(props.CatalogId, props.TagKey);
  if (physicalId !== event.PhysicalResourceId) {
    // CatalogId or TagKey changed: a new LF-tag. CloudFormation sends Delete for the old physical id afterwards.
    console.log(`Key changed from ${event.PhysicalResourceId} to ${physicalId}; creating the new LF-tag`);
    await ensureTag(props, state);
    return { PhysicalResourceId: physicalId, Data: dataOf(props) };
  }

  const live = await getLiveValues(props.CatalogId, props.TagKey);
  if (live === undefined) {
    console.warn(`LF-tag ${props.TagKey} no longer exists in catalog ${props.CatalogId}; creating it again`);
    await ensureTag(props, state);
    return { PhysicalResourceId: physicalId, Data: dataOf(props) };
  }
  const oldValues = event.OldResourceProperties?.TagValues;
  const oldDesired = Array.isArray(oldValues) ? oldValues.filter((v) => typeof v === 'string') : [];
  const plan = planTagChange(live, oldDesired, props.TagValues);
  console.log(`LF-tag ${props.TagKey}: ${live.length} live values, adding ${plan.toAdd.flat().length}, deleting ${plan.toDelete.flat().length}`);
  await applyPlan(props.CatalogId, props.TagKey, plan);
  return { PhysicalResourceId: physicalId, Data: dataOf(props) };
}

/**
 * @param {CfnEvent} event
 * @returns {Promise<Outcome>}
 */
async function onDelete(event) {
  const physicalId = event.PhysicalResourceId ?? '';
  const { CatalogId, TagKey } = event.ResourceProperties ?? {};
  if (typeof CatalogId !== 'string' || typeof TagKey !== 'string' || physicalIdOf(CatalogId, TagKey) !== physicalId) {
    console.log(`Physical id ${JSON.stringify(physicalId)} is not an LF-tag this resource created; nothing to delete`);
    return { PhysicalResourceId: physicalId, Data: {} };
  }
  try {
    console.log(`DeleteLFTag ${TagKey} in catalog ${CatalogId}`);
    await call(`DeleteLFTag ${TagKey}`, new DeleteLFTagCommand({ CatalogId, TagKey }));
  } catch (err) {
    if (errorName(err) !== 'EntityNotFoundException') throw err;
    console.log(`LF-tag ${TagKey} does not exist in catalog ${CatalogId}; treating as deleted`);
  }
  return { PhysicalResourceId: physicalId, Data: {} };
}

// ---------------------------------------------------------------------------------------------------------------
// Entry point

/**
 * Lambda entry point. Always answers CloudFormation, with SUCCESS or FAILED, before the Lambda deadline
 * (the shared protocol in ../shared/cfn-response.js).
 * @param {CfnEvent} event
 * @param {LambdaContext} context
 * @returns {Promise<void>}
 */
async function handler(event, context) {
  const state = { created: false };
  await runCustomResource(event, context, {
    failedPhysicalResourceId: () => failedPhysicalId(event, state),
    work: async ({ signal }) => {
      activeSignal = signal;
      /** @type {Outcome} */
      let outcome;
      switch (event.RequestType) {
        case 'Create': outcome = await onCreate(event, state); break;
        case 'Update': outcome = await onUpdate(event, state); break;
        case 'Delete': outcome = await onDelete(event); break;
        default: throw new Error(`Unknown RequestType ${render(/** @type {{RequestType: unknown}} */ (event).RequestType, 120)}`);
      }
      return { physicalResourceId: outcome.PhysicalResourceId, data: outcome.Data };
    },
  });
}

/**
 * The physical id reported with FAILED.
 * - Update/Delete: the existing one (CloudFormation keeps tracking the resource it has).
 * - Create: if this invocation created the LF-tag, its real id, so that the rollback Delete cleans it up. Otherwise
 *   an id that never equals `<CatalogId>:<TagKey>`, so that the rollback Delete does not touch an LF-tag that
 *   existed before (adoption) or was never created.
 * @param {CfnEvent} event
 * @param {{ created: boolean }} state
 */
function failedPhysicalId(event, state) {
  if (event.RequestType !== 'Create') return event.PhysicalResourceId ?? `lf-tag-create-failed-${event.RequestId}`;
  const { CatalogId, TagKey } = event.ResourceProperties ?? {};
  if (state.created && typeof CatalogId === 'string' && typeof TagKey === 'string') return physicalIdOf(CatalogId, TagKey);
  return `lf-tag-create-failed-${event.RequestId}`;
}

module.exports = {
  handler,
  setSleep,
  planTagChange,
  toBatches,
  validateProperties,
  physicalIdOf,
  isRetryable,
  withRetry,
  backoffDelay,
  RETRYABLE_ERRORS,
  MAX_VALUES_PER_CALL,
  MAX_VALUES_PER_TAG,
};
