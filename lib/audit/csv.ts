/**
 * CSV cells per RFC 4180, safe to open in a spreadsheet: a cell with a comma, quote or line
 * break is quoted (quotes doubled), and a cell a spreadsheet would run as a formula (starting
 * with = + - @, or a tab or carriage return that some programs skip first) gets a leading
 * apostrophe, as OWASP recommends against CSV injection. Audit logs carry text users typed
 * (reasons, keys, names), so every cell goes through here.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "";
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(guarded) || guarded !== guarded.trim() ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** One CSV line, CRLF-terminated as RFC 4180 says. */
export function csvLine(cells: readonly (string | null | undefined)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}
