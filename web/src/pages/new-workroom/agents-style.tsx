// Which custom agents take part (the Planner and Composer always do), and the one-shot style
// override, which may start from an agent's Style Memory written out as instructions.
import { useQuery } from "@tanstack/react-query";
import { Bot } from "lucide-react";
import { useState } from "react";
import { api, call, type Schemas } from "../../api/client";
import { Button, ButtonLink } from "../../ui/button";
import { SelectField, TextArea } from "../../ui/field";
import { Card, CardBody, CardHeader, ErrorNote, LoadingRows } from "../../ui/surface";
import { styleAsText } from "./style-text";

type Agent = Schemas["Agent"];

export function useCustomAgents() {
  return useQuery({
    queryKey: ["agents"],
    queryFn: () => call(api.GET("/api/v1/agents")).then((r) => r.agents),
  });
}

export function AgentPicker({
  selected,
  onChange,
  canBuild,
  error,
}: {
  selected: string[];
  onChange: (ids: string[]) => void;
  canBuild: boolean;
  error?: string | undefined;
}) {
  const agents = useCustomAgents();
  const toggle = (id: string, on: boolean) =>
    onChange(on ? [...selected, id] : selected.filter((x) => x !== id));
  return (
    <Card aria-labelledby="agents-title">
      <CardHeader
        title={<span id="agents-title">Agents</span>}
        description="The Planner and Composer always take part. Add custom agents the Planner may give tasks to."
      />
      <CardBody className="flex flex-col gap-3">
        {agents.isPending && <LoadingRows rows={2} label="Loading agents" />}
        <ErrorNote
          error={agents.error}
          title="The agents could not be loaded"
          retry={() => void agents.refetch()}
        />
        {agents.data?.length === 0 && (
          <div className="flex flex-col items-start gap-2 rounded-lg border border-dashed border-border p-4 text-sm text-muted">
            <p>No custom agents yet: the Planner and Composer will do the work on their own.</p>
            {canBuild && (
              <ButtonLink to="/agents/new" size="sm" icon={<Bot className="size-4" aria-hidden />}>
                Build an agent
              </ButtonLink>
            )}
          </div>
        )}
        {agents.data && agents.data.length > 0 && (
          <fieldset className="flex flex-col gap-2">
            <legend className="sr-only">Custom agents taking part</legend>
            {agents.data.map((a) => (
              <label
                key={a.id}
                className="flex cursor-pointer items-start gap-3 rounded-lg border border-border p-3 hover:bg-surface-2 has-[:checked]:border-primary/60 has-[:checked]:bg-primary/5"
              >
                <input
                  type="checkbox"
                  className="mt-1 size-4 accent-primary"
                  checked={selected.includes(a.id)}
                  onChange={(e) => toggle(a.id, e.target.checked)}
                />
                <span
                  className="mt-0.5 size-3 shrink-0 rounded-full"
                  style={{ backgroundColor: a.color }}
                  aria-hidden
                />
                <span className="flex min-w-0 flex-col">
                  <span className="text-sm font-medium">{a.name}</span>
                  {a.role_description && (
                    <span className="line-clamp-2 text-xs text-muted">{a.role_description}</span>
                  )}
                </span>
              </label>
            ))}
          </fieldset>
        )}
        {error && (
          <p role="alert" className="text-sm font-medium text-danger">
            {error}
          </p>
        )}
      </CardBody>
    </Card>
  );
}

export function StyleOverride({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
}) {
  const agents = useCustomAgents();
  const styled = (agents.data ?? []).filter((a): a is Agent & { style_rules: object } =>
    Boolean(a.style_rules),
  );
  const [from, setFrom] = useState("");
  const chosen = styled.find((a) => a.id === from);
  return (
    <Card aria-labelledby="style-title">
      <CardHeader
        title={<span id="style-title">Style override</span>}
        description="One-shot style instructions for this workroom. They stand above every agent's Style Memory."
      />
      <CardBody className="flex flex-col gap-3">
        {styled.length > 0 && (
          <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
            <SelectField
              label="Start from an agent's Style Memory"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              className="sm:flex-1"
            >
              <option value="">Choose an agent…</option>
              {styled.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </SelectField>
            <Button
              disabled={!chosen}
              onClick={() =>
                chosen && onChange(styleAsText(chosen.style_rules as Schemas["StyleRules"]))
              }
            >
              {value.trim() ? "Replace the text" : "Use this style"}
            </Button>
          </div>
        )}
        <TextArea
          label="Instructions (optional)"
          value={value}
          maxLength={4000}
          rows={4}
          placeholder="e.g. Warm but brief; British spelling; no more than two pages."
          hint={`${value.length.toLocaleString("en")} of 4,000 characters.`}
          onChange={(e) => onChange(e.target.value)}
          error={error ?? null}
        />
      </CardBody>
    </Card>
  );
}
