const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

const FORMAT = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/**
 * "3 days ago", "in 2 months": relative to `now`, which the server passes down so the server
 * render and the browser's hydration print the same words.
 */
export function relativeTime(iso: string, now: number): string {
  const delta = new Date(iso).getTime() - now;
  for (const [unit, ms] of UNITS) {
    if (Math.abs(delta) >= ms) return FORMAT.format(Math.round(delta / ms), unit);
  }
  return "just now";
}
