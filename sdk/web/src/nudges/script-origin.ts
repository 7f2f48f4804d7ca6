/** The origin of the script that is running now, read while it runs; undefined otherwise. */
export function runningScript(): HTMLScriptElement | null {
  try {
    return document.currentScript as HTMLScriptElement | null;
  } catch {
    return null;
  }
}

export function originOf(script: HTMLScriptElement | null): string | undefined {
  const origin = script && /^https?:\/\/[^/?#]+/i.exec(script.src);
  return origin ? origin[0] : undefined;
}
