import { invalidArgument } from './errors.js';
import type { MediaItemRecord } from './store.js';

type Predicate = (item: MediaItemRecord) => boolean;

interface DateParts { year: number; month: number; day: number }

function unknownField(name: string): Error {
  return invalidArgument(`Invalid JSON payload received. Unknown name "${name}": Cannot find field.`);
}

export function rejectUnknownFields(value: Record<string, unknown>, allowed: readonly string[], path = ''): void {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) throw unknownField(path + key);
}

function asObject(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidArgument(`Invalid JSON payload received. Invalid value at '${name}'.`);
  return value as Record<string, unknown>;
}

function readDate(value: unknown, name: string): DateParts {
  const d = asObject(value, name);
  rejectUnknownFields(d, ['year', 'month', 'day'], `${name}.`);
  const part = (key: string, max: number): number => {
    const n = d[key] === undefined ? 0 : Number(d[key]);
    if (!Number.isInteger(n) || n < 0 || n > max) throw invalidArgument(`Invalid ${name}: ${key} must be from 0 to ${max}.`);
    return n;
  };
  return { year: part('year', 9999), month: part('month', 12), day: part('day', 31) };
}

function matchesDate(date: Date, d: DateParts): boolean {
  return (d.year === 0 || date.getUTCFullYear() === d.year)
    && (d.month === 0 || date.getUTCMonth() + 1 === d.month)
    && (d.day === 0 || date.getUTCDate() === d.day);
}

/** Inclusive bounds in ms; 0 month/day widen to the whole year/month. */
function rangeBounds(start: DateParts, end: DateParts): [number, number] {
  const from = Date.UTC(start.year, Math.max(1, start.month) - 1, Math.max(1, start.day));
  const endMonth = end.month === 0 ? 12 : end.month;
  const endDay = end.day === 0 ? new Date(Date.UTC(end.year, endMonth, 0)).getUTCDate() : end.day;
  return [from, Date.UTC(end.year, endMonth - 1, endDay, 23, 59, 59, 999)];
}

function list(value: unknown, name: string, max: number): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalidArgument(`Invalid JSON payload received. Invalid value at '${name}'.`);
  if (value.length > max) throw invalidArgument(`A maximum of ${max} ${name.split('.').pop()} can be included in a date filter.`);
  return value;
}

/** Builds the predicate for mediaItems:search `filters`; `hasDateFilter` decides whether orderBy is allowed. */
export function compileFilters(raw: unknown): { predicate: Predicate; hasDateFilter: boolean } {
  const filters = asObject(raw, 'filters');
  rejectUnknownFields(filters, ['dateFilter', 'contentFilter', 'mediaTypeFilter', 'featureFilter', 'includeArchivedMedia',
    'excludeNonAppCreatedData'], 'filters.');
  const predicates: Predicate[] = [];
  let hasDateFilter = false;
  if (filters.dateFilter !== undefined) {
    const dateFilter = asObject(filters.dateFilter, 'filters.dateFilter');
    rejectUnknownFields(dateFilter, ['dates', 'ranges'], 'filters.dateFilter.');
    const dates = list(dateFilter.dates, 'filters.dateFilter.dates', 5).map((d, i) => readDate(d, `dates[${i}]`));
    const ranges = list(dateFilter.ranges, 'filters.dateFilter.ranges', 5).map((r, i) => {
      const range = asObject(r, `ranges[${i}]`);
      return rangeBounds(readDate(range.startDate, `ranges[${i}].startDate`), readDate(range.endDate, `ranges[${i}].endDate`));
    });
    if (dates.length > 0 || ranges.length > 0) {
      hasDateFilter = true;
      predicates.push((item) => {
        const date = new Date(item.createdMs);
        return dates.some((d) => matchesDate(date, d)) || ranges.some(([a, b]) => item.createdMs >= a && item.createdMs <= b);
      });
    }
  }
  if (filters.mediaTypeFilter !== undefined) {
    const types = list(asObject(filters.mediaTypeFilter, 'filters.mediaTypeFilter').mediaTypes, 'filters.mediaTypeFilter.mediaTypes', 1);
    const type = types[0] ?? 'ALL_MEDIA';
    if (type === 'PHOTO') predicates.push((item) => !item.isVideo);
    else if (type === 'VIDEO') predicates.push((item) => item.isVideo);
    else if (type !== 'ALL_MEDIA') throw invalidArgument(`Invalid value at 'filters.media_type_filter.media_types[0]' (type.googleapis.com/google.photos.library.v1.MediaTypeFilter.MediaType), ${JSON.stringify(type)}`);
  }
  if (filters.featureFilter !== undefined) {
    const features = list(asObject(filters.featureFilter, 'filters.featureFilter').includedFeatures, 'filters.featureFilter.includedFeatures', 1);
    if (features[0] === 'FAVORITES') predicates.push(() => false);   // no seeded item is a favourite
  }
  // contentFilter (Google's image classification) is accepted and not applied: the emulator has no classifier.
  return { predicate: (item) => predicates.every((p) => p(item)), hasDateFilter };
}
