import { Session } from 'node:inspector';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

// Loaded with -r into processes named in BENCH_PROFILE (see processes.ts). Node's own --cpu-prof
// writes only on a normal exit, and Nest's shutdown hooks end the process by re-raising SIGTERM, so
// the profile is taken here and written synchronously when SIGTERM or SIGINT arrives (the same-thread
// inspector session answers synchronously), before Nest's own listener closes the app.

const target = process.env.BENCH_PROFILE_FILE;
if (target) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  let written = false;
  const write = (): void => {
    if (written) return;
    written = true;
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, JSON.stringify(result.profile));
    });
  };
  process.prependListener('SIGTERM', write);
  process.prependListener('SIGINT', write);
}
