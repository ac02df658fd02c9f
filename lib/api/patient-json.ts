/**
 * A JSON answer that may take minutes (verifying a chain of millions of audit events): answered
 * normally when the work finishes within `waitMs`; otherwise the 200 and the headers go out then,
 * followed by a space every `keepAliveMs` until the JSON itself. Leading whitespace is valid JSON,
 * so `response.json()` reads it unchanged, and the bytes keep proxies with a read timeout
 * (nginx's 60 s) and idle-connection reapers from cutting a healthy request.
 *
 * Once the 200 is out, a failure can no longer change the status: it ends the body with the
 * usual `{error: {code, message}}` instead, which callers check for.
 */
import { isAppError } from "@/lib/errors";

export interface PatientJsonOptions {
  /** Answer normally (with the right status on errors) when done within this. */
  waitMs?: number;
  keepAliveMs?: number;
  headers?: Record<string, string>;
}

const TIMED_OUT = Symbol("timed out");

function errorBody(error: unknown) {
  if (isAppError(error)) return error.toBody();
  console.error("a long JSON answer failed after its headers were sent", error);
  return { error: { code: "INTERNAL", message: "Something went wrong on our side; nothing was changed." } };
}

export async function patientJson(work: Promise<unknown>, options: PatientJsonOptions = {}): Promise<Response> {
  const { waitMs = 10_000, keepAliveMs = 5_000, headers = {} } = options;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const first = await Promise.race([work, new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), waitMs)))]).finally(() => clearTimeout(timer));
  if (first !== TIMED_OUT) return Response.json(first, { headers });

  const encoder = new TextEncoder();
  let beat: ReturnType<typeof setInterval> | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(" "));
      beat = setInterval(() => controller.enqueue(encoder.encode(" ")), keepAliveMs);
      work.then(
        (value) => JSON.stringify(value),
        (error: unknown) => JSON.stringify(errorBody(error)),
      ).then((text) => {
        clearInterval(beat);
        try {
          controller.enqueue(encoder.encode(text));
          controller.close();
        } catch {
          // the caller went away (cancel) before the answer was ready
        }
      });
    },
    cancel() {
      clearInterval(beat);
    },
  });
  return new Response(body, { headers: { "Content-Type": "application/json", ...headers } });
}
