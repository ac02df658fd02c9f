import { describe, expect, test } from "vitest";
import { AppError } from "@/lib/errors";
import { patientJson } from "./patient-json";

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
const failAfter = (ms: number, error: Error) => new Promise<never>((_, reject) => setTimeout(() => reject(error), ms));

describe("patientJson", () => {
  test("work done within the wait is a plain JSON answer", async () => {
    const response = await patientJson(after(5, { ok: true }), { waitMs: 200, headers: { "Cache-Control": "no-store" } });
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.text()).toBe('{"ok":true}');
  });

  test("a failure within the wait is thrown, so the route answers it with its status", async () => {
    await expect(patientJson(failAfter(5, new AppError("NOT_FOUND", "gone")), { waitMs: 200 })).rejects.toThrow("gone");
  });

  test("longer work answers 200 at once, sends spaces while it runs, then the JSON, which parses as usual", async () => {
    let done = false;
    const work = after(200, { ok: true, checked: 3 }).then((value) => ((done = true), value));
    const response = await patientJson(work, { waitMs: 20, keepAliveMs: 20 });
    expect(done).toBe(false);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    const text = await response.text();
    expect(text).toMatch(/^ {2,}\{"ok":true,"checked":3\}$/);
    expect(JSON.parse(text)).toEqual({ ok: true, checked: 3 });
  });

  test("a failure after the headers ends the body with the error, as the API writes errors", async () => {
    const response = await patientJson(failAfter(60, new AppError("CONFLICT", "the chain moved")), { waitMs: 10, keepAliveMs: 20 });
    expect(response.status).toBe(200);
    expect(JSON.parse(await response.text())).toEqual({ error: { code: "CONFLICT", message: "the chain moved" } });
  });
});
