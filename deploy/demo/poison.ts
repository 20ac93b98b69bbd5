/**
 * One poison message: a concern report as the router would deliver it to social services, but with a
 * child's personnummer whose check digit is wrong. The consumer's codec rejects it (ContractViolation)
 * and the consumer kit dead-letters it to samverkan.dlq.social-services, where the console shows it.
 * Produced as the stack's admin principal, since no service may write an audience topic but the router.
 */
import { randomUUID } from 'node:crypto';
import { audienceTopic, createEvent, encodeCloudEvent } from '@samverkan/contracts';
import { probeProduce } from '@samverkan/messaging';
import type { StackInfo } from '../local/stack-info';
import { fakeChild, fakeName, fakeSchoolUnit, withBrokenCheckDigit } from './synthetic';

export const POISON_TOPIC = audienceTopic('social-services');

export function filedForSocialServices(
  options: { reportId?: string; personnummer?: string; schoolUnit?: string } = {},
) {
  const child = fakeChild();
  return createEvent('samverkan.concern-report.filed.v1', {
    source: '/samverkan/education',
    subject: `demo-${randomUUID()}`,
    municipality: '0781',
    legalbasis: 'duty-to-report',
    data: {
      reportId: options.reportId ?? randomUUID(),
      child: { personnummer: options.personnummer ?? child.personnummer, name: child.name },
      reportingUnit: { schoolUnitCode: options.schoolUnit ?? fakeSchoolUnit(), municipality: '0781' },
      reporter: { role: 'teacher', name: fakeName(), contact: { email: 'demo.larare@skola.example' } },
      categories: ['neglect'],
      description: 'Syntetisk demo-anmälan: eleven verkar trött och hungrig.',
      immediateDanger: false,
      filedAt: new Date().toISOString(),
    },
  });
}

/** Encodes `event` and sends it, as the admin principal, to `topic`; `tamper` may change the JSON. */
export async function produceAsAdmin(
  info: StackInfo,
  topic: string,
  event: ReturnType<typeof filedForSocialServices>,
  tamper?: (data: Record<string, unknown>) => void,
): Promise<void> {
  const encoded = encodeCloudEvent(event);
  let value = encoded.value;
  if (tamper) {
    const data = JSON.parse(value) as Record<string, unknown>;
    tamper(data);
    value = JSON.stringify(data);
  }
  const outcome = await probeProduce(
    { brokers: info.kafka.brokers, username: info.kafka.admin.username, password: info.kafka.admin.password },
    topic,
    [{ key: encoded.key, value, headers: encoded.headers }],
  );
  if (!outcome.allowed)
    throw new Error(`producing to ${topic} failed: ${outcome.errorType} ${outcome.message}`);
}

/** The poison message; returns its event id so a caller can find it among the dead letters. */
export async function producePoisonMessage(info: StackInfo): Promise<{ eventId: string; topic: string }> {
  const event = filedForSocialServices();
  await produceAsAdmin(info, POISON_TOPIC, event, (data) => {
    const child = data.child as { personnummer: string };
    child.personnummer = withBrokenCheckDigit(child.personnummer);
  });
  return { eventId: event.id, topic: POISON_TOPIC };
}
