import { expect, test } from "vitest";
import { slugFromName } from "./slug";

test.each([
  ["New search experience", "new-search-experience"],
  ["  Crème brûlée  checkout!! ", "creme-brulee-checkout"],
  ["API v2 — rate limits", "api-v2-rate-limits"],
  ["***", ""],
])("%s → %s", (name, slug) => expect(slugFromName(name)).toBe(slug));
