import { expect, test } from "vitest";
import { mergeKeys, splitKeys } from "./key-list";

test("pasted keys are split on lines, commas, semicolons and tabs, trimmed", () => {
  expect(splitKeys("user-1\r\nuser-2, user-3;user-4\tuser-5\n\n , ")).toEqual(["user-1", "user-2", "user-3", "user-4", "user-5"]);
});

test("merging keeps the first occurrence, counts duplicates, stops at the maximum", () => {
  expect(mergeKeys(["a", "b"], ["b", "c", "c", "d", "e"], 4)).toEqual({ keys: ["a", "b", "c", "d"], added: 2, duplicates: 2, overflow: 1 });
});

test("100,000 keys with duplicates merge quickly", () => {
  const pasted = Array.from({ length: 150_000 }, (_, i) => `user-${i % 100_000}`);
  const started = performance.now();
  const result = mergeKeys([], pasted, 100_000);
  expect(result.added).toBe(100_000);
  expect(result.duplicates).toBe(50_000);
  expect(performance.now() - started).toBeLessThan(500);
});
