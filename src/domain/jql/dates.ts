import type { FunctionOperand, ValueOperand } from './ast.js';
import { JqlError } from './errors.js';
import { checkFunction } from './operands.js';

// Date values of `created` and `updated` clauses: absolute dates, Jira periods and the date functions.

const DAY_MS = 86_400_000;
const DATE_FORMATS =
  "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.";

/**
 * A date value as the half-open interval [start, end) it names, in UTC: a day for "2024-05-01",
 * a minute for "2024-05-01 10:00", one millisecond (an instant) for periods and functions.
 * `=` tests membership of the interval; `>`, `>=`, `<`, `<=` compare with its start, as Jira does.
 */
export function dateInterval(item: ValueOperand | FunctionOperand, label: string, now: Date): { start: Date; end: Date } {
  if (item.kind === 'function') {
    const name = checkFunction(item, ['now', 'startOfDay', 'endOfDay'], label);
    if (name === 'now') return instant(now.getTime());
    let base = now.getTime();
    if (item.args.length === 1) {
      const arg = item.args[0].trim();
      const shifted = /^[-+]?[0-9]{1,6}$/.test(arg) ? addPeriod(base, `${arg}d`) : addPeriod(base, arg);
      if (shifted === null) {
        throw new JqlError(`The argument '${item.args[0]}' of the function '${name}' is not a valid period, e.g. '-1d' or '-1'.`);
      }
      base = shifted;
    }
    const startOfDay = Math.floor(base / DAY_MS) * DAY_MS;
    return instant(name === 'startOfDay' ? startOfDay : startOfDay + DAY_MS - 1);
  }
  const text = item.text.trim();
  const absolute = /^([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})(?:\s+([0-9]{1,2}):([0-9]{2}))?$/.exec(text);
  if (absolute) {
    const [year, month, day] = [Number(absolute[1]), Number(absolute[2]), Number(absolute[3])];
    const hasTime = absolute[4] !== undefined;
    const [hour, minute] = hasTime ? [Number(absolute[4]), Number(absolute[5])] : [0, 0];
    const start = Date.UTC(year, month - 1, day, hour, minute);
    const check = new Date(start);
    const valid =
      year >= 1 && check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day &&
      hour < 24 && minute < 60;
    if (valid) return { start: new Date(start), end: new Date(start + (hasTime ? 60_000 : DAY_MS)) };
  } else {
    const relative = addPeriod(now.getTime(), text);
    if (relative !== null) return instant(relative);
  }
  throw new JqlError(`Date value '${item.text}' for field '${label}' is invalid. ${DATE_FORMATS}`);
}

function instant(ms: number): { start: Date; end: Date } {
  return { start: new Date(ms), end: new Date(ms + 1) };
}

/** Adds a Jira period such as "-1d", "4w 2d", "+3h", "-1y 2M" (y, M, w, d, h, m) to `base`; null if not one. */
function addPeriod(base: number, text: string): number | null {
  const match = /^([-+]?)\s*((?:[0-9]{1,6}\s*[yMwdhm]\s*)+)$/.exec(text);
  if (!match) return null;
  const sign = match[1] === '-' ? -1 : 1;
  const date = new Date(base);
  for (const part of match[2].matchAll(/([0-9]+)\s*([yMwdhm])/g)) {
    const amount = sign * Number(part[1]);
    switch (part[2]) {
      case 'y': date.setUTCFullYear(date.getUTCFullYear() + amount); break;
      case 'M': date.setUTCMonth(date.getUTCMonth() + amount); break;
      case 'w': date.setTime(date.getTime() + amount * 7 * DAY_MS); break;
      case 'd': date.setTime(date.getTime() + amount * DAY_MS); break;
      case 'h': date.setTime(date.getTime() + amount * 3_600_000); break;
      case 'm': date.setTime(date.getTime() + amount * 60_000); break;
    }
  }
  const ms = date.getTime();
  // Outside what PostgreSQL's timestamptz and JavaScript's Date both hold.
  if (!Number.isFinite(ms) || ms < Date.UTC(1, 0, 1) || ms > Date.UTC(9999, 11, 31)) return null;
  return ms;
}

