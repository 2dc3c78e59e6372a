// The Outlook "Report phishing" task pane (content/addin/) in Chromium, without Outlook.
//
// Outlook cannot run on this machine, so a FAKE Office object stands in for it: the test routes
// Office.js's CDN URL (page.route) to a small script of its own that defines window.Office with
// just what the pane uses (onReady, context.requirements.isSetSupported, mailbox.userProfile,
// mailbox.item.getAsFileAsync). What this proves is the pane's own behaviour against that
// contract; that real Outlook keeps the contract is not tested here.
//
// The pane's files are served as they will be (under /addin/TESTTOKEN/, with the phish server's
// Content-Security-Policy) by a tiny HTTP server this test starts on 127.0.0.1, which also plays
// the report endpoint: it records every POST and answers with the reply the scenario queued.
// Checked: what the pane POSTs (URL, exact bytes of the decoded EML, Content-Type, reporter
// header), what it shows for each answer, that Try again works (by keyboard), the Mailbox 1.14
// check, the FunctionFile guard, Office.js missing or never ready, a 60 s timeout (fake clock),
// the pane framed by another origin (as Outlook on the web frames it), the no-script hint, no CSP
// violation, axe-core at task-pane width, no sideways scrolling.
// Screenshots: $PHISHDRILL_ARTIFACTS (default build/artifacts/browser/addin_taskpane).
// Run: node tests/browser/addin_taskpane.mjs (or through tests/integration/test_addin_taskpane.py).
import http from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assert, newContext, runWithFailureShot, screenshot, seriousViolations } from './lib/browser.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const ADDIN = path.join(REPO, 'content', 'addin');
process.env.PHISHDRILL_ARTIFACTS ??= path.join(REPO, 'build', 'artifacts', 'browser', 'addin_taskpane');

const TOKEN = 'TESTTOKEN';
const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';
// The policy the phish server sends with the add-in's files (src/phish/report_button_routes.cpp).
const CSP = "default-src 'self'; script-src 'self' https://appsforoffice.microsoft.com; " +
  "connect-src 'self'; img-src 'self' data:; style-src 'self'; base-uri 'none'; form-action 'none'";
const PANE = { width: 320, height: 640 }; // Outlook's task pane is about this narrow
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
};
const SERVED = ['taskpane.html', 'taskpane.js', 'taskpane.css',
  ...[16, 32, 64, 80, 128].map((s) => `icon-${s}.png`)];

// The pane's own fallback sentences, read from taskpane.js itself (it exports them under Node).
const { TEXT } = (await import('node:module')).createRequire(import.meta.url)(
  path.join(ADDIN, 'taskpane.js'));

// A message with CRLF, 8-bit UTF-8, and bytes (NUL, 0x80, 0xFF) that only survive an exact
// base64 decode: what arrives must be byte-for-byte what Outlook handed over.
const EML = Buffer.concat([
  Buffer.from(
    'Return-Path: <it-support@examp1e.test>\r\n' +
    'From: "IT Support" <it-support@examp1e.test>\r\n' +
    'To: reporter@example.test\r\n' +
    'Subject: =?UTF-8?B?' + Buffer.from('Ihr Postfach ist voll ✉').toString('base64') + '?=\r\n' +
    'Message-ID: <fake-1@examp1e.test>\r\n' +
    'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n' +
    'Content-Transfer-Encoding: 8bit\r\n\r\n' +
    'Bitte bestätigen Sie Ihr Konto: http://examp1e.test/login ✓\r\n', 'utf8'),
  Buffer.from([0x00, 0x80, 0xfe, 0xff, 0x0d, 0x0a]),
]);
// A bigger message (about 1.5 MiB, every byte value) for the decode at size.
const BIG_EML = Buffer.concat([EML, Buffer.from(Array.from({ length: 1536 * 1024 }, (_, i) => (i * 7 + 3) % 256))]);

// ---- The stand-in for Outlook: served in place of Office.js. ----
// It reads its set-up from window.__fakeOutlook (put there by page.addInitScript) and counts what
// the pane asked of it in window.__fakeOutlookCalls.
const FAKE_OFFICE_JS = `(function () {
  var cfg = window.__fakeOutlook || {};
  var calls = window.__fakeOutlookCalls = { onReady: 0, readyCallbacks: 0, getAsFile: 0, isSetSupported: [] };
  function newer(have, want) {
    var a = String(have).split('.').map(Number), b = String(want).split('.').map(Number);
    for (var i = 0; i < Math.max(a.length, b.length); i++) {
      if ((a[i] || 0) !== (b[i] || 0)) return (a[i] || 0) > (b[i] || 0);
    }
    return true;
  }
  var version = cfg.mailboxVersion || '1.14';
  var item = cfg.noItem ? null : { itemType: 'message' };
  if (item && (newer(version, '1.14') || cfg.keepGetAsFile)) {
    item.getAsFileAsync = function (a, b) {
      var callback = typeof a === 'function' ? a : b;
      calls.getAsFile += 1;
      var fail = calls.getAsFile <= (cfg.failGetAsFile || 0);
      setTimeout(function () {
        callback(fail
          ? { status: 'failed', value: undefined, error: { code: 9020, name: 'GenericResponseError', message: 'fake failure' } }
          : { status: 'succeeded', value: cfg.emlBase64, error: undefined });
      }, 5);
    };
  }
  window.Office = {
    HostType: { Outlook: 'Outlook' },
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    context: {
      requirements: {
        isSetSupported: function (name, min) {
          calls.isSetSupported.push(name + ' ' + min);
          return name === 'Mailbox' && newer(version, min);
        },
      },
      mailbox: { item: item, userProfile: { emailAddress: cfg.reporter, displayName: 'Test Person' } },
    },
    onReady: function (callback) {
      calls.onReady += 1;
      if (cfg.neverReady) return new Promise(function () {});
      var info = { host: cfg.host === undefined ? 'Outlook' : cfg.host, platform: cfg.host === null ? null : 'OfficeOnline' };
      return new Promise(function (resolve) {
        setTimeout(function () {
          if (callback) callback(info);
          calls.readyCallbacks += 1;
          resolve(info);
        }, 5);
      });
    },
  };
})();`;

// ---- The phish server's part: static files plus a recording /report endpoint. ----
function startServer() {
  const state = { requests: [], answers: [] };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const prefix = `/addin/${TOKEN}/`;
    if (req.method === 'POST' && url.pathname === `${prefix}report`) {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', async () => {
        if (state.answers[0]?.hold) await state.answers[0].hold;
        state.requests.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
        // A sticky answer stays for every request (Chromium resends a POST once when a reused
        // connection drops without an answer, so a dropped connection must drop every time).
        const answer = (state.answers[0]?.sticky ? state.answers[0] : state.answers.shift()) ??
          { status: 500, json: { error: { code: 'internal', message: 'no answer queued' } } };
        if (answer.destroy) {
          req.socket.destroy();
          return;
        }
        const body = answer.json !== undefined ? JSON.stringify(answer.json) : answer.text ?? '';
        res.writeHead(answer.status, { 'Content-Type': answer.json !== undefined ? 'application/json' : 'text/html', 'Cache-Control': 'no-store' });
        res.end(body);
      });
      return;
    }
    // Like the phish server: the query string (Outlook adds _host_Info) does not pick the file.
    const name = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : '';
    if (req.method === 'GET' && SERVED.includes(name)) {
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(name)],
        'Content-Security-Policy': CSP,
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(readFileSync(path.join(ADDIN, name)));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/outlook-web.html') {
      // Stands in for Outlook on the web, which shows the pane in an iframe of its own origin.
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!DOCTYPE html><html lang="en"><title>Outlook stand-in</title><iframe title="Report phishing" ` +
        `src="${state.origin}/addin/${TOKEN}/taskpane.html?_host_Info=Outlook$Web$16.01$en-US$$$$0" width="320" height="400"></iframe>`);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      state.origin = `http://127.0.0.1:${server.address().port}`;
      state.close = () => new Promise((done) => server.close(done));
      state.closeAll = () => server.closeAllConnections();
      resolve(state);
    });
  });
}

// ---- Helpers ----

async function openPane(context, server, cfg, { query = '?_host_Info=Outlook$Win32$16.02$en-US$$$$0', officeJs = 'fake', paneJs = true, fakeClock = false } = {}) {
  const page = await context.newPage();
  if (fakeClock) await page.clock.install();
  page.__problems = [];
  page.on('pageerror', (e) => page.__problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // Failed answers from /report are provoked on purpose (and a blocked Office.js in one case);
    // any other failed load (a missing stylesheet or icon) is a problem.
    const from = m.location()?.url ?? '';
    const expected = from === `${server.origin}/addin/${TOKEN}/report` ||
      (officeJs === 'blocked' && from === OFFICE_JS) || (!paneJs && from.endsWith('/taskpane.js'));
    if (m.type() === 'error' && !expected) page.__problems.push(`console: ${m.text()} (${from})`);
  });
  await page.addInitScript((config) => {
    window.__fakeOutlook = config;
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  }, { reporter: 'reporter@example.test', emlBase64: EML.toString('base64'), ...cfg });
  await page.route(OFFICE_JS, (route) => (officeJs === 'blocked'
    ? route.abort('failed')
    : route.fulfill({ status: 200, contentType: 'text/javascript', body: FAKE_OFFICE_JS })));
  if (!paneJs) await page.route('**/taskpane.js', (route) => route.abort('failed'));
  await page.goto(`${server.origin}/addin/${TOKEN}/taskpane.html${query}`);
  return page;
}

// Waits until the pane shows a decision (anything but "working") and returns what it shows.
async function decided(page) {
  await page.waitForFunction(() => !document.getElementById('status').classList.contains('working'), null, { timeout: 15000 });
  return shown(page);
}

async function shown(page) {
  return page.evaluate(() => {
    const status = document.getElementById('status');
    const retry = document.getElementById('retry');
    return {
      tone: [...status.classList].filter((c) => c !== 'status').join(' '),
      lead: status.querySelector('.lead')?.textContent ?? '',
      text: document.getElementById('status-text').textContent,
      retryVisible: !retry.hidden && retry.getBoundingClientRect().height > 0,
      busy: status.getAttribute('aria-busy'),
      calls: window.__fakeOutlookCalls ?? null,
      csp: window.__csp,
    };
  });
}

// Photographs and audits the pane; returns problems found (axe, sideways scroll, CSP, errors).
async function audit(page, name, report) {
  await screenshot(page, name);
  const violations = await seriousViolations(page);
  if (violations.length) report.violations[name] = violations;
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (wide > 1) report.problems.push(`${name}: scrolls sideways by ${wide}px`);
  const csp = await page.evaluate(() => window.__csp);
  if (csp.length) report.problems.push(`${name}: CSP violations ${JSON.stringify(csp)}`);
  report.problems.push(...page.__problems.map((p) => `${name}: ${p}`));
  report.screens.push(name);
}

async function waitUntil(condition, message, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    assert(Date.now() < deadline, message);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function checkPost(request, eml, reporterHeader) {
  assert(request.method === 'POST', `method ${request.method}`);
  assert(request.url === `/addin/${TOKEN}/report`, `posted to ${request.url} (expected /addin/${TOKEN}/report, no query)`);
  assert(request.headers['content-type'] === 'message/rfc822', `Content-Type ${request.headers['content-type']}`);
  assert(request.headers['x-phishdrill-reporter'] === reporterHeader,
    `X-Phishdrill-Reporter ${request.headers['x-phishdrill-reporter']} (expected ${reporterHeader})`);
  assert(Buffer.compare(request.body, eml) === 0,
    `body differs from the EML: ${request.body.length} bytes vs ${eml.length}`);
  assert(!request.headers.cookie, 'the pane sent cookies');
}

function expectShown(s, want, label) {
  for (const [key, value] of Object.entries(want)) {
    assert(JSON.stringify(s[key]) === JSON.stringify(value), `${label}: ${key} is ${JSON.stringify(s[key])}, expected ${JSON.stringify(value)}`);
  }
}

// ---- The scenarios ----

await runWithFailureShot(async (browser, _ctx, expose) => {
  const server = await startServer();
  const context = await newContext(browser, { viewport: PANE });
  const report = { screens: [], violations: {}, problems: [], checked: [] };
  const fresh = async (cfg, options) => {
    const page = await openPane(context, server, cfg, options);
    expose(page);
    return page;
  };
  try {
    // 1. A simulation: while the server has not answered the pane says it is sending (busy, no
    //    button); then the exact POST, and the server's sentence shown.
    const serverSays = 'Well spotted — this was a phishing simulation from your security team. Thank you for reporting it.';
    let release;
    const hold = new Promise((resolve) => { release = resolve; });
    server.answers.push({ hold, status: 200, json: { outcome: 'simulation', message: serverSays } });
    let page = await fresh({});
    await page.waitForFunction(() => window.__fakeOutlookCalls?.getAsFile === 1, null, { timeout: 15000 });
    let s = await shown(page);
    expectShown(s, { tone: 'working', lead: '', text: 'Sending this message to your security team…', retryVisible: false, busy: 'true' }, 'sending');
    assert(await page.locator('.stalled').evaluate((e) => getComputedStyle(e).display) === 'none',
      'the no-script hint is there although the script runs');
    await audit(page, '00-sending', report);
    release();
    s = await decided(page);
    assert(server.requests.length === 1, `${server.requests.length} POSTs for one report`);
    checkPost(server.requests[0], EML, 'reporter@example.test');
    expectShown(s, { tone: 'ok', lead: 'Simulation spotted', text: `Simulation spotted ${serverSays}`, retryVisible: false, busy: 'false' }, 'simulation');
    assert(s.calls.isSetSupported.includes('Mailbox 1.14'), `Mailbox 1.14 not checked: ${s.calls.isSetSupported}`);
    await audit(page, '01-simulation', report);
    report.checked.push('simulation: POST bytes, URL, headers; server message shown');
    await page.close();

    // 2. Triage with no sentence from the server: the local fallback; a big message and an
    //    internationalised reporter address (percent-encoded UTF-8 in the header).
    server.requests.length = 0;
    server.answers.push({ status: 200, json: { outcome: 'triage' } });
    page = await fresh({ emlBase64: BIG_EML.toString('base64'), reporter: 'jørn.øster@example.test' });
    s = await decided(page);
    checkPost(server.requests[0], BIG_EML, encodeURIComponent('jørn.øster@example.test'));
    expectShown(s, { tone: 'ok', lead: 'Reported', text: `Reported ${TEXT.triage}`, retryVisible: false }, 'triage');
    assert(TEXT.triage === 'Thank you — the security team will look at it.', TEXT.triage);
    await audit(page, '02-triage', report);
    report.checked.push('triage: fallback text; 1.5 MiB message byte-exact; non-ASCII reporter');
    await page.close();

    // 3. Duplicate: the server's sentence wins.
    server.requests.length = 0;
    server.answers.push({ status: 200, json: { outcome: 'duplicate', message: 'You reported this message already. Thank you!' } });
    page = await fresh({});
    s = await decided(page);
    expectShown(s, { tone: 'info', lead: 'Already reported', text: 'Already reported You reported this message already. Thank you!', retryVisible: false }, 'duplicate');
    await audit(page, '03-duplicate', report);
    await page.close();

    // 4. Other simulation outcomes and refused, fallbacks only.
    for (const outcome of ['simulation_other', 'simulation_ended', 'refused']) {
      server.answers.push({ status: 200, json: { outcome, message: '' } });
      page = await fresh({});
      s = await decided(page);
      expectShown(s, { text: `${outcome === 'refused' ? 'Reported' : 'Simulation spotted'} ${TEXT[outcome]}`, retryVisible: false, tone: outcome === 'refused' ? 'info' : 'ok' }, outcome);
      if (outcome === 'refused') await audit(page, '04-refused', report);
      await page.close();
    }
    report.checked.push('simulation_other, simulation_ended, refused: fallbacks');

    // 5. A server error, then Try again (by keyboard) succeeds and posts the same bytes again.
    server.requests.length = 0;
    server.answers.push({ status: 500, json: { error: { code: 'internal', message: 'database is locked' } } });
    server.answers.push({ status: 200, json: { outcome: 'simulation_other', message: 'Thanks — this simulation was sent to a colleague.' } });
    page = await fresh({});
    s = await decided(page);
    expectShown(s, { tone: 'bad', lead: 'Not reported yet', text: `Not reported yet ${TEXT.serverError}`, retryVisible: true }, 'server error');
    assert(!s.text.includes('database'), 'a 5xx error message reached the person');
    await audit(page, '05-error', report);
    await page.keyboard.press('Tab'); // the only focusable control is Try again
    assert(await page.evaluate(() => document.activeElement?.id) === 'retry', 'Tab does not reach Try again');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('status').classList.contains('ok'), null, { timeout: 15000 });
    s = await shown(page);
    assert(server.requests.length === 2, `${server.requests.length} POSTs after one retry`);
    checkPost(server.requests[1], EML, 'reporter@example.test');
    expectShown(s, { text: 'Simulation spotted Thanks — this simulation was sent to a colleague.', retryVisible: false }, 'after retry');
    assert(s.calls.getAsFile === 2, `getAsFileAsync called ${s.calls.getAsFile} times`);
    assert(await page.evaluate(() => document.activeElement?.id) === 'title', 'focus was lost when Try again went away');
    await audit(page, '06-after-retry', report);
    report.checked.push('500 -> plain words + Try again (keyboard) -> success, same bytes');

    // 6. Other failures, each in plain words with Try again.
    const failures = [
      [{ destroy: true, sticky: true }, TEXT.network, 'connection dropped'],
      [{ status: 413, json: { error: { code: 'too_large', message: 'Message too large' } } }, TEXT.tooLarge, '413'],
      [{ status: 429, json: { error: { code: 'rate_limited', message: 'Slow down' } } }, TEXT.busy, '429'],
      [{ status: 403, json: { error: { code: 'forbidden', message: 'This reporting button has been turned off by your security team.' } } },
        'This reporting button has been turned off by your security team.', '403 with a message'],
      [{ status: 404, text: '<html>Not found</html>' }, TEXT.rejected, '404 without JSON'],
      [{ status: 502, text: '<html>Bad gateway</html>' }, TEXT.serverError, '502 from a proxy'],
      [{ status: 200, text: '<html>captive portal</html>' }, TEXT.garbled, '200 that is not JSON'],
    ];
    for (const [answer, text, label] of failures) {
      server.answers.push(answer);
      page = await fresh({});
      s = await decided(page);
      expectShown(s, { tone: 'bad', text: `Not reported yet ${text}`, retryVisible: true }, label);
      assert(server.answers.length === (answer.sticky ? 1 : 0), `${label}: answers left ${server.answers.length}`);
      server.answers.length = 0;
      await page.close();
    }
    report.checked.push(`failures: ${failures.map((f) => f[2]).join(', ')}`);

    // 7. Outlook cannot copy the message once: plain words, then Try again works.
    server.requests.length = 0;
    server.answers.push({ status: 200, json: { outcome: 'triage', message: '' } });
    page = await fresh({ failGetAsFile: 1 });
    s = await decided(page);
    expectShown(s, { tone: 'bad', text: `Not reported yet ${TEXT.copyFailed}`, retryVisible: true }, 'getAsFileAsync failed');
    assert(server.requests.length === 0, 'posted although Outlook gave no copy');
    await page.locator('#retry').click();
    await page.waitForFunction(() => document.getElementById('status').classList.contains('ok'), null, { timeout: 15000 });
    assert(server.requests.length === 1, 'retry after a copy failure did not post');
    checkPost(server.requests[0], EML, 'reporter@example.test');
    await page.close();
    report.checked.push('getAsFileAsync failure -> Try again -> reported');

    // 8. Mailbox 1.13 (no getAsFileAsync): the clear message, nothing posted, no retry.
    server.requests.length = 0;
    page = await fresh({ mailboxVersion: '1.13' });
    s = await decided(page);
    expectShown(s, { tone: 'warn', lead: 'This Outlook cannot report', text: `This Outlook cannot report ${TEXT.unsupported}`, retryVisible: false }, 'Mailbox 1.13');
    assert(s.calls.isSetSupported.includes('Mailbox 1.14'), 'Mailbox 1.14 was not asked for');
    await audit(page, '07-mailbox-1.13', report);
    assert(server.requests.length === 0, 'posted without Mailbox 1.14');
    await page.close();
    // The same when the method is there but Outlook does not claim Mailbox 1.14 (a preview).
    page = await fresh({ mailboxVersion: '1.13', keepGetAsFile: true });
    s = await decided(page);
    expectShown(s, { tone: 'warn', text: `This Outlook cannot report ${TEXT.unsupported}` }, 'Mailbox 1.13 with the method');
    assert(s.calls.getAsFile === 0 && server.requests.length === 0, 'used getAsFileAsync without Mailbox 1.14');
    await page.close();
    report.checked.push('Mailbox 1.13: clear message, no POST');

    // 9. No message selected (a pinned pane, or a reading pane without an item).
    page = await fresh({ noItem: true });
    s = await decided(page);
    expectShown(s, { tone: 'info', text: `No message open ${TEXT.noItem}`, retryVisible: false }, 'no item');
    await page.close();

    // 10. Opened in a plain browser (the manifest's SupportUrl): Office.onReady says host null.
    page = await fresh({ host: null }, { query: '' });
    s = await decided(page);
    expectShown(s, { tone: 'info', lead: 'Report phishing for Outlook', text: `Report phishing for Outlook ${TEXT.notOutlook}`, retryVisible: false }, 'outside Outlook');
    assert(s.calls.getAsFile === 0, 'asked for the message outside Outlook');
    await audit(page, '08-outside-outlook', report);
    await page.close();

    // 11. Loaded as the manifest's FunctionFile: onReady is called and its callback has run
    //     (the positive signal), and nothing was read or posted.
    page = await fresh({}, { query: '?role=function-file&_host_Info=Outlook$Win32$16.02$en-US$$$$0' });
    await page.waitForFunction(() => window.__fakeOutlookCalls?.readyCallbacks === 1, null, { timeout: 15000 });
    s = await shown(page);
    assert(s.calls.getAsFile === 0, 'the FunctionFile read the message');
    assert(server.requests.length === 0, 'the FunctionFile posted a report');
    await page.close();
    report.checked.push('no item, outside Outlook, FunctionFile: no report');

    // 12. Office.js cannot be loaded: plain words and a Try again that reloads.
    page = await fresh({}, { officeJs: 'blocked' });
    s = await decided(page);
    expectShown(s, { tone: 'bad', text: `Not reported yet ${TEXT.noOffice}`, retryVisible: true }, 'Office.js blocked');
    await audit(page, '09-no-office-js', report);
    await page.close();
    report.checked.push('Office.js unavailable: plain words');

    // 12b. Office.js loads but Outlook never says it is ready: after 20 s (a fake clock here)
    //      the pane says so instead of spinning for ever.
    page = await fresh({ neverReady: true }, { fakeClock: true });
    await page.waitForFunction(() => window.__fakeOutlookCalls?.onReady === 1, null, { timeout: 15000 });
    s = await shown(page);
    expectShown(s, { tone: 'working' }, 'before Outlook is ready');
    await page.clock.fastForward(20000);
    s = await decided(page);
    expectShown(s, { tone: 'bad', text: `Not reported yet ${TEXT.noOffice}`, retryVisible: true }, 'Outlook never ready');
    await page.close();
    report.checked.push('Office.onReady never fires: plain words after 20 s');

    // 12c. The server takes longer than 60 s (a fake clock again): the pane gives up and says so.
    let unblock;
    server.answers.push({ hold: new Promise((resolve) => { unblock = resolve; }), status: 200, json: { outcome: 'triage' } });
    page = await fresh({}, { fakeClock: true });
    await page.waitForFunction(() => window.__fakeOutlookCalls?.getAsFile === 1, null, { timeout: 15000 });
    await page.clock.runFor(100); // the fake getAsFileAsync answers on a timer
    await page.clock.fastForward(60000);
    s = await decided(page);
    expectShown(s, { tone: 'bad', text: `Not reported yet ${TEXT.timeout}`, retryVisible: true }, 'timeout');
    await page.close();
    unblock();
    await waitUntil(() => server.requests.length === 1, 'the held request was never recorded');
    server.requests.length = 0;
    report.checked.push('no answer within 60 s: plain words');

    // 13. Framed by another origin, as Outlook on the web does (here localhost framing
    //     127.0.0.1): the pane still reports, to its own origin. This is why the phish server must
    //     not send X-Frame-Options: DENY or frame-ancestors 'none' with the add-in's files.
    server.requests.length = 0;
    server.answers.push({ status: 200, json: { outcome: 'triage', message: '' } });
    page = await context.newPage();
    expose(page);
    await page.addInitScript((config) => { window.__fakeOutlook = config; },
      { reporter: 'reporter@example.test', emlBase64: EML.toString('base64') });
    await page.route(OFFICE_JS, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: FAKE_OFFICE_JS }));
    await page.goto(`${server.origin.replace('127.0.0.1', 'localhost')}/outlook-web.html`);
    const frame = page.frameLocator('iframe');
    await frame.locator('#status.ok').waitFor({ timeout: 15000 });
    assert(server.requests.length === 1, `${server.requests.length} POSTs from the framed pane`);
    checkPost(server.requests[0], EML, 'reporter@example.test');
    assert(new URL(server.requests[0].headers.origin ?? 'null').host === new URL(server.origin).host,
      `the framed pane posted with Origin ${server.requests[0].headers.origin}`);
    await page.close();
    server.requests.length = 0;
    report.checked.push('framed by another origin: reports to its own origin');

    // 14. An Outlook that cannot run the script at all (here: taskpane.js fails to load): the
    //     page's own hint appears after 12 s, by CSS alone. DevTools speeds animations up 200x.
    page = await fresh({}, { paneJs: false });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Animation.enable');
    await cdp.send('Animation.setPlaybackRate', { playbackRate: 200 });
    await page.reload();
    await page.locator('.stalled').waitFor({ state: 'visible', timeout: 15000 });
    assert(await page.locator('.stalled').evaluate((e) => getComputedStyle(e).visibility) === 'visible', 'hint not visible');
    await audit(page, '10-script-never-ran', report);
    await page.close();
    report.checked.push('script never ran: the HTML fallback hint appears');

    assert(server.requests.length === 0, `stray POSTs: ${server.requests.length}`);
    assert(!Object.keys(report.violations).length, `axe-core: ${JSON.stringify(report.violations)}`);
    assert(!report.problems.length, report.problems.join('\n'));
    return report;
  } finally {
    await context.close();
    server.closeAll();
    await server.close();
  }
});
