// The 5-business-day review rule and the date forms process records accept (weekends, holidays, time zones, day 5 vs day 6).

import assert from 'node:assert/strict';
import { tableTest } from '../filter-pattern/table.js';
import { parseDay, parseDurationSeconds, parseInstant, reviewTiming } from '../../src/model/dates.js';
import type { BusinessCalendar } from '../../src/model/process.js';

const UTC: BusinessCalendar = { timeZone: 'UTC', holidays: [] };
const BERLIN: BusinessCalendar = { timeZone: 'Europe/Berlin', holidays: ['2026-10-03'] };
const ZURICH_KNABENSCHIESSEN: BusinessCalendar = { timeZone: 'Europe/Zurich', holidays: ['2026-09-14'] };
const TOKYO: BusinessCalendar = { timeZone: 'Asia/Tokyo', holidays: [] };

tableTest(
  'review timing',
  [
    // 2026-08-10 is a Monday.
    { name: 'Monday activation, review on day 5 (next Monday) is on time', activation: '2026-08-10T10:00:00Z', review: '2026-08-17', cal: UTC, onTime: true, day: 5, deadline: '2026-08-17' },
    { name: 'Monday activation, review on day 6 (next Tuesday) is late', activation: '2026-08-10T10:00:00Z', review: '2026-08-18', cal: UTC, onTime: false, day: 6, deadline: '2026-08-17' },
    { name: 'same-day review is day 0', activation: '2026-08-10T10:00:00Z', review: '2026-08-10', cal: UTC, onTime: true, day: 0, deadline: '2026-08-17' },
    { name: 'Thursday activation: the weekend does not count, day 5 is next Thursday', activation: '2026-08-13T16:00:00Z', review: '2026-08-20', cal: UTC, onTime: true, day: 5, deadline: '2026-08-20' },
    { name: 'Thursday activation, review next Friday is day 6', activation: '2026-08-13T16:00:00Z', review: '2026-08-21', cal: UTC, onTime: false, day: 6, deadline: '2026-08-20' },
    { name: 'Saturday activation: Monday is day 1, next Friday day 5', activation: '2026-08-15T12:00:00Z', review: '2026-08-21', cal: UTC, onTime: true, day: 5, deadline: '2026-08-21' },
    { name: 'Saturday activation, review the Monday after is day 6', activation: '2026-08-15T12:00:00Z', review: '2026-08-24', cal: UTC, onTime: false, day: 6, deadline: '2026-08-21' },
    { name: 'review on a weekend inside the window counts as on time', activation: '2026-08-12T09:00:00Z', review: '2026-08-16', cal: UTC, onTime: true, day: 2, deadline: '2026-08-19' },
    { name: 'a holiday moves the deadline by one business day', activation: '2026-09-09T13:05:40Z', review: '2026-09-17', cal: ZURICH_KNABENSCHIESSEN, onTime: true, day: 5, deadline: '2026-09-17' },
    { name: 'the same review without the holiday would be late', activation: '2026-09-09T13:05:40Z', review: '2026-09-17', cal: { ...ZURICH_KNABENSCHIESSEN, holidays: [] }, onTime: false, day: 6, deadline: '2026-09-16' },
    { name: 'German Unity Day (Saturday in 2026) changes nothing', activation: '2026-10-01T08:00:00Z', review: '2026-10-08', cal: BERLIN, onTime: true, day: 5, deadline: '2026-10-08' },
    // 23:30Z on Monday is already Tuesday 01:30 in Berlin: the activation day is the Tuesday.
    { name: 'time zone: Monday 23:30Z is Tuesday in Berlin, so a review on the following Tuesday is day 5', activation: '2026-08-10T23:30:00Z', review: '2026-08-18', cal: BERLIN, onTime: true, day: 5, deadline: '2026-08-18' },
    { name: 'time zone: the same instant and review counted in UTC is day 6, late', activation: '2026-08-10T23:30:00Z', review: '2026-08-18', cal: UTC, onTime: false, day: 6, deadline: '2026-08-17' },
    { name: 'time zone: Sunday 20:00Z is Monday 05:00 in Tokyo', activation: '2026-08-16T20:00:00Z', review: '2026-08-24', cal: TOKYO, onTime: true, day: 5, deadline: '2026-08-24' },
    { name: 'a review dated before its activation is not on time', activation: '2026-08-10T10:00:00Z', review: '2026-08-07', cal: UTC, onTime: false, day: 0, deadline: '2026-08-17' },
  ],
  (c) => {
    const t = reviewTiming(c.activation, c.review, c.cal);
    assert.equal(t.deadline, c.deadline, 'deadline');
    assert.equal(t.onTime, c.onTime, 'on time');
    assert.equal(t.businessDays, c.day, 'business day of the review');
  },
);

tableTest(
  'instants: explicit offsets only',
  [
    { name: 'Z', raw: '2026-08-10T10:00:00Z', value: '2026-08-10T10:00:00Z' },
    { name: 'positive offset', raw: '2026-08-10T12:00:00+02:00', value: '2026-08-10T10:00:00Z' },
    { name: 'offset without colon', raw: '2026-08-10T12:00:00+0200', value: '2026-08-10T10:00:00Z' },
    { name: 'fractional seconds', raw: '2026-08-10T10:00:00.250Z', value: '2026-08-10T10:00:00.250Z' },
    { name: 'no time zone is rejected, not guessed', raw: '2026-08-10T10:00:00', error: /no time zone/ },
    { name: 'a date where an instant is needed', raw: '2026-08-10', error: /date without a time/ },
    { name: 'US format', raw: '08/10/2026 10:00', error: /not an ISO 8601 instant/ },
    { name: 'impossible date', raw: '2026-02-30T10:00:00Z', error: /not a real date/ },
    { name: 'impossible hour', raw: '2026-02-10T25:00:00Z', error: /not a real date/ },
  ],
  (c) => {
    const r = parseInstant(c.raw);
    if ('value' in c) assert.equal(r.value, c.value);
    else assert.match(r.error ?? '', c.error);
  },
);

tableTest(
  'days: YYYY-MM-DD, or an instant turned into its day in the calendar time zone',
  [
    { name: 'plain day', raw: '2026-08-10', tz: 'UTC', value: '2026-08-10' },
    { name: 'instant late in the evening UTC is the next day in Berlin', raw: '2026-08-10T23:30:00Z', tz: 'Europe/Berlin', value: '2026-08-11' },
    { name: 'instant with offset, day in UTC', raw: '2026-08-11T00:30:00+02:00', tz: 'UTC', value: '2026-08-10' },
    { name: 'European day order is rejected', raw: '10.08.2026', tz: 'UTC', error: /not a date in the form YYYY-MM-DD/ },
    { name: 'local time without zone is rejected', raw: '2026-08-10 09:00', tz: 'UTC', error: /no time zone/ },
    { name: '31 June does not exist', raw: '2026-06-31', tz: 'UTC', error: /not a real date/ },
  ],
  (c) => {
    const r = parseDay(c.raw, c.tz);
    if ('value' in c) assert.equal(r.value, c.value);
    else assert.match(r.error ?? '', c.error);
  },
);

tableTest(
  'durations',
  [
    { name: 'ISO minutes and seconds', raw: 'PT4M30S' as string | number, value: 270 },
    { name: 'ISO hours', raw: 'PT1H', value: 3600 },
    { name: 'seconds as a number', raw: 200, value: 200 },
    { name: 'free text is rejected', raw: '4 minutes', error: /not an ISO 8601 duration/ },
    { name: 'empty ISO duration is rejected', raw: 'PT', error: /not an ISO 8601 duration/ },
    { name: 'negative seconds are rejected', raw: -5, error: /non-negative/ },
  ],
  (c) => {
    const r = parseDurationSeconds(c.raw);
    if ('value' in c) assert.equal(r.value, c.value);
    else assert.match(r.error ?? '', c.error);
  },
);
