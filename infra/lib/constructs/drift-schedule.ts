import type { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface DriftScheduleProps {
  readonly driftScan: IFunction;
  readonly interval: Duration;
}

/**
 * Runs the drift scan every interval (default 3 minutes, Argo CD's reconciliation period). The
 * scan only enqueues one refresh per application; a failed invocation is retried twice by
 * EventBridge and then dropped, because the next tick does the same work anyway.
 */
export class DriftSchedule extends Construct {
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: DriftScheduleProps) {
    super(scope, id);
    this.rule = new Rule(this, 'Rule', {
      description: 'Driftless drift scan',
      schedule: Schedule.rate(props.interval),
    });
    this.rule.addTarget(
      new LambdaFunction(props.driftScan, {
        retryAttempts: 2,
        maxEventAge: props.interval,
      }),
    );
  }
}
