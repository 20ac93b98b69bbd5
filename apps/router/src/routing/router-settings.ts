export const ROUTER_SETTINGS = Symbol('ROUTER_SETTINGS');

/** What the routing loop needs from the environment, besides the Kafka client and the keys. */
export interface RouterSettings {
  consumerGroup: string;
  instanceId: string;
  topicNamespace: string;
  maxBufferedOutputs: number;
}
