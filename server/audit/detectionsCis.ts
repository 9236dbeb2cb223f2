// The monitoring controls of the CIS Amazon Web Services Foundations Benchmark v3.0.0, section 4
// ("Monitoring", controls 4.1–4.15; 4.16, "Security Hub is enabled", is not about events). Each
// control prescribes a CloudWatch Logs metric filter over CloudTrail; the pattern below is that
// filter as the benchmark prints it, and the detection runs it through detectionsFilterPattern.ts,
// so what matches is what the benchmark's alarm would count — its quirks included (noted per
// control). Severities are Sightline's: CIS grades controls by level, not events by urgency.

import type { AuditEvent } from './model';
import type { Detection, DetectionSeverity } from './detections';
import { compileFilterPattern } from './detectionsFilterPattern';

const BENCHMARK = 'CIS AWS Foundations Benchmark v3.0.0';

interface Control {
  control: string;
  slug: string;
  title: string;
  severity: DetectionSeverity;
  rationale: string;
  filterPattern: string;
  describe?: (event: AuditEvent, who: string) => string;
}

function cis(control: Control): Detection {
  const { matches, eventNames } = compileFilterPattern(control.filterPattern);
  const detection: Detection = {
    id: `cis-${control.control}-${control.slug}`,
    title: control.title,
    severity: control.severity,
    reference: `${BENCHMARK}, control ${control.control}`,
    rationale: control.rationale,
    filterPattern: control.filterPattern,
    matches: (event) => matches(event.record),
  };
  if (eventNames) detection.eventNames = eventNames;
  if (control.describe) detection.describe = control.describe;
  return detection;
}

function from(event: AuditEvent): string {
  return event.sourceIp ? ` from ${event.sourceIp}` : '';
}

export const cisDetections: readonly Detection[] = [
  cis({
    control: '4.1',
    slug: 'unauthorized-api-calls',
    title: 'Unauthorized API call',
    severity: 'low',
    rationale: 'A call refused with UnauthorizedOperation or AccessDenied is someone trying to do what their permissions do not allow: an application with the wrong policy, or credentials in the wrong hands finding out what they can reach. Seeing these refusals reveals application errors and shortens the time to notice malicious activity. Expect noise from consoles that fetch optional information and fail quietly; the benchmark leaves out S3 HeadBucket calls and log delivery for that reason. As CloudWatch reads the pattern (&& before ||), those two exclusions apply to AccessDenied* codes only.',
    filterPattern: '{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
    describe: (event, who) => `${event.eventName} by ${who} was refused: ${event.errorCode ?? 'no error code'}`,
  }),
  cis({
    control: '4.2',
    slug: 'console-sign-in-without-mfa',
    title: 'Management Console sign-in without MFA',
    severity: 'medium',
    rationale: 'A console session opened with a password alone is one stolen or guessed password away from an attacker. Watching single-factor sign-ins shows which identities are not protected by MFA, and those are the ones most open to compromise. The pattern counts every ConsoleLogin whose MFAUsed is not "Yes" — failed attempts and federated (SSO) sign-ins included; the benchmark offers a narrower variant for successful IAM-user sign-ins where SSO makes this noisy.',
    filterPattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
    describe: (event, who) => `ConsoleLogin by ${who} without MFA${from(event)}${event.errorMessage ? ` (failed: ${event.errorMessage})` : ''}`,
  }),
  cis({
    control: '4.3',
    slug: 'root-account-usage',
    title: "Usage of the 'root' user",
    severity: 'high',
    rationale: "The root user has unrestricted access to everything in the account, and no IAM policy can limit it. Outside the few tasks only root can do, any use of it is poor practice or a compromise, and every use should be seen. Calls that AWS services make on root's behalf (userIdentity.invokedBy) and AWS service events are left out.",
    filterPattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    describe: (event) => `${event.eventName} by the root user${from(event)}`,
  }),
  cis({
    control: '4.4',
    slug: 'iam-policy-changes',
    title: 'IAM policy change',
    severity: 'medium',
    rationale: 'Creating, changing, attaching or detaching an IAM policy changes who may do what; it is how privileges are granted and how an attacker escalates them. Watching these changes keeps authentication and authorization controls as intended. The pattern names 16 IAM APIs without checking eventSource, so same-named calls of other services (Organizations CreatePolicy, Auto Scaling DeletePolicy) match too.',
    filterPattern: '{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}',
  }),
  cis({
    control: '4.5',
    slug: 'cloudtrail-configuration-changes',
    title: 'CloudTrail configuration change',
    severity: 'high',
    rationale: 'Stopping, deleting or re-pointing a trail blinds every other control, and it is a first step for anyone covering their tracks. Watching trail changes keeps the activity in the account visible.',
    filterPattern: '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
  }),
  cis({
    control: '4.6',
    slug: 'console-authentication-failures',
    title: 'Management Console authentication failure',
    severity: 'low',
    rationale: 'Repeated failed console sign-ins point to password guessing; watching them shortens the time to detect a brute-force attempt and names the source address to block. The pattern counts failures whose errorMessage is exactly "Failed authentication" — not, for example, sign-ins to an unknown account.',
    filterPattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    describe: (event, who) => `ConsoleLogin failed for ${who}${from(event)}`,
  }),
  cis({
    control: '4.7',
    slug: 'kms-key-disabled-or-scheduled-deletion',
    title: 'KMS key disabled or scheduled for deletion',
    severity: 'high',
    rationale: 'Data encrypted under a disabled key cannot be read, and once a scheduled deletion runs out the data is lost for good. A change of key state should be deliberate, so each one should be seen while it can still be undone. The pattern matches every DisableKey and ScheduleKeyDeletion, not only customer-created keys.',
    filterPattern: '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }',
  }),
  cis({
    control: '4.8',
    slug: 's3-bucket-policy-changes',
    title: 'S3 bucket policy change',
    severity: 'medium',
    rationale: 'Bucket policies, ACLs, CORS, lifecycle and replication rules decide who can read or write a bucket and where its data goes. Watching changes to them shortens the time to find and correct permissive settings on buckets that hold sensitive data.',
    filterPattern: '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }',
  }),
  cis({
    control: '4.9',
    slug: 'aws-config-changes',
    title: 'AWS Config configuration change',
    severity: 'medium',
    rationale: 'AWS Config keeps the configuration history of resources; stopping its recorder or changing its delivery channel ends that history. Watching these changes keeps configuration items flowing and visible.',
    filterPattern: '{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel) ||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }',
  }),
  cis({
    control: '4.10',
    slug: 'security-group-changes',
    title: 'Security group change',
    severity: 'low',
    rationale: 'Security groups are the stateful firewalls in front of instances and other VPC resources; a changed rule can expose a resource to networks that should never reach it. Watching changes helps ensure resources are not exposed by accident. The v3.0.0 pattern does not list ModifySecurityGroupRules; the security-group-open-to-world detection covers that call.',
    filterPattern: '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }',
  }),
  cis({
    control: '4.11',
    slug: 'nacl-changes',
    title: 'Network ACL change',
    severity: 'low',
    rationale: 'Network ACLs are the stateless filters on traffic in and out of subnets; a changed entry can open a subnet to traffic it was meant to refuse. Watching changes helps ensure resources are not exposed by accident.',
    filterPattern: '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }',
  }),
  cis({
    control: '4.12',
    slug: 'network-gateway-changes',
    title: 'Network gateway change',
    severity: 'medium',
    rationale: 'Internet and customer gateways are the doors between a VPC and the outside; creating, attaching or removing one changes what the VPC can reach and what can reach it. Watching these changes keeps all traffic in and out on a controlled path. NAT and transit gateways are not in the pattern.',
    filterPattern: '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }',
  }),
  cis({
    control: '4.13',
    slug: 'route-table-changes',
    title: 'Route table change',
    severity: 'low',
    rationale: 'Route tables decide where subnet traffic goes — to other subnets, to gateways, to peered VPCs. Watching changes ensures traffic flows through the expected path and catches routes that send data around inspection. AssociateRouteTable is not in the pattern.',
    filterPattern: '{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }',
  }),
  cis({
    control: '4.14',
    slug: 'vpc-changes',
    title: 'VPC change',
    severity: 'low',
    rationale: "A VPC's attributes and peering connections decide how it reaches the internet and other VPCs; a change can open new network paths to the resources inside or cut traffic to them. Watching VPC changes keeps those paths known.",
    filterPattern: '{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }',
  }),
  cis({
    control: '4.15',
    slug: 'organizations-changes',
    title: 'AWS Organizations change',
    severity: 'medium',
    rationale: 'Changes in AWS Organizations — accounts invited, created, moved or leaving; service control policies created, attached or detached — change the guardrails of every member account at once. Watching them catches unwanted changes that could lead to unauthorized access, in time to investigate and roll them back.',
    filterPattern: '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }',
  }),
];
