import { Inject, Injectable } from '@nestjs/common';
import {
  createEvent,
  eventSourceFor,
  type ChildIdentity,
  type CloudEvent,
  type EventMap,
  type EventType,
} from '@samverkan/contracts';
import type { SocialServicesEnv } from '../config/social-services.env';
import { SOCIAL_SERVICES_ENV } from './social-services.tokens';

export const SOCIAL_SERVICES_SOURCE = eventSourceFor('social-services');

/** Builds this service's events: its source, the deployment's municipality, the child's subject id. */
@Injectable()
export class EventFactory {
  constructor(@Inject(SOCIAL_SERVICES_ENV) private readonly env: SocialServicesEnv) {}

  get municipality(): string {
    return this.env.MUNICIPALITY;
  }

  create<T extends EventType>(type: T, subject: string, data: EventMap[T]): CloudEvent<T, EventMap[T]> {
    return createEvent(type, {
      source: SOCIAL_SERVICES_SOURCE,
      subject,
      municipality: this.env.MUNICIPALITY,
      data,
    });
  }
}

/** The child as events carry it: the personnummer and the protected-identity flag, no name. */
export function childIdentity(personnummer: string, protectedIdentity: boolean): ChildIdentity {
  return { personnummer, protectedIdentity };
}
