// Page and card chrome, empty states, skeletons and error notes: the pieces every screen shares.
import { AlertTriangle, type LucideIcon } from "lucide-react";
import type { ComponentProps, ReactNode } from "react";
import { describeError, isStale } from "../api/client";
import { Button } from "./button";
import { cn } from "./cn";

export function Page({
  title,
  description,
  actions,
  children,
  back,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  back?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="mx-auto flex w-full max-w-6xl flex-col gap-6 px-4 py-6 sm:px-6 lg:px-8">
      <header className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div className="min-w-0">
          {back}
          {/* dir="auto": a room's title may be a client's Arabic. Focused from code after a new page
              or an action that took the focused control away. */}
          <h1
            dir="auto"
            tabIndex={-1}
            className="text-2xl font-semibold tracking-tight break-words focus:outline-none"
          >
            {title}
          </h1>
          {description && <p className="mt-1 text-sm text-muted">{description}</p>}
        </div>
        {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
      </header>
      {children}
    </div>
  );
}

export function Card({ className, ...rest }: ComponentProps<"section">) {
  return (
    <section
      className={cn(
        "rounded-[var(--radius-card)] border border-border bg-surface shadow-sm",
        className,
      )}
      {...rest}
    />
  );
}

export function CardHeader({
  title,
  description,
  actions,
  level = 2,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  level?: 2 | 3;
}) {
  const H = level === 2 ? "h2" : "h3";
  return (
    <div className="flex flex-wrap items-start justify-between gap-3 border-b border-border px-5 py-4">
      <div className="min-w-0">
        <H className="text-base font-semibold">{title}</H>
        {description && <p className="mt-0.5 text-sm text-muted">{description}</p>}
      </div>
      {actions && <div className="flex items-center gap-2">{actions}</div>}
    </div>
  );
}

export const CardBody = ({ className, ...rest }: ComponentProps<"div">) => (
  <div className={cn("px-5 py-4", className)} {...rest} />
);

export function EmptyState({
  icon: Icon,
  title,
  children,
  action,
}: {
  icon: LucideIcon;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="flex flex-col items-center gap-3 rounded-[var(--radius-card)] border border-dashed border-border px-6 py-12 text-center">
      <Icon className="size-8 text-muted" aria-hidden />
      <h2 className="text-base font-semibold">{title}</h2>
      {children && <div className="max-w-md text-sm text-muted">{children}</div>}
      {action}
    </div>
  );
}

export function Skeleton({ className }: { className?: string }) {
  return (
    <div
      aria-hidden
      className={cn("rounded-md bg-surface-2 motion-safe:animate-pulse", className)}
    />
  );
}

/** Placeholder rows while a list loads; announced once to screen readers. */
export function LoadingRows({ rows = 3, label = "Loading" }: { rows?: number; label?: string }) {
  return (
    <div role="status" aria-label={label} className="flex flex-col gap-3">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className="h-14 w-full" />
      ))}
    </div>
  );
}

/** Where an action or a load failed, in the server's words, with a way to try again. */
export function ErrorNote({
  error,
  title,
  retry,
  reload,
  className,
}: {
  error: unknown;
  title?: string;
  retry?: () => void;
  /** For a write refused because someone saved a change since (412): loads the newest version. */
  reload?: () => void;
  className?: string;
}) {
  if (!error) return null;
  return (
    <div
      role="alert"
      className={cn(
        "flex items-start gap-3 rounded-lg border border-danger/40 bg-danger/10 px-4 py-3 text-sm",
        className,
      )}
    >
      <AlertTriangle className="mt-0.5 size-4 shrink-0 text-danger" aria-hidden />
      <div className="flex-1">
        {title && <p className="font-semibold">{title}</p>}
        <p>{describeError(error)}</p>
      </div>
      {retry && (
        <Button size="sm" variant="secondary" onClick={retry}>
          Try again
        </Button>
      )}
      {reload && isStale(error) && (
        <Button size="sm" variant="secondary" onClick={reload}>
          Reload
        </Button>
      )}
    </div>
  );
}
