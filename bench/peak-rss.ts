/**
 * The peak resident set of this process over a stretch of work, for the bench's
 * memory children: the kernel's high-water mark (VmHWM), reset through
 * `/proc/self/clear_refs` (Linux >= 4.0), so the figure is a true peak, not a
 * sample; where the reset is refused, RSS sampled every millisecond.
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** What {@link watchPeakRss} measured. */
export interface PeakRss {
  /** The highest RSS since the watch began (bytes). */
  readonly peak: number;
  /** Whether the kernel's mark was reset (else `peak` is sampled). */
  readonly resetPeak: boolean;
}

function vmHwmBytes(): number | undefined {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return match === null ? undefined : Number(match[1]) * 1024;
}

/**
 * Start watching the peak RSS.
 *
 * @param baseline - RSS before the work (bytes), the floor of the sampled peak
 * @returns a function that stops the watch and gives the peak since
 */
export function watchPeakRss(baseline: number): () => PeakRss {
  let resetPeak = true;
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    resetPeak = false;
  }
  let sampled = baseline;
  const sampler = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage.rss())), 1);
  return () => {
    clearInterval(sampler);
    sampled = Math.max(sampled, process.memoryUsage.rss());
    return { peak: resetPeak ? Math.max(vmHwmBytes() ?? 0, sampled) : sampled, resetPeak };
  };
}
