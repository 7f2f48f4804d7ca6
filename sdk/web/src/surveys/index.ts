/**
 * The surveys plugin, for npm users (`@beckon/web/surveys`): hand it to init in options.deps
 * beside the nudges plugin, which fetches, triggers and caps the campaigns it draws, and name
 * both in options.plugins.
 *
 *   import Beckon from '@beckon/web';
 *   import Nudges from '@beckon/web/nudges';
 *   import Surveys from '@beckon/web/surveys';
 *   Beckon.init('SITE', { plugins: ['nudges', 'surveys'], deps: [Nudges, Surveys] });
 *
 * createSurveys({ nonce }) makes one with options. preview draws one survey without the SDK
 * (the dashboard).
 */
import { createSurveys } from './plugin';

export { createSurveys } from './plugin';
export { preview } from './preview';
export type { SurveysOptions, SurveysPlugin } from './plugin';
export type { Given, Question, QuestionType, Rule, SurveyContent } from './survey';

export default createSurveys();
