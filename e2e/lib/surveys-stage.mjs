/*
 * The stage of the surveys plugin's browser tests, in the way of lib/nudges-stage.mjs: a small
 * HTTP server on 127.0.0.1 that serves the freshly built SDK files (sdk/web/dist) under /sdk/, a
 * shop page that starts the nudges and surveys plugins, a config that the test sets (answered as
 * docs/campaigns.md says: 200 with an ETag, 304 to a matching If-None-Match), and that collects
 * what the SDK posts to /ingest/.
 *
 * The shop page (GET /shop/...) loads /sdk/beckon-full.js and /shop/init.js with no inline
 * script, so that it also runs under the strict Content-Security-Policy of ?csp=1; ?csp=nonce is
 * a nonce policy in a browser without constructable style sheets; ?css=hostile adds a style
 * sheet that resets every element of the page; ?sdk=split loads beckon.js, beckon-nudges.js
 * and beckon-surveys.js instead of the combined file. /shop/editor draws a preview, as the
 * dashboard's editor would.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../sdk/web/dist');
export const SITE_ID = 'demo';
const NONCE = 'c3VydmV5';

const OLD_BROWSER_SCRIPT = `<script src="/shop/old-browser.js" nonce="${NONCE}"></script>`;
const SCRIPTS = {
  full: ['beckon-full.js'],
  split: ['beckon.js', 'beckon-nudges.js', 'beckon-surveys.js'],
};

const PAGE = (query) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shoes · Demo shop</title>
<link rel="stylesheet" href="/shop/shop.css">
${query.get('css') === 'hostile' ? '<link rel="stylesheet" href="/shop/hostile.css">' : ''}
${query.get('csp') === 'nonce' ? OLD_BROWSER_SCRIPT : ''}
${SCRIPTS[query.get('sdk') === 'split' ? 'split' : 'full']
  .map((file) => `<script src="/sdk/${file}" nonce="${NONCE}"></script>`)
  .join('\n')}
<script src="/shop/init.js" nonce="${NONCE}"></script>
</head><body>
<header><strong>Demo shop</strong> <a id="help" href="#help">Help</a></header>
<main>
<h1>Shoes</h1>
<p><button id="back" type="button">← Back</button></p>
<ul class="products">
${[1, 2, 3, 4, 5, 6]
  .map((n) => `<li><button class="product" data-id="${n}">Runner ${n}</button></li>`)
  .join('\n')}
</ul>
</main>
</body></html>`;

const SHOP_CSS = `body{font-family:Georgia,serif;margin:0;background:#f4f1ea;color:#333}
header{display:flex;justify-content:space-between;padding:16px 24px;background:#22313f;color:#fff}
header a{color:#fff}main{padding:24px}
.products{list-style:none;padding:0;display:grid;grid-template-columns:repeat(3,1fr);gap:16px}
.product{width:100%;height:120px;border:1px solid #ccc;background:#fff;font-size:16px}`;

// A host page that breaks everything it can, within reason.
const HOSTILE_CSS = `*{all:unset!important}
div,button,input,label,fieldset,legend,h2,p,span{font-size:40px!important;color:red!important;
background:yellow!important;display:inline!important;opacity:1!important}
body>*{position:static!important;z-index:0!important}`;

const OLD_BROWSER_JS = 'delete CSSStyleSheet.prototype.replaceSync;';

// The dashboard editor's use of the plugin: preview(container, content), without the SDK.
const EDITOR = `<!doctype html><html><head><meta charset="utf-8"><title>Editor</title>
<link rel="stylesheet" href="/shop/shop.css"><script src="/sdk/beckon-surveys.js"></script></head>
<body><main><h1>Preview</h1><input id="name" value="Survey name">
<div id="preview" style="width:600px;height:440px;border:1px dashed #999;background:#fff"></div>
</main></body></html>`;

// With the split files, the plugins go in deps; the combined file adds them by itself.
const INIT_JS = `Beckon.init('${SITE_ID}', {
  endpoint: location.origin,
  plugins: ['nudges', 'surveys'],
  deps: window.BeckonSurveys ? [BeckonNudges, BeckonSurveys] : [],
  flushIntervalMs: 100,
});
document.addEventListener('click', (event) => {
  if (event.target.id !== 'back') return;
  Beckon.logClientEvent('SoftBackPressed', { page: location.pathname });
});`;

/** Starts the stage; stop() in every case. */
export async function startStage() {
  const stage = {
    config: { refreshSeconds: 30, campaigns: [] },
    events: [],
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
  const policies = {
    1: "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'",
    nonce:
      `default-src 'none'; script-src 'nonce-${NONCE}'; style-src 'self' 'nonce-${NONCE}';` +
      ` connect-src 'self'`,
  };
  const files = {
    '/shop/shop.css': ['text/css', SHOP_CSS],
    '/shop/hostile.css': ['text/css', HOSTILE_CSS],
    '/shop/old-browser.js': ['text/javascript', OLD_BROWSER_JS],
    '/shop/init.js': ['text/javascript', INIT_JS],
    '/shop/editor': ['text/html', EDITOR],
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://stage');
    const send = (status, type, body, headers = {}) => {
      response.writeHead(status, { 'Content-Type': type, ...headers });
      response.end(body);
    };
    if (url.pathname.startsWith('/sdk/')) {
      try {
        send(200, 'text/javascript', readFileSync(path.join(DIST, path.basename(url.pathname))));
      } catch {
        send(404, 'text/plain', 'no such file');
      }
    } else if (files[url.pathname]) {
      send(200, ...files[url.pathname]);
    } else if (url.pathname.startsWith('/shop/')) {
      const policy = policies[url.searchParams.get('csp')];
      send(
        200,
        'text/html',
        PAGE(url.searchParams),
        policy ? { 'Content-Security-Policy': policy } : {},
      );
    } else if (url.pathname === '/config/' + SITE_ID) {
      const body = JSON.stringify(stage.config);
      const etag = '"' + createHash('sha256').update(body).digest('hex').slice(0, 16) + '"';
      if (request.headers['if-none-match'] === etag)
        return send(304, 'text/plain', '', { ETag: etag });
      send(200, 'application/json', body, { ETag: etag, 'Cache-Control': 'private, max-age=0' });
    } else if (url.pathname === '/ingest/' + SITE_ID && request.method === 'POST') {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const batch = JSON.parse(body);
        stage.events.push(...batch.events);
        send(
          200,
          'application/json',
          JSON.stringify({ accepted: batch.events.length, duplicates: 0, rejected: [] }),
        );
      });
    } else {
      send(404, 'text/plain', 'not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  stage.origin = 'http://127.0.0.1:' + server.address().port;
  /** The events that reached the stage whose names start so, in order, each id once. */
  stage.eventsNamed = (prefix) => {
    const seen = new Set();
    return stage.events.filter(
      (event) => event.name.startsWith(prefix) && !seen.has(event.id) && seen.add(event.id),
    );
  };
  return stage;
}

/** docs/surveys.md's survey, triggered by the soft back button, changed by overrides. */
export function survey(id, overrides = {}, contentOverrides = {}) {
  return {
    id,
    kind: 'survey',
    priority: 10,
    version: 1,
    variant: 'test',
    trigger: { on: { kind: 'event', event: 'SoftBackPressed' } },
    caps: { total: 1, stopAfterDismiss: true },
    content: {
      layout: 'modal',
      theme: { accent: '#2457ff', background: '#ffffff', text: '#111111' },
      intro: {
        title: 'Two quick questions',
        body: 'It takes <b>ten seconds</b>.',
        button: 'Start',
      },
      questions: [
        {
          id: 'nps',
          type: 'nps',
          text: 'How likely are you to recommend us, {username|friend}?',
          required: true,
          lowLabel: 'Not at all',
          highLabel: 'Very likely',
          logic: [{ if: { op: 'gte', value: 9 }, goTo: 'end' }],
        },
        {
          id: 'why',
          type: 'single',
          text: 'What held you back?',
          required: false,
          choices: ['Price', 'Delivery time', 'Choice of sizes'],
          other: true,
          logic: [{ if: { op: 'is', value: 'Price' }, goTo: 'wish' }],
        },
        { id: 'stars', type: 'rating', scale: 'stars', text: 'Rate the checkout', required: false },
        {
          id: 'wish',
          type: 'text',
          long: true,
          text: 'Anything else?',
          required: false,
          placeholder: 'Tell us',
          maxLength: 2000,
        },
      ],
      thanks: { title: 'Thank you!', body: 'We read every answer.' },
      ...contentOverrides,
    },
    goal: null,
    history: { asOf: new Date().toISOString(), events: [] },
    ...overrides,
  };
}
