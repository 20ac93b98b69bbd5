import { Injectable, Logger, Module, type INestApplication, type OnModuleInit } from '@nestjs/common';
import { bootstrapService } from './bootstrap-service';

@Injectable()
class Chatty implements OnModuleInit {
  onModuleInit(): void {
    const logger = new Logger('chatty');
    logger.debug('marker-debug');
    logger.log('marker-log');
    logger.warn('marker-warn');
  }
}

@Module({ providers: [Chatty] })
class ChattyModule {}

describe('bootstrapService log level', () => {
  let written: string[];
  let restore: Array<() => void>;

  beforeEach(() => {
    written = [];
    restore = (['stdout', 'stderr'] as const).map((stream) => {
      const original = process[stream].write.bind(process[stream]);
      // Recorded and passed on: jest's own reporter writes to the same streams.
      process[stream].write = ((chunk: string | Uint8Array, ...rest: never[]) => {
        written.push(chunk.toString());
        return original(chunk, ...rest);
      });
      return () => (process[stream].write = original);
    });
  });

  afterEach(() => restore.forEach((r) => r()));

  const start = async (logLevel?: 'warn' | 'debug'): Promise<INestApplication> =>
    bootstrapService(ChattyModule, { name: 'chatty', description: 'test', port: 0, logLevel });

  it('applies LOG_LEVEL: warn drops log and debug lines', async () => {
    const app = await start('warn');
    await app.close();
    const out = written.join('');
    expect(out).toContain('marker-warn');
    expect(out).not.toContain('marker-log');
    expect(out).not.toContain('marker-debug');
  });

  it('debug keeps debug lines; the default (log) does not', async () => {
    const debugApp = await start('debug');
    await debugApp.close();
    expect(written.join('')).toContain('marker-debug');
    written.length = 0;
    const defaultApp = await start();
    await defaultApp.close();
    expect(written.join('')).toContain('marker-log');
    expect(written.join('')).not.toContain('marker-debug');
  });
});
