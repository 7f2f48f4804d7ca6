// Just enough of a DOM for the surveys plugin in the fake browser (fake-browser.mjs): elements
// with attributes, classes, text and children, a shadow root, focus, form controls, and a
// selector matcher for tag names, classes and [name=value] lists. What a visitor does is done
// by the helpers at the end (choose, type, submit); layout, CSS and the keyboard's default
// actions are the real browser's business, tested in e2e/test/surveys.test.mjs.

class FakeNode {
  constructor(document, tagName) {
    this.ownerDocument = document;
    this.tagName = tagName.toUpperCase();
    this.childNodes = [];
    this.parentNode = null;
    this.attributes = new Map();
    this.value = '';
    this.checked = false;
    this.className = '';
    const node = this;
    this.classList = {
      add: (...names) => names.forEach((name) => node.setClass(name, true)),
      toggle: (name, on) => node.setClass(name, on === undefined ? !node.hasClass(name) : on),
      contains: (name) => node.hasClass(name),
    };
  }
  get id() {
    return this.getAttribute('id') || '';
  }
  set id(value) {
    this.setAttribute('id', value);
  }
  get type() {
    return this.getAttribute('type') || '';
  }
  get name() {
    return this.getAttribute('name') || '';
  }
  // It parses no HTML: like a page that enforces Trusted Types, it refuses markup as a string.
  set innerHTML(html) {
    throw new TypeError('the fake DOM parses no HTML');
  }
  set placeholder(value) {
    this.setAttribute('placeholder', value);
  }
  hasClass(name) {
    return this.className.split(' ').includes(name);
  }
  setClass(name, on) {
    const names = this.className.split(' ').filter((each) => each && each !== name);
    this.className = (on ? names.concat(name) : names).join(' ');
  }
  setAttribute(name, value) {
    this.attributes.set(name, String(value));
    if (name === 'value') this.value = String(value);
  }
  getAttribute(name) {
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }
  get lastChild() {
    return this.childNodes[this.childNodes.length - 1] || null;
  }
  get parentElement() {
    return this.parentNode instanceof FakeNode ? this.parentNode : null;
  }
  get textContent() {
    return this.childNodes
      .map((child) => (typeof child === 'string' ? child : child.textContent))
      .join('');
  }
  set textContent(text) {
    this.childNodes.forEach((child) => typeof child !== 'string' && (child.parentNode = null));
    this.childNodes = text === '' ? [] : [String(text)];
  }
  append(...items) {
    items.forEach((item) =>
      typeof item === 'string' ? this.childNodes.push(item) : this.appendChild(item),
    );
  }
  appendChild(child) {
    if (child.parentNode) child.remove();
    child.parentNode = this;
    this.childNodes.push(child);
    return child;
  }
  remove() {
    if (!this.parentNode) return;
    const siblings = this.parentNode.childNodes;
    siblings.splice(siblings.indexOf(this), 1);
    this.parentNode = null;
  }
  get isConnected() {
    let node = this;
    while (node.parentNode) node = node.parentNode;
    return node === this.ownerDocument.documentElement || (node.host && node.host.isConnected);
  }
  attachShadow() {
    const root = new FakeNode(this.ownerDocument, '#shadow-root');
    root.host = this;
    root.adoptedStyleSheets = [];
    root.getElementById = (id) => root.querySelector('#' + id);
    Object.defineProperty(root, 'activeElement', {
      get: () => {
        const active = this.ownerDocument.focused;
        return active && active.getRootNode() === root ? active : null;
      },
    });
    return (this.shadowRoot = root);
  }
  getRootNode() {
    let node = this;
    while (node.parentNode) node = node.parentNode;
    return node;
  }
  focus() {
    this.ownerDocument.focused = this;
  }
  /** Every element below this one, in document order. */
  descendants() {
    return this.childNodes
      .filter((child) => typeof child !== 'string')
      .flatMap((child) => [child, ...child.descendants()]);
  }
  querySelectorAll(selectors) {
    const tests = selectors.split(',').map((selector) => matcher(selector.trim()));
    return this.descendants().filter((node) => tests.some((test) => test(node)));
  }
  querySelector(selectors) {
    return this.querySelectorAll(selectors)[0] || null;
  }
  /** Fires the handler property (onclick...) of this node and of those above it. */
  fire(type, event = {}) {
    for (let node = this; node; node = node.parentNode) {
      if (typeof node['on' + type] === 'function') node['on' + type](event);
    }
  }
}

// tag, .class, #id, [name] and [name=value], in one compound selector.
function matcher(selector) {
  const parts = selector.match(/^([a-z]*)((?:[.#][\w-]+|\[[\w-]+(?:=[^\]]+)?\])*)$/i);
  if (!parts) throw new Error('the fake DOM cannot read ' + selector);
  const tag = parts[1].toUpperCase();
  const rest = parts[2].match(/[.#][\w-]+|\[[\w-]+(?:=[^\]]+)?\]/g) || [];
  return (node) =>
    (!tag || node.tagName === tag) &&
    rest.every((part) => {
      if (part[0] === '.') return node.hasClass(part.slice(1));
      if (part[0] === '#') return node.id === part.slice(1);
      const [name, value] = part.slice(1, -1).split('=');
      const actual = node.getAttribute(name);
      return value === undefined ? actual !== null : actual === value.replace(/^"|"$/g, '');
    });
}

/** Gives the fake browser's page a document with a body, elements and focus. */
export function installDom(page) {
  const document = page.window.document;
  document.focused = null;
  document.documentElement = new FakeNode(document, 'html');
  document.body = document.documentElement.appendChild(new FakeNode(document, 'body'));
  document.createElement = (tag) => new FakeNode(document, tag);
  document.createElementNS = (namespace, tag) => new FakeNode(document, tag);
  document.defaultView = page.window;
  Object.defineProperty(document, 'activeElement', {
    get: () => {
      let active = document.focused;
      while (active && active.getRootNode().host) active = active.getRootNode().host;
      return active && active.isConnected ? active : document.body;
    },
  });
  // Keys reach the listeners of the page's document, such as the survey's Escape.
  const keys = new EventTarget();
  const listen = document.addEventListener;
  document.addEventListener = (type, listener, options) =>
    type === 'keydown' ? keys.addEventListener(type, listener, options) : listen(type, listener);
  document.removeEventListener = (type, listener, options) =>
    keys.removeEventListener(type, listener, options);
  page.pressKey = (key) => keys.dispatchEvent(Object.assign(new Event('keydown'), { key }));
  page.window.CSSStyleSheet = class {
    replaceSync(css) {
      this.css = css;
    }
  };
}

/** The survey's shadow root on the page, or null. */
export function surveyOf(page) {
  const host = page.window.document.body.querySelector('div[data-beckon-survey]');
  return host && host.shadowRoot;
}

/** Chooses the radio button or checkbox whose label text (or aria-label) is label. */
export function choose(root, label) {
  const input = root
    .querySelectorAll('input')
    .find(
      (each) => each.getAttribute('aria-label') === label || each.parentNode.textContent === label,
    );
  if (!input) throw new Error('no choice ' + label);
  if (input.type === 'radio') {
    root
      .querySelectorAll('input')
      .forEach((each) => each.name === input.name && (each.checked = false));
    input.checked = true;
  } else input.checked = !input.checked;
  input.fire('change');
}

/** Types text into the field whose aria-label is label, or into the first text field. */
export function type(root, text, label) {
  const field = label
    ? root.querySelectorAll('input').find((each) => each.getAttribute('aria-label') === label)
    : root.querySelector('textarea') || root.querySelector('input[id=a]');
  field.value = text;
  field.fire('input');
}

/** Presses the screen's button (Next, Skip, Submit, Start, Close), as Enter does. */
export function submit(root) {
  root.querySelector('form').fire('submit', { preventDefault() {} });
}

/** The close button. */
export function close(root) {
  root.querySelector('.close').fire('click');
}
