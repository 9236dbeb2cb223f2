// AuditEvent → what the client shows. Strings stay exactly as recorded: the client renders text.
import type { AuditEventView } from '../protocol';
import type { AuditEvent } from './model';

export function whoOf(event: AuditEvent): string {
  const id = event.identity;
  if (id.type === 'AssumedRole') return `${id.sessionName ?? id.name} (AssumedRole ${id.roleName ?? id.roleArn ?? 'unknown role'})`;
  if (id.type === 'AWSService') return `${id.invokedBy ?? id.name} (AWSService)`;
  const name = id.name || id.arn || id.principalId || 'unknown';
  return id.type && id.type !== 'IAMUser' ? `${name} (${id.type})` : name;
}

export function toView(event: AuditEvent): AuditEventView {
  return {
    id: event.id,
    time: event.time,
    eventName: event.eventName,
    eventSource: event.eventSource,
    readOnly: event.readOnly,
    management: event.management,
    who: whoOf(event),
    identityType: event.identity.type,
    resources: event.resources.map((r) => ({ name: r.name, arn: r.arn, type: r.type })),
    sourceIp: event.sourceIp,
    region: event.region,
    userAgent: event.userAgent,
    errorCode: event.errorCode,
    errorMessage: event.errorMessage,
  };
}
