// @ts-check
'use strict';

/**
 * Entry point of the Lake Formation administration function of an account and region. One function serves
 * both custom resource types so that a single role is the data lake administrator that creates LF-tags:
 * `Custom::LakeFormationSettings` makes that role an administrator, and `Custom::LfTag` then needs it.
 */
const settings = require('./lake-formation-settings/index.js');
const lfTag = require('./lf-tag/index.js');
const { answerFailed } = require('./shared/cfn-response.js');

/** @type {Record<string, (event: any, context: any) => Promise<unknown>>} */
const ROUTES = {
  'Custom::LakeFormationSettings': settings.handler,
  'Custom::LfTag': lfTag.handler,
};

/**
 * @param {any} event CloudFormation custom resource event
 * @param {any} context Lambda context
 */
exports.handler = async (event, context) => {
  const route = ROUTES[event.ResourceType];
  if (!route) {
    // Unknown types still get an answer, or CloudFormation would wait until the resource's ServiceTimeout.
    return answerFailed(event, context,
      `Unsupported resource type ${JSON.stringify(event.ResourceType)}; this function serves ${Object.keys(ROUTES).join(', ')}`,
      event.PhysicalResourceId ?? `unsupported-${event.RequestId}`);
  }
  return route(event, context);
};

exports.ROUTES = ROUTES;
