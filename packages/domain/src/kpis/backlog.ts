import { daysBetween } from '../shared/calendar';

/** The dates that decide whether an order is in the backlog on a given day. */
export interface BacklogDates {
  /** Approved (automatically or by a person). */
  readonly approvedOn: string | null;
  /** Its last line shipped in full. */
  readonly fullyShippedOn: string | null;
  readonly cancelledOn: string | null;
}

/**
 * An order is in the backlog at the end of `asOf` when it was approved by then and had neither shipped in full nor been
 * cancelled by then: accepted work not yet out of the door, whether confirmed, waiting for stock, or partly shipped.
 */
export const inBacklogOn = (order: BacklogDates, asOf: string): boolean =>
  order.approvedOn !== null &&
  order.approvedOn <= asOf &&
  (order.fullyShippedOn === null || order.fullyShippedOn > asOf) &&
  (order.cancelledOn === null || order.cancelledOn > asOf);

/** Age buckets of the backlog, by whole days since approval; `maxDays` bounds each from above (inclusive). */
export const BACKLOG_AGE_BUCKETS = [
  { bucket: 'd0_7', maxDays: 7 },
  { bucket: 'd8_14', maxDays: 14 },
  { bucket: 'd15_30', maxDays: 30 },
  { bucket: 'over30', maxDays: null },
] as const;
export type BacklogAgeBucket = (typeof BACKLOG_AGE_BUCKETS)[number]['bucket'];
export const BACKLOG_AGE_BUCKET_NAMES: readonly BacklogAgeBucket[] = BACKLOG_AGE_BUCKETS.map((b) => b.bucket);

/** Whole days an order has waited in the backlog on `asOf`, counted from its approval. */
export const backlogAgeDays = (approvedOn: string, asOf: string): number => daysBetween(approvedOn, asOf);

export const backlogAgeBucketOf = (ageDays: number): BacklogAgeBucket => BACKLOG_AGE_BUCKETS.find((b) => b.maxDays === null || ageDays <= b.maxDays)!.bucket;
