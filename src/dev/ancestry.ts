/**
 * The processes that started `lambda-s3-spill dev`, recorded when it starts,
 * and a watch that tells when one of them is gone. `npx` does not forward
 * SIGTERM, and under it the chain is `npm exec` → `sh -c` → the command: the
 * shell outlives npx, so watching the direct parent is not enough.
 *
 * Read from `/proc` on Linux (each process with its start time, so a reused
 * process id is not taken for the one recorded), else from `ps`.
 *
 * @module dev/ancestry
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A process recorded as an ancestor. */
export interface Ancestor {
  readonly pid: number;
  /** Its start time, in clock ticks since boot (`/proc/<pid>/stat` field 22); `undefined` where `/proc` is missing. */
  readonly startTime: string | undefined;
}

/** Parent process id and start time of `pid` from `/proc`, `undefined` when it is gone or there is no `/proc`. */
function procStat(pid: number): { ppid: number; startTime: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: the fields after it follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), startTime: fields[19] };
  } catch {
    return undefined;
  }
}

function parentByPs(pid: number): number | undefined {
  try {
    const ppid = Number(execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/** This process's ancestors, parent first, up to (not including) process 1. */
export function recordAncestry(): Ancestor[] {
  const ancestors: Ancestor[] = [];
  const hasProc = procStat(process.pid) !== undefined;
  let pid = process.ppid;
  while (pid > 1 && ancestors.length < 64) {
    if (hasProc) {
      const stat = procStat(pid);
      if (stat === undefined) break;
      ancestors.push({ pid, startTime: stat.startTime });
      pid = stat.ppid;
    } else {
      ancestors.push({ pid, startTime: undefined });
      if (process.platform === 'win32') break;
      pid = parentByPs(pid) ?? 0;
    }
  }
  return ancestors;
}

function gone(ancestor: Ancestor): boolean {
  if (ancestor.startTime !== undefined) return procStat(ancestor.pid)?.startTime !== ancestor.startTime;
  try {
    process.kill(ancestor.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'EPERM';
  }
}

/**
 * Call `onGone` once, with the first recorded ancestor found gone, checking
 * every `intervalMs` (the timer does not keep the process alive).
 *
 * @returns a function that stops the watch
 */
export function watchAncestry(ancestors: readonly Ancestor[], onGone: (pid: number) => void, intervalMs = 250): () => void {
  const timer = setInterval(() => {
    const lost = ancestors.find(gone);
    if (lost === undefined) return;
    clearInterval(timer);
    onGone(lost.pid);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
