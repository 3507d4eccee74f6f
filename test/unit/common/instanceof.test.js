// Branded error classes: instanceof works across module copies, realms and the official SDK.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import vm from 'node:vm';
import * as official from '@temporalio/common';
import * as ours from '../../../dist/common/index.js';

const failureUrl = new URL('../../../dist/common/failure.js', import.meta.url);
const errorsUrl = new URL('../../../dist/common/errors.js', import.meta.url);

const FAILURE_CLASSES = [
  'TemporalFailure', 'ApplicationFailure', 'ActivityFailure', 'ChildWorkflowFailure', 'CancelledFailure',
  'TerminatedFailure', 'TimeoutFailure', 'ServerFailure', 'NexusOperationFailure',
];
const ERROR_CLASSES = [
  'ValueError', 'PayloadConverterError', 'IllegalStateError', 'WorkflowNotFoundError', 'NamespaceNotFoundError',
  'WorkflowExecutionAlreadyStartedError', 'DeterminismViolationError', 'WorkflowError', 'CompleteAsyncError',
];

function instantiate(lib, name) {
  switch (name) {
    case 'ActivityFailure': return new lib.ActivityFailure('m', 'type', 'id', 'TIMEOUT', 'me');
    case 'ChildWorkflowFailure': return new lib.ChildWorkflowFailure('ns', { workflowId: 'w' }, 'T', 'TIMEOUT');
    case 'TimeoutFailure': return new lib.TimeoutFailure('m', undefined, 'HEARTBEAT');
    case 'ServerFailure': return new lib.ServerFailure('m', false);
    case 'NexusOperationFailure': return new lib.NexusOperationFailure('m', 1, 'e', 's', 'o', 't');
    case 'WorkflowNotFoundError': return new lib.WorkflowNotFoundError('not found', 'wf', undefined);
    case 'NamespaceNotFoundError': return new lib.NamespaceNotFoundError('ns');
    case 'WorkflowExecutionAlreadyStartedError': return new lib.WorkflowExecutionAlreadyStartedError('started', 'wf', 'T');
    default: return new lib[name]('message');
  }
}

describe('instanceof across copies of the module', () => {
  it('objects from a second import() of failure.js are instances of our classes and vice versa', async () => {
    const copy = await import(`${failureUrl.href}?copy=1`);
    assert.notEqual(copy.ApplicationFailure, ours.ApplicationFailure, 'really a second module instance');
    for (const name of FAILURE_CLASSES) {
      const foreign = instantiate(copy, name);
      assert.equal(foreign instanceof ours[name], true, `${name}: copy → ours`);
      assert.equal(foreign instanceof ours.TemporalFailure, true, `${name}: copy → TemporalFailure`);
      assert.equal(instantiate(ours, name) instanceof copy[name], true, `${name}: ours → copy`);
      assert.equal(foreign instanceof Error, true);
    }
  });

  it('the same holds for errors.js', async () => {
    const copy = await import(`${errorsUrl.href}?copy=2`);
    for (const name of ERROR_CLASSES) {
      assert.equal(instantiate(copy, name) instanceof ours[name], true, `${name}: copy → ours`);
      assert.equal(instantiate(ours, name) instanceof copy[name], true, `${name}: ours → copy`);
    }
  });

  it('a plain object carrying the Symbol.for brand is recognised', () => {
    const fake = { [Symbol.for('__temporal_isApplicationFailure')]: true, message: 'x' };
    assert.equal(fake instanceof ours.ApplicationFailure, true);
    assert.equal(fake instanceof ours.CancelledFailure, false);
    assert.equal({} instanceof ours.ApplicationFailure, false);
    assert.equal(null instanceof ours.ApplicationFailure, false);
    assert.equal('ApplicationFailure' instanceof ours.ApplicationFailure, false);
  });

  it('an error created in another realm (vm context) is recognised', () => {
    const foreign = vm.runInNewContext(`
      class CancelledFailure extends Error {}
      Object.defineProperty(CancelledFailure.prototype, Symbol.for('__temporal_isCancelledFailure'), { value: true });
      Object.defineProperty(CancelledFailure.prototype, Symbol.for('__temporal_isTemporalFailure'), { value: true });
      new CancelledFailure('from another realm');
    `);
    assert.equal(foreign instanceof Error, false, 'not an Error of this realm');
    assert.equal(foreign instanceof ours.CancelledFailure, true);
    assert.equal(foreign instanceof ours.TemporalFailure, true);
    assert.equal(ours.isCancellation(foreign), true);
  });
});

describe('instanceof with the official SDK (shared brand keys)', () => {
  for (const name of [...FAILURE_CLASSES, 'ValueError', 'PayloadConverterError', 'IllegalStateError', 'WorkflowNotFoundError', 'NamespaceNotFoundError', 'WorkflowExecutionAlreadyStartedError', 'CompleteAsyncError']) {
    it(`${name}`, () => {
      assert.equal(instantiate(official, name) instanceof ours[name], true, 'official → ours');
      assert.equal(instantiate(ours, name) instanceof official[name], true, 'ours → official');
    });
  }
});

describe('class hierarchy and names', () => {
  it('subclasses are instances of their parents only', () => {
    const app = ours.ApplicationFailure.create({ message: 'x' });
    assert.equal(app instanceof ours.TemporalFailure, true);
    assert.equal(new ours.TemporalFailure('x') instanceof ours.ApplicationFailure, false);
    assert.equal(app instanceof ours.CancelledFailure, false);
    assert.equal(new ours.PayloadConverterError('x') instanceof ours.ValueError, true);
    assert.equal(new ours.ValueError('x') instanceof ours.PayloadConverterError, false);
    assert.equal(new ours.DeterminismViolationError('x') instanceof ours.WorkflowError, true);
    assert.equal(new ours.WorkflowExecutionAlreadyStartedError('m', 'w', 't') instanceof ours.TemporalFailure, true);
  });

  it('an unmarked user subclass falls back to the prototype chain', () => {
    class MyFailure extends ours.ApplicationFailure {}
    const mine = new MyFailure('m');
    assert.equal(mine instanceof MyFailure, true);
    assert.equal(mine instanceof ours.ApplicationFailure, true);
    assert.equal(ours.ApplicationFailure.create({}) instanceof MyFailure, false);
  });

  it('every class has its name on the prototype', () => {
    for (const name of [...FAILURE_CLASSES, ...ERROR_CLASSES]) {
      const err = instantiate(ours, name);
      assert.equal(err.name, name);
    }
  });

  it('errors carry readable messages and fields', () => {
    const nf = new ours.WorkflowNotFoundError('Workflow not found: wf-1', 'wf-1', 'run-1');
    assert.deepEqual([nf.message, nf.workflowId, nf.runId], ['Workflow not found: wf-1', 'wf-1', 'run-1']);
    assert.equal(new ours.NamespaceNotFoundError('prod').message, "Namespace not found: 'prod'");
    const started = new ours.WorkflowExecutionAlreadyStartedError('already started', 'wf', 'MyWorkflow');
    assert.deepEqual([started.workflowId, started.workflowType], ['wf', 'MyWorkflow']);
    const cause = new Error('inner');
    assert.equal(new ours.ValueError('bad', cause).cause, cause);
  });
});
