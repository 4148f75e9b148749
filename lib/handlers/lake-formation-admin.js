// @ts-check
'use strict';

/**
 * Entry point of the Lake Formation administration function of an account and region. One function serves
 * both custom resource types so that a single role is the data lake administrator that creates LF-tags:
 * `Custom::LakeFormationSettings` makes that role an administrator, and `Custom::LfTag` then needs it.
 */
const settings = require('./lake-formation-settings/index.js');
const lfTag = require('./lf-tag/index.js');

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
    // Unknown types still get an answer, or CloudFormation would wait an hour for one.
    console.error(`Unsupported resource type ${event.ResourceType}`);
    return settings.sendResponse(event, {
      Status: 'FAILED',
      Reason: `Unsupported resource type ${JSON.stringify(event.ResourceType)}; this function serves ${Object.keys(ROUTES).join(', ')} (see CloudWatch log stream ${context?.logStreamName})`,
      PhysicalResourceId: event.PhysicalResourceId ?? `unsupported-${event.RequestId}`,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      NoEcho: false,
      Data: {},
    });
  }
  return route(event, context);
};

exports.ROUTES = ROUTES;
