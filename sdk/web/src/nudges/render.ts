// Draws one nudge: a host element at the end of the body with a shadow root, so that the page's
// CSS does not reach the nudge and the nudge's CSS does not reach the page.
//
// Works under a strict Content-Security-Policy (no inline styles): styles are constructed style
// sheets adopted by the shadow root; where the browser lacks them, <style> elements carrying
// the nonce option. Values from placeholders are set with textContent only.
import { attempt } from '../attempt';
import type { Button, Content } from './campaign';
import { parseBody, safeUrl, type BodyNode } from './markup';
import { BASE_CSS } from './styles';

/** How texts and URLs of the content are filled (placeholders). */
export interface Fill {
  text(template: unknown): string;
  url(template: unknown): string;
}

export interface DrawOptions {
  doc: Document;
  content: Content;
  fill: Fill;
  nonce?: string;
  /** Draws inside this element instead of over the page (the dashboard's preview). */
  container?: Element;
  /** A button was used: its index in the step's buttons. */
  onButton(button: Button, index: number): void;
  /** The close button or Escape. */
  onClose(): void;
  /** The tooltip's anchor went away (false) or came back (true). */
  onAnchor?(present: boolean): void;
}

export interface Drawn {
  /** Replaces what the nudge shows with another step. */
  showStep(content: Content): void;
  /** Removes the nudge, and gives focus back to where it was. */
  close(): void;
}

const COLOR = /^(#[\da-f]{3,8}|(rgb|hsl)a?\([\d\s.,%/]+\)|[a-z]{3,20})$/i;
const GAP_PX = 12;

/** Draws the nudge; undefined when a tooltip's anchor is not on the page. */
export function draw(options: DrawOptions): Drawn | undefined {
  const { doc, fill, container } = options;
  const win = doc.defaultView as Window & typeof globalThis;
  let content = options.content;
  const anchor = () => queryAnchor(doc, content.anchor);
  const isTooltip = () => content.layout === 'tooltip';
  if (isTooltip() && !container && !anchor()) return undefined;

  const host = doc.createElement('div');
  host.setAttribute('data-beckon-nudge', content.layout);
  if (container) host.setAttribute('data-preview', '');
  const root = host.attachShadow({ mode: 'open' });
  const setCss = styleSheets(win, root, options.nonce);
  const layer = add(root, 'div', '');
  const previousFocus = doc.activeElement as HTMLElement | null;
  let box: HTMLElement;
  let themeCss = '';
  let positionCss = '';
  let anchorPresent = true;
  let scheduled = 0;

  // Ids are the shadow root's own, so every nudge can use the same.
  function render() {
    layer.className = 'layer ' + content.layout + ' ' + sideOf(content);
    layer.textContent = '';
    themeCss = themeRule(content);
    setCss(themeCss + positionCss);
    box = add(layer, 'div', 'box');
    attributes(box, {
      role: 'dialog',
      tabindex: '-1',
      'aria-labelledby': 't',
      'aria-describedby': 'b',
    });
    if (content.layout === 'modal') box.setAttribute('aria-modal', 'true');
    if (isTooltip()) add(box, 'div', 'arrow');
    const close = add(box, 'button', 'close', '\u00d7');
    close.setAttribute('aria-label', 'Close');
    close.onclick = () => options.onClose();
    const image = safeUrl(content.image);
    if (image) attributes(add(box, 'img', 'image'), { alt: '', src: image });
    const text = add(box, 'div', 'text');
    add(text, 'h2', 'title', fill.text(content.title)).id = 't';
    appendBody(add(text, 'div', 'body'), parseBody(content.body), fill).id = 'b';
    const row = add(box, 'div', 'buttons');
    (content.buttons || []).forEach((button, index) => {
      const primary = !index && button.action !== 'dismiss';
      const node = add(
        row,
        'button',
        primary ? 'button primary' : 'button',
        fill.text(button.label),
      );
      node.onclick = () => options.onButton(button, index);
    });
    if (!container) ((row.firstChild as HTMLElement | null) || box).focus();
    if (isTooltip()) position();
  }

  // The tooltip sits beside its anchor, inside the viewport, and hides while the anchor is gone.
  function position() {
    scheduled = 0;
    const found = anchor();
    const rect = found && found.getBoundingClientRect();
    const present = !!rect && rect.width + rect.height > 0;
    layer.classList.toggle('hidden', !present && !container);
    if (present !== anchorPresent && options.onAnchor) options.onAnchor((anchorPresent = present));
    if (!present || !rect) return;
    const size = box.getBoundingClientRect();
    const side = sideOf(content);
    const across = side === 'top' || side === 'bottom';
    const middleX = rect.left + rect.width / 2;
    const middleY = rect.top + rect.height / 2;
    let left = across
      ? middleX - size.width / 2
      : side === 'left'
        ? rect.left - size.width - GAP_PX
        : rect.right + GAP_PX;
    let top = !across
      ? middleY - size.height / 2
      : side === 'top'
        ? rect.top - size.height - GAP_PX
        : rect.bottom + GAP_PX;
    left = clamp(left, win.innerWidth - size.width - 8);
    top = clamp(top, win.innerHeight - size.height - 8);
    const arrow = across
      ? 'left:' +
        px(clamp(middleX - left - 6, size.width - 22)) +
        (side === 'top' ? ';bottom' : ';top')
      : 'top:' +
        px(clamp(middleY - top - 6, size.height - 22)) +
        (side === 'left' ? ';right' : ';left');
    positionCss = '.tooltip{top:' + px(top) + ';left:' + px(left) + '}.arrow{' + arrow + ':-6px}';
    setCss(themeCss + positionCss);
  }
  function schedulePosition() {
    scheduled = scheduled || win.requestAnimationFrame(position);
  }

  // Escape closes; in a modal, Tab stays inside.
  function onKey(event: KeyboardEvent) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      options.onClose();
    } else if (event.key === 'Tab' && content.layout === 'modal') {
      const focusable = Array.from(root.querySelectorAll('button,a[href]')) as HTMLElement[];
      const count = focusable.length;
      const at = focusable.indexOf(root.activeElement as HTMLElement);
      event.preventDefault();
      if (count) focusable[(at + (event.shiftKey ? count - 1 : 1)) % count].focus();
    }
  }

  const observer = new win.MutationObserver(schedulePosition);
  (container || doc.body).appendChild(host);
  render();
  if (!container) {
    doc.addEventListener('keydown', onKey, true);
    if (isTooltip()) {
      win.addEventListener('scroll', schedulePosition, true);
      win.addEventListener('resize', schedulePosition);
      observer.observe(doc.documentElement, { childList: true, subtree: true, attributes: true });
    }
  }

  return {
    showStep(next) {
      content = next;
      render();
    },
    close() {
      doc.removeEventListener('keydown', onKey, true);
      win.removeEventListener('scroll', schedulePosition, true);
      win.removeEventListener('resize', schedulePosition);
      observer.disconnect();
      host.remove();
      if (!container && previousFocus && previousFocus.isConnected) previousFocus.focus();
    },
  };
}

/** A function that replaces the nudge's own rules (theme, position) after the base sheet. */
function styleSheets(win: Window & typeof globalThis, root: ShadowRoot, nonce?: string) {
  try {
    const sheets = [BASE_CSS, ''].map((css) => {
      const sheet = new win.CSSStyleSheet();
      sheet.replaceSync(css);
      return sheet;
    });
    root.adoptedStyleSheets = sheets;
    return (css: string) => sheets[1].replaceSync(css);
  } catch {
    // Without constructable style sheets: <style> elements, allowed by the CSP's nonce, which
    // the browser checks when they are inserted.
    const styles = [BASE_CSS, ''].map((css) => {
      const style = root.ownerDocument.createElement('style');
      if (nonce) style.setAttribute('nonce', nonce);
      style.textContent = css;
      return root.appendChild(style);
    });
    return (css: string) => (styles[1].textContent = css);
  }
}

function themeRule(content: Content): string {
  const theme = content.theme || {};
  const color = (value: unknown, fallback: string) =>
    typeof value === 'string' && COLOR.test(value.trim()) ? value.trim() : fallback;
  return (
    ':host{--accent:' +
    color(theme.accent, '#2457ff') +
    ';--bg:' +
    color(theme.background, '#fff') +
    ';--fg:' +
    color(theme.text, '#111') +
    '}'
  );
}

function appendBody(into: HTMLElement, nodes: BodyNode[], fill: Fill): HTMLElement {
  for (const node of nodes) {
    if (typeof node === 'string') {
      into.append(fill.text(node));
      continue;
    }
    const child = add(into, node.tag, '');
    if (node.tag === 'a') {
      const href = safeUrl(fill.url(node.href));
      attributes(child, href ? { href, rel: 'noopener' } : { rel: 'noopener' });
    }
    appendBody(child, node.children, fill);
  }
  return into;
}

// A selector the browser cannot read matches nothing.
function queryAnchor(doc: Document, selector: unknown): Element | undefined {
  return attempt(() => (typeof selector === 'string' && doc.querySelector(selector)) || undefined);
}

function sideOf(content: Content): string {
  const side = content.position || '';
  if (content.layout === 'banner') return side === 'top' ? side : 'bottom';
  return content.layout !== 'tooltip' ? '' : /^(top|left|right)$/.test(side) ? side : 'bottom';
}

/** A new element at the end of parent, with its class and text. */
function add(parent: Node, tag: string, className: string, text?: string): HTMLElement {
  const node = (parent.ownerDocument || (parent as Document)).createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return parent.appendChild(node);
}

function attributes(node: Element, values: Record<string, string>) {
  for (const name in values) node.setAttribute(name, values[name]);
}

function clamp(value: number, most: number): number {
  return Math.max(8, Math.min(value, most));
}

function px(value: number): string {
  return Math.round(value) + 'px';
}
