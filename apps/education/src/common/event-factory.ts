import { Inject, Injectable } from '@nestjs/common';
import {
  createEvent,
  eventSourceFor,
  type CloudEvent,
  type EventMap,
  type EventType,
} from '@samverkan/contracts';
import type { EducationEnv } from '../config/education.env';
import { EDUCATION_ENV } from './education.tokens';

export const EDUCATION_SOURCE = eventSourceFor('education');

/** Builds this service's events: its source, the deployment's municipality, the child's subject id. */
@Injectable()
export class EventFactory {
  constructor(@Inject(EDUCATION_ENV) private readonly env: EducationEnv) {}

  get municipality(): string {
    return this.env.MUNICIPALITY;
  }

  create<T extends EventType>(type: T, subject: string, data: EventMap[T]): CloudEvent<T, EventMap[T]> {
    return createEvent(type, {
      source: EDUCATION_SOURCE,
      subject,
      municipality: this.env.MUNICIPALITY,
      data,
    });
  }
}
