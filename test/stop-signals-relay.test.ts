import { describe, expect, it } from 'vitest';
import { relayedByNpm } from '../server/lifecycle/stop-signals.ts';

describe('a server started through npm knows npm relays its signals', () => {
  it.each([
    [
      'npm start in the repo',
      {
        npm_lifecycle_event: 'start',
        npm_lifecycle_script: 'exec node --import ./lib/typescript-loader.mjs server/main.ts',
      },
      true,
    ],
    [
      'npx looplab serve',
      { npm_lifecycle_event: 'npx', npm_lifecycle_script: 'looplab serve --workload-file ./mine.js' },
      true,
    ],
    ["a user's own script", { npm_lifecycle_event: 'lab', npm_lifecycle_script: 'looplab serve' }, true],
    ['node by hand', {}, false],
    [
      'npx looplab loadtest',
      { npm_lifecycle_event: 'npx', npm_lifecycle_script: 'looplab loadtest --target x' },
      false,
    ],
  ])('%s', (_name, env, relayed) => {
    expect(relayedByNpm(env)).toBe(relayed);
  });
});
