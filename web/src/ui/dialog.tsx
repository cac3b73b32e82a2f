// Modal dialogs on Radix primitives (focus trap, Escape, labelled by their title), and the
// confirmation every destructive or work-losing action goes through. Closing one puts focus back
// on what opened it, or on the page's heading when the action took that away.
import { Dialog as D } from "radix-ui";
import { X } from "lucide-react";
import { useRef, useState, type ReactNode } from "react";
import { Button } from "./button";
import { cn } from "./cn";
import { focusPageHeading } from "./focus";
import { ErrorNote } from "./surface";

export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  children,
  footer,
  wide,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
}) {
  // Our dialogs are opened by state, not by a Radix trigger, so Radix has nowhere to send focus
  // on close: remember what had focus when it opened, and go back there if it is still on the page.
  const opener = useRef<Element | null>(null);
  return (
    <D.Root open={open} onOpenChange={onOpenChange}>
      <D.Portal>
        <D.Overlay className="fixed inset-0 z-40 bg-black/40 backdrop-blur-[1px]" />
        <D.Content
          className={cn(
            "fixed top-1/2 left-1/2 z-50 flex max-h-[90vh] w-[calc(100vw-2rem)] -translate-x-1/2 -translate-y-1/2 flex-col rounded-[var(--radius-card)] border border-border bg-surface shadow-xl",
            wide ? "max-w-3xl" : "max-w-lg",
          )}
          {...(description ? {} : { "aria-describedby": undefined })}
          onOpenAutoFocus={() => {
            opener.current = document.activeElement;
          }}
          onCloseAutoFocus={(e) => {
            const back = opener.current;
            opener.current = null;
            e.preventDefault();
            // The action may have taken the opener away (Cancel, once the room is cancelled).
            if (back instanceof HTMLElement && back.isConnected) back.focus();
            else focusPageHeading();
          }}
        >
          <div className="flex items-start justify-between gap-4 border-b border-border px-5 py-4">
            <div>
              <D.Title className="text-base font-semibold">{title}</D.Title>
              {description && (
                <D.Description className="mt-1 text-sm text-muted">{description}</D.Description>
              )}
            </div>
            <D.Close asChild>
              <Button variant="ghost" size="sm" aria-label="Close">
                <X className="size-4" aria-hidden />
              </Button>
            </D.Close>
          </div>
          {children && <div className="overflow-y-auto px-5 py-4">{children}</div>}
          {footer && (
            <div className="flex flex-wrap justify-end gap-2 border-t border-border px-5 py-3">
              {footer}
            </div>
          )}
        </D.Content>
      </D.Portal>
    </D.Root>
  );
}

/**
 * Asks before doing something that loses work or cannot be undone. The action runs on confirm;
 * while it runs the button spins, and if it fails the server's message stays in the dialog.
 */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  children,
  confirmLabel,
  danger,
  onConfirm,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<unknown>;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const change = (next: boolean) => {
    if (!next) setError(null);
    onOpenChange(next);
  };
  return (
    <Dialog
      open={open}
      onOpenChange={change}
      title={title}
      footer={
        <>
          <Button onClick={() => change(false)}>Keep working</Button>
          <Button
            variant={danger ? "danger" : "primary"}
            busy={busy}
            onClick={async () => {
              setBusy(true);
              setError(null);
              try {
                await onConfirm();
                change(false);
              } catch (e) {
                setError(e);
              } finally {
                setBusy(false);
              }
            }}
          >
            {confirmLabel}
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-3 text-sm">
        {children}
        <ErrorNote error={error} />
      </div>
    </Dialog>
  );
}
