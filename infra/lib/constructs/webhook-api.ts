import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface WebhookApiProps {
  readonly webhook: IFunction;
  readonly api: IFunction;
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly logRetention: RetentionDays;
}

/** Argo CD's own paths, so moving a repository's webhook from Argo CD changes only the host. */
export const API_PATHS = {
  webhook: '/api/webhook',
  refresh: '/api/v1/refresh',
  applications: '/api/v1/applications',
  applicationSets: '/api/v1/applicationsets',
} as const;

// One JSON line per request: enough to trace a rejected delivery without logging its body.
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
};

/**
 * The HTTP API. Webhook routes are open to the internet because GitHub and GitLab cannot sign
 * with AWS credentials; the webhook function authenticates every request itself (HMAC or token on
 * the raw body, constant time) before anything is queued. The application routes carry state and
 * start syncs, so they take IAM (SigV4) authorisation. The stage throttles every route, and HTTP
 * APIs refuse bodies over 10 MB before the function runs; the function applies Argo CD's
 * `webhook.maxPayloadSizeMB` below that.
 */
export class WebhookApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: WebhookApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'Api', {
      description: 'Driftless webhooks and application API',
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    const webhook = new HttpLambdaIntegration('Webhook', props.webhook);
    const webhookRoutes = [
      ...this.httpApi.addRoutes({
        path: API_PATHS.webhook,
        methods: [HttpMethod.POST],
        integration: webhook,
      }),
      ...this.httpApi.addRoutes({
        path: API_PATHS.refresh,
        methods: [HttpMethod.POST],
        integration: webhook,
      }),
    ];
    for (const route of webhookRoutes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Git providers cannot sign requests with AWS credentials; the webhook function verifies the HMAC signature or token on the raw body before queueing anything.',
      });
    }

    const api = new HttpLambdaIntegration('Applications', props.api);
    const authorizer = new HttpIamAuthorizer();
    this.httpApi.addRoutes({
      path: API_PATHS.applications,
      methods: [HttpMethod.GET],
      integration: api,
      authorizer,
    });
    this.httpApi.addRoutes({
      path: `${API_PATHS.applications}/{proxy+}`,
      methods: [HttpMethod.GET, HttpMethod.POST],
      integration: api,
      authorizer,
    });
    // ApplicationSets are read-only through the API, as their status is all there is to see.
    this.httpApi.addRoutes({
      path: API_PATHS.applicationSets,
      methods: [HttpMethod.GET],
      integration: api,
      authorizer,
    });
    this.httpApi.addRoutes({
      path: `${API_PATHS.applicationSets}/{name}`,
      methods: [HttpMethod.GET],
      integration: api,
      authorizer,
    });
  }

  /** Where Git providers send webhooks. */
  get webhookUrl(): string {
    return `${this.httpApi.apiEndpoint}${API_PATHS.webhook}`;
  }
}
