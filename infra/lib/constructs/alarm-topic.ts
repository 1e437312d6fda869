import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /** Use this topic as it is. */
  readonly topic?: ITopic;
  /** Subscribe this address to the topic Driftless creates. */
  readonly email?: string;
}

/**
 * Where alarms go. The topic Driftless creates is encrypted with its own rotating KMS key, since
 * CloudWatch cannot publish to a topic under the AWS managed SNS key; the key lets CloudWatch
 * (and nothing else outside the account) encrypt for it. The topic refuses non-TLS publishers.
 */
export class AlarmTopic extends Construct {
  readonly topic: ITopic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    if (props.topic) {
      this.topic = props.topic;
      return;
    }
    const key = new Key(this, 'Key', {
      description: 'Driftless alarm topic encryption',
      enableKeyRotation: true,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // In a key policy "*" means this key.
        resources: ['*'],
      }),
    );
    const topic = new Topic(this, 'Topic', {
      displayName: 'Driftless alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (props.email) topic.addSubscription(new EmailSubscription(props.email));
    this.topic = topic;
  }
}
