// The surveys plugin: draws the campaigns of kind "survey" that the nudges plugin fetched,
// triggered and let through its caps (docs/surveys.md), and records the answers question by
// question. It registers the kind "survey" on the plugin host (src/nudges/kinds.ts); without
// the nudges plugin it draws nothing.
//
// The recontact wait: the time of the last survey drawn is kept in localStorage, shared by the
// tabs of the browser, so that the wait holds at once, before the server has the event. When
// storage fails it is kept in this page's memory, and holds for the page only.
//
// Answers go through the SDK's queue like any event: one left halfway is a partial response.
// Nothing here may throw into the page: the nudges plugin guards every call into it.
import { attempt } from '../attempt';
import type { NudgesConfig } from '../nudges/campaign';
import type { CampaignKind, KindsHost } from '../nudges/kinds';
import { fillText } from '../nudges/placeholders';
import type { Drawn } from '../nudges/render';
import type { PluginHost } from '../types';
import { drawSurvey } from './render';
import type { SurveyContent } from './survey';

/** Options of createSurveys. */
export interface SurveysOptions {
  /** A CSP nonce for the <style> element used where constructable style sheets are missing. */
  nonce?: string;
}

/** The plugin object that options.deps carries; its name is "surveys". */
export interface SurveysPlugin {
  name: 'surveys';
  start(host: PluginHost): void;
}

const DAY_MS = 86_400_000;
const DEFAULT_RECONTACT_DAYS = 7;
const MAX_RECONTACT_DAYS = 365;
const ID_CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const ID_LENGTH = 22;

export function createSurveys(options: SurveysOptions = {}): SurveysPlugin {
  return {
    name: 'surveys',
    start(host) {
      attempt(() => startSurveys(host, options));
    },
  };
}

function startSurveys(host: PluginHost, options: SurveysOptions) {
  const siteId = host.getSiteId();
  if (!siteId) return;
  const storage = attempt(() => window.localStorage) || null;
  const key = 'beckon:' + siteId + ':surveys';
  let shownMs = 0;
  const lastShownMs = () =>
    Math.max(shownMs, Number(attempt(() => JSON.parse(storage!.getItem(key)!).at)) || 0);

  const survey: CampaignKind = {
    refuse(_campaign, config) {
      return Date.now() - lastShownMs() < recontactDays(config) * DAY_MS ? 'recontact' : undefined;
    },

    draw(campaign, lookup, dismiss, done) {
      const responseId = randomResponseId();
      let index = 0;
      let answered = 0;
      const record = (name: string, properties: object) =>
        host.logEvent(
          name,
          Object.assign(
            {
              campaignId: campaign.id,
              campaignVersion: campaign.version,
              variant: campaign.variant || 'test',
              responseId,
            },
            properties,
          ),
          false,
          true,
        );
      const drawn = drawSurvey(
        document,
        campaign.content as unknown as SurveyContent,
        (template) => fillText(template, lookup),
        options.nonce,
        {
          answered(question, given) {
            const skipped = given.answer === undefined;
            if (!skipped) answered++;
            record(
              '$survey_answered',
              Object.assign(
                { questionId: question.id, questionType: question.type, index: index++ },
                skipped ? { skipped: true } : given,
              ),
            );
          },
          completed: () => record('$survey_completed', { answered }),
          dismiss,
          done,
        },
      );
      if (drawn) {
        shownMs = Date.now();
        attempt(() => storage!.setItem(key, JSON.stringify({ at: shownMs })));
      }
      return drawn as Drawn | undefined;
    },
  };
  const kinds = ((host as KindsHost).kinds = (host as KindsHost).kinds || {});
  kinds.survey = survey;
}

/** The config's recontactDays, held from 0 to 365; 7 when missing. */
function recontactDays(config: NudgesConfig & { recontactDays?: unknown }): number {
  const days = config.recontactDays;
  return typeof days === 'number' && days >= 0
    ? Math.min(days, MAX_RECONTACT_DAYS)
    : DEFAULT_RECONTACT_DAYS;
}

/** 22 characters of A-Z a-z 0-9 (about 131 random bits). */
function randomResponseId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(ID_LENGTH));
  let id = '';
  bytes.forEach((byte) => (id += ID_CHARACTERS[byte % ID_CHARACTERS.length]));
  return id;
}
