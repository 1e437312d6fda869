/**
 * The client of `driftless app`: Argo CD's application paths on a Driftless server, either the
 * local platform (`driftless serve`) or the API of a deployed stack, whose application routes
 * take IAM authorisation.
 *
 * Order of operations: planSigning decides from the server URL and options whether to sign
 * (execute-api hosts always, other hosts with --sigv4, loopback never unless asked) and for which
 * region; with a plan to sign, sigv4Sender signs every request with credentials resolved once,
 * on first use (the command's environment, else the AWS SDK's default chain); AppApiClient
 * builds the requests and turns answers into results or errors that name the request.
 */
export { AppApiClient, type AppApiClientOptions, type AppSyncOptions } from './api-client.js';
export {
  type AwsCredentials,
  type ResolveCredentialsOptions,
  resolveAwsCredentials,
} from './aws-credentials.js';
export {
  type ApiRequest,
  plainSender,
  type RequestSender,
  type SigV4SenderOptions,
  sigv4Sender,
} from './request-sender.js';
export {
  type PlanSigningOptions,
  planSigning,
  regionOfExecuteApiHost,
  type SigningPlan,
} from './signing-plan.js';
