// The surveys plugin of the combined script-tag file, made while the file runs (for its nonce).
import { runningScript } from '../nudges/script-origin';
import { createSurveys } from './plugin';

const script = runningScript();
const plugin = createSurveys({ nonce: (script && script.nonce) || undefined });

/** options with the plugin added to deps, when plugins names it and deps lacks it. */
export function withSurveys(options: unknown): unknown {
  if (!options || typeof options !== 'object') return options;
  const given = options as { plugins?: unknown; deps?: unknown };
  const named = Array.isArray(given.plugins) && given.plugins.indexOf('surveys') >= 0;
  const deps = Array.isArray(given.deps) ? given.deps : [];
  if (!named || deps.some((dep) => dep && dep.name === 'surveys')) return options;
  return Object.assign({}, options, { deps: deps.concat(plugin) });
}
