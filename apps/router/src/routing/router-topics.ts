import { AUDIENCES, type Audience, PRODUCER_SERVICES, type ProducerService } from '@samverkan/contracts';

/**
 * The router's topics under a namespace: `samverkan` in a deployment (the names of the topology and
 * its ACLs), a namespace of their own in tests. In: one source topic per producer of the topology.
 * Out: one audience topic per audience; dead letters to `<ns>.dlq.<group>`.
 */
export class RouterTopics {
  constructor(readonly namespace: string) {}

  source(service: ProducerService): string {
    return `${this.namespace}.source.${service}`;
  }

  audience(audience: Audience): string {
    return `${this.namespace}.audience.${audience}`;
  }

  deadLetter(group: string): string {
    return `${this.namespace}.dlq.${group}`;
  }

  get sources(): string[] {
    return PRODUCER_SERVICES.map((service) => this.source(service));
  }

  get audiences(): string[] {
    return AUDIENCES.map((audience) => this.audience(audience));
  }

  /**
   * The producer a source topic belongs to. The topic's ACL authenticates the writer (only
   * `education` may write samverkan.source.education), so this, not `ce_source`, is who produced it.
   */
  producerOf(topic: string): ProducerService | undefined {
    return PRODUCER_SERVICES.find((service) => this.source(service) === topic);
  }
}
