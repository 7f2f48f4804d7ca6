// The body's markup subset (docs/campaigns.md): b, i, em, strong, br, p and a href (http,
// https or relative). Everything else, tags included, is text. The body is read by this small
// tokenizer rather than by the browser's HTML parser, so that nothing in it is ever parsed as
// HTML: the renderer builds the allowed elements itself, and sets text with textContent.

/** A piece of the body: text, or an allowed element with its children. */
export type BodyNode = string | { tag: string; href?: string; children: BodyNode[] };

const ALLOWED = /^(b|i|em|strong|br|p|a)$/;
const TAG = /<(\/?)([a-z]+)((?:\s+[a-z-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*\/?>/gi;
const HREF = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i;
const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** The body as nodes; text has its character references decoded. */
export function parseBody(body: unknown): BodyNode[] {
  type Element = { tag: string; href?: string; children: BodyNode[] };
  // The open elements, innermost last, under a root that no tag closes.
  const open: Element[] = [{ tag: '', children: [] }];
  const children = () => open[open.length - 1].children;
  if (typeof body !== 'string') return children();
  let last = 0;
  let match: RegExpExecArray | null;
  TAG.lastIndex = 0;
  while ((match = TAG.exec(body))) {
    const tag = match[2].toLowerCase();
    if (!ALLOWED.test(tag)) continue;
    addText(children(), body.slice(last, match.index));
    last = TAG.lastIndex;
    if (match[1]) {
      const at = open.map((element) => element.tag).lastIndexOf(tag);
      if (at > 0) open.length = at;
    } else {
      const element: Element = { tag, children: [] };
      if (tag === 'a') element.href = safeUrl(hrefOf(match[3]));
      children().push(element);
      if (tag !== 'br') open.push(element);
    }
  }
  addText(children(), body.slice(last));
  return open[0].children;
}

/** url when it is http, https or relative (no other scheme), else undefined. */
export function safeUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const trimmed = url.trim();
  const scheme = /^([a-zA-Z][\w+.-]*):/.exec(trimmed.replace(/[\s\u0000-\u001f]/g, ''));
  return !scheme || /^https?$/i.test(scheme[1]) ? trimmed : undefined;
}

function hrefOf(attributes: string): string | undefined {
  const found = HREF.exec(attributes);
  // One of the three forms matched; an empty value is an empty href.
  return found ? decode(found[1] || found[2] || found[3] || '') : undefined;
}

function addText(into: BodyNode[], text: string) {
  if (text) into.push(decode(text));
}

function decode(text: string): string {
  return text.replace(/&(#x[\da-f]+|#\d+|[a-z]+);/gi, (reference, name: string) => {
    if (name[0] !== '#') return ENTITIES[name.toLowerCase()] || reference;
    // "0x41" and "065" read as hexadecimal and decimal numbers.
    const code = Number('0' + name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : reference;
  });
}
