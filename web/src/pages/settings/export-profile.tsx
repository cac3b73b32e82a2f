// Export profile: the letterhead every exported .docx and .pdf carries — company name, tagline,
// address, contact, accent colour and logo — with a live preview of page 1 that follows every
// keystroke. Everyone reads it; owners and admins change it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ImagePlus, RotateCcw, Save, Trash2 } from "lucide-react";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useBlocker } from "react-router";
import { toast } from "sonner";
import { api, callVersioned, ifMatch, type Schemas, type Versioned } from "../../api/client";
import { useVersionedDraft } from "../../api/versioned";
import { useWorkspace } from "../../app/session";
import { Badge } from "../../ui/badge";
import { Button } from "../../ui/button";
import { ConfirmDialog } from "../../ui/dialog";
import { SelectField, TextArea, TextField } from "../../ui/field";
import { bytes } from "../../ui/format";
import { Card, CardBody, CardHeader, ErrorNote, Skeleton } from "../../ui/surface";
import { blurredLogoWarning } from "../../../../src/export/logo-print";
import { SectionHeader } from "./common";
import { DEFAULT_ACCENT, LetterheadPreview, type LetterheadDraft } from "./letterhead-preview";

/** The profile's logo limit (ExportProfileSchema: 2,000,000 base64 characters ≈ 1.5 MB). */
const LOGO_LIMIT = 1_500_000;
const HEX = /^#[0-9a-fA-F]{6}$/;

type Setting = Schemas["ExportProfileSetting"];

const useExportProfile = () =>
  useQuery({
    queryKey: ["export-profile"],
    queryFn: () => callVersioned(api.GET("/api/v1/settings/export-profile")),
  });

function draftOf(p: Schemas["ExportProfile"] | null, workspaceName: string): LetterheadDraft {
  return {
    company_name: p?.company_name ?? workspaceName,
    tagline: p?.tagline ?? "",
    address: p?.address ?? "",
    email: p?.email ?? "",
    phone: p?.phone ?? "",
    website: p?.website ?? "",
    accent_color: p?.accent_color ?? DEFAULT_ACCENT,
    logo: p?.logo ?? null,
    paper_size: p?.paper_size ?? "a4",
  };
}

/** Field by field; the logo by its bytes (a 2 MB string is compared once, not serialised). */
const sameField = (k: keyof LetterheadDraft, a: unknown, b: unknown) => {
  if (k !== "logo") return a === b;
  const [x, y] = [a, b] as LetterheadDraft["logo"][];
  return x?.mime === y?.mime && x?.base64 === y?.base64;
};

const readBase64 = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(new Error(`${file.name} could not be read. Try another file.`));
    reader.readAsDataURL(file);
  });

/** PNG or JPEG by the file's signature (what the server checks on save), or null. */
function imageType(head: Uint8Array): "image/png" | "image/jpeg" | null {
  const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (PNG.every((b, i) => head[i] === b)) return "image/png";
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "image/jpeg";
  return null;
}

function LogoField({
  logo,
  disabled,
  onChange,
}: {
  logo: LetterheadDraft["logo"];
  disabled: boolean;
  onChange: (logo: LetterheadDraft["logo"]) => void;
}) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  // The shown logo's size as the browser decoded it (turned upright, as the exports draw it), kept
  // with the bytes it belongs to, so a replaced or removed logo takes its warning with it.
  const [seen, setSeen] = useState<{ of: string; width: number; height: number } | null>(null);
  const warning =
    logo && seen?.of === logo.base64 ? blurredLogoWarning(seen.width, seen.height) : null;
  const described = [`${id}-hint`, warning && `${id}-warning`, error && `${id}-error`]
    .filter(Boolean)
    .join(" ");
  const pick = async (file: File | undefined) => {
    setError(null);
    if (!file) return;
    if (file.type !== "image/png" && file.type !== "image/jpeg")
      return setError(`${file.name} is not a PNG or JPEG. Save the logo as one of those.`);
    if (file.size > LOGO_LIMIT)
      return setError(
        `${file.name} is ${bytes(file.size)}; the logo may be at most 1.5 MB. A few hundred pixels wide is enough for a letterhead.`,
      );
    try {
      // The name and the browser's type come from the extension; the first bytes say what it is.
      const mime = imageType(new Uint8Array(await file.slice(0, 8).arrayBuffer()));
      if (!mime)
        return setError(
          `${file.name}: the logo file is damaged (it is not a PNG or JPEG): open it in an image editor, export it again as PNG or JPEG and set it again.`,
        );
      onChange({ mime, base64: await readBase64(file) });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div className="flex flex-col gap-1.5">
      <span id={`${id}-label`} className="text-sm font-medium">
        Logo
      </span>
      <div className="flex flex-wrap items-center gap-3">
        <div className="grid h-14 w-28 place-items-center overflow-hidden rounded-lg border border-dashed border-border bg-surface-2">
          {logo ? (
            <img
              src={`data:${logo.mime};base64,${logo.base64}`}
              alt="Current logo"
              className="max-h-12 max-w-24 object-contain"
              onLoad={(e) =>
                setSeen({
                  of: logo.base64,
                  width: e.currentTarget.naturalWidth,
                  height: e.currentTarget.naturalHeight,
                })
              }
            />
          ) : (
            <span className="text-xs text-muted">No logo</span>
          )}
        </div>
        <input
          ref={input}
          id={id}
          type="file"
          accept="image/png,image/jpeg"
          className="sr-only"
          aria-labelledby={`${id}-label`}
          aria-describedby={described}
          disabled={disabled}
          onChange={(e) => {
            void pick(e.target.files?.[0]);
            e.target.value = "";
          }}
        />
        <Button
          size="sm"
          disabled={disabled}
          icon={<ImagePlus className="size-4" aria-hidden />}
          onClick={() => input.current?.click()}
        >
          {logo ? "Replace logo" : "Upload logo"}
        </Button>
        {logo && (
          <Button
            size="sm"
            variant="ghost"
            disabled={disabled}
            icon={<Trash2 className="size-4" aria-hidden />}
            onClick={() => onChange(null)}
          >
            Remove logo
          </Button>
        )}
      </div>
      <p id={`${id}-hint`} className="text-xs text-muted">
        PNG or JPEG, up to 1.5 MB. It sits on the right of the letterhead at its own proportions.
      </p>
      {warning && (
        <p id={`${id}-warning`} className="text-xs font-medium text-warning">
          {warning}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} role="alert" className="text-xs font-medium text-danger">
          {error}
        </p>
      )}
    </div>
  );
}

function AccentField({
  value,
  disabled,
  onChange,
}: {
  value: string;
  disabled: boolean;
  onChange: (v: string) => void;
}) {
  const id = useId();
  const valid = HEX.test(value);
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="text-sm font-medium">
        Accent colour
      </label>
      <div className="flex items-start gap-2">
        <input
          id={id}
          type="color"
          value={valid ? value.toLowerCase() : DEFAULT_ACCENT}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value)}
          className="h-10 w-14 shrink-0 cursor-pointer rounded-lg border border-border bg-surface p-1 disabled:cursor-not-allowed"
        />
        <TextField
          label="Accent colour (hex)"
          hideLabel
          className="flex-1"
          value={value}
          disabled={disabled}
          spellCheck={false}
          maxLength={7}
          error={valid ? null : "A hex colour like #0f766e"}
          hint="Rules, quote bars and table headers use it as given; headings and the company name darken it if needed so they read on white."
          onChange={(e) => onChange(e.target.value.trim())}
        />
      </div>
    </div>
  );
}

function Editor({
  latest,
  reread,
  workspaceName,
}: {
  latest: Versioned<Setting>;
  /** Reads the letterhead again (after a 412), resolving with the newest version. */
  reread: () => Promise<Versioned<Setting> | undefined>;
  workspaceName: string;
}) {
  const { can } = useWorkspace();
  const qc = useQueryClient();
  const editable = can("settings.manage");
  const edit = useVersionedDraft(
    latest,
    (s: Setting) => draftOf(s.export_profile, workspaceName),
    sameField,
  );
  const { draft, dirty } = edit;
  const set = <K extends keyof LetterheadDraft>(key: K, value: LetterheadDraft[K]) =>
    edit.set({ [key]: value } as Partial<LetterheadDraft>);

  const save = useMutation({
    mutationFn: () =>
      callVersioned(
        api.PUT("/api/v1/settings/export-profile", {
          headers: ifMatch(edit.base.etag),
          body: draft,
        }),
      ),
    onSuccess: (answer) => {
      qc.setQueryData(["export-profile"], answer);
      edit.rebase(answer, "all");
      toast.success("Letterhead saved: the next export uses it");
    },
  });
  // Someone saved the letterhead since this page read it: read theirs, and keep this person's
  // edits on top of it, field by field, for them to check and save again.
  const reload = async () => {
    const newest = await reread();
    if (!newest) return;
    edit.rebase(newest);
    save.reset();
    toast.info("This is the letterhead as saved now, with your edits on top: check it, then save.");
  };
  const blocker = useBlocker(dirty && !save.isPending);
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const field = (key: "company_name" | "tagline" | "email" | "phone" | "website") => ({
    value: draft[key],
    disabled: !editable,
    onChange: (e: { target: { value: string } }) => set(key, e.target.value),
  });

  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_20rem]">
      <Card>
        <CardHeader
          level={3}
          title="Letterhead"
          description={
            editable
              ? "What page 1 of every exported deliverable carries."
              : "What page 1 of every exported deliverable carries. Owners and admins change it."
          }
          actions={dirty && <Badge tone="warning">Unsaved changes</Badge>}
        />
        <CardBody>
          <form
            onSubmit={submit}
            className="@container flex flex-col gap-4"
            aria-label="Letterhead"
          >
            <TextField label="Company name" required maxLength={120} {...field("company_name")} />
            <TextField
              label="Tagline"
              maxLength={200}
              placeholder="Brand strategy for independent coffee"
              {...field("tagline")}
            />
            <TextArea
              label="Address"
              maxLength={300}
              rows={2}
              className="[&_textarea]:min-h-16"
              value={draft.address}
              disabled={!editable}
              onChange={(e) => set("address", e.target.value)}
            />
            <div className="grid gap-4 @lg:grid-cols-3">
              <TextField label="E-mail" type="email" maxLength={200} {...field("email")} />
              <TextField label="Phone" type="tel" maxLength={60} {...field("phone")} />
              <TextField
                label="Website"
                maxLength={200}
                placeholder="agency.example"
                {...field("website")}
              />
            </div>
            <AccentField
              value={draft.accent_color}
              disabled={!editable}
              onChange={(v) => set("accent_color", v)}
            />
            <LogoField logo={draft.logo} disabled={!editable} onChange={(l) => set("logo", l)} />
            <SelectField
              label="Paper size"
              hint="The page of exported .pdf and .docx files."
              value={draft.paper_size}
              disabled={!editable}
              onChange={(e) => set("paper_size", e.target.value === "letter" ? "letter" : "a4")}
            >
              <option value="a4">A4 (210 × 297 mm)</option>
              <option value="letter">US Letter (8.5 × 11 in)</option>
            </SelectField>
            <ErrorNote
              error={save.error}
              title="The letterhead was not saved"
              reload={() => void reload()}
            />
            {editable && (
              <div className="flex flex-wrap justify-end gap-2 border-t border-border pt-4">
                <Button
                  disabled={!dirty || save.isPending}
                  icon={<RotateCcw className="size-4" aria-hidden />}
                  onClick={() => {
                    edit.discard();
                    save.reset();
                  }}
                >
                  Discard changes
                </Button>
                <Button
                  type="submit"
                  variant="primary"
                  busy={save.isPending}
                  disabled={!dirty}
                  icon={<Save className="size-4" aria-hidden />}
                >
                  Save letterhead
                </Button>
              </div>
            )}
          </form>
        </CardBody>
      </Card>
      <div className="xl:sticky xl:top-6 xl:self-start">
        <LetterheadPreview draft={draft} />
      </div>
      <ConfirmDialog
        open={blocker.state === "blocked"}
        onOpenChange={(o) => !o && blocker.state === "blocked" && blocker.reset()}
        title="Leave without saving the letterhead?"
        confirmLabel="Leave without saving"
        danger
        onConfirm={async () => blocker.proceed?.()}
      >
        <p>Your changes to the letterhead are not saved yet.</p>
      </ConfirmDialog>
    </div>
  );
}

export function ExportProfileSettings() {
  const { workspace } = useWorkspace();
  const profile = useExportProfile();
  return (
    <>
      <SectionHeader
        title="Export profile"
        description="The letterhead and brand colour of every exported .docx and .pdf."
      />
      {profile.isPending ? (
        <div
          role="status"
          aria-label="Loading the letterhead"
          className="grid gap-6 xl:grid-cols-2"
        >
          <Skeleton className="h-[32rem] w-full" />
          <Skeleton className="aspect-[210/297] w-full" />
        </div>
      ) : !profile.data ? (
        <ErrorNote
          error={profile.error}
          title="The letterhead could not be loaded"
          retry={() => void profile.refetch()}
        />
      ) : (
        <Editor
          latest={profile.data}
          reread={async () => (await profile.refetch()).data}
          workspaceName={workspace.name}
        />
      )}
    </>
  );
}
