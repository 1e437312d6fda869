/**
 * The CDK app (`npx cdk synth|deploy`, see cdk.json). Settings come from the `driftless` context;
 * account and region stay unresolved unless `account`/`region` context is given, so synth needs
 * no credentials and makes no lookups.
 */
import { App } from 'aws-cdk-lib';
import { CONTEXT_KEY, propsFromContext } from '../lib/stacks/context-props.js';
import { DriftlessStack } from '../lib/stacks/driftless-stack.js';

const app = new App();
const account = app.node.tryGetContext('account') as string | undefined;
const region = app.node.tryGetContext('region') as string | undefined;
const stackName = (app.node.tryGetContext('stackName') as string | undefined) ?? 'Driftless';

new DriftlessStack(app, stackName, {
  description: 'Driftless: serverless GitOps for Amazon EKS',
  ...(account || region ? { env: { ...(account ? { account } : {}), ...(region ? { region } : {}) } } : {}),
  driftless: propsFromContext(app.node.tryGetContext(CONTEXT_KEY)),
});
