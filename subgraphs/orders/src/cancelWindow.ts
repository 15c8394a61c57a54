/**
 * An order can be cancelled for 30 minutes after it was placed. One definition for the rule that
 * refuses a late cancel, the resolver that explains a refusal, and the bound the cancelling UPDATE
 * re-checks at the moment of writing, since the rule's look at the order may be stale by then.
 */
export const CANCEL_WINDOW_MINUTES = 30;

const CANCEL_WINDOW_MS = CANCEL_WINDOW_MINUTES * 60_000;

/** At `now`, an order placed after this instant can still be cancelled. */
export const cancellableIfPlacedAfter = (now: Date): Date => new Date(now.getTime() - CANCEL_WINDOW_MS);

export const isWithinCancelWindow = (placedAt: Date, now: Date): boolean =>
  placedAt.getTime() > cancellableIfPlacedAfter(now).getTime();
