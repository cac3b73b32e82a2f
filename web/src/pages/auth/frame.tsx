// The frame of the signed-out pages (sign-in, set-up, invite, no workspace): the brand above one
// centred card, in both themes and at phone width.
import type { ReactNode } from "react";
import { Card, CardBody } from "../../ui/surface";
import { usePageTitle } from "../../ui/title";

/** A same-origin path to return to after signing in; anything else falls back to the dashboard. */
export function safeNext(raw: string | null): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return "/";
  return raw;
}

export function AuthFrame({
  title,
  description,
  children,
  footer,
}: {
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  usePageTitle(typeof title === "string" ? title : null);
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-6 bg-bg px-4 py-10">
      <div className="flex items-center gap-2 text-xl font-semibold tracking-tight">
        <span
          aria-hidden
          className="grid size-8 place-items-center rounded-lg bg-primary text-base font-bold text-primary-fg"
        >
          A
        </span>
        Atelya
      </div>
      <Card className="w-full max-w-md">
        <CardBody className="flex flex-col gap-5 px-6 py-6 sm:px-8">
          <div>
            <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
            {description && <div className="mt-1 text-sm text-muted">{description}</div>}
          </div>
          {children}
        </CardBody>
      </Card>
      {footer && <div className="max-w-md text-center text-sm text-muted">{footer}</div>}
    </main>
  );
}

export const linkClass = "font-medium text-primary underline-offset-2 hover:underline";
