// The config that the server sends the nudges plugin (docs/campaigns.md, "The config endpoint").
// Only what the plugin reads is typed; the server may send more.

export interface NudgesConfig {
  refreshSeconds?: number;
  serverTime?: string;
  minGapSeconds?: number;
  /** The device is in the global holdout: every campaign is held, as a control group's. */
  holdout?: boolean;
  /** Impressions of all campaigns allowed per local day and per 7 days; 0 is no limit. */
  fatigue?: { perDay?: number; perWeek?: number };
  /** No campaign is shown from `from` up to `to` (HH:MM) on the visitor's clock. */
  quietHours?: { from?: string; to?: string } | null;
  campaigns: Campaign[];
}

export interface Campaign {
  id: string;
  kind?: string;
  priority?: number;
  version?: number;
  variant?: 'test' | 'control' | 'preview';
  trigger: { on: TriggerMoment; condition?: unknown };
  caps?: Caps;
  content: Content;
  goal?: { event: string; where?: unknown[]; windowHours?: number } | null;
  history?: { asOf?: string; events?: HistoryEvent[] };
}

export interface HistoryEvent {
  name: string;
  /** ISO-8601, as the server writes times. */
  time: string;
  /** Always an object, empty when the event has none of the properties the condition names. */
  properties: Record<string, unknown>;
}

/** The moment a campaign is due, decided in the browser. */
export type TriggerMoment =
  | { kind: 'event'; event: string; where?: unknown[]; occurrence?: number }
  | { kind: 'pageView'; path?: string; occurrence?: number }
  | { kind: 'dwell'; seconds: number; path?: string }
  | { kind: 'without'; event: string; where?: unknown[]; seconds: number; path?: string }
  | { kind: 'element'; selector: string; action?: 'visible' | 'click' };

export interface Caps {
  total?: number;
  perSession?: number;
  perDay?: number;
  cooldownSeconds?: number;
  stopAfterDismiss?: boolean;
  stopAfterGoal?: boolean;
}

export type Layout = 'modal' | 'banner' | 'tooltip' | 'card';

export interface Content {
  layout: Layout;
  title?: string;
  body?: string;
  image?: string | null;
  anchor?: string | null;
  position?: 'top' | 'bottom' | 'left' | 'right';
  theme?: { accent?: string; background?: string; text?: string };
  buttons?: Button[];
  steps?: Content[];
}

export interface Button {
  label: string;
  action: 'url' | 'dismiss' | 'next' | 'event';
  url?: string;
  event?: string;
}
