// The Inputs tab: the paste blocks as they were given, read-only, each paragraph in the direction
// of its first letter (an Arabic brief with an English note reads both ways).
import { Inbox } from "lucide-react";
import { bytes } from "../../ui/format";
import { Badge } from "../../ui/badge";
import { Card, CardHeader, EmptyState, ErrorNote, LoadingRows } from "../../ui/surface";
import { useInputs, type Room } from "./queries";

const KIND: Record<string, string> = {
  brief: "Brief",
  meeting_notes: "Meeting notes",
  slack_thread: "Slack thread",
  doc: "Document",
  email: "E-mail",
  transcript: "Transcript",
  sample: "Voice sample",
  other: "Other",
};

export function InputsTab({ room }: { room: Room }) {
  const inputs = useInputs(room.id);
  if (inputs.isPending) return <LoadingRows rows={3} label="Loading the inputs" />;
  if (inputs.data === undefined)
    return (
      <ErrorNote
        error={inputs.error}
        title="The inputs could not be loaded"
        retry={() => void inputs.refetch()}
      />
    );
  if (inputs.data.length === 0)
    return (
      <EmptyState icon={Inbox} title="No inputs">
        This workroom was created without paste blocks.
      </EmptyState>
    );
  return (
    <div className="flex flex-col gap-4">
      {room.paste_flags.redact_pii && (
        <p className="text-sm text-muted">
          Shown as pasted. E-mail addresses, phone numbers and card or IBAN numbers are masked
          before any model sees them.
        </p>
      )}
      {inputs.data.map((input, i) => (
        <Card key={input.id}>
          <CardHeader
            title={<bdi>{input.label ?? `${KIND[input.kind] ?? input.kind} ${i + 1}`}</bdi>}
            actions={
              <>
                <Badge>{KIND[input.kind] ?? input.kind}</Badge>
                <span className="text-xs text-muted">
                  {bytes(room.inputs[i]?.bytes ?? new TextEncoder().encode(input.content).length)}
                </span>
              </>
            }
          />
          <pre
            dir="auto"
            className="max-h-96 overflow-auto px-5 py-4 font-sans text-sm whitespace-pre-wrap break-words [unicode-bidi:plaintext]"
            tabIndex={0}
            aria-label={`Text of ${input.label ?? KIND[input.kind] ?? input.kind}`}
          >
            {input.content}
          </pre>
        </Card>
      ))}
    </div>
  );
}
