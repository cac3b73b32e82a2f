// JSON schemas both ways: a built-in's zod schema shown to the Planner, and an MCP tool's JSON
// schema turned into a zod schema so every tool's arguments are checked by one code path.
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { z } from "zod";

/** The JSON schema of a zod schema, as the Planner reads it (what goes in, defaults optional). */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: "input" }) as Record<
    string,
    unknown
  >;
  return rest;
}

const validators = new AjvJsonSchemaValidator();

/** A zod schema that accepts an argument object exactly when the JSON schema does. A schema the
 *  validator cannot compile (an unsupported draft) checks only that the arguments are an object:
 *  the server still validates them itself. */
export function zodFromJsonSchema(
  schema: Record<string, unknown>,
): z.ZodType<Record<string, unknown>> {
  let validate: ((input: unknown) => { valid: boolean; errorMessage?: string }) | undefined;
  try {
    validate = validators.getValidator(schema);
  } catch {
    validate = undefined;
  }
  return z.record(z.string(), z.unknown()).superRefine((args, ctx) => {
    const r = validate?.(args);
    if (!r || r.valid) return;
    // ajv says "data/role must be string, data must have required property 'text'".
    for (const part of (r.errorMessage ?? "does not match the schema").split(/, (?=data)/))
      ctx.addIssue({ code: "custom", message: part.replace(/^data\/?/, "").trim() });
  });
}
