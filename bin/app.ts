#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { buildSingleAccountApp } from '../examples/single-account-constructs';
import { addCompliancePacks } from '../lib/compliance';

const app = new App();
addCompliancePacks(app);
buildSingleAccountApp(app);
app.synth();
