// Writing samples for Style Memory extraction: 1–5 files (.txt, .md, .docx, .pdf) or pasted texts.
// Files go to the server as they are (it reads .docx and .pdf); pasted texts travel beside them.
import { ClipboardPaste, FileText, Upload, X } from "lucide-react";
import { useId, useRef, useState, type DragEvent } from "react";
import { Button } from "../../ui/button";
import { cn } from "../../ui/cn";
import { TextArea, TextField } from "../../ui/field";
import { bytes } from "../../ui/format";

export const MAX_SAMPLES = 5;
const ACCEPT = ".txt,.md,.docx,.pdf";

export type Sample =
  | { id: string; kind: "file"; file: File }
  | { id: string; kind: "text"; label: string; text: string };

let seq = 0;
const nextId = () => `sample-${++seq}`;

export function SamplePicker({
  samples,
  onChange,
}: {
  samples: Sample[];
  onChange: (s: Sample[]) => void;
}) {
  const inputId = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const [note, setNote] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const room = MAX_SAMPLES - samples.length;

  const addFiles = (files: File[]) => {
    const taken = files.slice(0, room);
    setNote(
      files.length > taken.length
        ? `Extraction takes at most ${MAX_SAMPLES} samples: ${files.length - taken.length} ${files.length - taken.length === 1 ? "file was" : "files were"} left out.`
        : null,
    );
    if (taken.length)
      onChange([
        ...samples,
        ...taken.map((file) => ({ id: nextId(), kind: "file" as const, file })),
      ]);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    addFiles([...e.dataTransfer.files]);
  };
  const update = (id: string, change: Partial<{ label: string; text: string }>) =>
    onChange(samples.map((s) => (s.id === id && s.kind === "text" ? { ...s, ...change } : s)));

  return (
    <div className="flex flex-col gap-3">
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={cn(
          "flex flex-col items-center gap-3 rounded-lg border border-dashed border-border px-4 py-6 text-center",
          dragging && "border-primary bg-primary/5",
        )}
      >
        <Upload className="size-6 text-muted" aria-hidden />
        <p className="text-sm text-muted">
          Drop 1–{MAX_SAMPLES} documents written in the voice you want (.txt, .md, .docx or .pdf),
          or paste text.
        </p>
        <div className="flex flex-wrap justify-center gap-2">
          <input
            ref={fileInput}
            id={inputId}
            type="file"
            multiple
            accept={ACCEPT}
            className="sr-only"
            disabled={room <= 0}
            aria-label="Upload samples"
            tabIndex={-1}
            onChange={(e) => {
              addFiles([...(e.target.files ?? [])]);
              e.target.value = "";
            }}
          />
          <Button
            icon={<FileText className="size-4" aria-hidden />}
            disabled={room <= 0}
            onClick={() => fileInput.current?.click()}
          >
            Choose files
          </Button>
          <Button
            icon={<ClipboardPaste className="size-4" aria-hidden />}
            disabled={room <= 0}
            onClick={() =>
              onChange([...samples, { id: nextId(), kind: "text", label: "", text: "" }])
            }
          >
            Paste a sample
          </Button>
        </div>
      </div>
      {note && (
        <p role="status" className="border-l-2 border-warning pl-2 text-sm text-fg">
          {note}
        </p>
      )}
      {samples.length > 0 && (
        <ol className="flex flex-col gap-2" aria-label="Samples">
          {samples.map((s, i) =>
            s.kind === "file" ? (
              <li
                key={s.id}
                className="flex items-center gap-3 rounded-lg border border-border bg-surface-2 px-3 py-2"
              >
                <FileText className="size-4 shrink-0 text-muted" aria-hidden />
                <span className="min-w-0 flex-1 truncate text-sm font-medium">{s.file.name}</span>
                <span className="text-xs text-muted tabular-nums">{bytes(s.file.size)}</span>
                <RemoveButton
                  label={`Remove ${s.file.name}`}
                  onClick={() => onChange(samples.filter((x) => x.id !== s.id))}
                />
              </li>
            ) : (
              <li key={s.id} className="flex flex-col gap-2 rounded-lg border border-border p-3">
                <div className="flex items-end gap-2">
                  <TextField
                    label={`Sample ${i + 1} name`}
                    value={s.label}
                    placeholder="Optional, for your reference"
                    onChange={(e) => update(s.id, { label: e.target.value })}
                    className="flex-1"
                    maxLength={200}
                  />
                  <RemoveButton
                    label={`Remove sample ${i + 1}`}
                    onClick={() => onChange(samples.filter((x) => x.id !== s.id))}
                  />
                </div>
                <TextArea
                  label={`Sample ${i + 1} text`}
                  hideLabel
                  value={s.text}
                  rows={5}
                  placeholder="Paste a page or two of writing in the voice to learn."
                  onChange={(e) => update(s.id, { text: e.target.value })}
                />
              </li>
            ),
          )}
        </ol>
      )}
    </div>
  );
}

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <Button
      variant="ghost"
      size="sm"
      aria-label={label}
      onClick={onClick}
      icon={<X className="size-4" aria-hidden />}
    />
  );
}

/** The request body: JSON when every sample is pasted, multipart (pasted ones as .txt) otherwise. */
export function sampleBody(
  samples: Sample[],
): { json: { label?: string; content: string }[] } | { form: FormData } {
  if (samples.every((s) => s.kind === "text"))
    return {
      json: samples.map((s) => ({
        ...(s.label.trim() ? { label: s.label.trim() } : {}),
        content: s.text,
      })),
    };
  const form = new FormData();
  samples.forEach((s, i) => {
    if (s.kind === "file") form.append("files", s.file, s.file.name);
    else
      form.append(
        "files",
        new File(
          [s.text],
          `${s.label.trim().replace(/[^\w.-]+/g, "-") || `pasted-sample-${i + 1}`}.txt`,
          {
            type: "text/plain",
          },
        ),
      );
  });
  return { form };
}
