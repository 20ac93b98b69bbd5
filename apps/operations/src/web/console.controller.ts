import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@samverkan/auth';
import type { Response } from 'express';
import { join } from 'node:path';
import { CONSOLE_ASSETS, CONSOLE_CSP, consoleAssetsDir } from './console-assets';

/**
 * GET /console (the page) and its assets. Public, because the files carry no data; every figure the
 * page shows comes from the API, which needs an operator token. `/` redirects here.
 */
@ApiExcludeController()
@Controller()
export class ConsoleController {
  private readonly dir = consoleAssetsDir();

  @Public()
  @Get()
  root(@Res() res: Response): void {
    res.redirect(302, '/console');
  }

  @Public()
  @Get('console')
  page(@Res() res: Response): void {
    // Express matches /console and /console/ alike; the page therefore refers to its assets by
    // absolute path (/console/app.js), so either URL works.
    this.send(res, 'index.html');
  }

  @Public()
  @Get('console/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    this.send(res, file);
  }

  @Public()
  @Get('console/views/:file')
  view(@Param('file') file: string, @Res() res: Response): void {
    this.send(res, `views/${file}`);
  }

  private send(res: Response, name: string): void {
    // Only names on the list: a path from the URL never reaches the file system otherwise.
    const type = Object.prototype.hasOwnProperty.call(CONSOLE_ASSETS, name)
      ? CONSOLE_ASSETS[name]
      : undefined;
    if (!type) throw new NotFoundException();
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    // The page changes with the app; a stale cached script talking to a newer API helps nobody.
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(this.dir, name), { dotfiles: 'deny' });
  }
}
