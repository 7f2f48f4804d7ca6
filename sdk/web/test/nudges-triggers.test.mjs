// Trigger moments, decided from the page's events, path and timers, with no network: an event
// (filters, Nth occurrence), a page view (path pattern), a dwell, and a negative window that
// the event or a page change cancels. Element triggers need a real page: e2e/test/nudges.test.mjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate, fakeTimers, watchMoment } from './nudges-modules.mjs';

/** A page for watchers: log(name, properties) logs an event, go(path) changes the page. */
function fakePage(path = '/shop/shoes') {
  const timers = fakeTimers();
  const eventListeners = new Set();
  const pageListeners = new Set();
  const page = {
    path,
    timers,
    fired: [],
    context: {
      pagePath: () => page.path,
      onEvent(listener) {
        eventListeners.add(listener);
        return () => eventListeners.delete(listener);
      },
      onPage(listener) {
        pageListeners.add(listener);
        listener(page.path);
        return () => pageListeners.delete(listener);
      },
      matches: (event, name, where) =>
        event.name === name &&
        evaluate({ did: { event: name, where } }, [{ ...event, time: 0 }], 1),
      setTimer: timers.setTimer,
      clearTimer: timers.clearTimer,
    },
    log(name, properties = {}) {
      const event = { kind: 'app', name, properties, clientTimeMs: timers.nowMs };
      eventListeners.forEach((listener) => listener(event));
    },
    go(next) {
      page.path = next;
      pageListeners.forEach((listener) => listener(next));
    },
    watch(moment) {
      return watchMoment(moment, page.context, (event) =>
        page.fired.push(event ? event.name : 'moment'),
      );
    },
  };
  return page;
}

test('an event trigger fires on the Nth event whose properties pass the filters, once', () => {
  const page = fakePage();
  const where = [{ property: 'category', op: 'eq', value: 'shoes' }];
  page.watch({ kind: 'event', event: 'VIEW', where, occurrence: 2 });

  page.log('VIEW', { category: 'shoes' });
  page.log('VIEW', { category: 'bags' });
  page.log('OTHER', { category: 'shoes' });
  assert.deepEqual(page.fired, []);
  page.log('VIEW', { category: 'shoes' });
  page.log('VIEW', { category: 'shoes' });

  assert.deepEqual(page.fired, ['VIEW']);
});

test('a page-view trigger counts the pages whose path matches, the current one included', () => {
  const page = fakePage('/home');
  page.watch({ kind: 'pageView', path: '/shop/*', occurrence: 2 });

  page.go('/shop/shoes');
  page.go('/cart');
  assert.deepEqual(page.fired, []);
  page.go('/shop/bags');

  assert.deepEqual(page.fired, ['moment']);
});

test('a dwell fires after its seconds on a page whose path matches, and not on others', async () => {
  const page = fakePage();
  page.watch({ kind: 'dwell', seconds: 20, path: '/shop/*' });
  fakePage('/cart').watch({ kind: 'dwell', seconds: 20, path: '/shop/*' });

  await page.timers.advance(19_999);
  assert.deepEqual(page.fired, []);
  await page.timers.advance(1);

  assert.deepEqual(page.fired, ['moment']);
});

test('a negative window fires when the event does not come in time', async () => {
  const page = fakePage();
  page.watch({ kind: 'without', event: 'TAP', seconds: 20 });

  page.log('SCROLL');
  await page.timers.advance(20_000);

  assert.deepEqual(page.fired, ['moment']);
});

test('a negative window is cancelled by its event, even after the time has passed', async () => {
  const page = fakePage();
  page.watch({
    kind: 'without',
    event: 'TAP',
    where: [{ property: 'id', op: 'exists' }],
    seconds: 20,
  });

  page.log('TAP', {});
  await page.timers.advance(10_000);
  page.log('TAP', { id: 3 });
  await page.timers.advance(60_000);

  assert.deepEqual(page.fired, []);
});

test('a stopped watcher never fires', async () => {
  const page = fakePage();
  const stop = page.watch({ kind: 'dwell', seconds: 1 });

  stop();
  await page.timers.advance(5_000);

  assert.deepEqual(page.fired, []);
});
