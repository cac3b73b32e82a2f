import type { ReactNode } from "react";
import type { Schemas } from "../api/client";
import { cn } from "./cn";
import { STATE_LABELS } from "../../../src/domain/workroom";

export type Tone = "neutral" | "info" | "success" | "warning" | "danger" | "primary";

const tones: Record<Tone, string> = {
  neutral: "bg-surface-2 text-muted border-border",
  info: "bg-info/10 text-info border-info/30",
  success: "bg-success/10 text-success border-success/30",
  warning: "bg-warning/10 text-warning border-warning/30",
  danger: "bg-danger/10 text-danger border-danger/30",
  primary: "bg-primary/10 text-primary border-primary/30",
};

export function Badge({
  tone = "neutral",
  children,
  className,
}: {
  tone?: Tone;
  children: ReactNode;
  className?: string;
}) {
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium whitespace-nowrap",
        tones[tone],
        className,
      )}
    >
      {children}
    </span>
  );
}

export type WorkroomState = Schemas["Workroom"]["state"];

export const STATE_LABEL: Record<WorkroomState, string> = STATE_LABELS;

const STATE_TONE: Record<WorkroomState, Tone> = {
  draft: "neutral",
  planning: "info",
  executing: "info",
  composing: "primary",
  completed: "success",
  awaiting_revision: "primary",
  paused: "warning",
  failed: "danger",
  cancelled: "neutral",
};

const RUNNING: ReadonlySet<WorkroomState> = new Set([
  "planning",
  "executing",
  "composing",
  "awaiting_revision",
]);

export function StateBadge({ state }: { state: WorkroomState }) {
  return (
    <Badge tone={STATE_TONE[state]}>
      {RUNNING.has(state) && (
        <span className="size-1.5 rounded-full bg-current motion-safe:animate-pulse" aria-hidden />
      )}
      {STATE_LABEL[state]}
    </Badge>
  );
}
