/**
 * The nudges plugin, for npm users (`@beckon/web/nudges`): hand it to init in options.deps and
 * name it in options.plugins.
 *
 *   import Beckon from '@beckon/web';
 *   import Nudges from '@beckon/web/nudges';
 *   Beckon.init('SITE', { plugins: ['nudges'], deps: [Nudges] });
 *
 * The default export fetches the config from the page's origin; createNudges({ endpoint })
 * makes one for another server. preview draws one nudge without the SDK (the dashboard).
 */
import { createNudges } from './plugin';

export { createNudges } from './plugin';
export { preview } from './preview';
export type { NudgesOptions, NudgesPlugin } from './plugin';
export type {
  Button,
  Campaign,
  Caps,
  Content,
  Layout,
  NudgesConfig,
  TriggerMoment,
} from './campaign';

export default createNudges();
