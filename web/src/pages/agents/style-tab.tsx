// The builder's Style tab (SPEC 3): samples in, Extract (a charged model call that drafts the
// profile), the seven fields edited, Save; and the saved Style Memory copied to another agent.
// Its state lives in the builder (useStyleDraft) so switching tabs keeps unsaved edits; the
// profile is part of the builder's draft, saved on the same version of the agent (If-Match).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Copy, Palette, Save, Sparkles, Undo2, Wand2 } from "lucide-react";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import {
  api,
  ApiError,
  call,
  callVersioned,
  ifMatch,
  rawFetch,
  useIdempotencyKey,
  type Schemas,
} from "../../api/client";
import type { VersionedDraft } from "../../api/versioned";
import { Badge } from "../../ui/badge";
import { Button } from "../../ui/button";
import { Card, CardBody, CardHeader, EmptyState, ErrorNote } from "../../ui/surface";
import { credits } from "../../ui/format";
import { fieldErrors, type Agent, type BuilderDraft, type StyleRules } from "./agent-draft";
import { agentKeys } from "./queries";
import { CopyStyleDialog } from "./style-copy";
import { StyleFields } from "./style-fields";
import { SamplePicker, sampleBody, type Sample } from "./style-samples";

const BLANK: StyleRules = {
  tone_descriptors: [],
  banned_phrases: [],
  required_sections: [],
  voice_examples: [],
  structural_pattern: "",
  reading_level: "",
  formality: 3,
};

export type StyleDraft = ReturnType<typeof useStyleDraft>;

/** The Style tab's state: the samples chosen, the profile being edited (the builder's draft) and
 *  what the last Extract said. */
export function useStyleDraft(edit: VersionedDraft<Agent | null, BuilderDraft>) {
  const saved = edit.base.data?.style_rules ?? null;
  const rules = edit.draft.style_rules;
  const setRules = (next: StyleRules | null) => edit.set({ style_rules: next });
  const [samples, setSamples] = useState<Sample[]>([]);
  const [extracted, setExtracted] = useState<{ samples: number; credits: number } | null>(null);
  const dirty = rules !== null && edit.changed.includes("style_rules");
  return { edit, saved, rules, setRules, samples, setSamples, extracted, setExtracted, dirty };
}

export function StyleTab({
  agent,
  style,
  readOnly,
  reload,
}: {
  agent: Agent;
  style: StyleDraft;
  readOnly: boolean;
  /** After a 412: the agent as saved now, with these edits on top. */
  reload: () => void;
}) {
  const [copyOpen, setCopyOpen] = useState(false);
  const extract = useExtract(agent, style);
  const save = useSaveStyle(agent, style);
  const errors = fieldErrors(save.error);
  const { rules, saved } = style;

  return (
    <div className="flex flex-col gap-5">
      {!readOnly && (
        <Card>
          <CardHeader
            level={3}
            title="Learn from samples"
            description="Atelya reads 1–5 pieces of your writing and drafts the profile below. You review it and save."
          />
          <CardBody className="flex flex-col gap-4">
            <SamplePicker samples={style.samples} onChange={style.setSamples} />
            <div className="flex flex-wrap items-center gap-3">
              <Button
                variant="primary"
                icon={<Wand2 className="size-4" aria-hidden />}
                busy={extract.isPending}
                disabled={style.samples.length === 0}
                onClick={() => extract.mutate()}
              >
                {extract.isPending ? "Extracting…" : "Extract"}
              </Button>
              <p className="text-sm text-muted">
                {style.samples.length === 0
                  ? "Add a sample to extract."
                  : `${style.samples.length} of 5 samples. Extraction is a model call, charged in credits; it replaces the profile being edited.`}
              </p>
            </div>
            {extract.isPending && <ExtractProgress count={style.samples.length} />}
            <ErrorNote error={extract.error} title="Extraction failed" />
          </CardBody>
        </Card>
      )}

      <Card>
        <CardHeader
          level={3}
          title={
            <span className="flex flex-wrap items-center gap-2">
              Style Memory
              {style.dirty ? (
                <Badge>
                  <span aria-hidden className="size-1.5 rounded-full bg-warning" />
                  Unsaved changes
                </Badge>
              ) : saved ? (
                <Badge tone="success">Saved</Badge>
              ) : null}
            </span>
          }
          description="Every prompt this agent writes from receives these seven fields verbatim. A workroom’s own style override stands above them."
          actions={
            !readOnly && (
              <Button
                size="sm"
                icon={<Copy className="size-4" aria-hidden />}
                disabled={!saved}
                title={saved ? undefined : "Save a Style Memory first"}
                onClick={() => setCopyOpen(true)}
              >
                Copy style to another agent
              </Button>
            )
          }
        />
        <CardBody className="flex flex-col gap-5">
          {style.extracted && style.dirty && (
            <div
              role="status"
              className="flex items-start gap-3 rounded-lg border border-info/30 bg-info/10 px-4 py-3 text-sm"
            >
              <Sparkles className="mt-0.5 size-4 shrink-0 text-info" aria-hidden />
              <p>
                Drafted from {style.extracted.samples}{" "}
                {style.extracted.samples === 1 ? "sample" : "samples"} for{" "}
                {credits(style.extracted.credits)}. Review the fields, then save; nothing is kept
                until you do.
              </p>
            </div>
          )}
          {rules === null ? (
            <EmptyState icon={Palette} title="No Style Memory yet">
              {readOnly
                ? "This agent writes in the workspace’s default style."
                : "Extract one from samples above, or write it by hand."}
              {!readOnly && (
                <div className="mt-3">
                  <Button size="sm" onClick={() => style.setRules(BLANK)}>
                    Write it by hand
                  </Button>
                </div>
              )}
            </EmptyState>
          ) : (
            <fieldset disabled={readOnly} className="contents">
              <legend className="sr-only">Style Memory fields</legend>
              <StyleFields rules={rules} onChange={style.setRules} errors={errors} />
            </fieldset>
          )}
          <ErrorNote
            error={save.error}
            title="The Style Memory was not saved"
            reload={() => {
              save.reset();
              reload();
            }}
          />
          {!readOnly && rules !== null && (
            <div className="flex flex-wrap justify-end gap-2 border-t border-border pt-4">
              <Button
                variant="ghost"
                icon={<Undo2 className="size-4" aria-hidden />}
                disabled={!style.dirty || save.isPending}
                onClick={() => {
                  style.setRules(saved);
                  save.reset();
                }}
              >
                Discard edits
              </Button>
              <Button
                variant="primary"
                icon={<Save className="size-4" aria-hidden />}
                busy={save.isPending}
                disabled={!style.dirty}
                onClick={() => save.mutate(rules)}
              >
                Save Style Memory
              </Button>
            </div>
          )}
        </CardBody>
      </Card>
      <CopyStyleDialog
        open={copyOpen}
        onOpenChange={setCopyOpen}
        from={agent}
        unsavedEdits={style.dirty}
      />
    </div>
  );
}

/** The extraction is one request; this says what is happening and for how long it has run. */
function ExtractProgress({ count }: { count: number }) {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setSeconds((s) => s + 1), 1000);
    return () => clearInterval(t);
  }, []);
  return (
    <div className="flex flex-col gap-2" role="status">
      <div
        role="progressbar"
        aria-label="Extracting Style Memory"
        className="h-1.5 overflow-hidden rounded-full bg-surface-2"
      >
        <div className="h-full w-full rounded-full bg-primary/70 motion-safe:animate-pulse" />
      </div>
      <p className="text-sm text-muted">
        Reading {count} {count === 1 ? "sample" : "samples"} and drafting tone, structure and voice…
        {seconds > 0 && ` ${seconds} s`}
      </p>
    </div>
  );
}

function useExtract(agent: Agent, style: StyleDraft) {
  const qc = useQueryClient();
  // A retry after a lost answer reuses the key, so the server does not charge twice; other
  // samples, a success or a refusal bring a new one.
  const idempotency = useIdempotencyKey(style.samples);
  return useMutation({
    mutationFn: async (): Promise<Schemas["ExtractedStyle"]> => {
      const headers = { "Idempotency-Key": idempotency.key() };
      const body = sampleBody(style.samples);
      if ("json" in body)
        return call(
          api.POST("/api/v1/agents/{id}/style/extract", {
            params: { path: { id: agent.id } },
            headers,
            body: { samples: body.json },
          }),
        );
      const res = await rawFetch(`/api/v1/agents/${agent.id}/style/extract/uploads`, {
        method: "POST",
        headers,
        body: body.form,
      });
      return (await res.json()) as Schemas["ExtractedStyle"];
    },
    onSuccess: (res) => {
      idempotency.forget();
      style.setRules(res.style_rules);
      style.setExtracted({ samples: style.samples.length, credits: res.credits_charged });
      toast.success(
        `Style Memory drafted (${credits(res.credits_charged)}). Review it, then save.`,
      );
    },
    onError: (e) => {
      if (e instanceof ApiError && e.status !== 0) idempotency.forget();
    },
    onSettled: () => qc.invalidateQueries({ queryKey: ["credits"] }),
  });
}

function useSaveStyle(agent: Agent, style: StyleDraft) {
  const qc = useQueryClient();
  const { edit } = style;
  return useMutation({
    mutationFn: (rules: StyleRules) =>
      callVersioned(
        api.PUT("/api/v1/agents/{id}/style", {
          params: { path: { id: agent.id } },
          headers: ifMatch(edit.base.etag),
          // Blank voice-example lines are unfinished additions, not examples.
          body: { ...rules, voice_examples: rules.voice_examples.filter((v) => v.trim()) },
        }),
      ),
    onSuccess: async (res) => {
      // Made on the base version, so the agent is now that version with this Style Memory; the
      // answer's ETag (the agent's) says so. Unsaved edits of the other tabs stay.
      const base = edit.base.data ?? agent;
      const now = { data: { ...base, style_rules: res.data.style_rules }, etag: res.etag };
      qc.setQueryData(agentKeys.one(agent.id), now);
      edit.rebase(now, ["style_rules"]);
      toast.success(`${agent.name}’s Style Memory is saved.`);
      await qc.invalidateQueries({ queryKey: agentKeys.all });
    },
  });
}
