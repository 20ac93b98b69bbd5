import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { logLevelsFrom, type LogLevel } from '@samverkan/config';
import { SamverkanKafkaTransport } from '@samverkan/messaging';
import { configureHttpApp } from '../bootstrap/bootstrap-http-service';

export interface BootstrapServiceOptions {
  name: string;
  description: string;
  port: number;
  host?: string;
  /** The app's validated LOG_LEVEL: this level and every more severe one are logged. Default `log`. */
  logLevel?: LogLevel;
}

/**
 * Starts a domain app: HTTP (validation, error mapping, OpenAPI at /docs), and, when the module
 * configured a consumer, the consumer kit as a Nest microservice so @EventPattern handlers run.
 */
export async function bootstrapService(
  module: Parameters<typeof NestFactory.create>[0],
  options: BootstrapServiceOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create(module, {
    bufferLogs: false,
    logger: logLevelsFrom(options.logLevel ?? 'log'),
    // Errors reach main(), which logs them by class (never a message that might hold data) and exits.
    abortOnError: false,
  });
  await startService(app, options);
  return app;
}

/** The same on an app built elsewhere (e2e tests build theirs from a TestingModule). */
export async function startService(app: INestApplication, options: BootstrapServiceOptions): Promise<void> {
  configureHttpApp(app, options);
  const transport = consumerTransportOf(app);
  if (transport) {
    app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  const host = options.host ?? '127.0.0.1';
  await app.listen(options.port, host);
  new Logger(options.name).log(
    `listening on http://${host}:${options.port} (OpenAPI at /docs, health at /health)`,
  );
}

/** The consumer kit's transport when the module configured a consumer; an HTTP-only app has none. */
function consumerTransportOf(app: INestApplication): SamverkanKafkaTransport | undefined {
  try {
    return app.get(SamverkanKafkaTransport, { strict: false });
  } catch {
    return undefined;
  }
}
