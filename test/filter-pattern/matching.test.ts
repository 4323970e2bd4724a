// Table test of the evaluator: filter patterns × log events → match or not, per the CloudWatch Logs docs.

import assert from 'node:assert/strict';
import { parseFilterPattern, matchesEvent } from '../../src/detections/filter-pattern/index.js';
import { tableTest } from './table.js';

// The JSON log event of the "Filter pattern syntax" page of the CloudWatch Logs user guide.
const docsEvent = {
  eventType: 'UpdateTrail',
  sourceIPAddress: '111.111.111.111',
  arrayKey: ['value', 'another value'],
  objectList: [
    { name: 'a', id: 1 },
    { name: 'b', id: 2 },
  ],
  SomeObject: null,
  ThisFlag: true,
  'cluster.name': 'c',
};
// The compound-expression event of the same page.
const compoundEvent = {
  user: { id: 1, email: 'John.Stiles@example.com' },
  users: [
    { id: 2, email: 'John.Doe@example.com' },
    { id: 3, email: 'Jane.Doe@example.com' },
  ],
  actions: ['GET', 'PUT', 'DELETE'],
  coordinates: [
    [0, 1, 2],
    [4, 5, 6],
    [7, 8, 9],
  ],
};
const numericEvent = { latency: 600, errorCode: 400, numbers: [5, 2e4], status: '503', code: 'AccessDenied', readOnly: false };
// Shape of the awsdocs "Root user, successful sign-in without MFA" record.
const rootLogin = {
  eventVersion: '1.09',
  userIdentity: { type: 'Root', principalId: '111122223333', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333', accessKeyId: '' },
  eventTime: '2026-03-02T08:59:41Z',
  eventSource: 'signin.amazonaws.com',
  eventName: 'ConsoleLogin',
  awsRegion: 'us-east-1',
  sourceIPAddress: '198.51.100.24',
  requestParameters: null,
  responseElements: { ConsoleLogin: 'Success' },
  additionalEventData: { MobileVersion: 'No', MFAUsed: 'No' },
  eventType: 'AwsConsoleSignIn',
  recipientAccountId: '111122223333',
};

interface Case {
  name: string;
  pattern: string;
  event: unknown;
  match: boolean;
}

const cases: Case[] = [
  // strings, quoted and not, with wildcards at the start / end only
  { name: 'quoted string', pattern: '{ $.eventType = "UpdateTrail" }', event: docsEvent, match: true },
  { name: 'unquoted string', pattern: '{ $.eventType = UpdateTrail }', event: docsEvent, match: true },
  { name: 'no spaces', pattern: '{$.eventType=UpdateTrail}', event: docsEvent, match: true },
  { name: 'case-sensitive value', pattern: '{ $.eventType = "updatetrail" }', event: docsEvent, match: false },
  { name: 'trailing wildcard', pattern: '{ $.eventType = "Update*" }', event: docsEvent, match: true },
  { name: 'leading wildcard', pattern: '{ $.eventType = *Trail }', event: docsEvent, match: true },
  { name: 'wildcard both ends', pattern: '{ $.eventType = "*date*" }', event: docsEvent, match: true },
  { name: 'wildcard in the middle is literal', pattern: '{ $.eventType = "Up*Trail" }', event: docsEvent, match: false },
  { name: 'lone * matches any value', pattern: '{ $.eventType = * }', event: docsEvent, match: true },
  { name: 'lone * needs the field', pattern: '{ $.missing = * }', event: docsEvent, match: false },
  { name: '!= with wildcard, other prefix', pattern: '{ $.sourceIPAddress != 123.123.* }', event: docsEvent, match: true },
  { name: '!= with wildcard, same prefix', pattern: '{ $.sourceIPAddress != 111.111.* }', event: docsEvent, match: false },
  { name: '!= on a missing field does not match', pattern: '{ $.missing != "x" }', event: docsEvent, match: false },
  // arrays, objects, wildcard selectors, bracket keys
  { name: 'array element', pattern: '{ $.arrayKey[0] = "value" }', event: docsEvent, match: true },
  { name: 'other array element', pattern: '{ $.arrayKey[1] = "value" }', event: docsEvent, match: false },
  { name: 'index out of range', pattern: '{ $.arrayKey[5] = "value" }', event: docsEvent, match: false },
  { name: 'selector on an array: = never matches', pattern: '{ $.arrayKey = "value" }', event: docsEvent, match: false },
  { name: 'selector on an array: != never matches', pattern: '{ $.arrayKey != "value" }', event: docsEvent, match: false },
  { name: 'selector on an object never matches', pattern: '{ $.objectList[0] != 1 }', event: docsEvent, match: false },
  { name: 'property of an array element', pattern: '{ $.objectList[1].id = 2 }', event: docsEvent, match: true },
  { name: 'property of the wrong element', pattern: '{ $.objectList[1].id = 1 }', event: docsEvent, match: false },
  { name: '[*] selects any element', pattern: '{ $.objectList[*].name = b }', event: docsEvent, match: true },
  { name: '[*] with no element matching', pattern: '{ $.objectList[*].name = z }', event: docsEvent, match: false },
  { name: 'nested arrays', pattern: '{ $.coordinates[2][0] = 7 }', event: compoundEvent, match: true },
  { name: 'bracket notation for a key with a period', pattern: "{ $.['cluster.name'] = \"c\" }", event: docsEvent, match: true },
  // regex values
  { name: 'regex value', pattern: '{ $.eventType = %Trail% }', event: docsEvent, match: true },
  { name: 'anchored regex value', pattern: '{ $.eventType = %^Trail% }', event: docsEvent, match: false },
  { name: 'regex over [*]', pattern: '{ $.arrayKey[*] = %val.{2}% }', event: docsEvent, match: true },
  { name: 'regex over $.*', pattern: '{ $.* = %111\\.111\\.111\\.1[0-9]{1,2}% }', event: docsEvent, match: true },
  { name: '!= regex', pattern: '{ $.eventType != %^Delete% }', event: docsEvent, match: true },
  // IS NULL / NOT EXISTS / IS TRUE / IS FALSE
  { name: 'IS NULL on null', pattern: '{ $.SomeObject IS NULL }', event: docsEvent, match: true },
  { name: 'IS NULL on a string', pattern: '{ $.eventType IS NULL }', event: docsEvent, match: false },
  { name: 'IS NULL on a missing field', pattern: '{ $.Missing IS NULL }', event: docsEvent, match: false },
  { name: 'NOT EXISTS on a missing field', pattern: '{ $.SomeOtherObject NOT EXISTS }', event: docsEvent, match: true },
  { name: 'NOT EXISTS on a null field (it exists)', pattern: '{ $.SomeObject NOT EXISTS }', event: docsEvent, match: false },
  { name: 'NOT EXISTS below a missing parent', pattern: '{ $.a.b.c NOT EXISTS }', event: docsEvent, match: true },
  { name: 'IS TRUE', pattern: '{ $.ThisFlag IS TRUE }', event: docsEvent, match: true },
  { name: 'IS FALSE on true', pattern: '{ $.ThisFlag IS FALSE }', event: docsEvent, match: false },
  { name: 'boolean compared to an unquoted word', pattern: '{ $.readOnly = false }', event: numericEvent, match: true },
  // numbers
  { name: '>= number', pattern: '{ $.latency >= 500 }', event: numericEvent, match: true },
  { name: '< number', pattern: '{ $.latency < 500 }', event: numericEvent, match: false },
  { name: 'signed decimal', pattern: '{ $.latency > +599.5 }', event: numericEvent, match: true },
  { name: 'scientific notation', pattern: '{ $.numbers[1] = 2e+4 }', event: numericEvent, match: true },
  { name: 'negative exponent', pattern: '{ $.numbers[0] < 10e-3 }', event: numericEvent, match: false },
  { name: '= number', pattern: '{ $.errorCode = 400 }', event: numericEvent, match: true },
  { name: '!= number', pattern: '{ $.errorCode != 500 }', event: numericEvent, match: true },
  { name: 'numeric string compares as a number', pattern: '{ $.status >= 500 }', event: numericEvent, match: true },
  { name: 'non-numeric string is never > a number', pattern: '{ $.code > 1 }', event: numericEvent, match: false },
  { name: 'non-numeric string != a number', pattern: '{ $.code != 500 }', event: numericEvent, match: true },
  // compound expressions: the four documented examples, precedence () > && > ||
  { name: 'docs: && with parentheses', pattern: '{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', event: compoundEvent, match: true },
  { name: 'docs: || of a false && and a false term', pattern: '{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', event: compoundEvent, match: false },
  { name: 'docs: && binds tighter than ||', pattern: '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }', event: compoundEvent, match: true },
  { name: 'docs: parentheses override precedence', pattern: '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }', event: compoundEvent, match: false },
  { name: 'nested parentheses', pattern: '{ ((($.user.id = 1))) && (($.actions[0] = GET) || ($.actions[0] = POST)) }', event: compoundEvent, match: true },
  { name: 'multi-line pattern', pattern: '{\n  $.user.id = 1 &&\n  $.actions[1] = "PUT"\n}\n', event: compoundEvent, match: true },
  // JSON patterns on raw lines
  { name: 'JSON pattern on a JSON line', pattern: '{ $.a = 1 }', event: '{"a":1}', match: true },
  { name: 'JSON pattern on a plain-text line', pattern: '{ $.a = 1 }', event: 'a = 1', match: false },
  // unstructured term patterns, evaluated against the event's JSON text
  { name: 'term', pattern: 'ConsoleLogin', event: rootLogin, match: true },
  { name: 'quoted term', pattern: '"ConsoleLogin"', event: rootLogin, match: true },
  { name: 'terms are case-sensitive', pattern: 'consolelogin', event: rootLogin, match: false },
  { name: 'all terms must appear', pattern: 'ConsoleLogin AssumeRole', event: rootLogin, match: false },
  { name: 'optional terms: one appears', pattern: '?AssumeRole ?ConsoleLogin', event: rootLogin, match: true },
  { name: 'optional terms: none appears', pattern: '?AssumeRole ?GetPolicy', event: rootLogin, match: false },
  { name: 'optional terms are ignored next to required ones', pattern: '?AssumeRole ConsoleLogin', event: rootLogin, match: true },
  { name: 'excluded term present', pattern: 'ConsoleLogin -Root', event: rootLogin, match: false },
  { name: 'excluded term absent', pattern: 'ConsoleLogin -AssumedRole', event: rootLogin, match: true },
  { name: 'exact phrase', pattern: '"signin.amazonaws.com"', event: rootLogin, match: true },
  { name: 'standalone regex', pattern: '%Console[A-Z]ogin%', event: rootLogin, match: true },
  { name: 'empty pattern matches everything', pattern: '', event: rootLogin, match: true },
  { name: '" " matches everything', pattern: '" "', event: rootLogin, match: true },
];

tableTest('matchesEvent', cases, (c) => {
  assert.equal(matchesEvent(parseFilterPattern(c.pattern), c.event), c.match);
});
