// The built-in tools, configured for one workspace.
import type { Tool } from "../types.js";
import { calculate } from "./calculate.js";
import { extractDatesAmounts } from "./extract-dates-amounts.js";
import { fetchUrlTool, type FetchUrlOptions } from "./fetch-url.js";
import { searchInputs } from "./search-inputs.js";

/** search_inputs, extract_dates_amounts, calculate, and fetch_url (off until hosts are allowed). */
export function builtinTools(fetch: FetchUrlOptions = { allowHosts: [] }): Tool[] {
  return [searchInputs, extractDatesAmounts, calculate, fetchUrlTool(fetch)];
}
