// Asks before leaving the builder with unsaved edits: in-app navigation is held by the router's
// blocker (with a dialog), closing or reloading the tab by the browser's own prompt.
import { useEffect, useRef } from "react";
import { useBlocker } from "react-router";
import { Button } from "../../ui/button";
import { Dialog } from "../../ui/dialog";

/** `dirty` names what is unsaved ("the prompt", "the Style Memory") or is null when all is saved. */
export function useLeaveGuard(dirty: string | null) {
  const allowed = useRef(false);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty !== null && !allowed.current && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (dirty === null) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const dialog = (
    <Dialog
      open={blocker.state === "blocked"}
      onOpenChange={(open) => !open && blocker.reset?.()}
      title="Leave without saving?"
      description={`You have unsaved changes to ${dirty ?? "this agent"}. Leaving now discards them.`}
      footer={
        <>
          <Button onClick={() => blocker.reset?.()}>Keep editing</Button>
          <Button variant="danger" onClick={() => blocker.proceed?.()}>
            Discard and leave
          </Button>
        </>
      }
    />
  );
  /** Lets the next navigation through (after a save that moves to the saved agent's page). */
  const allowNext = () => void (allowed.current = true);
  return { dialog, allowNext };
}
