import { audienceTopic, sourceTopic } from '@samverkan/contracts';
import { probeConsume, probeProduce, type AccessOutcome } from '@samverkan/messaging';
import { kafkaConnectionFor, loadStackInfo } from '@samverkan/testing';

/**
 * The topology's ACLs, enforced by the real broker (SASL/SCRAM + StandardAuthorizer).
 *
 * Allowed writes are proven without leaving a record behind: the probe sends one record larger than the
 * broker's max.message.bytes. The broker checks authorization first, so a permitted principal gets
 * MESSAGE_TOO_LARGE (authorized, then rejected for size) while a forbidden one gets
 * TOPIC_AUTHORIZATION_FAILED. Source topics are shared by every test and app in the stack, and a stray
 * probe record there would be routed like a real event.
 */
const OVERSIZED = Buffer.alloc(2 * 1024 * 1024, 0x61);
const runId = `${Date.now().toString(36)}-${process.pid}`;

const info = loadStackInfo();
const as = (service: string) => kafkaConnectionFor(info, service);

function errorTypeOf(outcome: AccessOutcome): string {
  return outcome.allowed ? 'ALLOWED' : outcome.errorType;
}

describe('Kafka ACLs from the topology', () => {
  jest.setTimeout(60_000);

  it('lets education write its own source topic (the broker accepts the principal, then judges the record)', async () => {
    const outcome = await probeProduce(as('education'), sourceTopic('education'), [
      { key: 'probe', value: OVERSIZED },
    ]);
    expect(errorTypeOf(outcome)).toBe('MESSAGE_TOO_LARGE');
  });

  it("denies education writing social-services' source topic", async () => {
    const outcome = await probeProduce(as('education'), sourceTopic('social-services'), [
      { key: 'probe', value: OVERSIZED },
    ]);
    expect(errorTypeOf(outcome)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it("denies leisure writing education's source topic, even a small record", async () => {
    const outcome = await probeProduce(as('leisure'), sourceTopic('education'), [
      { key: 'probe', value: '{}' },
    ]);
    expect(errorTypeOf(outcome)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('denies a producer service writing an audience topic (only the router may)', async () => {
    const outcome = await probeProduce(as('social-services'), audienceTopic('education'), [
      { key: 'probe', value: OVERSIZED },
    ]);
    expect(errorTypeOf(outcome)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('lets reporting read its own audience (a rebuild group under its prefix)', async () => {
    const outcome = await probeConsume(
      as('reporting'),
      audienceTopic('reporting'),
      `reporting.rebuild.acl-test-${runId}`,
    );
    expect(errorTypeOf(outcome)).toBe('ALLOWED');
  });

  it("denies reporting reading education's audience, with a group it may use", async () => {
    const outcome = await probeConsume(
      as('reporting'),
      audienceTopic('education'),
      `reporting.rebuild.acl-test-${runId}-x`,
    );
    expect(errorTypeOf(outcome)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it("denies education reading leisure's audience", async () => {
    const outcome = await probeConsume(as('education'), audienceTopic('leisure'), 'education');
    expect(errorTypeOf(outcome)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('denies operations reading an audience it may only describe', async () => {
    const outcome = await probeConsume(
      as('operations'),
      audienceTopic('social-services'),
      `operations.acl-test-${runId}`,
    );
    expect(errorTypeOf(outcome)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('rejects a principal with the wrong password', async () => {
    const outcome = await probeProduce(
      { ...as('education'), password: 'not-the-password' },
      sourceTopic('education'),
      [{ value: '{}' }],
    );
    expect(outcome.allowed).toBe(false);
    expect(outcome.allowed ? '' : outcome.message).toMatch(/SASL SCRAM SHA256 authentication failed/i);
  });
});
