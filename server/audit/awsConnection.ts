// How Sightline reaches an AWS API: the settings (region, profile, endpoint) and, for tests and for
// callers that already hold them, explicit credentials. Without credentials the SDK's default chain
// is used (environment, shared config/credentials files for `profile`, SSO, container and instance
// roles). Nothing here or in the clients built from it logs requests or credentials.

import type { CloudTrailClientConfig } from '@aws-sdk/client-cloudtrail';

export interface AwsConnection {
  region: string;
  /** A profile from the shared AWS config and credentials files. */
  profile?: string;
  /** Another endpoint than AWS's own for the service, e.g. a VPC endpoint or a test server. */
  endpoint?: string;
  credentials?: CloudTrailClientConfig['credentials'];
  /** Attempts per request, the first included, for the SDK's standard retry strategy (default 5). */
  maxAttempts?: number;
}

/** The client settings both SDK clients take; no logger, so the SDK logs nothing. */
export function clientConfig(connection: AwsConnection) {
  return {
    region: connection.region,
    ...(connection.profile ? { profile: connection.profile } : {}),
    ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
    ...(connection.credentials ? { credentials: connection.credentials } : {}),
    maxAttempts: connection.maxAttempts ?? 5,
  };
}

/** A problem message from an SDK error: its name and message only, never the request. */
export function describeAwsError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return `${error.name}: ${error.message}${status ? ` (HTTP ${status})` : ''}`;
}
