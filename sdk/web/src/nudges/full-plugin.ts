// The plugin of the combined script-tag file, made while the file runs (for its origin and nonce).
import { createNudges, type NudgesPlugin } from './plugin';
import { preview } from './preview';
import { originOf, runningScript } from './script-origin';

const script = runningScript();
const nonce = (script && script.nonce) || undefined;
const origin = originOf(script);
export const plugin: NudgesPlugin = Object.assign(createNudges({ endpoint: origin, nonce }), {
  preview,
});

/**
 * options with the plugin added to deps, when plugins names it and deps lacks it. The plugin
 * asks the server of init's endpoint option for its config, else the one this file came from,
 * and logs to the console when init's debug option is on.
 */
export function withNudges(options: unknown): unknown {
  if (!options || typeof options !== 'object') return options;
  const given = options as {
    plugins?: unknown;
    deps?: unknown;
    endpoint?: unknown;
    debug?: unknown;
  };
  const named = Array.isArray(given.plugins) && given.plugins.indexOf('nudges') >= 0;
  const deps = Array.isArray(given.deps) ? given.deps : [];
  if (!named || deps.some((dep) => dep && dep.name === 'nudges')) return options;
  const endpoint = typeof given.endpoint === 'string' ? given.endpoint : origin;
  const debug = given.debug === true;
  const chosen = endpoint !== origin || debug ? createNudges({ endpoint, nonce, debug }) : plugin;
  return Object.assign({}, options, { deps: deps.concat(chosen) });
}
