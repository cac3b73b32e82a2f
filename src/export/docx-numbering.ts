// List numbering of the .docx: bullets and numbers for nine levels of nesting (Word's maximum),
// each level indented a step further and with its own marker, as Word's own list styles do.
import { AlignmentType, LevelFormat, type INumberingOptions } from "docx";

const BULLETS = ["•", "◦", "▪"];
const NUMBER_FORMATS = [LevelFormat.DECIMAL, LevelFormat.LOWER_LETTER, LevelFormat.LOWER_ROMAN];

const level = (lvl: number, ordered: boolean) => ({
  level: lvl,
  format: ordered ? NUMBER_FORMATS[lvl % 3]! : LevelFormat.BULLET,
  text: ordered ? `%${lvl + 1}.` : BULLETS[lvl % 3]!,
  alignment: AlignmentType.LEFT,
  style: { paragraph: { indent: { left: 360 * (lvl + 1) + 180, hanging: 300 } } },
});

const LEVELS = Array.from({ length: 9 }, (_, l) => l);

export const numbering: INumberingOptions = {
  config: [
    { reference: "bullets", levels: LEVELS.map((l) => level(l, false)) },
    { reference: "numbered", levels: LEVELS.map((l) => level(l, true)) },
  ],
};
