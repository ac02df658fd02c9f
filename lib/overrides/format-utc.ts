/** A time that reads the same on the server and in any browser (no hydration mismatch). */
export function formatUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
