// Paths inside the shell lines the CLI prints for people to paste: quoted when a shell would split
// or expand them.

/** `path` as one shell word: as it is when only safe characters make it up, else single-quoted. */
export function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
