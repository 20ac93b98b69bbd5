import { INestApplication, Logger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppErrorFilter } from '../errors/app-error.filter';
import { createValidationPipe } from '../validation/validation.pipe';

export interface HttpServiceOptions {
  name: string;
  description: string;
  port: number;
  /** 127.0.0.1 locally; 0.0.0.0 in containers. */
  host?: string;
  /** Adds a bearer-JWT security scheme to the OpenAPI document. */
  bearerAuth?: boolean;
}

/** The pipes, filter and OpenAPI document every HTTP app of the hub shares. */
export function configureHttpApp(app: INestApplication, options: Omit<HttpServiceOptions, 'port'>): void {
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AppErrorFilter());
  app.enableShutdownHooks();
  const builder = new DocumentBuilder()
    .setTitle(`Samverkan hub — ${options.name}`)
    .setDescription(options.description);
  if (options.bearerAuth !== false) builder.addBearerAuth();
  const document = SwaggerModule.createDocument(app, builder.build());
  SwaggerModule.setup('docs', app, document);
}

export async function bootstrapHttpService(
  module: Type<unknown>,
  options: HttpServiceOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create(module, { bufferLogs: false });
  configureHttpApp(app, options);
  const host = options.host ?? '127.0.0.1';
  await app.listen(options.port, host);
  new Logger(options.name).log(`listening on http://${host}:${options.port} (OpenAPI at /docs)`);
  return app;
}
