// Personalisation placeholders: {name|default}, {price|0|number}, {since||date}. A value is
// looked up by name (user properties, then session properties, then the trigger event's
// properties, then userId and deviceId; the caller decides the order). What comes out is
// always plain text: the caller inserts it with textContent, never as markup.

/** The value of a placeholder name, or undefined when there is none. */
export type Lookup = (name: string) => unknown;

const PLACEHOLDER = /\{([\w$.-]+)(?:\|([^|{}]*))?(?:\|(number|date))?\}/g;

/** template with every placeholder replaced by its value as text, or its default. */
export function fillText(template: unknown, lookup: Lookup): string {
  return fill(template, lookup, (text) => text);
}

/** The same for a URL: each filled value is URL-encoded, the template's own text is not. */
export function fillUrl(template: unknown, lookup: Lookup): string {
  return fill(template, lookup, encodeURIComponent);
}

function fill(template: unknown, lookup: Lookup, encode: (text: string) => string): string {
  if (typeof template !== 'string') return '';
  return template.replace(PLACEHOLDER, (_, name: string, fallback = '', format?: string) => {
    const value = lookup(name);
    const text =
      value === undefined || value === null || value === '' ? undefined : formatted(value, format);
    return encode(text === undefined ? fallback : text);
  });
}

// A value that the format cannot read falls back to the default.
function formatted(value: unknown, format: string | undefined): string | undefined {
  if (format === 'number') {
    const number = typeof value === 'number' ? value : Number(value);
    return isFinite(number) && String(value).trim() !== '' ? number.toLocaleString() : undefined;
  }
  if (format === 'date') {
    const date = new Date(typeof value === 'number' ? value : String(value));
    return isFinite(date.getTime()) ? date.toLocaleDateString() : undefined;
  }
  if (typeof value === 'object') return undefined;
  return String(value);
}
