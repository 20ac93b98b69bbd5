import { Inject, Injectable } from '@nestjs/common';
import {
  createEvent,
  eventSourceFor,
  type CloudEvent,
  type EventMap,
  type EventType,
} from '@samverkan/contracts';
import type { LeisureEnv } from '../config/leisure.env';
import { LEISURE_ENV } from './leisure.tokens';

export const LEISURE_SOURCE = eventSourceFor('leisure');

/**
 * Builds leisure's events: its source and the deployment's municipality. The subject is the course
 * id for course events and the participant's opaque subject id for participant events.
 */
@Injectable()
export class EventFactory {
  constructor(@Inject(LEISURE_ENV) private readonly env: LeisureEnv) {}

  get municipality(): string {
    return this.env.MUNICIPALITY;
  }

  create<T extends EventType>(type: T, subject: string, data: EventMap[T]): CloudEvent<T, EventMap[T]> {
    return createEvent(type, { source: LEISURE_SOURCE, subject, municipality: this.env.MUNICIPALITY, data });
  }
}
