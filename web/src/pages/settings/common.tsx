// Pieces the settings pages share: a section's heading, a secret shown once with its Copy button,
// the note a role without a permission sees, and how roles read.
import { Check, Copy, Lock, ShieldAlert } from "lucide-react";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { toast } from "sonner";
import type { Action } from "../../../../src/domain/roles";
import { useWorkspace } from "../../app/session";
import { Button } from "../../ui/button";
import { controlClass } from "../../ui/field";
import { EmptyState } from "../../ui/surface";
import { cn } from "../../ui/cn";
import { usePageTitle } from "../../ui/title";

export type Role = "owner" | "admin" | "member" | "viewer";

export const ROLE_LABEL: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  member: "Member",
  viewer: "Viewer",
};

/** What each role may do, in a person's words (the table is src/domain/roles.ts). */
export const ROLE_HINT: Record<Role, string> = {
  owner: "Everything, including transferring ownership.",
  admin: "Everything except transferring ownership: members, plan, credits, settings.",
  member: "Creates and runs workrooms, revises, exports and manages agents.",
  viewer: "Reads workrooms, deliverables and activity; changes nothing.",
};

/** The heading of one settings section (the page's h1 is "Settings"). */
export function SectionHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  usePageTitle(title, "Settings");
  return (
    <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
      <div className="min-w-0">
        <h2 className="text-xl font-semibold tracking-tight">{title}</h2>
        {description && <p className="mt-1 text-sm text-muted">{description}</p>}
      </div>
      {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
    </div>
  );
}

/** Copies a value to the clipboard and says so. */
export function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <Button
      size="sm"
      variant="secondary"
      icon={
        copied ? <Check className="size-4" aria-hidden /> : <Copy className="size-4" aria-hidden />
      }
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(value);
          setCopied(true);
          toast.success("Copied to the clipboard");
          clearTimeout(timer.current);
          timer.current = setTimeout(() => setCopied(false), 2000);
        } catch {
          toast.error("The browser did not allow copying: select the text and copy it yourself.");
        }
      }}
    >
      {copied ? "Copied" : label}
    </Button>
  );
}

/**
 * A secret or link the server shows this once: read-only, selectable, with Copy and the warning
 * that it will not be shown again.
 */
export function ShownOnce({
  label,
  value,
  children,
  onDone,
}: {
  label: string;
  value: string;
  children: ReactNode;
  onDone?: () => void;
}) {
  const id = useId();
  return (
    <div
      role="region"
      aria-label={label}
      className="flex flex-col gap-3 rounded-lg border border-warning/40 bg-warning/10 p-4"
    >
      <div className="flex items-start gap-2 text-sm">
        <ShieldAlert className="mt-0.5 size-4 shrink-0 text-warning" aria-hidden />
        <div className="flex flex-col gap-1">{children}</div>
      </div>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <input
          id={id}
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          className={cn(controlClass, "font-mono text-xs")}
        />
        <div className="flex gap-2">
          <CopyButton value={value} />
          {onDone && (
            <Button size="sm" variant="ghost" onClick={onDone}>
              Done
            </Button>
          )}
        </div>
      </div>
    </div>
  );
}

/** Renders the section only for roles that may use it; others learn who can. */
export function RequirePermission({
  action,
  what,
  who = "owners and admins",
  children,
}: {
  action: Action;
  what: string;
  /** Who may, in words: "owners and admins" unless said otherwise. */
  who?: string;
  children: ReactNode;
}) {
  const { can, role } = useWorkspace();
  if (can(action)) return children;
  return (
    <EmptyState icon={Lock} title={`Only ${who} see ${what}`}>
      You are {role === "admin" || role === "owner" ? "an" : "a"} {ROLE_LABEL[role].toLowerCase()}{" "}
      in this workspace. Ask an owner or admin if something here needs to change.
    </EmptyState>
  );
}
