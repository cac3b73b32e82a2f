// Changing a room's credit cap (a room paused on its budget continues after raising it and
// resuming). The server refuses a cap below what is spent; its words stay in the dialog.
import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { api, call } from "../../api/client";
import { Button } from "../../ui/button";
import { Dialog } from "../../ui/dialog";
import { TextField } from "../../ui/field";
import { credits } from "../../ui/format";
import { ErrorNote } from "../../ui/surface";
import { roomKey, type Room } from "./queries";

export function CapButton({ room }: { room: Room }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const show = (next: boolean) => {
    setOpen(next);
    setError(null);
    if (next) setValue(room.max_credits === null ? "" : String(room.max_credits));
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const max_credits = value.trim() === "" ? null : Number(value);
      await call(
        api.PATCH("/api/v1/workrooms/{id}", {
          params: { path: { id: room.id } },
          body: { max_credits },
        }),
      );
      await qc.invalidateQueries({ queryKey: roomKey(room.id) });
      toast.success(
        max_credits === null ? "The cap is removed" : `The cap is now ${credits(max_credits)}`,
      );
      setOpen(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button
        size="sm"
        variant="ghost"
        className="-ml-3 mt-1 text-primary"
        onClick={() => show(true)}
      >
        {room.max_credits === null ? "Set a cap" : "Change cap"}
      </Button>
      <Dialog
        open={open}
        onOpenChange={show}
        title="Credit cap"
        description={`This room has spent ${credits(room.credits_spent)}. No model call may take it past the cap.`}
      >
        <form className="flex flex-col gap-3" onSubmit={(e) => void save(e)}>
          <TextField
            label="Maximum credits"
            hint="Leave empty for no cap. After raising it, resume a room paused on its budget."
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
          <ErrorNote error={error} />
          <div className="flex justify-end gap-2">
            <Button onClick={() => show(false)}>Close</Button>
            <Button type="submit" variant="primary" busy={busy}>
              Save cap
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
