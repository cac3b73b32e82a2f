// Whether a process is alive, for files named after the process that wrote them (partial backups,
// spool files): one whose process is gone was abandoned and may be removed.

/** The process exists (EPERM: it does, under another user). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
