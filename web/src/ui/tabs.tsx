import { Tabs as T } from "radix-ui";
import type { ReactNode } from "react";
import { cn } from "./cn";

export const Tabs = T.Root;

export function TabList({ children, label }: { children: ReactNode; label: string }) {
  return (
    <T.List aria-label={label} className="flex gap-1 overflow-x-auto border-b border-border">
      {children}
    </T.List>
  );
}

export function Tab({ value, children }: { value: string; children: ReactNode }) {
  return (
    <T.Trigger
      value={value}
      className={cn(
        "-mb-px border-b-2 border-transparent px-3 py-2 text-sm font-medium whitespace-nowrap text-muted hover:text-fg",
        "data-[state=active]:border-primary data-[state=active]:text-fg",
      )}
    >
      {children}
    </T.Trigger>
  );
}

export function TabPanel({
  value,
  children,
  className,
}: {
  value: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <T.Content value={value} className={cn("pt-4 focus-visible:outline-none", className)}>
      {children}
    </T.Content>
  );
}
