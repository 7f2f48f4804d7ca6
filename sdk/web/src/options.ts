import type { DebugLog } from './debug-log';
import type { BeckonOptions, BeckonPlugin, InitFailure } from './types';

/** The options of init, checked, with defaults filled in and units in the names. */
export interface Settings {
  siteId: string;
  endpoint: string;
  idleTimeoutMs: number;
  plugins: string[];
  deps: BeckonPlugin[];
  version: string;
  batchSize: number;
  flushIntervalMs: number;
  optOut: boolean;
  maxQueueEvents: number;
  maxQueueBytes: number;
  maxStoredBytes: number;
  requestTimeoutMs: number;
  requireConsent: boolean;
  consentTimeoutMs: number;
  trackPageViews: boolean;
}

type Option = Exclude<keyof Settings, 'siteId' | 'endpoint' | 'idleTimeoutMs'> | 'idle_time_out';
type Check = (value: unknown) => boolean;

const isFlag: Check = (value) => typeof value === 'boolean';

function isNumberIn(least: number, most: number): Check {
  return (value) => typeof value === 'number' && value >= least && value <= most;
}

// Each option's default, and what a usable value is. 500 events is the protocol's most per
// batch. Browsers fire a timer at once when its delay is over 2^31 - 1 ms (24.8 days), hence
// the most for idle_time_out.
const OPTIONS: Record<Option, [unknown, Check]> = {
  idle_time_out: [3600, isNumberIn(1, 2_000_000)],
  plugins: [[], Array.isArray],
  deps: [[], Array.isArray],
  version: ['ALL', isVersion],
  batchSize: [20, isNumberIn(1, 500)],
  flushIntervalMs: [2000, isNumberIn(0, 3_600_000)],
  optOut: [false, isFlag],
  maxQueueEvents: [20_000, isNumberIn(1, 100_000)],
  maxQueueBytes: [4 * 1024 * 1024, isNumberIn(1024, 16 * 1024 * 1024)],
  maxStoredBytes: [256 * 1024, isNumberIn(1024, 4 * 1024 * 1024)],
  requestTimeoutMs: [10_000, isNumberIn(100, 120_000)],
  requireConsent: [false, isFlag],
  consentTimeoutMs: [30 * 60_000, isNumberIn(0, 24 * 3_600_000)],
  trackPageViews: [false, isFlag],
};
// The protocol's limit on a version's length.
const MAX_VERSION_CHARS = 100;

/**
 * Settings from init's arguments, or the failure that keeps the SDK from starting. An
 * option with a wrong value gets its default, and debug says so.
 */
export function resolveSettings(
  siteId: unknown,
  options: BeckonOptions,
  defaultEndpoint: string | undefined,
  log: DebugLog,
): Settings | InitFailure {
  if (typeof siteId !== 'string' || !siteId) {
    return failure('invalid_site_id');
  }
  const endpoint = endpointOf(options.endpoint === undefined ? defaultEndpoint : options.endpoint);
  if (!endpoint) return failure('no_endpoint');

  const settings: Record<string, unknown> = { siteId, endpoint };
  for (const [name, [fallback, isUsable]] of Object.entries(OPTIONS)) {
    const value = options[name as Option];
    const usable = isUsable(value);
    if (!usable && value !== undefined) log('bad option ' + name);
    settings[name] = !usable ? fallback : typeof value === 'number' ? Math.floor(value) : value;
  }
  settings.idleTimeoutMs = (settings.idle_time_out as number) * 1000;
  return settings as unknown as Settings;
}

/** Whether a version is usable: a string of 1 to MAX_VERSION_CHARS characters. */
export function isVersion(version: unknown): version is string {
  return isText(version, MAX_VERSION_CHARS);
}

// No control character (C0, DEL, C1) and no unpaired surrogate: what the server takes in
// names, ids and versions.
const CLEAN_TEXT = /^(?:[^\0-\x1f\x7f-\x9f\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])+$/;

/** Whether value is a string of 1 to maxChars characters that the server takes as text. */
export function isText(value: unknown, maxChars: number): value is string {
  return typeof value === 'string' && value.length <= maxChars && CLEAN_TEXT.test(value);
}

/** A failure whose message is its reason in words, such as "do not track". */
export function failure(reason: InitFailure['reason']): InitFailure {
  return { reason, message: reason.replace(/_/g, ' ') };
}

function endpointOf(value: unknown): string | undefined {
  const valid = typeof value === 'string' && /^https?:\/\/[^/]/i.test(value);
  return valid ? value.replace(/\/+$/, '') : undefined;
}
