/**
 * "CPUs used by other processes" while a benchmark case runs, as tests/bench/runtimes.ts reports it: the
 * machine's busy time from /proc/stat (steal included) minus the CPU time of the benchmark's own processes, per
 * wall-clock time. Near 0 is a quiet machine; on 2 vCPUs, 0.5 or more means another job held a good part of a CPU.
 * Linux only; elsewhere the meter answers null.
 * @module
 */
import fs from 'node:fs';

/** Milliseconds the whole machine's CPUs spent busy (steal included), from /proc/stat; null elsewhere. */
export function machineBusyMs(): number | null {
  try {
    const ticks = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
    // cpu user nice system idle iowait irq softirq steal; USER_HZ is 100.
    return (ticks[1]! + ticks[2]! + ticks[3]! + ticks[6]! + ticks[7]! + ticks[8]!) * 10;
  } catch {
    return null;
  }
}

/** Milliseconds of CPU a process has used (utime + stime from /proc/<pid>/stat); 0 when unknown or gone. */
export function processCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** The parent of a process, from /proc/<pid>/stat; undefined when unknown or gone. */
export function parentPid(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** The children of a process (one level); empty where /proc is missing. */
export function childPids(parent: number): number[] {
  try {
    return fs
      .readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name) && parentPid(Number(name)) === parent)
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * Starts measuring the CPUs other processes use; the returned function says how many they used on average
 * since. This process counts as the benchmark's own, and so does every pid `ownPids` names (asked at the start
 * and at the end, so a process that starts meanwhile counts from zero and one that exits is lost — briefly
 * running helpers are better left out than guessed).
 */
export function othersMeter(ownPids: () => number[] = () => []): () => number | null {
  const started = performance.now();
  const busy = machineBusyMs();
  const own = process.cpuUsage();
  const before = new Map(ownPids().map((pid) => [pid, processCpuMs(pid)]));
  return () => {
    const busyNow = machineBusyMs();
    if (busy === null || busyNow === null) return null;
    const usage = process.cpuUsage(own);
    const others = ownPids().reduce((sum, pid) => sum + processCpuMs(pid) - (before.get(pid) ?? 0), 0);
    const ownMs = (usage.user + usage.system) / 1000 + others;
    return Math.max(0, busyNow - busy - ownMs) / (performance.now() - started);
  };
}
