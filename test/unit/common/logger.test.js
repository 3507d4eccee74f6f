// DefaultLogger levels and withLogMetadata: attributes are merged (call site wins), and entries a
// DefaultLogger would drop are dropped before the attributes are computed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DefaultLogger, withLogMetadata } from '../../../dist/common/logger.js';

function capturing(level) {
  const entries = [];
  return { entries, logger: new DefaultLogger(level, (entry) => entries.push(entry)) };
}

describe('DefaultLogger', () => {
  it('drops entries below its level and keeps attributes of the others', () => {
    const { entries, logger } = capturing('WARN');
    logger.info('dropped');
    logger.warn('kept', { attempt: 3 });
    logger.log('ERROR', 'also kept');
    assert.deepEqual(entries.map((e) => [e.level, e.message, e.meta]), [['WARN', 'kept', { attempt: 3 }], ['ERROR', 'also kept', undefined]]);
  });

  it('rejects an unknown level', () => {
    assert.throws(() => new DefaultLogger('LOUD'), /DefaultLogger level must be one of TRACE, DEBUG, INFO, WARN, ERROR, got LOUD/);
  });
});

describe('withLogMetadata', () => {
  it('adds its attributes to every entry; attributes given at the call site win', () => {
    const { entries, logger } = capturing('TRACE');
    const log = withLogMetadata(withLogMetadata(logger, { taskQueue: 'orders', source: 'outer' }), () => ({ activityId: '7', source: 'inner' }));
    log.debug('started', { source: 'call' });
    log.log('INFO', 'done');
    assert.deepEqual(entries.map((e) => [e.level, e.message, e.meta]), [
      ['DEBUG', 'started', { taskQueue: 'orders', activityId: '7', source: 'call' }],
      ['INFO', 'done', { taskQueue: 'orders', activityId: '7', source: 'inner' }],
    ]);
  });

  it('does not compute attributes for entries a DefaultLogger underneath would drop', () => {
    const { entries, logger } = capturing('WARN');
    let computed = 0;
    const log = withLogMetadata(withLogMetadata(logger, { sdkComponent: 'worker' }), () => ({ n: ++computed }));
    log.trace('t');
    log.debug('d');
    log.info('i');
    log.log('DEBUG', 'd2');
    assert.equal(computed, 0);
    log.warn('w');
    log.log('ERROR', 'e');
    assert.equal(computed, 2);
    assert.deepEqual(entries.map((e) => [e.level, e.meta]), [['WARN', { sdkComponent: 'worker', n: 1 }], ['ERROR', { sdkComponent: 'worker', n: 2 }]]);
  });

  it('hands every entry to a logger whose level it cannot know', () => {
    const seen = [];
    const custom = { log: (level, message, meta) => seen.push([level, message, meta]) };
    for (const level of ['trace', 'debug', 'info', 'warn', 'error']) custom[level] = (message, meta) => custom.log(level.toUpperCase(), message, meta);
    withLogMetadata(custom, { a: 1 }).trace('fine-grained');
    assert.deepEqual(seen, [['TRACE', 'fine-grained', { a: 1 }]]);
  });
});
