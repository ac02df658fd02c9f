export { evaluateGuardrails, checkKey, DEFAULT_SRM_ALPHA } from "./evaluate";
export type * from "./types";
