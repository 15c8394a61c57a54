import { describe, expect, it } from 'vitest';
import { CANCEL_WINDOW_MINUTES, cancellableIfPlacedAfter, isWithinCancelWindow } from './cancelWindow.ts';

const NOW = new Date('2026-01-01T12:30:00.000Z');
const placedMinutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

describe('the cancel window', () => {
  it('is 30 minutes, open up to the last millisecond before them', () => {
    expect(CANCEL_WINDOW_MINUTES).toBe(30);
    expect(isWithinCancelWindow(placedMinutesAgo(0), NOW)).toBe(true);
    expect(isWithinCancelWindow(new Date(placedMinutesAgo(30).getTime() + 1), NOW)).toBe(true);
    expect(isWithinCancelWindow(placedMinutesAgo(30), NOW)).toBe(false);
    expect(isWithinCancelWindow(placedMinutesAgo(120), NOW)).toBe(false);
  });

  it('gives the SQL write the bound the rule applies: placed strictly after it', () => {
    const bound = cancellableIfPlacedAfter(NOW);
    expect(bound).toEqual(placedMinutesAgo(30));
    for (const minutes of [0, 29.99, 30, 30.01, 45]) {
      const placedAt = placedMinutesAgo(minutes);
      expect(isWithinCancelWindow(placedAt, NOW), `${minutes} minutes`).toBe(placedAt.getTime() > bound.getTime());
    }
  });
});
