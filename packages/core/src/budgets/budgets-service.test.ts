import { expect, test } from 'bun:test';
import { utcPeriodStarts } from './budgets-service.ts';

test('days and months start at midnight UTC, whatever the local time zone', () => {
  const lateOnNewYearsEve = Date.UTC(2030, 11, 31, 23, 59, 59, 999);
  expect(utcPeriodStarts(lateOnNewYearsEve)).toEqual({
    day: Date.UTC(2030, 11, 31),
    month: Date.UTC(2030, 11, 1),
  });
  const firstInstantOfYear = Date.UTC(2031, 0, 1);
  expect(utcPeriodStarts(firstInstantOfYear)).toEqual({ day: firstInstantOfYear, month: firstInstantOfYear });
});
