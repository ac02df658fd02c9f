import { Notice } from "./notice";

/**
 * A form-wide error: shown when the action failed for a reason not tied to one field (field
 * errors appear next to their fields instead).
 */
export function FormError({ error, className }: { error: { message: string; fieldErrors?: Record<string, string> } | null | undefined; className?: string }) {
  return error && !error.fieldErrors ? (
    <Notice tone="error" className={className}>
      {error.message}
    </Notice>
  ) : null;
}
