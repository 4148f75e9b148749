import { App, Stack } from 'aws-cdk-lib';
import { buildSingleAccountApp } from '../../examples/single-account-constructs';
import { newApp } from './app';
import { CfnTemplate, templateJson } from './template';

export interface SynthesizedExample {
  readonly app: App;
  /** Stacks by construct id (`lakeformation`, `governance`, `sales`, `marketing`). */
  readonly stacks: Record<string, Stack>;
  readonly templates: Record<string, CfnTemplate>;
}

/** Builds and synthesizes the single-account example app (examples/single-account-constructs.ts). */
export function synthesizeExample(context: Record<string, unknown> = {}): SynthesizedExample {
  const app = buildSingleAccountApp(newApp(context));
  const stacks: Record<string, Stack> = {};
  for (const child of app.node.children) if (Stack.isStack(child)) stacks[child.node.id] = child;
  app.synth();
  const templates: Record<string, CfnTemplate> = {};
  for (const [id, stack] of Object.entries(stacks)) templates[id] = templateJson(stack);
  return { app, stacks, templates };
}
