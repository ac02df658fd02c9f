import { describe, expect, test } from "vitest";
import { csvCell, csvLine } from "./csv";

/** A minimal RFC 4180 reader, to check that what we write reads back as the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  return rows;
}

describe("csvCell", () => {
  test.each([
    ["plain", "plain"],
    ["", ""],
    [null, ""],
    ["a,b", `"a,b"`],
    [`say "hi"`, `"say ""hi"""`],
    ["two\nlines", `"two\nlines"`],
    ["cr\r\nlf", `"cr\r\nlf"`],
    ["=HYPERLINK(\"http://evil\")", `"'=HYPERLINK(""http://evil"")"`],
    ["+1-555", "'+1-555"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=1", "'\t=1"],
    ["a=b", "a=b"],
    [" padded ", `" padded "`],
    ["ü, ñ", `"ü, ñ"`],
  ])("%j → %j", (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});

test("lines read back as the cells written (formula cells keep their guard)", () => {
  const cells = ["1", `a "quoted", multi\nline reason`, "=cmd|' /C calc'!A0", "", "{\"on\":true}"];
  const [row] = parseCsv(csvLine(cells));
  expect(row).toEqual(["1", `a "quoted", multi\nline reason`, "'=cmd|' /C calc'!A0", "", "{\"on\":true}"]);
});
