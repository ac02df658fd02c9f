/** Splits pasted text into context keys: one per line, or separated by commas, semicolons or tabs. */
export function splitKeys(text: string): string[] {
  return text
    .split(/[\r\n,;\t]+/)
    .map((key) => key.trim())
    .filter(Boolean);
}

/**
 * Adds `pasted` to `keys`, each key once, in first-seen order, up to `max` keys in all. Says how
 * many were added, how many were already there (or repeated in the paste), and how many did not
 * fit.
 */
export function mergeKeys(keys: readonly string[], pasted: readonly string[], max: number) {
  const seen = new Set(keys);
  const merged = [...keys];
  let duplicates = 0;
  let overflow = 0;
  for (const key of pasted) {
    if (seen.has(key)) duplicates++;
    else if (merged.length >= max) overflow++;
    else {
      seen.add(key);
      merged.push(key);
    }
  }
  return { keys: merged, added: merged.length - keys.length, duplicates, overflow };
}
