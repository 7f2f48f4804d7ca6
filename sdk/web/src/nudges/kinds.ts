// Campaign kinds other than the nudge, such as the survey, are drawn by the plugins that
// register them on the plugin host; the nudges plugin still fetches, triggers, caps and records
// them. The host object is the one every plugin of an init gets, so the order in which the
// plugins start does not matter. Arguments are positional: the files of the script-tag builds
// rename the plugin's own property names, each file its own way.
import type { Campaign, NudgesConfig } from './campaign';
import type { Lookup } from './placeholders';
import type { Drawn } from './render';

/** A kind's renderer, as registered under the kind's name in the host's kinds. */
export interface CampaignKind {
  /**
   * A $campaign_not_shown reason to keep the campaign off screen, or undefined. Asked once the
   * caps allow the campaign, before a control group's is held.
   */
  refuse(campaign: Campaign, config: NudgesConfig): string | undefined;
  /**
   * Draws the campaign. lookup gives the placeholders' values (placeholders.ts fills them);
   * dismiss is the close button or Escape ($campaign_dismissed with action close); done takes it
   * off screen without a dismissal. Returns undefined when it cannot be drawn.
   */
  draw(
    campaign: Campaign,
    lookup: Lookup,
    dismiss: () => void,
    done: () => void,
  ): Drawn | undefined;
}

/** The plugin host, with the registry of kinds. */
export interface KindsHost {
  kinds?: Record<string, CampaignKind>;
}
