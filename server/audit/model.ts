// The CloudTrail record as CloudTrail writes it, and the normalised index view every audit source
// (log files, LookupEvents, Athena) is converted into. The record is kept whole — unknown fields
// included — because the Audit view shows it as it came; the index view is what lookups use.

import { deriveResources, type AuditResource } from './resources';

export type { AuditResource } from './resources';

/** userIdentity.type values CloudTrail documents; others may appear and are kept as they are. */
export type UserIdentityType =
  | 'IAMUser' | 'AssumedRole' | 'Root' | 'AWSService' | 'FederatedUser' | 'AWSAccount'
  | 'IdentityCenterUser' | 'SAMLUser' | 'WebIdentityUser' | 'Directory' | 'Unknown' | (string & {});

export type EventType =
  | 'AwsApiCall' | 'AwsServiceEvent' | 'AwsConsoleSignIn' | 'AwsConsoleAction' | 'AwsCloudTrailInsight' | 'AwsVpceEvent'
  | (string & {});

export type EventCategory = 'Management' | 'Data' | 'Insight' | 'NetworkActivity' | (string & {});

export interface SessionIssuer {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  userName?: string;
  [field: string]: unknown;
}

export interface SessionContext {
  sessionIssuer?: SessionIssuer;
  attributes?: { creationDate?: string; mfaAuthenticated?: string; [field: string]: unknown };
  webIdFederationData?: { federatedProvider?: string; attributes?: Record<string, string>; [field: string]: unknown };
  sourceIdentity?: string;
  ec2RoleDelivery?: string;
  [field: string]: unknown;
}

export interface UserIdentity {
  type?: UserIdentityType;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  sessionContext?: SessionContext;
  invokedBy?: string;
  identityProvider?: string;
  credentialId?: string;
  onBehalfOf?: { userId?: string; identityStoreArn?: string; [field: string]: unknown };
  [field: string]: unknown;
}

export interface CloudTrailResource {
  ARN?: string;
  accountId?: string;
  type?: string;
  [field: string]: unknown;
}

export interface InsightDetails {
  state?: 'Start' | 'End' | (string & {});
  eventSource?: string;
  eventName?: string;
  insightType?: 'ApiCallRateInsight' | 'ApiErrorRateInsight' | (string & {});
  errorCode?: string;
  insightContext?: {
    statistics?: {
      baseline?: { average?: number; [field: string]: unknown };
      insight?: { average?: number; [field: string]: unknown };
      insightDuration?: number;
      baselineDuration?: number;
      [field: string]: unknown;
    };
    attributions?: { attribute?: string; insight?: unknown[]; baseline?: unknown[]; [field: string]: unknown }[];
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/**
 * One CloudTrail record with the documented fields (CloudTrail User Guide, "CloudTrail record
 * contents"). Only eventID and eventTime are guaranteed after validation; Insights records carry
 * their eventSource/eventName inside insightDetails and have no userIdentity.
 */
export interface CloudTrailRecord {
  eventVersion?: string;
  userIdentity?: UserIdentity;
  eventTime: string;
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown> | null;
  requestID?: string;
  eventID: string;
  readOnly?: boolean;
  resources?: CloudTrailResource[];
  eventType?: EventType;
  apiVersion?: string;
  managementEvent?: boolean;
  recipientAccountId?: string;
  serviceEventDetails?: Record<string, unknown> | null;
  sharedEventID?: string;
  vpcEndpointId?: string;
  vpcEndpointAccountId?: string;
  eventCategory?: EventCategory;
  addendum?: Record<string, unknown>;
  sessionCredentialFromConsole?: string;
  edgeDeviceDetails?: Record<string, unknown>;
  tlsDetails?: { tlsVersion?: string; cipherSuite?: string; clientProvidedHostHeader?: string; [field: string]: unknown };
  insightDetails?: InsightDetails;
  [field: string]: unknown;
}

/** Who made the call, normalised over the userIdentity types. */
export interface AuditIdentity {
  type: string;
  /** The IAM user name, the role session name, the service (invokedBy), or the federated user name. */
  name: string;
  /** '' when the record has none (AWSService, some sign-in failures). */
  arn: string;
  principalId: string;
  accessKeyId: string;
  accountId?: string;
  /** For AssumedRole: the role (the session issuer's ARN, which includes the role's path). */
  roleArn?: string;
  roleName?: string;
  sessionName?: string;
  /** From sessionContext.attributes.mfaAuthenticated, or for ConsoleLogin additionalEventData.MFAUsed. */
  mfa?: boolean;
  invokedBy?: string;
}

/** The index view of one record. */
export interface AuditEvent {
  /** eventID: the key; log files repeat records, and the same event comes from several sources. */
  id: string;
  /** eventTime in milliseconds since the Unix epoch. */
  time: number;
  eventName: string;
  eventSource: string;
  region: string;
  /** recipientAccountId, else the caller's account; '' when neither is known. */
  account: string;
  identity: AuditIdentity;
  /** false when the record does not say (Insights records). */
  readOnly: boolean;
  management: boolean;
  category: EventCategory;
  eventType: string;
  errorCode?: string;
  errorMessage?: string;
  sourceIp: string;
  userAgent: string;
  resources: AuditResource[];
  /** The record exactly as read (for Athena results: rebuilt from the selected columns). */
  record: CloudTrailRecord;
}

/** Either the event, with an optional remark to pass on, or why the record was skipped. */
export type Conversion =
  | { event: AuditEvent; remark?: string; problem?: undefined }
  | { event?: undefined; problem: string };

const REQUIRED = ['eventID', 'eventTime', 'eventName', 'eventSource'] as const;

/** eventVersion values CloudTrail has written: 1.0, 1.01 … 1.09, 1.10, 1.11. */
export const KNOWN_VERSIONS = '1.0–1.11';

function isKnownVersion(version: unknown): boolean {
  if (typeof version !== 'string') return false;
  const match = /^1\.(\d{1,2})$/.exec(version);
  return match !== null && Number(match[1]) <= 11;
}

/** CloudTrail writes `2024-05-01T12:34:56Z`; a time without a zone would be read as local time, so it must have one. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** `YYYY-MM-DDTHH:MM:SSZ` by its punctuation; Date.parse then rejects wrong digits. */
function isCloudTrailTime(t: string): boolean {
  return t.length === 20 && t.charCodeAt(4) === 45 && t.charCodeAt(7) === 45 && t.charCodeAt(10) === 84
    && t.charCodeAt(13) === 58 && t.charCodeAt(16) === 58 && t.charCodeAt(19) === 90;
}

/** A short, quoted rendering of a bad value for a problem message. */
export function quote(value: unknown, max = 60): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'object': return 'an object';
    case 'string': return 'a string';
    case 'number': return 'a number';
    case 'boolean': return 'a boolean';
    default: return typeof value;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function object(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function flag(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}

/**
 * Converts one record. A record without eventID, eventTime, eventName or eventSource (for Insights
 * records, insightDetails.eventName/eventSource), or with an eventTime that is not an ISO 8601 time,
 * is skipped with a problem naming `where` and the field. An eventVersion outside 1.0–1.11 is read
 * anyway, with a remark.
 */
export function toAuditEvent(record: unknown, where = 'record'): Conversion {
  const result = convertRecord(record);
  if (result.problem !== undefined) return { problem: `${where}: ${result.problem}` };
  if (result.remark !== undefined) return { event: result.event, remark: `${where}: ${result.remark}` };
  return result;
}

function missingFields(record: CloudTrailRecord, fields: Record<(typeof REQUIRED)[number], unknown>): string {
  const missing: string[] = [];
  const wrong: string[] = [];
  for (const field of REQUIRED) {
    const v = fields[field];
    if (v === undefined || v === null || v === '') missing.push(field);
    else if (typeof v !== 'string') wrong.push(`${field} is ${describeJson(v)}, not a string`);
  }
  const parts = missing.length ? [`missing ${missing.join(', ')}`, ...wrong] : wrong;
  const id = typeof record.eventID === 'string' && record.eventID ? ` (eventID ${quote(record.eventID)})` : '';
  return `${parts.join('; ')}${id}; skipped`;
}

/**
 * toAuditEvent without the location in messages, for readers that name the location themselves
 * (and only when there is something to say). `extraResources` are resources known from outside the
 * record, such as the Resources of a LookupEvents result.
 */
export function convertRecord(value: unknown, extraResources?: readonly AuditResource[]): Conversion {
  const record = object(value) as CloudTrailRecord | undefined;
  if (!record) return { problem: `not a CloudTrail record: ${describeJson(value)}, not an object` };
  const insight = record.eventType === 'AwsCloudTrailInsight' ? object(record.insightDetails) : undefined;
  const eventID = record.eventID as unknown;
  const eventTime = record.eventTime as unknown;
  const eventName = (record.eventName ?? insight?.eventName) as unknown;
  const eventSource = (record.eventSource ?? insight?.eventSource) as unknown;
  if (typeof eventID !== 'string' || eventID === '' || typeof eventTime !== 'string' || eventTime === ''
    || typeof eventName !== 'string' || eventName === '' || typeof eventSource !== 'string' || eventSource === '') {
    return { problem: missingFields(record, { eventID, eventTime, eventName, eventSource }) };
  }
  // CloudTrail's own form (2024-05-01T12:34:56Z) goes straight to Date.parse; others are checked first.
  const time = isCloudTrailTime(eventTime) || ISO_TIME.test(eventTime)
    ? Date.parse(eventTime)
    : NaN;
  if (Number.isNaN(time)) {
    return { problem: `eventTime ${quote(eventTime)} is not an ISO 8601 time with a zone (eventID ${quote(eventID)}); skipped` };
  }

  const region = text(record.awsRegion) ?? '';
  const user = object(record.userIdentity) as UserIdentity | undefined;
  const identity = toIdentity(user, record);
  const eventType = text(record.eventType) ?? '';
  const category = text(record.eventCategory) ?? (eventType === 'AwsCloudTrailInsight' ? 'Insight' : record.managementEvent === false ? 'Data' : 'Management');
  const management = typeof record.managementEvent === 'boolean' ? record.managementEvent : category === 'Management';
  const account = text(record.recipientAccountId) ?? text(user?.accountId) ?? '';
  const event: AuditEvent = {
    id: eventID,
    time,
    eventName,
    eventSource,
    region,
    account,
    identity,
    readOnly: flag(record.readOnly) ?? false,
    management,
    category,
    eventType,
    sourceIp: text(record.sourceIPAddress) ?? '',
    userAgent: text(record.userAgent) ?? '',
    resources: deriveResources(record, eventSource, region, account, extraResources),
    record,
  };
  const errorCode = text(record.errorCode);
  if (errorCode !== undefined) event.errorCode = errorCode;
  const errorMessage = text(record.errorMessage);
  if (errorMessage !== undefined) event.errorMessage = errorMessage;
  if (!isKnownVersion(record.eventVersion)) {
    const version = record.eventVersion === undefined ? 'no eventVersion' : `eventVersion ${quote(record.eventVersion)}`;
    return { event, remark: `${version}, outside the ${KNOWN_VERSIONS} Sightline knows; read anyway` };
  }
  return { event };
}

/** `arn:aws:sts::123456789012:assumed-role/RoleName/SessionName` → ['RoleName', 'SessionName']. */
function assumedRoleParts(arn: string | undefined): [string, string] | undefined {
  if (!arn) return undefined;
  const at = arn.indexOf(':assumed-role/');
  if (at < 0) return undefined;
  const rest = arn.slice(at + ':assumed-role/'.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? [rest, ''] : [rest.slice(0, slash), rest.slice(slash + 1)];
}

function lastPathSegment(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const slash = arn.lastIndexOf('/');
  return slash >= 0 && slash < arn.length - 1 ? arn.slice(slash + 1) : undefined;
}

function toIdentity(user: UserIdentity | undefined, record: CloudTrailRecord): AuditIdentity {
  if (!user) return { type: '', name: '', arn: '', principalId: '', accessKeyId: '' };
  const type = text(user.type) ?? '';
  const arn = text(user.arn) ?? '';
  const principalId = text(user.principalId) ?? '';
  const session = object(user.sessionContext) as SessionContext | undefined;
  const issuer = object(session?.sessionIssuer) as SessionIssuer | undefined;
  const identity: AuditIdentity = { type, name: '', arn, principalId, accessKeyId: text(user.accessKeyId) ?? '' };
  const accountId = text(user.accountId);
  if (accountId !== undefined) identity.accountId = accountId;
  const invokedBy = text(user.invokedBy);
  if (invokedBy !== undefined) identity.invokedBy = invokedBy;

  let name: string | undefined;
  switch (type) {
    case 'AssumedRole': {
      const parts = assumedRoleParts(arn);
      const colon = principalId.indexOf(':');
      const sessionName = parts?.[1] || (colon >= 0 ? principalId.slice(colon + 1) : undefined);
      const roleName = text(issuer?.userName) ?? parts?.[0];
      const roleArn = text(issuer?.arn);
      if (sessionName) identity.sessionName = sessionName;
      if (roleName) identity.roleName = roleName;
      if (roleArn) identity.roleArn = roleArn;
      name = sessionName || roleName;
      break;
    }
    case 'AWSService':
      name = invokedBy;
      break;
    case 'FederatedUser':
      name = lastPathSegment(arn) ?? text(user.userName);
      break;
    case 'Root':
      name = text(user.userName) ?? 'root';
      break;
    case 'IdentityCenterUser':
      name = text(user.userName) ?? text(object(user.onBehalfOf)?.userId);
      break;
    case 'AWSAccount':
      name = accountId;
      break;
    default:
      name = text(user.userName) ?? lastPathSegment(arn);
  }
  identity.name = name ?? invokedBy ?? principalId;

  const mfa = flag(object(session?.attributes)?.mfaAuthenticated);
  if (mfa !== undefined) identity.mfa = mfa;
  else if (record.eventName === 'ConsoleLogin') {
    const used = object(record.additionalEventData)?.MFAUsed;
    if (used === 'Yes') identity.mfa = true;
    else if (used === 'No') identity.mfa = false;
  }
  return identity;
}
