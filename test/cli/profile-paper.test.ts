// The letterhead from the command line: an American agency sets Letter once, and its exports come
// out on Letter; a size Atelya does not offer is refused in words, and nothing changes. A logo too
// small to print sharp is saved with a warning.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { cliFolder, refused, succeeded } from "../support/cli.js";
import { png } from "../support/images.js";

const folder = cliFolder();
afterAll(() => folder.remove());

it("sets the paper size with the letterhead, and refuses one it does not offer", async () => {
  succeeded(
    await folder.run(["profile", "set", "--company", "Northwind Studio", "--paper", "Letter"]),
  );
  expect(JSON.parse(succeeded(await folder.run(["profile", "show"])))).toMatchObject({
    company_name: "Northwind Studio",
    paper_size: "letter",
  });
  refused(
    await folder.run(["profile", "set", "--company", "Northwind Studio", "--paper", "legal"]),
    /^error: The export profile is invalid: paper_size: .*"a4".*"letter"/,
  );
  expect(JSON.parse(succeeded(await folder.run(["profile", "show"])))).toMatchObject({
    paper_size: "letter",
  });
});

it("saves a logo too small to print sharp, and says so", async () => {
  writeFileSync(join(folder.dir, "tiny.png"), png(24, 24));
  writeFileSync(join(folder.dir, "crisp.png"), png(300, 120));
  const tiny = await folder.run(["profile", "set", "--company", "Northwind", "--logo", "tiny.png"]);
  expect(tiny.code).toBe(0);
  expect(tiny.stdout).toBe("Export profile saved.\n");
  expect(tiny.stderr).toBe(
    "warning: This logo is 24 × 24 pixels: the letterhead prints it at about 33 pixels an inch, so it will look blurred. At least 109 × 109 pixels prints sharp.\n",
  );
  succeeded(await folder.run(["profile", "set", "--company", "Northwind", "--logo", "crisp.png"]));
});

it("changes only what it is given: the rest of the letterhead stays, --no-logo removes the logo", async () => {
  const other = cliFolder();
  try {
    writeFileSync(join(other.dir, "logo.png"), png(300, 120));
    refused(
      await other.run(["profile", "set", "--tagline", "We brew"]),
      /^error: There is no letterhead yet: give the company name with --company the first time\./,
    );
    succeeded(
      await other.run([
        "profile",
        "set",
        "--company",
        "Studio Olive",
        "--tagline",
        "We brew",
        "--logo",
        "logo.png",
        "--paper",
        "letter",
      ]),
    );
    succeeded(await other.run(["profile", "set", "--accent", "#112233"]));
    expect(JSON.parse(succeeded(await other.run(["profile", "show"])))).toMatchObject({
      company_name: "Studio Olive",
      tagline: "We brew",
      accent_color: "#112233",
      logo: "(image/png)",
      paper_size: "letter",
    });
    succeeded(await other.run(["profile", "set", "--tagline", "", "--no-logo"]));
    expect(JSON.parse(succeeded(await other.run(["profile", "show"])))).toMatchObject({
      company_name: "Studio Olive",
      tagline: "",
      logo: null,
      paper_size: "letter",
    });
  } finally {
    other.remove();
  }
});
