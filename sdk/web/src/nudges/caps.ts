// Frequency caps, held in localStorage so that they hold across reloads and tabs.
//
// Failure semantics: the record is read again before every decision, so that tabs see each
// other's impressions. When localStorage fails (blocked, full, throwing), the record lives in
// this page's memory: caps then hold for the page only. A record that does not parse starts
// afresh, so a damaged record can show a campaign again, never stop all of them.
import type { Caps, NudgesConfig } from './campaign';

/** Why a campaign was not shown, as $campaign_not_shown's reason. */
export type NotShownReason =
  | 'capped'
  | 'cooldown'
  | 'other_on_screen'
  | 'min_gap'
  | 'anchor_missing'
  | 'dismissed_before'
  | 'goal_reached'
  | 'quiet_hours';

interface CampaignRecord {
  /** Impressions in all. */
  n: number;
  /** The session of the last impression, and impressions in it. */
  s?: string;
  sn?: number;
  /**
   * The local day of the last impression, as Date's toDateString writes it ("Fri Dec 04 2026";
   * before, "2026-12-4", which no day now matches, so a record of that form counts no impression
   * today), and impressions on it.
   */
  d?: string;
  dn?: number;
  /** The last impression, epoch milliseconds. */
  at?: number;
  /** Dismissed once. */
  x?: boolean;
  /** When the goal was last reached, epoch milliseconds. */
  g?: number;
}

interface CapsRecord {
  /** The last impression of any campaign, epoch milliseconds. */
  at?: number;
  /** The impressions of all campaigns in the last 7 days, epoch milliseconds (fatigue). */
  t?: number[];
  c: Record<string, CampaignRecord>;
}

export interface CapStore {
  /**
   * The reason the campaign may not be shown now, or undefined when it may. The config gives the
   * rules across campaigns: quiet hours, minGapSeconds and the fatigue budget (counted as "capped").
   */
  check(
    id: string,
    caps: Caps,
    rules: Pick<NudgesConfig, 'minGapSeconds' | 'fatigue' | 'quietHours'>,
    sessionId: string | null,
  ): NotShownReason | undefined;
  /** Counts an impression (or a control group's held one). */
  shown(id: string, sessionId: string | null): void;
  markDismissed(id: string): void;
  /**
   * Counts the campaign's goal, reached at timeMs, when that is at most windowMs after the last
   * impression and no goal was counted since it; whether it counted.
   */
  countGoal(id: string, timeMs: number, windowMs: number): boolean;
}

const WEEK_MS = 7 * 24 * 3_600_000;

/** A store under key; storage may be null (memory only); nowMs is the clock. */
export function createCapStore(
  storage: Storage | null,
  key: string,
  nowMs: () => number,
): CapStore {
  let memory: CapsRecord = { c: {} };

  function read(): CapsRecord {
    try {
      const text = storage && storage.getItem(key);
      if (text) {
        const parsed = JSON.parse(text);
        if (parsed && typeof parsed.c === 'object') memory = parsed;
      }
    } catch {
      storage = null;
    }
    return memory;
  }

  function change(id: string, update: (record: CampaignRecord, all: CapsRecord) => void) {
    const all = read();
    update((all.c[id] = all.c[id] || { n: 0 }), all);
    try {
      if (storage) storage.setItem(key, JSON.stringify(all));
    } catch {
      storage = null;
    }
  }

  return {
    check(id, caps, rules, sessionId) {
      const all = read();
      const record = all.c[id] || { n: 0 };
      const now = nowMs();
      const fatigue = rules.fatigue || {};
      const recent = (all.t || []).filter((at) => now - at < WEEK_MS);
      const today = recent.filter((at) => localDay(at) === localDay(now)).length;
      if (caps.stopAfterGoal && record.g !== undefined) return 'goal_reached';
      if (caps.stopAfterDismiss && record.x) return 'dismissed_before';
      if (quiet(rules.quietHours, now)) return 'quiet_hours';
      if (
        over(record.n, caps.total) ||
        over(record.s === sessionId ? record.sn || 0 : 0, caps.perSession) ||
        over(record.d === localDay(now) ? record.dn || 0 : 0, caps.perDay) ||
        over(today, fatigue.perDay) ||
        over(recent.length, fatigue.perWeek)
      ) {
        return 'capped';
      }
      if (now - (record.at || -Infinity) < (caps.cooldownSeconds || 0) * 1000) return 'cooldown';
      if (now - (all.at || -Infinity) < (Number(rules.minGapSeconds) || 0) * 1000) return 'min_gap';
      return undefined;
    },

    shown(id, sessionId) {
      change(id, (record, all) => {
        const now = nowMs();
        const day = localDay(now);
        record.n++;
        record.sn = record.s === sessionId ? (record.sn || 0) + 1 : 1;
        record.s = sessionId || undefined;
        record.dn = record.d === day ? (record.dn || 0) + 1 : 1;
        record.d = day;
        record.at = all.at = now;
        all.t = (all.t || []).filter((at) => now - at < WEEK_MS).concat(now);
      });
    },

    markDismissed: (id) => change(id, (record) => (record.x = true)),

    countGoal(id, timeMs, windowMs) {
      // Never shown: at is undefined, and no comparison with it holds.
      const { at, g } = read().c[id] || { n: 0 };
      const sinceMs = timeMs - (at as number);
      const counts = sinceMs >= 0 && sinceMs <= windowMs && !((g as number) >= (at as number));
      if (counts) change(id, (record) => (record.g = nowMs()));
      return counts;
    },
  };
}

// A cap that is not a positive number does not apply.
function over(count: number, cap: number | undefined): boolean {
  return typeof cap === 'number' && cap > 0 && count >= cap;
}

// Quiet hours run from `from` up to `to` on the visitor's clock, past midnight when to < from;
// a time that is not HH:MM is NaN, which no comparison passes.
function quiet(hours: NudgesConfig['quietHours'], nowMs: number): boolean {
  const [from, to] = [hours && hours.from, hours && hours.to].map((t) =>
    /^\d\d:\d\d$/.test(t || '') ? +t!.slice(0, 2) * 60 + +t!.slice(3) : NaN,
  );
  const date = new Date(nowMs);
  const at = date.getHours() * 60 + date.getMinutes();
  return from < to ? at >= from && at < to : from > to && (at >= from || at < to);
}

/** The visitor's calendar day, in their time zone. */
export function localDay(timeMs: number): string {
  return new Date(timeMs).toDateString();
}
