// The body's markup subset (docs/campaigns.md): b, i, em, strong, br, p and a href (http,
// https or relative). The browser's own HTML parser reads the body into an inert template,
// where nothing runs and nothing loads; then only the allowed elements are built anew from that
// tree, with createElement, and its texts set as text. No attribute but a checked href is ever
// copied, and no node of the parsed tree is ever put on the page. A refused element is left
// out, its text kept; comments are left out.
//
// On a page that enforces Trusted Types, the template's innerHTML refuses a plain string: the
// body is then shown as plain text, tags included.

const ALLOWED = /^(B|I|EM|STRONG|BR|P|A)$/;

/**
 * Appends the body's allowed markup to into, each text filled by fill and each link's address by
 * fillUrl before it is checked; links get rel=noopener and the attributes of link. Returns into.
 */
export function appendBody(
  into: Element,
  body: unknown,
  fill: (text: string) => string,
  fillUrl: (url: string) => string,
  link?: Record<string, string>,
): Element {
  const doc = into.ownerDocument;
  const template = doc.createElement('template');
  const text = typeof body === 'string' ? body : '';
  try {
    template.innerHTML = text;
  } catch {
    into.append(fill(text));
    return into;
  }
  const copy = (from: Node, to: Node) =>
    from.childNodes.forEach((node) => {
      const name = node.nodeName;
      if (node.nodeType === 3) (to as Element).append(fill((node as Text).data));
      else if (!ALLOWED.test(name)) copy(node, to);
      else {
        const element = to.appendChild(doc.createElement(name));
        const href = name === 'A' && safeUrl(fillUrl((node as Element).getAttribute('href') || ''));
        if (href) attributes(element, { href, rel: 'noopener', ...link });
        copy(node, element);
      }
    });
  copy(template.content, into);
  return into;
}

/** url when it is http, https or relative (no other scheme), else undefined. */
export function safeUrl(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const trimmed = url.trim();
  const scheme = /^([a-zA-Z][\w+.-]*):/.exec(trimmed.replace(/[\s\u0000-\u001f]/g, ''));
  return !scheme || /^https?$/i.test(scheme[1]) ? trimmed : undefined;
}

/** Sets each attribute of values on node. */
export function attributes(node: Element, values: Record<string, string>) {
  for (const name in values) node.setAttribute(name, values[name]);
}
