import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import {
  AUDIENCES,
  audienceTopic,
  EVENT_TYPES,
  personalDataOf,
  PRODUCERS_OF,
  SHARING_POLICY,
  sourceTopic,
  type EventType,
} from '@samverkan/contracts';
import { expectedGroups } from '../consumer-groups/expected-groups';

/** The generated, checked-in JSON Schemas of libs/contracts (one file per event type). */
const SCHEMA_DIR = resolve(__dirname, '..', '..', '..', '..', 'libs', 'contracts', 'schemas');

function schemaOf(type: EventType): unknown {
  const file = join(SCHEMA_DIR, `${type}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown) : null;
}

/**
 * Every event type with its schema, producers (PRODUCERS_OF), audiences and how each receives it (the
 * sharing policy), and the consumer groups that read it. Built once: all of it is reviewed data.
 */
@Injectable()
export class CatalogService {
  private readonly catalog = EVENT_TYPES.map((type) => {
    const audiences = AUDIENCES.map((audience) => {
      const rule = SHARING_POLICY[type][audience];
      return {
        audience,
        topic: audienceTopic(audience),
        outcome: rule.outcome,
        legalBasis: rule.outcome === 'withheld' ? null : rule.legalBasis,
        withheldReason: rule.outcome === 'withheld' ? rule.reason : null,
        consentRequired: 'consentRequired' in rule && rule.consentRequired ? rule.consentRequired.informationKind : null,
        note: rule.note ?? null,
      };
    });
    const producers = [...PRODUCERS_OF[type]];
    const topics = new Set([
      ...producers.map((p) => sourceTopic(p)),
      ...audiences.filter((a) => a.outcome !== 'withheld').map((a) => a.topic),
    ]);
    return {
      type,
      producers,
      sourceTopics: producers.map((p) => sourceTopic(p)),
      audiences,
      consumerGroups: expectedGroups()
        .filter((g) => g.topics.some((t) => topics.has(t)))
        .map((g) => g.groupId),
      personalDataFields: personalDataOf(type),
      schema: schemaOf(type),
    };
  });

  all() {
    return { eventTypes: this.catalog };
  }
}
