import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { forEachBuild } from './builds.mjs';
import { createBrowser } from './fake-browser.mjs';
import { appEventNames, ENDPOINT, sentEvent, SITE_ID } from './helpers.mjs';

/** The loader snippet of the README, so that the test keeps the README honest. */
function readmeLoaderSnippet() {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = readme
    .split('<!-- loader-snippet:start -->')[1]
    .split('<!-- loader-snippet:end -->')[0];
  return block.split('<script>')[1].split('</script>')[0];
}

forEachBuild('calls before init', (build) => {
  test('calls before init are replayed in order', async () => {
    const browser = createBrowser();
    const page = browser.openPage({ code: build.code });
    const { Beckon } = page;

    Beckon.setUserId('early@example.com');
    Beckon.logEvent('FIRST', { n: 1 });
    Beckon.setAppVersion('3.1');
    Beckon.logPageView('/early');
    Beckon.logEvent('SECOND', { n: 2 });
    Beckon.init(SITE_ID, { endpoint: ENDPOINT });
    Beckon.logEvent('AFTER_INIT');
    await browser.advance(2000);

    assert.deepEqual(appEventNames(browser), ['FIRST', 'SECOND', 'AFTER_INIT']);
    assert.equal(sentEvent(browser, 'FIRST').userId, 'early@example.com');
    assert.equal(sentEvent(browser, 'FIRST').version, 'ALL');
    assert.equal(sentEvent(browser, 'SECOND').version, '3.1');
    assert.equal(sentEvent(browser, '$page_view').properties.path, '/early');
  });

  test('the loader snippet queues calls until the file loads, then runs them', async () => {
    const browser = createBrowser();
    const page = browser.openPage();
    const snippet = readmeLoaderSnippet().replace(
      "Beckon.init('YOUR_SITE_ID', { version: '1.4.0' });",
      '',
    );

    page.run(snippet);
    page.run(
      "Beckon.logEvent('QUEUED', { n: 1 });" +
        "Beckon.init('" +
        SITE_ID +
        "', { version: '1.4.0' }, function () { window.ready = true; });" +
        "Beckon.getClientId(); Beckon.logEvent('ALSO_QUEUED');",
    );
    const script = page.insertedScripts[0];
    page.load(build.code, script.src);
    page.window.Beckon.logEvent('LOADED');
    await browser.advance(2000);

    assert.equal(script.async, true);
    assert.equal(page.window.ready, true);
    assert.deepEqual(appEventNames(browser), ['QUEUED', 'ALSO_QUEUED', 'LOADED']);
    assert.equal(sentEvent(browser, 'QUEUED').version, '1.4.0');
    assert.equal(browser.requests[0].url, 'https://beckon.example.com/ingest/' + SITE_ID);
  });

  test('the loader snippet leaves a loaded SDK alone', () => {
    const browser = createBrowser();
    const page = browser.openPage({ code: build.code });
    const loaded = page.window.Beckon;

    page.run(
      readmeLoaderSnippet().replace("Beckon.init('YOUR_SITE_ID', { version: '1.4.0' });", ''),
    );

    assert.equal(page.window.Beckon, loaded);
    assert.equal(page.insertedScripts.length, 0);
  });

  test('calls before init are dropped when Do Not Track stops the SDK', async () => {
    const browser = createBrowser({ navigator: { doNotTrack: '1' } });
    const page = browser.openPage({ code: build.code });

    page.Beckon.logEvent('EARLY');
    page.Beckon.init(SITE_ID, { endpoint: ENDPOINT, honorDNT: true });
    await browser.advance(5000);

    assert.equal(browser.requests.length, 0);
    assert.equal(browser.storage.accesses, 0);
  });

  test('at most 1000 calls wait for init', async () => {
    const browser = createBrowser();
    const page = browser.openPage({ code: build.code });

    for (let i = 0; i < 1500; i++) page.Beckon.logEvent('EARLY', { i });
    page.Beckon.init(SITE_ID, { endpoint: ENDPOINT, maxQueueEvents: 2000, batchSize: 500 });
    await browser.advance(5000);

    const early = browser.sentEvents().filter((event) => event.name === 'EARLY');
    assert.equal(early.length, 1000);
    assert.equal(early[999].properties.i, 999);
  });
});
