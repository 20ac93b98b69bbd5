import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule, type AuthConfig } from '@samverkan/auth';
import { ServiceKitModule } from '@samverkan/platform';
import { hostname } from 'node:os';
import { type RouterEnv } from './config/router.env';
import { loadRouterKeys, RouterKeys } from './config/router-keys';
import { ConsentState } from './consents/consent-state.entity';
import { ConsentStore } from './consents/consent-store';
import { DisclosureLog } from './disclosures/disclosure-log';
import { DisclosureRecord } from './disclosures/disclosure-record.entity';
import { DisclosureSearchService } from './disclosures/disclosure-search.service';
import { DisclosuresController } from './disclosures/disclosures.controller';
import { MetricsController } from './metrics/metrics.controller';
import { RouterMetrics } from './metrics/router-metrics';
import { ROUTER_MIGRATIONS } from './migrations';
import { RouterProcessor } from './routing/router-processor';
import { ROUTER_SETTINGS, type RouterSettings } from './routing/router-settings';
import { RouterTopics } from './routing/router-topics';
import { RoutingService } from './routing/routing.service';

export const ROUTER_ENTITIES = [ConsentState, DisclosureRecord];

export interface RouterModuleOptions {
  /** Defaults to the AUTH_* environment (see @samverkan/auth). */
  auth?: AuthConfig;
}

/**
 * The router: no outbox and no inbox (it consumes through the transactional processor and writes
 * Kafka only inside its transactions), its own database for consents and the disclosure log, and a
 * small HTTP API (disclosure search, health, metrics).
 */
@Module({})
export class RouterModule {
  static forRoot(env: RouterEnv, options: RouterModuleOptions = {}): DynamicModule {
    // Fails the boot on a missing, unreadable or short key; the key is never logged.
    const keys = loadRouterKeys(env);
    const settings: RouterSettings = {
      consumerGroup: env.ROUTER_CONSUMER_GROUP,
      instanceId: env.ROUTER_INSTANCE_ID ?? hostname(),
      topicNamespace: env.ROUTER_TOPIC_NAMESPACE,
      maxBufferedOutputs: env.ROUTER_MAX_BUFFERED_OUTPUTS,
    };
    return {
      module: RouterModule,
      imports: [
        ServiceKitModule.forService({
          service: 'router',
          env,
          entities: ROUTER_ENTITIES,
          migrations: ROUTER_MIGRATIONS,
          publishes: false,
          consumes: false,
        }),
        AuthModule.forRoot({ config: options.auth }),
      ],
      controllers: [DisclosuresController, MetricsController],
      providers: [
        { provide: RouterKeys, useValue: keys },
        { provide: ROUTER_SETTINGS, useValue: settings },
        { provide: RouterTopics, useValue: new RouterTopics(settings.topicNamespace) },
        RouterMetrics,
        ConsentStore,
        DisclosureLog,
        DisclosureSearchService,
        RoutingService,
        RouterProcessor,
      ],
    };
  }
}
