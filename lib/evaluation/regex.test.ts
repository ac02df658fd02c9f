import { describe, expect, it } from "vitest";
import { checkRegexSafety } from "./operators/regex";

describe("regex policy (checked when a configuration is saved)", () => {
  it.each([
    "^[^@]+@[^@]+$",
    "^user\\d{3}$",
    "^[[:alpha:]]+$",
    "\\bcat\\b",
    "^(foo|fo)$",
    "^(ab)?c$",
    "^a{2,4}$",
    "^a.*?b$",
    "^(?i)abc$",
    "(?m)^foo$",
    "^(?s)a.b$",
    ".*foo.*",
    "^\\d+-\\d+$",
    "^(\\d{3}-)+$",
    "^[a-z]+\\.[a-z]+$",
    "^(?P<year>\\d{4})-(?P<month>\\d{2})$",
    "^\\p{L}+$",
    "^(ab|cd)+$",
    "\\Q.*+\\E",
    "😊+",
  ])("accepts %s", (p) => {
    expect(checkRegexSafety(p)).toBeNull();
  });

  it.each([
    ["^(?=a)b$", "regex_lookaround"],
    ["a(?!b)", "regex_lookaround"],
    ["(?<=x)y", "regex_lookaround"],
    ["(?<!x)y", "regex_lookaround"],
    ["^(a)\\1$", "regex_backreference"],
    ["(?P<n>a)\\k<n>", "regex_backreference"],
    ["^(a+)+$", "regex_nested_quantifier"],
    ["(\\w*)*", "regex_nested_quantifier"],
    ["^(a{1,3}){2,}$", "regex_nested_quantifier"],
    ["(x+y?)*z", "regex_nested_quantifier"],
    ["^(a|ab)*$", "regex_overlapping_quantifier"],
    ["^(a|a)+$", "regex_overlapping_quantifier"],
    ["^\\d+\\d+$", "regex_overlapping_quantifier"],
    ["^.*.*=.*$", "regex_overlapping_quantifier"],
    ["\\w+\\s?\\w+", "regex_overlapping_quantifier"],
    ["(?i)a+A+", "regex_overlapping_quantifier"],
    ["(regex", "regex_invalid"],
    ["a**", "regex_invalid"],
    ["[z-a]", "regex_invalid"],
    ["a{2,1}", "regex_invalid"],
    ["x".repeat(1001), "regex_too_long"],
  ])("rejects %s (%s)", (p, code) => {
    const problem = checkRegexSafety(p);
    expect(problem?.code).toBe(code);
    expect(problem?.message.length).toBeGreaterThan(10);
  });

  it("applies a case-insensitive flag to overlap detection", () => {
    expect(checkRegexSafety("a+A+")).toBeNull();
    expect(checkRegexSafety("a+A+", true)?.code).toBe("regex_overlapping_quantifier");
  });
});
