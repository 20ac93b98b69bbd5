import { Controller, Get, Header, Inject, Res, type Type } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '@samverkan/auth';
import type { Response } from 'express';
import type { Registry } from 'prom-client';

/** An app's metrics provider: its own prom-client registry (not the global one). */
export interface MetricsSource {
  readonly registry: Registry;
}

/**
 * GET /metrics for Prometheus, reading the registry of the app's `source` provider. Public like
 * /health: what a registry holds are counts and times, nothing about a child. `summary` says in
 * the OpenAPI document what this app's metrics are about.
 */
export function createMetricsController(source: Type<MetricsSource>, summary: string): Type<unknown> {
  @ApiTags('metrics')
  @Controller('metrics')
  class MetricsController {
    constructor(@Inject(source) private readonly metrics: MetricsSource) {}

    @Get()
    @Public()
    @Header('Cache-Control', 'no-store')
    @ApiOperation({ summary })
    @ApiProduces('text/plain')
    @ApiOkResponse({ description: 'Prometheus text exposition format' })
    async scrape(@Res() res: Response): Promise<void> {
      const body = await this.metrics.registry.metrics();
      res.setHeader('Content-Type', this.metrics.registry.contentType);
      res.send(body);
    }
  }
  return MetricsController;
}
