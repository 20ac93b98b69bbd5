import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SamverkanKafkaTransport } from '@samverkan/messaging';
import { configureHttpApp } from '../bootstrap/bootstrap-http-service';

export interface BootstrapServiceOptions {
  name: string;
  description: string;
  port: number;
  host?: string;
}

/**
 * Starts a domain app: HTTP (validation, error mapping, OpenAPI at /docs), and, when the module
 * configured a consumer, the consumer kit as a Nest microservice so @EventPattern handlers run.
 */
export async function bootstrapService(
  module: Parameters<typeof NestFactory.create>[0],
  options: BootstrapServiceOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create(module, { bufferLogs: false });
  await startService(app, options);
  return app;
}

/** The same on an app built elsewhere (e2e tests build theirs from a TestingModule). */
export async function startService(app: INestApplication, options: BootstrapServiceOptions): Promise<void> {
  configureHttpApp(app, options);
  const transport = app.get(SamverkanKafkaTransport, { strict: false });
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
