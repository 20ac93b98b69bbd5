import { Inject, Injectable } from '@nestjs/common';
import { type Audience, type Decision, PolicyError } from '@samverkan/contracts';
import { PermanentError, type ProcessorInput, type ProcessorOutput } from '@samverkan/messaging';
import { DataSource } from 'typeorm';
import { RouterKeys } from '../config/router-keys';
import { ConsentStore } from '../consents/consent-store';
import { DisclosureLog } from '../disclosures/disclosure-log';
import { RouterMetrics } from '../metrics/router-metrics';
import { personnummerOf, routeEvent } from './route-event';
import { RouterTopics } from './router-topics';

export enum RoutingErrorCode {
  NOT_A_SOURCE_TOPIC = 'ROUTER_NOT_A_SOURCE_TOPIC',
  POLICY = 'ROUTER_POLICY_ERROR',
}

/**
 * The transform of the router's consume-transform-produce loop, one source event at a time.
 *
 * ORDERING BETWEEN THE DATABASE AND KAFKA. Per event, one database transaction: apply the event to
 * the consent state (if it is a consent event), load the child's consents, decide every audience,
 * write the decisions to the disclosure log; commit. Only then are the copies handed back to the
 * processor, which sends them inside the Kafka transaction of the batch and commits that transaction
 * together with the consumed offsets after the last event of the batch.
 *
 * So the database always commits first. A crash (or a fenced or aborted Kafka transaction) between
 * the two leaves decisions in the log for events whose copies never became visible; Kafka then
 * redelivers them from the last committed offset. The replay finds its decisions already recorded
 * and delivers exactly those (it does not decide again: the consent state or the clock may have
 * moved since), and its writes are all no-ops: the log is unique on (event id, audience) with ON
 * CONFLICT DO NOTHING, consent upserts are keyed by consent id and keep a withdrawal's first
 * instant. The replay rewrites nothing, and what the log says was delivered is what the audiences
 * see once, read_committed. The opposite order (Kafka first) could deliver data with no log entry.
 *
 * The log may therefore briefly hold a delivery that is not yet visible (until the replay commits):
 * it errs towards recording a disclosure, never towards an unrecorded one.
 */
@Injectable()
export class RoutingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly consents: ConsentStore,
    private readonly log: DisclosureLog,
    private readonly metrics: RouterMetrics,
    @Inject(RouterKeys) private readonly keys: RouterKeys,
    @Inject(RouterTopics) private readonly topics: RouterTopics,
  ) {}

  async route(input: ProcessorInput): Promise<ProcessorOutput[]> {
    const { event, topic, partition, offset } = input;
    const producer = this.topics.producerOf(topic);
    if (producer === undefined) {
      throw new PermanentError(`${topic} is not a source topic`, RoutingErrorCode.NOT_A_SOURCE_TOPIC);
    }
    const personnummer = personnummerOf(event);
    const child = personnummer === undefined ? undefined : this.keys.internalPseudonym(personnummer);
    try {
      const { copies, written } = await this.dataSource.transaction(async (manager) => {
        const now = new Date();
        const recorded = await this.log.recordedDecisions(manager, event.id);
        await this.consents.apply(manager, event, producer, child, now);
        const consents = child === undefined ? [] : await this.consents.forChild(manager, child);
        const route = (decided: ReadonlyMap<Audience, Decision>) =>
          routeEvent({
            event,
            producer,
            consents,
            recorded: decided,
            keys: this.keys,
            topics: this.topics,
            now,
          });
        const result = route(recorded);
        const source = { event, producer, child, topic, partition, offset };
        const lost = await this.log.record(manager, source, result.fresh);
        if (lost.length === 0) return { copies: result.copies, written: result.fresh };
        // Another router instance recorded this event between our read and our write (during a
        // rebalance): deliver what it recorded, so the log and the audiences agree.
        const again = route(await this.log.recordedDecisions(manager, event.id));
        return { copies: again.copies, written: result.fresh.filter((d) => !lost.includes(d.audience)) };
      });
      this.metrics.countDecisions(written);
      return copies.map((copy) => ({ topic: copy.topic, event: copy.event }));
    } catch (error) {
      if (error instanceof PolicyError) {
        // A programming error in the policy or its use: retrying cannot fix it; operations sees it on the DLQ.
        this.metrics.deadLettered.inc({ code: error.code });
        throw new PermanentError(error.message, error.code);
      }
      throw error;
    }
  }
}
