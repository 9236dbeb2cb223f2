// Insights & detections as the server answers sightline/auditFindings, for the Audit view's page
// tests: generated CloudTrail records with planted incidents — some carrying attacker-chosen strings
// — stored in a temporary store and analysed by the server's own AuditFindingsCache.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditFindingsCache } from '../../server/audit/auditFindings';
import { AuditService } from '../../server/audit/auditService';
import { toAuditEvent } from '../../server/audit/model';
import type { AuditFindings } from '../../server/protocol';
import { Store } from '../../server/store/store';
import { hostile } from './auditPage';
import { CloudTrailGenerator } from './cloudTrailGenerator';

type Json = Record<string, unknown>;

const account = '111122223333';
const region = 'us-east-1';
const minute = 60_000;

export interface FindingsFixture {
  findings: AuditFindings;
  /** The planted events, by what they are. */
  rootLoginId: string;
  openGroupId: string;
  /** The security group opened by a user whose name and group id are hostile. */
  hostileOpenId: string;
  /** Start of the burst of AccessDenied on ssm:SendCommand, whose caller's user agent is hostile. */
  burstStart: number;
}

/** Three days of the usual mix before `nowMs`, then a root sign-in, two world-open security groups, an error burst and a CloudTrail Insights pair. */
export async function generateAuditFindings(nowMs: number, seed = 3): Promise<FindingsFixture> {
  const generator = new CloudTrailGenerator(seed);
  const records = generator.records(3000, { account, region, start: nowMs - 3 * 86_400_000, end: nowMs - 3 * 3_600_000 });
  const rootLogin: Json = { ...generator.rootConsoleLogin({ account, region, time: nowMs - 2 * 3_600_000 }), sourceIPAddress: hostile.html };
  const openGroup = generator.securityGroupOpenedToWorld({ account, region, time: nowMs - 100 * minute, groupId: 'sg-0a1b2c3d4e5f60718' });
  const hostileOpen: Json = {
    ...generator.securityGroupOpenedToWorld({ account, region, time: nowMs - 95 * minute, groupId: hostile.script, port: 3389 }),
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLEMALLORY00', arn: `arn:aws:iam::${account}:user/${hostile.rtl}`, accountId: account, userName: hostile.rtl },
  };
  const burstStart = nowMs - (nowMs % minute) - 80 * minute;
  const burst = generator.errorBurst({ account, region, time: burstStart, minutes: 4, perMinute: 25, eventSource: 'ssm.amazonaws.com', eventName: 'SendCommand', errorCode: 'AccessDenied' })
    .map((record) => ({ ...record, userAgent: hostile.html }));
  const insightPair = generator.insightPair({ account, region, time: nowMs - 30 * 3_600_000, durationMinutes: 12 });

  const dir = mkdtempSync(join(tmpdir(), 'sightline-findings-page-'));
  const store = Store.open(dir, { name: 'audit', durable: false, retention: { maxAgeMs: Infinity } });
  try {
    const service = new AuditService(store);
    service.ingest([...records, rootLogin, openGroup, hostileOpen, ...burst, ...insightPair].map((record) => {
      const conversion = toAuditEvent(record);
      if (!conversion.event) throw new Error(`the generator made a record the server would skip: ${conversion.problem}`);
      return conversion.event;
    }));
    const findings = await new AuditFindingsCache(service).findings(nowMs);
    return { findings, rootLoginId: String(rootLogin.eventID), openGroupId: String(openGroup.eventID), hostileOpenId: String(hostileOpen.eventID), burstStart };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
