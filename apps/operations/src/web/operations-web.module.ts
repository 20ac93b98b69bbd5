import { Module } from '@nestjs/common';
import { ConsoleController } from './console.controller';

/**
 * The operations console's web page: static HTML, CSS and browser modules, served by the operations
 * app itself (no CDN, nothing fetched from the internet at runtime). The page calls the app's JSON API
 * with the operator's bearer token; the assets themselves are public because they hold no data.
 */
@Module({ controllers: [ConsoleController] })
export class OperationsWebModule {}
