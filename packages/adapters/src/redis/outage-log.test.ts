import { expect, test } from 'bun:test';
import { recordingLogger } from '../../test/support/recording-logger.ts';
import { createOutageLog } from './outage-log.ts';

const setup = (intervalMs?: number) => {
  let now = 0;
  const logger = recordingLogger();
  const log = createOutageLog({
    logger,
    message: 'down',
    recoveredMessage: 'up',
    intervalMs,
    now: () => now,
  });
  return { logger, log, advance: (ms: number) => (now += ms) };
};

test('an outage warns once per interval, then says how many failures it left out', () => {
  const { logger, log, advance } = setup(10_000);
  log.failed({ operation: 'get' });
  for (let i = 0; i < 5; i++) log.failed();
  advance(9_999);
  log.failed();
  expect(logger.entries).toHaveLength(1);
  advance(1);
  log.failed({ operation: 'set' });
  expect(logger.entries.map((e) => [e.level, e.message, e.fields])).toEqual([
    ['warn', 'down', { operation: 'get' }],
    ['warn', 'down', { operation: 'set', suppressed: 6 }],
  ]);
});

test('the all-clear is logged once, only after a reported outage, and re-arms the warning', () => {
  const { logger, log } = setup(Number.POSITIVE_INFINITY);
  log.recovered();
  log.failed();
  log.failed();
  log.recovered();
  log.recovered();
  log.failed();
  expect(logger.entries.map((e) => e.message)).toEqual(['down', 'up', 'down']);
});
