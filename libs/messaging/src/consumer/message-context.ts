import type { CloudEvent, EventMap, EventType } from '@samverkan/contracts';
import type { EntityManager } from 'typeorm';

/** What a handler knows about the message it handles. */
export interface MessageContext<T extends EventType = EventType> {
  /** The decoded, validated envelope. */
  readonly event: CloudEvent<T, EventMap[T]>;
  /** The EntityManager of the transaction that also records the event in the inbox: write effects with it. */
  readonly manager: EntityManager;
  readonly consumerGroup: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** 1 on the first delivery to the handler, 2 on the first retry, ... */
  readonly attempt: number;
}

export type EventHandler<T extends EventType = EventType> = (
  data: EventMap[T],
  context: MessageContext<T>,
) => Promise<void> | void;

/** A handler per event type, typed by the contracts' event map. */
export type EventHandlers = { [T in EventType]?: EventHandler<T> };

/**
 * What a batch handler knows: a run of consecutive events of one type from one partition, in order,
 * and the transaction that also records them in the inbox. Positions are per event, same order.
 */
export interface BatchMessageContext<T extends EventType = EventType> {
  readonly events: ReadonlyArray<CloudEvent<T, EventMap[T]>>;
  readonly manager: EntityManager;
  readonly consumerGroup: string;
  readonly topic: string;
  readonly partition: number;
  readonly offsets: readonly string[];
  /** 1 on the first delivery; a batch handler called for a retry gets one event and its attempt. */
  readonly attempt: number;
}
