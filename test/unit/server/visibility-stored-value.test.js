// Visibility: conversion of client search-attribute values to what the JSON column stores.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  EXECUTION_STATUS_VALUES,
  InvalidSearchAttributeValueError,
  executionStatusName,
  toStoredSearchAttributeValue,
} from '../../../dist/server/visibility/index.js';

const T0 = Date.UTC(2024, 0, 1);

function rejects(name, type, value, pattern) {
  assert.throws(
    () => toStoredSearchAttributeValue(name, type, value),
    (err) => {
      assert.ok(err instanceof InvalidSearchAttributeValueError, String(err));
      assert.equal(err.name, 'InvalidSearchAttributeValueError');
      assert.equal(err.attributeName, name);
      assert.match(err.message, pattern);
      return true;
    },
  );
}

describe('toStoredSearchAttributeValue', () => {
  it('Keyword and Text are strings', () => {
    assert.equal(toStoredSearchAttributeValue('K', 'Keyword', 'abc'), 'abc');
    assert.equal(toStoredSearchAttributeValue('T', 'Text', 'Hello world'), 'Hello world');
    rejects('K', 'Keyword', 5, /^invalid value for search attribute 'K': expected a string for Keyword attribute, got 5$/);
    rejects('T', 'Text', { a: 1 }, /expected a string for Text attribute, got \{"a":1\}/);
  });

  it('Int accepts safe integers and integer strings; Double finite numbers', () => {
    assert.equal(toStoredSearchAttributeValue('I', 'Int', 42), 42);
    assert.equal(toStoredSearchAttributeValue('I', 'Int', '-7'), -7);
    assert.equal(toStoredSearchAttributeValue('I', 'Int', 9n), 9);
    rejects('I', 'Int', 1.5, /expected an integer for Int attribute, got 1.5/);
    rejects('I', 'Int', '12a', /expected an integer/);
    rejects('I', 'Int', 2 ** 60, /expected an integer/);
    assert.equal(toStoredSearchAttributeValue('D', 'Double', 0.25), 0.25);
    assert.equal(toStoredSearchAttributeValue('D', 'Double', 3), 3);
    rejects('D', 'Double', '0.25', /expected a finite number for Double attribute/);
    rejects('D', 'Double', Number.POSITIVE_INFINITY, /expected a finite number/);
  });

  it('Bool is a boolean', () => {
    assert.equal(toStoredSearchAttributeValue('B', 'Bool', true), true);
    assert.equal(toStoredSearchAttributeValue('B', 'Bool', false), false);
    rejects('B', 'Bool', 'true', /expected true or false for Bool attribute, got "true"/);
  });

  it('Datetime becomes epoch milliseconds from RFC 3339 strings, Dates and numbers', () => {
    assert.equal(toStoredSearchAttributeValue('T', 'Datetime', '2024-01-01T00:00:00Z'), T0);
    assert.equal(toStoredSearchAttributeValue('T', 'Datetime', '2024-01-01T00:00:00.123456789Z'), T0 + 123);
    assert.equal(toStoredSearchAttributeValue('T', 'Datetime', '2024-01-01T01:30:00+01:30'), T0);
    assert.equal(toStoredSearchAttributeValue('T', 'Datetime', '2023-12-31T23:00:00-01:00'), T0);
    assert.equal(toStoredSearchAttributeValue('T', 'Datetime', '0001-01-01T00:00:00Z'), new Date('0001-01-01T00:00:00Z').getTime());
    assert.equal(toStoredSearchAttributeValue('T', 'Datetime', new Date(T0 + 5)), T0 + 5);
    assert.equal(toStoredSearchAttributeValue('T', 'Datetime', T0 + 7), T0 + 7);
    rejects('T', 'Datetime', '2024-01-01', /expected an RFC 3339 timestamp, a Date or epoch milliseconds for Datetime attribute/);
    rejects('T', 'Datetime', '2024-13-01T00:00:00Z', /expected an RFC 3339 timestamp/);
    rejects('T', 'Datetime', '2024-01-01T24:00:00Z', /expected an RFC 3339 timestamp/);
    rejects('T', 'Datetime', new Date(Number.NaN), /expected an RFC 3339 timestamp/);
  });

  it('KeywordList is an array of strings; a single string becomes a one-element list', () => {
    assert.deepEqual(toStoredSearchAttributeValue('L', 'KeywordList', ['a', 'b']), ['a', 'b']);
    assert.deepEqual(toStoredSearchAttributeValue('L', 'KeywordList', 'a'), ['a']);
    rejects('L', 'KeywordList', ['a', 1], /expected a string or an array of strings for KeywordList attribute, got \["a",1\]/);
    rejects('L', 'KeywordList', 3, /expected a string or an array of strings/);
  });

  it('scalar types accept a one-element array (the untyped SDK encoding) but not more', () => {
    assert.equal(toStoredSearchAttributeValue('K', 'Keyword', ['abc']), 'abc');
    assert.equal(toStoredSearchAttributeValue('I', 'Int', [3]), 3);
    assert.equal(toStoredSearchAttributeValue('T', 'Datetime', ['2024-01-01T00:00:00Z']), T0);
    rejects('K', 'Keyword', ['a', 'b'], /Keyword attribute takes a single value, got \["a","b"\]/);
  });

  it('null, undefined and empty arrays mean "no value"', () => {
    assert.equal(toStoredSearchAttributeValue('K', 'Keyword', null), null);
    assert.equal(toStoredSearchAttributeValue('K', 'Keyword', undefined), null);
    assert.equal(toStoredSearchAttributeValue('L', 'KeywordList', []), null);
    assert.equal(toStoredSearchAttributeValue('I', 'Int', []), null);
  });
});

describe('execution status names', () => {
  it('maps names to enum values and back', () => {
    assert.equal(EXECUTION_STATUS_VALUES.get('ContinuedAsNew'), 6);
    assert.equal(executionStatusName(1), 'Running');
    assert.equal(executionStatusName(7), 'TimedOut');
    assert.equal(executionStatusName(0), undefined);
  });
});
