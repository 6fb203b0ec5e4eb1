import { cliTable } from '../../lib/cli/cli-table.ts';
import type { RunPlan } from '../../lib/config/plan-run.ts';
import type { Json, SessionComponent } from '../../lib/session/component.ts';
import { parseScanSchedule } from '../../lib/clock/scan-schedule.ts';

/** A configured scanner as `validate` prints it. */
export interface ScannerSummary {
  readonly name: string;
  readonly scanner: string;
  readonly schedule: readonly string[];
  /** The first session's scan instants, exchange-local `HH:MM` (`pre` first when it runs before the open). */
  readonly firstSession: readonly string[];
  readonly universe: number;
  readonly universeSample: readonly string[];
  readonly maxAdds: number;
  readonly params: Json;
}

/**
 * The scanners of a run, with their schedule resolved on the plan's first session, their
 * universe size and a sample of it.
 *
 * @example
 * ```ts
 * describeScanners(setup.components, plan);
 * ```
 */
export function describeScanners(components: readonly SessionComponent[], plan: RunPlan): ScannerSummary[] {
  const first = plan.sessions[0]!;
  const local = new Intl.DateTimeFormat('en-GB', { timeZone: plan.calendar.timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return components
    .filter((c) => c.kind === 'scanner')
    .map((c) => {
      const d = (c.describe?.() ?? {}) as { scanner?: string; schedule?: string[]; universe?: number; universeSample?: string[]; maxAdds?: number; params?: Json };
      const schedule = d.schedule ?? [];
      const parsed = parseScanSchedule(schedule, plan.calendar.timezone);
      const times = parsed.instants(first).map((t) => local.format(t));
      return { name: c.name, scanner: d.scanner ?? c.name, schedule, firstSession: [...(parsed.pre ? ['pre'] : []), ...times], universe: d.universe ?? 0, universeSample: d.universeSample ?? [], maxAdds: d.maxAdds ?? 0, params: d.params ?? {} };
    });
}

/** The scanners as a table (empty text when there are none). */
export function formatScanners(scanners: readonly ScannerSummary[]): string {
  if (scanners.length === 0) return '';
  const table = cliTable({ head: ['scanner', 'schedule', 'first session', 'universe', 'max adds', 'params'], style: { head: [], border: [] } });
  for (const s of scanners) {
    const times = s.firstSession.length > 8 ? [...s.firstSession.slice(0, 8), `… (${s.firstSession.length})`] : s.firstSession;
    table.push([s.name === s.scanner ? s.name : `${s.name} (${s.scanner})`, s.schedule.join(', '), times.join(' '), `${s.universe} (${s.universeSample.slice(0, 5).join(', ')}${s.universe > 5 ? ', …' : ''})`, String(s.maxAdds), JSON.stringify(s.params)]);
  }
  return `scanners:\n${table.toString()}\n`;
}
