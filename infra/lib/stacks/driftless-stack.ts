import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Driftless } from '../constructs/driftless.js';
import type { DriftlessProps } from '../constructs/driftless-props.js';

export interface DriftlessStackProps extends StackProps {
  readonly driftless: DriftlessProps;
}

/**
 * The stack `cdk deploy` creates: the Driftless construct and the outputs an operator needs
 * next (where to point webhooks, which role to grant in other accounts, where to look).
 */
export class DriftlessStack extends Stack {
  readonly driftless: Driftless;

  constructor(scope: Construct, id: string, props: DriftlessStackProps) {
    super(scope, id, props);
    this.driftless = new Driftless(this, 'Driftless', props.driftless);
    const d = this.driftless;

    new CfnOutput(this, 'WebhookUrl', {
      description: 'Payload URL for GitHub and GitLab webhooks (content type application/json)',
      value: d.api.webhookUrl,
    });
    new CfnOutput(this, 'ApiUrl', {
      description: 'Application API base URL (requests signed with SigV4, execute-api:Invoke)',
      value: d.api.httpApi.apiEndpoint,
    });
    new CfnOutput(this, 'WorkerRoleArn', {
      description: 'Role of the sync worker; trust it from cross-account cluster roles',
      value: d.functions.worker.role.roleArn,
    });
    new CfnOutput(this, 'StateTableName', { value: d.state.table.tableName });
    new CfnOutput(this, 'AlarmTopicArn', { value: d.alarmTopic.topic.topicArn });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${d.dashboard.dashboard.dashboardName}`,
    });
  }
}
