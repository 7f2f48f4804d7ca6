import { attempt } from '../attempt';

/** The script that is running now, read while it runs; undefined otherwise. */
export function runningScript(): HTMLScriptElement | undefined {
  return attempt(() => document.currentScript as HTMLScriptElement | null) || undefined;
}

/** The origin of the script, or undefined. */
export function originOf(script: HTMLScriptElement | undefined): string | undefined {
  const origin = script && /^https?:\/\/[^/?#]+/i.exec(script.src);
  return origin ? origin[0] : undefined;
}
