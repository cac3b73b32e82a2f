// The export modal: .docx or .pdf of a finished round, downloaded under the server's file name
// (SPEC 6: `{slugified-title}-v{round}.{format}`). Exporting is free; a refusal stays in the dialog.
import { Download, FileText, FileType2, type LucideIcon } from "lucide-react";
import { useEffect, useId, useState } from "react";
import { toast } from "sonner";
import { exportFilename } from "../../../../../src/domain/naming";
import { Button } from "../../../ui/button";
import { cn } from "../../../ui/cn";
import { Dialog } from "../../../ui/dialog";
import { SelectField } from "../../../ui/field";
import { ErrorNote } from "../../../ui/surface";
import { downloadExport, type ExportFormat, type Room } from "./queries";

const FORMATS: { value: ExportFormat; label: string; hint: string; icon: LucideIcon }[] = [
  {
    value: "docx",
    label: "Word (.docx)",
    hint: "Editable, with real headings, lists and a table of contents.",
    icon: FileText,
  },
  {
    value: "pdf",
    label: "PDF (.pdf)",
    hint: "Ready to send: letterhead, page numbers and bookmarks.",
    icon: FileType2,
  },
];

export function ExportDialog({
  room,
  round,
  open,
  onOpenChange,
}: {
  room: Room;
  /** The round shown when the dialog opened; the person may pick another. */
  round: number;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const [format, setFormat] = useState<ExportFormat>("docx");
  const [chosenRound, setChosenRound] = useState(round);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const name = useId();

  useEffect(() => {
    if (open) {
      setChosenRound(round);
      setError(null);
    }
  }, [open, round]);

  const rounds = room.rounds.map((r) => r.round);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const file = await downloadExport(room.id, format, chosenRound);
      toast.success(`Downloaded ${file}`);
      onOpenChange(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Export the deliverable"
      description="A branded file with the workspace letterhead. Exporting is free and recorded in the history."
      footer={
        <>
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button
            variant="primary"
            busy={busy}
            icon={<Download className="size-4" aria-hidden />}
            onClick={() => void download()}
          >
            Download .{format}
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-4">
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1.5 text-sm font-medium">Format</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            {FORMATS.map((f) => {
              const Icon = f.icon;
              const checked = format === f.value;
              return (
                <label
                  key={f.value}
                  className={cn(
                    "flex cursor-pointer items-start gap-3 rounded-lg border p-3 transition-colors has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring",
                    checked ? "border-primary bg-primary/5" : "border-border hover:bg-surface-2",
                  )}
                >
                  <input
                    type="radio"
                    name={name}
                    value={f.value}
                    checked={checked}
                    onChange={() => setFormat(f.value)}
                    className="mt-1 accent-primary"
                  />
                  <span className="flex flex-col gap-0.5">
                    <span className="flex items-center gap-1.5 text-sm font-medium">
                      <Icon className="size-4 text-muted" aria-hidden />
                      {f.label}
                    </span>
                    <span className="text-xs text-muted">{f.hint}</span>
                  </span>
                </label>
              );
            })}
          </div>
        </fieldset>
        {rounds.length > 1 && (
          <SelectField
            label="Round"
            value={String(chosenRound)}
            onChange={(e) => setChosenRound(Number(e.target.value))}
          >
            {rounds.map((r) => (
              <option key={r} value={r}>
                Round {r}
                {r === room.final_round ? " (latest)" : ""}
              </option>
            ))}
          </SelectField>
        )}
        <p className="text-sm text-muted">
          Saves as{" "}
          <code className="rounded bg-surface-2 px-1.5 py-0.5 text-xs break-all text-fg">
            {exportFilename(room.title, chosenRound, format)}
          </code>
        </p>
        <ErrorNote error={error} title="The export did not download" />
      </div>
    </Dialog>
  );
}
