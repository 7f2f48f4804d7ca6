// Draws one nudge: a host element at the end of the body with a shadow root, so that the page's
// CSS does not reach the nudge and the nudge's CSS does not reach the page.
//
// Works under a strict Content-Security-Policy (no inline styles): styles are constructed style
// sheets adopted by the shadow root; where the browser lacks them, <style> elements carrying
// the nonce option. Values from placeholders are set with textContent only.
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
  /** The tooltip's anchor went away or came back. */
  onAnchor?(present: boolean): void;
}

export interface Drawn {
  /** Replaces what the nudge shows with another step. */
  showStep(content: Content): void;
  /** Removes the nudge, and gives focus back to where it was. */
  close(): void;
}

const COLOR = /^(#[\da-f]{3,8}|(rgb|hsl)a?\([\d\s.,%/]+\)|[a-z]{3,20})$/i;
const DEFAULT_THEME = { accent: '#2457ff', background: '#ffffff', text: '#111111' };
let sequence = 0;

/** Draws the nudge; undefined when a tooltip's anchor is not on the page. */
export function draw(options: DrawOptions): Drawn | undefined {
  const { doc, fill } = options;
  const win = doc.defaultView as Window & typeof globalThis;
  let content = options.content;
  const anchorOf = () =>
    content.layout === 'tooltip' ? queryAnchor(doc, content.anchor) : undefined;
  if (content.layout === 'tooltip' && !options.container && !anchorOf()) return undefined;

  const host = doc.createElement('div');
  host.setAttribute('data-beckon-nudge', content.layout);
  if (options.container) host.setAttribute('data-preview', '');
  const root = host.attachShadow({ mode: 'open' });
  const setCss = styleSheets(win, root, options.nonce);
  const layer = element(doc, 'div', 'layer');
  root.appendChild(layer);
  const previousFocus = doc.activeElement as HTMLElement | null;
  const id = 'beckon-nudge-' + ++sequence;
  let themeCss = '';
  let positionCss = '';

  function render() {
    layer.className = 'layer ' + content.layout + ' ' + positionOf(content);
    layer.textContent = '';
    themeCss = themeRule(content);
    setCss(themeCss + positionCss);
    const box = element(doc, 'div', 'box');
    box.setAttribute('role', 'dialog');
    box.setAttribute('tabindex', '-1');
    if (content.layout === 'modal') box.setAttribute('aria-modal', 'true');
    if (content.layout === 'tooltip') box.appendChild(element(doc, 'div', 'arrow'));
    box.appendChild(closeButton());
    const image = safeUrl(content.image);
    if (image) {
      const img = element(doc, 'img', 'image') as HTMLImageElement;
      img.alt = '';
      img.src = image;
      box.appendChild(img);
    }
    const text = element(doc, 'div', 'text');
    const title = element(doc, 'h2', 'title');
    title.id = id + '-title';
    title.textContent = fill.text(content.title);
    box.setAttribute('aria-labelledby', title.id);
    const body = element(doc, 'div', 'body');
    body.id = id + '-body';
    appendBody(doc, body, parseBody(content.body), fill);
    box.setAttribute('aria-describedby', body.id);
    text.append(title, body);
    box.appendChild(text);
    box.appendChild(buttonRow());
    layer.appendChild(box);
    if (!options.container) {
      const first = box.querySelector('.button') as HTMLElement | null;
      (first || box).focus();
    }
    if (content.layout === 'tooltip') position();
  }

  function closeButton() {
    const button = element(doc, 'button', 'close') as HTMLButtonElement;
    button.type = 'button';
    button.setAttribute('aria-label', 'Close');
    button.textContent = '\u00d7';
    button.addEventListener('click', () => options.onClose());
    return button;
  }

  function buttonRow() {
    const row = element(doc, 'div', 'buttons');
    (content.buttons || []).forEach((button, index) => {
      const primary = index === 0 && button.action !== 'dismiss';
      const node = element(
        doc,
        'button',
        primary ? 'button primary' : 'button',
      ) as HTMLButtonElement;
      node.type = 'button';
      node.textContent = fill.text(button.label);
      node.addEventListener('click', () => options.onButton(button, index));
      row.appendChild(node);
    });
    return row;
  }

  // The tooltip sits beside its anchor, inside the viewport, and hides while the anchor is gone.
  let scheduled = false;
  let anchorPresent = true;
  function position() {
    scheduled = false;
    const anchor = anchorOf();
    const box = layer.querySelector('.box') as HTMLElement | null;
    const rect = anchor && anchor.getBoundingClientRect();
    const present = !!rect && (rect.width > 0 || rect.height > 0);
    layer.classList.toggle('hidden', !present && !options.container);
    if (present !== anchorPresent) {
      anchorPresent = present;
      if (options.onAnchor) options.onAnchor(present);
    }
    if (!box || !rect) return;
    const size = box.getBoundingClientRect();
    const side = positionOf(content);
    const gap = 12;
    let top =
      side === 'top' ? rect.top - size.height - gap : side === 'bottom' ? rect.bottom + gap : 0;
    let left =
      side === 'left' ? rect.left - size.width - gap : side === 'right' ? rect.right + gap : 0;
    if (side === 'top' || side === 'bottom') left = rect.left + rect.width / 2 - size.width / 2;
    else top = rect.top + rect.height / 2 - size.height / 2;
    left = clamp(left, 8, win.innerWidth - size.width - 8);
    top = clamp(top, 8, win.innerHeight - size.height - 8);
    const arrowX = clamp(rect.left + rect.width / 2 - left - 6, 10, size.width - 22);
    const arrowY = clamp(rect.top + rect.height / 2 - top - 6, 10, size.height - 22);
    const arrow =
      side === 'top' || side === 'bottom'
        ? 'left:' + px(arrowX) + (side === 'top' ? ';bottom:-6px' : ';top:-6px')
        : 'top:' + px(arrowY) + (side === 'left' ? ';right:-6px' : ';left:-6px');
    positionCss = '.tooltip{top:' + px(top) + ';left:' + px(left) + '}.arrow{' + arrow + '}';
    setCss(themeCss + positionCss);
  }
  function schedulePosition() {
    if (scheduled) return;
    scheduled = true;
    win.requestAnimationFrame(position);
  }

  // Escape closes; in a modal, Tab stays inside.
  function onKey(event: KeyboardEvent) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      options.onClose();
    } else if (event.key === 'Tab' && content.layout === 'modal') {
      const focusable = Array.from(root.querySelectorAll('button, a[href]')) as HTMLElement[];
      const at = focusable.indexOf(root.activeElement as HTMLElement);
      const next = event.shiftKey
        ? at <= 0
          ? focusable.length - 1
          : at - 1
        : (at + 1) % focusable.length;
      event.preventDefault();
      if (focusable[next]) focusable[next].focus();
    }
  }

  const observer = win.MutationObserver && new win.MutationObserver(schedulePosition);
  (options.container || doc.body || doc.documentElement).appendChild(host);
  render();
  if (!options.container) {
    doc.addEventListener('keydown', onKey, true);
    if (content.layout === 'tooltip') {
      win.addEventListener('scroll', schedulePosition, true);
      win.addEventListener('resize', schedulePosition);
      if (observer)
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
      if (observer) observer.disconnect();
      host.remove();
      if (!options.container && previousFocus && previousFocus.isConnected && previousFocus.focus) {
        previousFocus.focus();
      }
    },
  };
}

/** A function that replaces the nudge's own rules (theme, position) after the base sheet. */
function styleSheets(
  win: Window & typeof globalThis,
  root: ShadowRoot,
  nonce?: string,
): (css: string) => void {
  try {
    const base = new win.CSSStyleSheet();
    base.replaceSync(BASE_CSS);
    const own = new win.CSSStyleSheet();
    root.adoptedStyleSheets = [base, own];
    return (css) => own.replaceSync(css);
  } catch {
    // Without constructable style sheets: <style> elements, allowed by the CSP's nonce.
    const doc = root.ownerDocument;
    const styles = [BASE_CSS, ''].map((css) => {
      const style = doc.createElement('style');
      if (nonce) style.setAttribute('nonce', nonce);
      style.textContent = css;
      root.appendChild(style);
      return style;
    });
    return (css) => (styles[1].textContent = css);
  }
}

function themeRule(content: Content): string {
  const theme = content.theme || {};
  const color = (value: unknown, fallback: string) =>
    typeof value === 'string' && COLOR.test(value.trim()) ? value.trim() : fallback;
  return (
    ':host{--accent:' +
    color(theme.accent, DEFAULT_THEME.accent) +
    ';--bg:' +
    color(theme.background, DEFAULT_THEME.background) +
    ';--fg:' +
    color(theme.text, DEFAULT_THEME.text) +
    ';--on-accent:#fff}'
  );
}

function appendBody(doc: Document, into: Node, nodes: BodyNode[], fill: Fill) {
  for (const node of nodes) {
    if (typeof node === 'string') {
      into.appendChild(doc.createTextNode(fill.text(node)));
      continue;
    }
    const child = doc.createElement(node.tag);
    if (node.tag === 'a') {
      const href = safeUrl(fill.url(node.href));
      if (href) child.setAttribute('href', href);
      child.setAttribute('rel', 'noopener noreferrer');
    }
    appendBody(doc, child, node.children, fill);
    into.appendChild(child);
  }
}

function queryAnchor(doc: Document, selector: unknown): Element | undefined {
  try {
    return (typeof selector === 'string' && doc.querySelector(selector)) || undefined;
  } catch {
    return undefined;
  }
}

function positionOf(content: Content): string {
  const position = content.position;
  if (content.layout === 'banner') return position === 'top' ? 'top' : 'bottom';
  if (content.layout === 'tooltip') {
    return position === 'top' || position === 'left' || position === 'right' ? position : 'bottom';
  }
  return '';
}

function element(doc: Document, tag: string, className: string): HTMLElement {
  const node = doc.createElement(tag);
  node.className = className;
  return node;
}

function clamp(value: number, least: number, most: number): number {
  return Math.max(least, Math.min(value, Math.max(least, most)));
}

function px(value: number): string {
  return Math.round(value) + 'px';
}
