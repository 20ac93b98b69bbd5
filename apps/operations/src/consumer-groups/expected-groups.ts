import { audienceTopic, PRODUCER_SERVICES, sourceTopic, topology, type ServiceName } from '@samverkan/contracts';

export interface ExpectedGroup {
  groupId: string;
  service: ServiceName;
  /** The topics the group reads, per the topology. */
  topics: string[];
}

/** Topics a service's consumer group reads: the router every source topic, a consumer its audience. */
function topicsOf(service: ServiceName): string[] {
  if (service === 'router') return PRODUCER_SERVICES.map((s) => sourceTopic(s));
  return [audienceTopic(service)];
}

/** Every consumer group the topology declares; shown even before Kafka has heard of it. */
export function expectedGroups(): ExpectedGroup[] {
  return topology.principals.flatMap((p) =>
    p.consumerGroups.map((groupId) => ({ groupId, service: p.service, topics: topicsOf(p.service) })),
  );
}
