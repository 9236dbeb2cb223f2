// Sightline's own detections for single calls that expose resources or mint long-lived credentials —
// the event-time counterparts of CIS AWS Foundations Benchmark v3.0.0 configuration controls, which
// check state rather than watch changes. Unlike the CIS filters, these look inside the request and
// count only calls that succeeded: a refused AuthorizeSecurityGroupIngress opened nothing (4.1 and
// 4.10 still report it).

import type { AuditEvent } from './model';
import type { Detection } from './detections';

type Json = Record<string, unknown>;

function object(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** EC2 records write lists as `{ items: [...] }`; the newer APIs as plain arrays or a single object. */
function list(value: unknown): Json[] {
  const items = Array.isArray(value) ? value : Array.isArray(object(value)?.items) ? (object(value)!.items as unknown[]) : value === undefined ? [] : [value];
  return items.map(object).filter((item): item is Json => item !== undefined);
}

function succeeded(event: AuditEvent, eventSource: string): boolean {
  return event.eventSource === eventSource && event.errorCode === undefined;
}

// ── Security group opened to the world ──────────────────────────────────────────────────────────

const WORLD = new Set(['0.0.0.0/0', '::/0']);
const PROTOCOLS: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };

/** "tcp/22", "tcp/8000-8080", "udp", "all traffic". */
function portRange(protocol: unknown, fromPort: unknown, toPort: unknown): string {
  const raw = String(protocol ?? '-1').toLowerCase();
  if (raw === '-1' || raw === 'all') return 'all traffic';
  const name = PROTOCOLS[raw] ?? raw;
  if (name.startsWith('icmp') || typeof fromPort !== 'number') return name;
  return fromPort === toPort || typeof toPort !== 'number' ? `${name}/${fromPort}` : `${name}/${fromPort}-${toPort}`;
}

interface Opening {
  groupId: string;
  cidrs: string[];
  ports: string[];
}

function add(opening: Opening, cidr: string, ports: string): void {
  if (!opening.cidrs.includes(cidr)) opening.cidrs.push(cidr);
  if (!opening.ports.includes(ports)) opening.ports.push(ports);
}

/** The world-open rules a successful AuthorizeSecurityGroupIngress or ModifySecurityGroupRules added. */
function worldOpening(event: AuditEvent): Opening | undefined {
  if (!succeeded(event, 'ec2.amazonaws.com')) return undefined;
  const params = object(event.record.requestParameters);
  if (!params) return undefined;
  let opening: Opening;
  if (event.eventName === 'AuthorizeSecurityGroupIngress') {
    opening = { groupId: text(params.groupId) ?? text(params.groupName) ?? '', cidrs: [], ports: [] };
    for (const permission of list(params.ipPermissions)) {
      const ports = portRange(permission.ipProtocol, permission.fromPort, permission.toPort);
      for (const range of list(permission.ipRanges)) if (WORLD.has(String(range.cidrIp))) add(opening, String(range.cidrIp), ports);
      for (const range of list(permission.ipv6Ranges)) if (WORLD.has(String(range.cidrIpv6))) add(opening, String(range.cidrIpv6), ports);
    }
    // The older single-rule form of the API: CidrIp with IpProtocol/FromPort/ToPort at the top.
    if (WORLD.has(String(params.cidrIp))) add(opening, String(params.cidrIp), portRange(params.ipProtocol, params.fromPort, params.toPort));
  } else if (event.eventName === 'ModifySecurityGroupRules') {
    const request = object(params.ModifySecurityGroupRulesRequest);
    opening = { groupId: text(request?.GroupId) ?? '', cidrs: [], ports: [] };
    for (const update of list(request?.SecurityGroupRule)) {
      const rule = object(update.SecurityGroupRule);
      if (!rule) continue;
      const ports = portRange(rule.IpProtocol, rule.FromPort, rule.ToPort);
      for (const cidr of [rule.CidrIpv4, rule.CidrIpv6]) if (WORLD.has(String(cidr))) add(opening, String(cidr), ports);
    }
  } else {
    return undefined;
  }
  return opening.cidrs.length ? opening : undefined;
}

const securityGroupOpenToWorld: Detection = {
  id: 'ec2-security-group-open-to-world',
  title: 'Security group opened to the internet',
  severity: 'high',
  reference: 'Sightline; the change that CIS AWS Foundations Benchmark v3.0.0 controls 5.2 and 5.3 check for',
  rationale: 'An ingress rule from 0.0.0.0/0 or ::/0 lets the whole internet reach the ports it names; SSH, RDP and database ports opened this way are found by scanners within minutes. This reports every successful AuthorizeSecurityGroupIngress or ModifySecurityGroupRules that allows the world in, whatever the port, and names the ports so the reader can judge the urgency. ModifySecurityGroupRules does not say whether the rule is ingress or egress, so a world-wide egress rule edited that way is reported too.',
  eventNames: new Set(['AuthorizeSecurityGroupIngress', 'ModifySecurityGroupRules']),
  matches: (event) => worldOpening(event) !== undefined,
  describe: (event, who) => {
    const opening = worldOpening(event)!;
    return `${event.eventName} by ${who} opened ${opening.groupId || 'a security group'} to ${opening.cidrs.join(' and ')} on ${opening.ports.join(', ')}`;
  },
  resourceOf: (event) => worldOpening(event)?.groupId || undefined,
};

// ── S3 Block Public Access weakened ─────────────────────────────────────────────────────────────

const PUT_BLOCK = new Set(['PutBucketPublicAccessBlock', 'PutAccountPublicAccessBlock', 'PutPublicAccessBlock']);
const DELETE_BLOCK = new Set(['DeleteBucketPublicAccessBlock', 'DeleteAccountPublicAccessBlock', 'DeletePublicAccessBlock']);
const BLOCK_SETTINGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

/** The settings a successful call leaves off; a setting left out of the configuration is off, as S3 reads it. */
function settingsTurnedOff(event: AuditEvent): readonly string[] | undefined {
  if (!succeeded(event, 's3.amazonaws.com')) return undefined;
  if (DELETE_BLOCK.has(event.eventName)) return BLOCK_SETTINGS;
  if (!PUT_BLOCK.has(event.eventName)) return undefined;
  const params = object(event.record.requestParameters);
  const configuration = object(object(params?.PublicAccessBlock)?.PublicAccessBlockConfiguration) ?? object(params?.PublicAccessBlockConfiguration);
  if (!configuration) return undefined;
  const off = BLOCK_SETTINGS.filter((setting) => configuration[setting] !== true && configuration[setting] !== 'true');
  return off.length ? off : undefined;
}

function blockScope(event: AuditEvent): string {
  const bucket = text(object(event.record.requestParameters)?.bucketName);
  return bucket ?? `account ${event.account}`;
}

const publicAccessBlockWeakened: Detection = {
  id: 's3-public-access-block-weakened',
  title: 'S3 Block Public Access weakened',
  severity: 'high',
  reference: 'Sightline; the change that CIS AWS Foundations Benchmark v3.0.0 control 2.1.4 checks for',
  rationale: "Block Public Access is the switch that keeps a bucket's data private whatever its policy or ACLs say; with any of its four settings off, one permissive policy or ACL away is a public bucket. This reports a successful PutBucketPublicAccessBlock or account-level PutPublicAccessBlock that leaves BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy or RestrictPublicBuckets off, and every successful deletion of the block. A single record cannot show the previous setting, so re-applying an already weak configuration is reported as well.",
  eventNames: new Set([...PUT_BLOCK, ...DELETE_BLOCK]),
  matches: (event) => settingsTurnedOff(event) !== undefined,
  describe: (event, who) => {
    const off = settingsTurnedOff(event)!;
    return DELETE_BLOCK.has(event.eventName)
      ? `${event.eventName} by ${who} removed the public access block of ${blockScope(event)}`
      : `${event.eventName} by ${who} left ${off.join(', ')} off for ${blockScope(event)}`;
  },
  resourceOf: blockScope,
};

// ── Access key created ──────────────────────────────────────────────────────────────────────────

function newKey(event: AuditEvent): { keyId: string; user: string } {
  const accessKey = object(object(event.record.responseElements)?.accessKey);
  const user = text(accessKey?.userName) ?? text(object(event.record.requestParameters)?.userName);
  return {
    keyId: text(accessKey?.accessKeyId) ?? 'an access key',
    // Without a userName, IAM creates the key for the caller — for the root user, a root access key.
    user: user ?? (event.identity.type === 'Root' ? 'the root user' : event.identity.name || 'the caller'),
  };
}

const accessKeyCreated: Detection = {
  id: 'iam-access-key-created',
  title: 'IAM access key created',
  severity: 'medium',
  reference: 'Sightline; related to CIS AWS Foundations Benchmark v3.0.0 controls 1.4, 1.13 and 1.14',
  rationale: 'An access key is a long-lived credential that works from anywhere until someone deletes it; a key created by an intruder is a classic way to keep access after the first foothold is closed. Each new key should be expected, owned and rotated — and the root user should have none.',
  eventNames: new Set(['CreateAccessKey']),
  matches: (event) => succeeded(event, 'iam.amazonaws.com') && event.eventName === 'CreateAccessKey',
  describe: (event, who) => {
    const { keyId, user } = newKey(event);
    return `CreateAccessKey by ${who} created ${keyId} for ${user}`;
  },
  resourceOf: (event) => newKey(event).user,
};

export const exposureDetections: readonly Detection[] = [securityGroupOpenToWorld, publicAccessBlockWeakened, accessKeyCreated];
