// Form controls that are always labelled, say what is wrong under themselves, and point to their
// hint and error with aria-describedby.
import { useId, type ComponentProps, type ReactNode } from "react";
import { cn } from "./cn";

export const controlClass =
  "w-full rounded-lg border border-border bg-surface px-3 py-2 text-sm text-fg shadow-sm placeholder:text-muted/80 focus:outline-2 focus:outline-offset-1 focus:outline-ring disabled:opacity-60 aria-[invalid=true]:border-danger";

interface FieldChrome {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  /** Visually hides the label (it is still read out). */
  hideLabel?: boolean;
  className?: string;
  /** Shown at the right of the label, e.g. a size counter. */
  aside?: ReactNode;
}

export function Field({
  label,
  hint,
  error,
  hideLabel,
  className,
  aside,
  children,
}: FieldChrome & {
  children: (props: {
    id: string;
    "aria-describedby"?: string;
    "aria-invalid"?: boolean;
  }) => ReactNode;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("flex flex-col gap-1.5", className)}>
      <div className="flex items-baseline justify-between gap-2">
        <label htmlFor={id} className={cn("text-sm font-medium", hideLabel && "sr-only")}>
          {label}
        </label>
        {aside}
      </div>
      {children({ id, "aria-describedby": describedBy, "aria-invalid": error ? true : undefined })}
      {hint && (
        <p id={hintId} className="text-xs text-muted">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="text-xs font-medium text-danger">
          {error}
        </p>
      )}
    </div>
  );
}

// What people type may be a client's Arabic or Hebrew: a text box takes the direction of its first
// letter (an address or a number stays left to right), as a textarea does per paragraph.
const TYPED_TEXT = new Set([undefined, "text", "search"]);

export function TextField({
  label,
  hint,
  error,
  hideLabel,
  className,
  aside,
  ...input
}: FieldChrome & ComponentProps<"input">) {
  return (
    <Field {...{ label, hint, error, hideLabel, className, aside }}>
      {(p) => (
        <input
          className={controlClass}
          dir={TYPED_TEXT.has(input.type) ? "auto" : undefined}
          {...p}
          {...input}
        />
      )}
    </Field>
  );
}

export function TextArea({
  label,
  hint,
  error,
  hideLabel,
  className,
  aside,
  ...input
}: FieldChrome & ComponentProps<"textarea">) {
  return (
    <Field {...{ label, hint, error, hideLabel, className, aside }}>
      {(p) => (
        <textarea
          className={cn(controlClass, "min-h-24 font-[inherit] [unicode-bidi:plaintext]")}
          dir="auto"
          {...p}
          {...input}
        />
      )}
    </Field>
  );
}

export function SelectField({
  label,
  hint,
  error,
  hideLabel,
  className,
  aside,
  children,
  ...select
}: FieldChrome & ComponentProps<"select">) {
  return (
    <Field {...{ label, hint, error, hideLabel, className, aside }}>
      {(p) => (
        <select className={cn(controlClass, "pr-8")} {...p} {...select}>
          {children}
        </select>
      )}
    </Field>
  );
}

export function Checkbox({
  label,
  hint,
  className,
  ...input
}: { label: ReactNode; hint?: ReactNode; className?: string } & Omit<
  ComponentProps<"input">,
  "type"
>) {
  const id = useId();
  return (
    <div className={cn("flex items-start gap-2", className)}>
      <input
        id={id}
        type="checkbox"
        className="mt-0.5 size-4 rounded border-border accent-primary"
        aria-describedby={hint ? `${id}-hint` : undefined}
        {...input}
      />
      <div className="flex flex-col">
        <label htmlFor={id} className="text-sm">
          {label}
        </label>
        {hint && (
          <span id={`${id}-hint`} className="text-xs text-muted">
            {hint}
          </span>
        )}
      </div>
    </div>
  );
}
