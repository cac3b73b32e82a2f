// The material of a new workroom: up to 10 paste blocks with a live size counter against the
// 100 KB total (UTF-8 bytes, as the server counts), and files read into blocks by the server.
import { FileUp, Plus, Trash2 } from "lucide-react";
import { useRef, useState } from "react";
import { rawFetch, type Schemas } from "../../api/client";
import { Button } from "../../ui/button";
import { cn } from "../../ui/cn";
import { SelectField, TextArea, TextField } from "../../ui/field";
import { Card, CardBody, CardHeader, ErrorNote } from "../../ui/surface";
import {
  INPUT_KINDS,
  isBlank,
  KIND_TEXT,
  MAX_INPUT_BLOCKS,
  MAX_INPUT_BYTES,
  newBlock,
  type BlockDraft,
  type InputKind,
  type Limits,
} from "./draft";

const oneDecimal = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat("en");
/** Sizes in the limit's own unit: 100 KB is 100,000 bytes. */
export const kb = (n: number) => (n < 1000 ? `${n} B` : `${oneDecimal.format(n / 1000)} KB`);

const ACCEPT = ".txt,.md,.markdown,.docx,.pdf";

export function PasteBlocks({
  blocks,
  limits,
  onChange,
  rowErrors,
  error,
}: {
  blocks: BlockDraft[];
  limits: Limits;
  onChange: (blocks: BlockDraft[]) => void;
  rowErrors: Record<string, string>;
  /** A refusal of the material as a whole (413 input_limit). */
  error?: string | undefined;
}) {
  const fileInput = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<unknown>(null);
  const full = blocks.length >= MAX_INPUT_BLOCKS;
  const over = limits.problem !== null;
  const share = Math.min(1, limits.total / MAX_INPUT_BYTES);

  const update = (key: string, patch: Partial<BlockDraft>) =>
    onChange(blocks.map((b) => (b.key === key ? { ...b, ...patch } : b)));

  const focusBlock = (key: string) =>
    requestAnimationFrame(() =>
      document.querySelector<HTMLElement>(`[data-block-content="${key}"]`)?.focus(),
    );

  function add() {
    const b = newBlock(blocks.some((x) => x.kind === "brief") ? "meeting_notes" : "brief");
    onChange([...blocks, b]);
    focusBlock(b.key);
  }

  function remove(key: string) {
    const rest = blocks.filter((b) => b.key !== key);
    onChange(rest);
    requestAnimationFrame(() => document.getElementById("add-block")?.focus());
  }

  async function upload(files: File[]) {
    setUploadError(null);
    const kept = blocks.filter((b) => !isBlank(b));
    const room = MAX_INPUT_BLOCKS - kept.length;
    if (files.length > room) {
      setUploadError(
        new Error(
          `A workroom takes at most ${MAX_INPUT_BLOCKS} paste blocks: there is room for ${room} more, and ${files.length} files were chosen. Choose fewer files or remove a block.`,
        ),
      );
      return;
    }
    const form = new FormData();
    for (const f of files) form.append("files", f, f.name);
    setUploading(true);
    try {
      const res = await rawFetch("/api/v1/workrooms/uploads/blocks", {
        method: "POST",
        body: form,
      });
      const { blocks: read } = (await res.json()) as Schemas["UploadedBlocks"];
      const added = read.map((b) => newBlock(b.kind, b.label, b.content));
      onChange([...kept, ...added]);
      if (added[0]) focusBlock(added[0].key);
    } catch (e) {
      setUploadError(e);
    } finally {
      setUploading(false);
    }
  }

  return (
    <Card aria-labelledby="material-title">
      <CardHeader
        title={<span id="material-title">Material</span>}
        description={`Paste the client's material: up to ${MAX_INPUT_BLOCKS} blocks and 100 KB of text in total. Nothing is cut off; over the limit the room cannot be saved.`}
      />
      <CardBody className="flex flex-col gap-4">
        {blocks.map((b, i) => {
          const size = limits.perBlock.get(b.key) ?? 0;
          return (
            <fieldset
              key={b.key}
              className="flex flex-col gap-3 rounded-lg border border-border bg-surface-2/40 p-3 sm:p-4"
            >
              <legend className="px-1 text-sm font-semibold">Block {i + 1}</legend>
              <div className="grid gap-3 sm:grid-cols-[12rem_1fr_auto] sm:items-start">
                <SelectField
                  label="Kind"
                  value={b.kind}
                  onChange={(e) => update(b.key, { kind: e.target.value as InputKind })}
                  hint={KIND_TEXT[b.kind].hint}
                >
                  {INPUT_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {KIND_TEXT[k].label}
                    </option>
                  ))}
                </SelectField>
                <TextField
                  label="Label (optional)"
                  value={b.label}
                  maxLength={200}
                  placeholder="e.g. Kick-off call, 12 March"
                  onChange={(e) => update(b.key, { label: e.target.value })}
                />
                <Button
                  variant="ghost"
                  icon={<Trash2 className="size-4" aria-hidden />}
                  onClick={() => remove(b.key)}
                  aria-label={`Remove block ${i + 1}`}
                  className="self-start sm:mt-6"
                >
                  <span className="sm:sr-only">Remove</span>
                </Button>
              </div>
              <TextArea
                data-block-content={b.key}
                label="Text"
                value={b.content}
                rows={6}
                onChange={(e) => update(b.key, { content: e.target.value })}
                error={rowErrors[b.key] ?? null}
                aside={
                  <span
                    className={cn(
                      "text-xs tabular-nums",
                      over && size > 0 ? "font-medium text-danger" : "text-muted",
                    )}
                    data-testid="block-size"
                  >
                    {kb(size)}
                  </span>
                }
              />
            </fieldset>
          );
        })}

        <div className="flex flex-col gap-2" aria-describedby="total-size">
          <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
            <span className="font-medium">Total</span>
            <span
              id="total-size"
              className={cn("tabular-nums", over ? "font-semibold text-danger" : "text-muted")}
            >
              {kb(limits.total)} of 100 KB · {whole.format(limits.total)} of{" "}
              {whole.format(MAX_INPUT_BYTES)} bytes · {blocks.length} of {MAX_INPUT_BLOCKS} blocks
            </span>
          </div>
          <div
            role="meter"
            aria-label="Material size"
            aria-valuemin={0}
            aria-valuemax={MAX_INPUT_BYTES}
            aria-valuenow={Math.min(limits.total, MAX_INPUT_BYTES)}
            aria-valuetext={`${kb(limits.total)} of 100 KB`}
            className="h-2 overflow-hidden rounded-full bg-surface-2"
          >
            <div
              className={cn("h-full rounded-full", over ? "bg-danger" : "bg-primary")}
              style={{ width: `${share * 100}%` }}
            />
          </div>
          {over && (
            <p role="alert" className="text-sm font-medium text-danger">
              {limits.problem}
            </p>
          )}
          {!over && error && (
            <p role="alert" className="text-sm font-medium text-danger">
              {error}
            </p>
          )}
        </div>

        <div className="flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:items-center">
          <Button
            id="add-block"
            onClick={add}
            disabled={full}
            icon={<Plus className="size-4" aria-hidden />}
            aria-describedby={full ? "blocks-full" : undefined}
          >
            Add block
          </Button>
          <Button
            onClick={() => fileInput.current?.click()}
            busy={uploading}
            disabled={full && !blocks.some(isBlank)}
            icon={<FileUp className="size-4" aria-hidden />}
            aria-describedby="upload-hint"
          >
            Upload files
          </Button>
          <input
            ref={fileInput}
            type="file"
            multiple
            accept={ACCEPT}
            className="sr-only"
            tabIndex={-1}
            aria-label="Files to read into blocks"
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = "";
              if (files.length) void upload(files);
            }}
          />
          <p id="upload-hint" className="text-xs text-muted">
            .txt, .md, .docx or .pdf — each file becomes a block you can edit.
          </p>
        </div>
        {full && (
          <p id="blocks-full" className="text-sm text-muted">
            A workroom takes at most {MAX_INPUT_BLOCKS} blocks. Merge two blocks or remove one to
            add more.
          </p>
        )}
        <ErrorNote error={uploadError} title="The files were not added" />
      </CardBody>
    </Card>
  );
}
