"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/actions/define-action";

/**
 * Runs a server action, keeps its last error for display, and refreshes the server-rendered
 * page after a success so lists show the change.
 */
export function useAction<I, T>(action: (input: I) => Promise<ActionResult<T>>) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<Extract<ActionResult<T>, { ok: false }>["error"] | null>(null);

  function run(input: I, onSuccess?: (data: T) => void) {
    startTransition(async () => {
      const result = await action(input);
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(null);
      onSuccess?.(result.data);
      router.refresh();
    });
  }

  return { run, pending, error, clearError: () => setError(null) };
}
