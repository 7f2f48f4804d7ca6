/*
 * The stage of the nudges plugin's browser tests: a small HTTP server on 127.0.0.1 that serves
 * the freshly built SDK files (sdk/web/dist) under /sdk/, a shop page, a campaigns config that
 * the test sets, and that collects what the SDK posts to /ingest/. It stands in for the Beckon
 * server until the server's config endpoint (docs/campaigns.md) is on this branch; it answers
 * the config as the contract says: 200 with an ETag, 304 to a matching If-None-Match.
 *
 * The shop page (GET /shop/...) loads /sdk/beckon-full.js and /shop/init.js with no inline
 * script, so that it also runs under the strict Content-Security-Policy of ?csp=1; ?csp=nonce is
 * a nonce policy in a browser without constructable style sheets, ?csp=tt the strict policy that
 * also enforces Trusted Types. ?css=hostile
 * adds a style sheet that resets every element of the page.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../sdk/web/dist');
export const SITE_ID = 'demo';

// The nonce of ?csp=nonce: a page whose policy allows only the styles that carry it.
const NONCE = 'c2hvZXM';

// A browser without constructable style sheets, as before Safari 16.4.
const OLD_BROWSER_JS = 'delete CSSStyleSheet.prototype.replaceSync;';

const PAGE = (query) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shoes · Demo shop</title>
<link rel="stylesheet" href="/shop/shop.css">
${query.get('css') === 'hostile' ? '<link rel="stylesheet" href="/shop/hostile.css">' : ''}
${query.get('csp') === 'nonce' ? `<script src="/shop/old-browser.js" nonce="${NONCE}"></script>` : ''}
${
  query.get('sdk') === 'split'
    ? '<script src="/sdk/beckon.js"></script><script src="/sdk/beckon-nudges.js"></script>'
    : `<script src="/sdk/beckon-full.js" nonce="${NONCE}"></script>`
}
<script src="/shop/init.js" nonce="${NONCE}"></script>
</head><body>
<header><strong>Demo shop</strong> <a id="help" href="#help">Help</a></header>
<main>
<h1>Shoes</h1>
<ul class="products">
${[1, 2, 3, 4, 5, 6]
  .map((n) => `<li><button class="product" data-id="${n}">Runner ${n}</button></li>`)
  .join('\n')}
</ul>
<div class="spacer"></div>
<section id="reviews">Reviews</section>
</main>
</body></html>`;

const SHOP_CSS = `body{font-family:Georgia,serif;margin:0;background:#f4f1ea;color:#333}
header{display:flex;justify-content:space-between;padding:16px 24px;background:#22313f;color:#fff}
header a{color:#fff}main{padding:24px}
.products{list-style:none;padding:0;display:grid;grid-template-columns:repeat(3,1fr);gap:16px}
.product{width:100%;height:120px;border:1px solid #ccc;background:#fff;font-size:16px}
.spacer{height:1600px}.preview{width:600px;height:360px;border:1px dashed #999;background:#fff}`;

// An illustration for the modal's image.
const SHOE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="840" height="360"
viewBox="0 0 840 360">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#dfe7ff"/>
<stop offset="1" stop-color="#f6e7ff"/></linearGradient></defs>
<rect width="840" height="360" fill="url(#g)"/>
<path d="M250 250c40-10 90-60 120-110 20 20 60 30 90 25 30 40 90 55 150 60
30 3 40 30 20 40H240c-20 0-20-12 10-15z"
fill="#2457ff"/><path d="M240 265h390v18H240z" fill="#111a3a"/>
<circle cx="420" cy="175" r="6" fill="#fff"/>
<circle cx="445" cy="185" r="6" fill="#fff"/><circle cx="470" cy="195" r="6" fill="#fff"/></svg>`;

// The dashboard editor's use of the plugin's preview file: preview(container, content), without
// the SDK.
const EDITOR = `<!doctype html><html><head><meta charset="utf-8"><title>Editor</title>
<link rel="stylesheet" href="/shop/shop.css"><script src="/sdk/beckon-nudges-preview.js"></script></head>
<body><main><h1>Preview</h1><div id="preview" class="preview"></div></main></body></html>`;

// A host page that breaks everything it can, within reason.
const HOSTILE_CSS = `*{all:unset!important}
div,button,h2,p{font-size:40px!important;color:red!important;background:yellow!important;
display:inline!important}
body>*{position:static!important;z-index:0!important}`;

// With the split files, the plugin goes in deps; the combined file adds it by itself.
const INIT_JS = `Beckon.init('${SITE_ID}', {
  endpoint: location.origin,
  plugins: ['nudges'],
  deps: window.BeckonNudges ? [BeckonNudges] : [],
  flushIntervalMs: 100,
});`;

/** Starts the stage; stop() in every case. */
export async function startStage() {
  const stage = {
    config: { refreshSeconds: 30, minGapSeconds: 0, campaigns: [] },
    events: [],
    configRequests: [],
    stop: () => new Promise((resolve) => server.close(resolve)),
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
    } else if (url.pathname === '/shop/shop.css') {
      send(200, 'text/css', SHOP_CSS);
    } else if (url.pathname === '/shop/hostile.css') {
      send(200, 'text/css', HOSTILE_CSS);
    } else if (url.pathname === '/shop/old-browser.js') {
      send(200, 'text/javascript', OLD_BROWSER_JS);
    } else if (url.pathname === '/shop/init.js') {
      send(200, 'text/javascript', INIT_JS);
    } else if (url.pathname === '/shop/shoe.svg') {
      send(200, 'image/svg+xml', SHOE_SVG);
    } else if (url.pathname === '/shop/editor') {
      send(200, 'text/html', EDITOR);
    } else if (url.pathname.startsWith('/shop/')) {
      const policies = {
        1: "script-src 'self'; style-src 'self'",
        nonce: `script-src 'nonce-${NONCE}'; style-src 'self' 'nonce-${NONCE}'`,
        tt: "script-src 'self'; style-src 'self'; require-trusted-types-for 'script'",
      };
      const policy = policies[url.searchParams.get('csp')];
      const headers = policy ? { 'Content-Security-Policy': policy } : {};
      send(200, 'text/html', PAGE(url.searchParams), headers);
    } else if (url.pathname === '/config/' + SITE_ID) {
      stage.configRequests.push({
        query: url.search,
        ifNoneMatch: request.headers['if-none-match'],
      });
      const body = JSON.stringify(stage.config);
      const etag = '"' + createHash('sha256').update(body).digest('hex').slice(0, 16) + '"';
      if (request.headers['if-none-match'] === etag)
        return send(304, 'text/plain', '', { ETag: etag });
      send(200, 'application/json', body, {
        ETag: etag,
        'Cache-Control': 'private, max-age=0, must-revalidate',
      });
    } else if (url.pathname === '/ingest/' + SITE_ID && request.method === 'POST') {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const batch = JSON.parse(body);
        stage.events.push(...batch.events);
        send(
          200,
          'application/json',
          JSON.stringify({
            accepted: batch.events.length,
            duplicates: 0,
            rejected: [],
          }),
        );
      });
    } else {
      send(404, 'text/plain', 'not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  stage.origin = 'http://127.0.0.1:' + server.address().port;
  /** The campaign events that reached the stage, as [name, campaignId, extra] in order. */
  stage.campaignEvents = () =>
    stage.events
      .filter((event) => event.name.startsWith('$campaign_'))
      .map((event) => [event.name, event.properties.campaignId, event.properties.reason]);
  return stage;
}

/** A nudge campaign of the config, with a modal, changed by overrides. */
export function campaign(id, on, overrides = {}) {
  return {
    id,
    kind: 'nudge',
    priority: 10,
    version: 1,
    variant: 'test',
    trigger: { on },
    caps: {},
    content: {
      layout: 'modal',
      title: 'Hi {username|there}, can’t find your shoes?',
      body: 'Our <b>sizing guide</b> helps you pick the right pair in two minutes.',
      buttons: [
        { label: 'Open the guide', action: 'url', url: '/guide?u={username|}' },
        { label: 'No thanks', action: 'dismiss' },
      ],
    },
    goal: null,
    history: { asOf: new Date().toISOString(), events: [] },
    ...overrides,
  };
}
