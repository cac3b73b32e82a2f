// The wire shapes of workspace settings: the export profile (letterhead), tools (MCP servers and
// the fetch allow-list) and models (provider keys masked). Requests are the schemas of the use
// cases, named here for the OpenAPI document.
import { z } from "zod";
import { ModelSettingsSchema, ModelSettingsViewSchema } from "../../app/model-settings.js";
import { ToolSettingsSchema } from "../../app/settings.js";
import { ExportProfileSchema } from "../../domain/export-profile.js";

export const ExportProfileView = ExportProfileSchema.meta({
  id: "ExportProfile",
  description:
    "The letterhead of exported deliverables. The logo is base64 (no data: prefix) of a PNG or JPEG, up to 1.5 MB.",
});

export const ExportProfileSettingSchema = z
  .object({
    export_profile: ExportProfileView.nullable().meta({
      description: "Null until set: exports use the workspace name and the default accent colour.",
    }),
  })
  .meta({ id: "ExportProfileSetting" });

export const ToolSettingsView = ToolSettingsSchema.meta({
  id: "ToolSettings",
  description:
    "MCP servers and the hosts fetch_url may reach. Header and environment values are shown masked; sending a masked value back keeps the stored one.",
});

export const ModelSettingsChangeView = ModelSettingsSchema.meta({
  id: "ModelSettingsChange",
  description: "Each field: a value sets it, null clears it, absent leaves it as it is.",
});

export const ModelSettingsView = ModelSettingsViewSchema.meta({
  id: "ModelSettings",
  description: "Provider keys are shown masked (sk-…abcd), never in clear.",
});

export const ToolListSchema = z
  .object({
    tools: z.array(
      z.object({
        name: z.string().meta({ description: "The name a tool grant uses, e.g. fetch_url." }),
        description: z.string(),
      }),
    ),
  })
  .meta({ id: "ToolList" });
