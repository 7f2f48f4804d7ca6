import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachBuild } from './builds.mjs';
import { createBrowser } from './fake-browser.mjs';
import { startPage } from './helpers.mjs';

/** A browser whose pages have a history that moves location, as a single-page app's does. */
function spaBrowser() {
  const browser = createBrowser();
  const location = { origin: 'https://shop.example', pathname: '/', hash: '', href: '' };
  const entries = [{ pathname: '/', hash: '' }];
  let index = 0;
  const go = (entry) => Object.assign(location, entry);
  browser.globals = {
    location,
    history: {
      pushState(state, title, url) {
        entries.splice(index + 1, Infinity, parse(url));
        go(entries[++index]);
      },
      replaceState(state, title, url) {
        entries[index] = parse(url);
        go(entries[index]);
      },
    },
  };
  browser.back = (page) => {
    go(entries[--index]);
    page.dispatch(new Event('popstate'));
  };
  browser.setHash = (page, hash) => {
    entries.splice(index + 1, Infinity, { pathname: location.pathname, hash });
    go(entries[++index]);
    page.dispatch(new Event('popstate'));
    page.dispatch(new Event('hashchange'));
  };
  return browser;
}

function parse(url) {
  const [path, hash = ''] = url.split('#');
  return { pathname: path.split('?')[0], hash: hash ? '#' + hash : '' };
}

function pagePaths(browser) {
  return browser
    .sentEvents()
    .filter((event) => event.name === '$page_view')
    .map((event) => event.properties.path);
}

forEachBuild('page views of single-page apps', (build) => {
  test('one page view per navigation: pushState, hash routes, the back button', async () => {
    const browser = spaBrowser();
    const { page } = startPage(build, { trackPageViews: true }, browser);
    const { history } = page.window;

    history.pushState({}, '', '/products');
    // A router's redirect in the same task counts once, with the final path.
    history.pushState({}, '', '/login');
    history.replaceState({}, '', '/account');
    await browser.advance(0);
    browser.setHash(page, '#/orders');
    browser.setHash(page, '#reviews');
    browser.back(page);
    browser.back(page);
    await browser.advance(3000);

    // Leaving a hash route for an anchor goes back to the plain path.
    assert.deepEqual(pagePaths(browser), [
      '/',
      '/account',
      '/account#/orders',
      '/account',
      '/account#/orders',
      '/account',
    ]);
  });

  test('a page restored from the back-forward cache counts as a page view', async () => {
    const browser = spaBrowser();
    const { page } = startPage(build, { trackPageViews: true }, browser);

    const restored = new Event('pageshow');
    restored.persisted = true;
    page.dispatch(restored);
    await browser.advance(3000);

    assert.deepEqual(pagePaths(browser), ['/', '/']);
  });

  test('without trackPageViews, history is left alone and no page view is logged', async () => {
    const browser = spaBrowser();
    const pushState = browser.globals.history.pushState;
    const { page } = startPage(build, {}, browser);

    page.window.history.pushState({}, '', '/products');
    await browser.advance(3000);

    assert.equal(page.window.history.pushState, pushState);
    assert.deepEqual(pagePaths(browser), []);
  });
});
