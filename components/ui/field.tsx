import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import { cn } from "./cn";

const CONTROL =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500 dark:border-slate-700 dark:bg-slate-900";

interface FieldProps {
  label: string;
  error?: string;
  hint?: ReactNode;
}

/** What a control needs to be tied to its label, hint and error. */
interface ControlWiring {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
}

/**
 * The frame every field shares: the label, the control (rendered by `control`), a hint, and the
 * error announced next to it. `inline` puts the label to the right of the control (checkboxes).
 */
function Field({ label, error, hint, className, inline = false, control }: FieldProps & { className?: string; inline?: boolean; control: (wiring: ControlWiring) => ReactNode }) {
  const id = useId();
  const wiring: ControlWiring = {
    id,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? `${id}-error` : hint ? `${id}-hint` : undefined,
  };
  const labelElement = (
    <label htmlFor={id} className={cn("text-sm font-medium", !inline && "mb-1 block")}>
      {label}
    </label>
  );
  return (
    <div className={className}>
      {inline ? (
        <div className="flex items-center gap-2">
          {control(wiring)}
          {labelElement}
        </div>
      ) : (
        <>
          {labelElement}
          {control(wiring)}
        </>
      )}
      {hint && !error ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled text input whose error is announced next to it. */
export function TextField({ label, error, hint, className, ...props }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Field label={label} error={error} hint={hint} className={className} control={(wiring) => <input {...wiring} className={cn(CONTROL, error && "border-red-500")} {...props} />} />
  );
}

export function SelectField({ label, error, hint, className, children, ...props }: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <Field
      label={label}
      error={error}
      hint={hint}
      className={className}
      control={(wiring) => (
        <select {...wiring} className={cn(CONTROL, error && "border-red-500")} {...props}>
          {children}
        </select>
      )}
    />
  );
}

/** A labelled multi-line text box (pasted lists, descriptions). */
export function TextAreaField({ label, error, hint, className, ...props }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <Field
      label={label}
      error={error}
      hint={hint}
      className={className}
      control={(wiring) => <textarea {...wiring} className={cn(CONTROL, "font-mono", error && "border-red-500")} {...props} />}
    />
  );
}

/** A checkbox with its label to the right and its error below. */
export function CheckboxField({ label, error, hint, className, ...props }: FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, "type">) {
  return <Field label={label} error={error} hint={hint} className={className} inline control={(wiring) => <input type="checkbox" {...wiring} {...props} />} />;
}
