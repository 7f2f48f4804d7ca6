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

type NumberOption =
  | 'idle_time_out'
  | 'batchSize'
  | 'flushIntervalMs'
  | 'maxQueueEvents'
  | 'maxQueueBytes'
  | 'maxStoredBytes'
  | 'requestTimeoutMs'
  | 'consentTimeoutMs';

// [default, least, most]. 500 events is the protocol's most per batch. Browsers fire a timer
// at once when its delay is over 2^31 - 1 ms (24.8 days), hence the most for idle_time_out.
const NUMBER_OPTIONS: Record<NumberOption, [number, number, number]> = {
  idle_time_out: [3600, 1, 2_000_000],
  batchSize: [20, 1, 500],
  flushIntervalMs: [2000, 0, 3_600_000],
  maxQueueEvents: [20_000, 1, 100_000],
  maxQueueBytes: [4 * 1024 * 1024, 1024, 16 * 1024 * 1024],
  maxStoredBytes: [256 * 1024, 1024, 4 * 1024 * 1024],
  requestTimeoutMs: [10_000, 100, 120_000],
  consentTimeoutMs: [30 * 60_000, 0, 24 * 3_600_000],
};
const DEFAULT_VERSION = 'ALL';
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

  const numbers = {} as Record<NumberOption, number>;
  for (const name of Object.keys(NUMBER_OPTIONS) as NumberOption[]) {
    const [fallback, least, most] = NUMBER_OPTIONS[name];
    const value = options[name];
    const valid = typeof value === 'number' && value >= least && value <= most;
    if (!valid && value !== undefined) log('bad option ' + name);
    numbers[name] = valid ? Math.floor(value) : fallback;
  }
  return {
    ...numbers,
    siteId,
    endpoint,
    idleTimeoutMs: numbers.idle_time_out * 1000,
    plugins: listOption('plugins', options.plugins, log) as string[],
    deps: listOption('deps', options.deps, log) as BeckonPlugin[],
    version: options.version === undefined ? DEFAULT_VERSION : versionOption(options.version, log),
    optOut: options.optOut === true,
    requireConsent: options.requireConsent === true,
    trackPageViews: options.trackPageViews === true,
  };
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

function listOption(name: string, value: unknown, log: DebugLog): unknown[] {
  if (value === undefined || Array.isArray(value)) return value || [];
  log('bad option ' + name);
  return [];
}

function versionOption(value: unknown, log: DebugLog): string {
  if (isVersion(value)) return value;
  log('bad option version');
  return DEFAULT_VERSION;
}
