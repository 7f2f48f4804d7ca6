// Draws one nudge: a host element at the end of the body with a shadow root, so that the page's
// CSS does not reach the nudge and the nudge's CSS does not reach the page.
//
// Works under a strict Content-Security-Policy (no inline styles): the style sheet is a
// constructed one adopted by the shadow root; where the browser lacks those, a <style> element
// carrying the nonce option. The theme's colours and the tooltip's place are set through the
// CSSOM (element.style), which a policy does not restrict. Values from placeholders are set with
// textContent only.
import { attempt } from '../attempt';
import type { Button, Content } from './campaign';
import { appendBody, attributes, safeUrl } from './markup';
import { fillText, fillUrl, type Lookup } from './placeholders';
import { BASE_CSS, PREVIEW_CSS } from './styles';

export interface DrawOptions {
  doc: Document;
  content: Content;
  /** The values of the placeholders in texts and URLs. */
  lookup: Lookup;
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

const GAP_PX = 12;

// Whether this build draws the dashboard's preview (DrawOptions.container). The plugin's
// script-tag file, dist/beckon-nudges.js, is built with BECKON_PREVIEW false, so that it carries
// none of the preview's code; dist/beckon-nudges-preview.js draws previews. A build that does not
// define it (the npm module, dist/beckon-full.js) has both.
declare const BECKON_PREVIEW: boolean | undefined;
const PREVIEW = typeof BECKON_PREVIEW === 'undefined' || BECKON_PREVIEW;

/** Draws the nudge; undefined when a tooltip's anchor is not on the page. */
export function draw(options: DrawOptions): Drawn | undefined {
  const { doc, lookup } = options;
  const container = PREVIEW ? options.container : undefined;
  const win = doc.defaultView as Window & typeof globalThis;
  let content = options.content;
  const anchor = () => queryAnchor(doc, content.anchor);
  const isTooltip = () => content.layout === 'tooltip';
  if (isTooltip() && !container && !anchor()) return undefined;

  const host = doc.createElement('div');
  host.setAttribute('data-beckon-nudge', content.layout);
  if (container) host.setAttribute('data-preview', '');
  const root = host.attachShadow({ mode: 'open' });
  adoptStyleSheet(win, root, options.nonce);
  const previousFocus = doc.activeElement as HTMLElement | null;
  let layer: HTMLElement | undefined;
  let box: HTMLElement;
  let arrow: HTMLElement;
  let anchorPresent = true;
  let scheduled = 0;

  // Ids are the shadow root's own, so every nudge can use the same. Each step gets a new layer,
  // so that nothing of the step before (a tooltip's place) stays.
  function render() {
    if (layer) layer.remove();
    layer = add(root, 'div', 'layer ' + content.layout + ' ' + sideOf(content));
    const theme = content.theme || {};
    setColor(layer, 'accent', theme.accent, '#2457ff');
    setColor(layer, 'bg', theme.background, '#fff');
    setColor(layer, 'fg', theme.text, '#111');
    box = add(layer, 'div', 'box');
    attributes(box, {
      role: 'dialog',
      tabindex: '-1',
      // A nudge without a title is named by its body.
      // A nudge without a title is named by its body.
      'aria-labelledby': content.title ? 't' : 'b',
      'aria-describedby': 'b',
    });
    if (content.layout === 'modal') box.setAttribute('aria-modal', 'true');
    if (isTooltip()) arrow = add(box, 'div', 'arrow');
    const close = add(box, 'button', 'close', '\u00d7');
    close.setAttribute('aria-label', 'Close');
    close.onclick = () => options.onClose();
    const image = safeUrl(content.image);
    if (image) attributes(add(box, 'img', 'image'), { alt: '', src: image });
    const text = add(box, 'div', 'text');
    add(text, 'h2', 'title', fillText(content.title, lookup)).id = 't';
    appendBody(
      add(text, 'div', 'body'),
      content.body,
      (body) => fillText(body, lookup),
      (url) => fillUrl(url, lookup),
    ).id = 'b';
    const row = add(box, 'div', 'buttons');
    (content.buttons || []).forEach((button, index) => {
      const primary = !index && button.action !== 'dismiss';
      const node = add(
        row,
        'button',
        primary ? 'button primary' : 'button',
        fillText(button.label, lookup),
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
    const style = (layer as HTMLElement).style;
    style.display = present || container ? '' : 'none';
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
    style.left = px((left = clamp(left, win.innerWidth - size.width - 8)));
    style.top = px((top = clamp(top, win.innerHeight - size.height - 8)));
    // The arrow sticks out of the side that faces the anchor, across from it.
    const arrowStyle = arrow.style;
    if (across) arrowStyle.left = px(clamp(middleX - left - 6, size.width - 22));
    else arrowStyle.top = px(clamp(middleY - top - 6, size.height - 22));
    arrowStyle.setProperty(
      { top: 'bottom', bottom: 'top', left: 'right', right: 'left' }[side] as string,
      '-6px',
    );
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

/** The base style sheet, adopted by the shadow root, or in a <style> element with the nonce. */
function adoptStyleSheet(win: Window & typeof globalThis, root: ShadowRoot, nonce?: string) {
  const css = PREVIEW ? BASE_CSS + PREVIEW_CSS : BASE_CSS;
  try {
    const sheet = new win.CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    // The browser checks the nonce when the element is inserted.
    const style = root.ownerDocument.createElement('style');
    if (nonce) style.setAttribute('nonce', nonce);
    style.textContent = css;
    root.appendChild(style);
  }
}

/**
 * A theme colour, as a custom property of the layer. The server lets through only #rgb and
 * #rrggbb (CampaignParser), so a colour is not checked again here; one that is not a string is the
 * default.
 */
function setColor(layer: HTMLElement, name: string, value: unknown, fallback: string) {
  layer.style.setProperty('--' + name, typeof value === 'string' ? value : fallback);
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

function clamp(value: number, most: number): number {
  return Math.max(8, Math.min(value, most));
}

function px(value: number): string {
  return Math.round(value) + 'px';
}
