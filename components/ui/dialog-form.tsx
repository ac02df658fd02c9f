"use client";

import { useId, type ReactNode, type Ref } from "react";
import { cn } from "./cn";

const WIDTHS = { lg: "max-w-lg", xl: "max-w-xl", "2xl": "max-w-2xl" } as const;

/**
 * A modal dialog holding one form, named by its title (so `getByRole("dialog", { name })` finds
 * it). Open it with `ref.current.showModal()`; submitting runs `onSubmit`, never a navigation.
 * `danger` frames it in red (the kill switch, irreversible steps).
 */
export function DialogForm({
  ref,
  title,
  onSubmit,
  onClose,
  width = "xl",
  danger = false,
  formClassName = "space-y-3 p-5 text-sm",
  children,
}: {
  ref: Ref<HTMLDialogElement>;
  title: ReactNode;
  onSubmit: () => void;
  onClose?: () => void;
  width?: keyof typeof WIDTHS;
  danger?: boolean;
  formClassName?: string;
  children: ReactNode;
}) {
  const titleId = useId();
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      className={cn(
        "m-auto w-full rounded-lg border bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40 dark:bg-slate-950 dark:text-slate-100",
        WIDTHS[width],
        danger ? "border-red-200 dark:border-red-900" : "border-slate-200 dark:border-slate-800",
      )}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
        className={formClassName}
      >
        <h2 id={titleId} className="text-lg font-semibold">
          {title}
        </h2>
        {children}
      </form>
    </dialog>
  );
}
