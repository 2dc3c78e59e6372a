// The simulation library in the admin web app (issue #14): the list with its
// count, a search, an empty result, filters by category, language and
// channel kept in the address across a reload (each result compared with the
// API's answer for the same filters), one simulation with its sandboxed
// preview (HTML and plain text), its sandboxed landing page, red flags, Phish
// Scale cues and premise answers, then "Use this simulation", which lands on
// the new template with a notice; an attachment lure's file listed; a name
// of one's own that is taken refused next to the field; and a viewer, who
// sees the library but cannot use one. Every screen is screenshotted and
// checked with axe-core at 1280 and 390 px; the preview's open pixel (on the
// phish server) must be stopped by the page's CSP, and nothing may be fetched
// from another host.
//
// Context (PHISHDRILL_BROWSER_CONTEXT): base_url, email, password (an admin
// that needs no password change); viewer_email, viewer_password (a viewer that
// needs none either).
import { DESKTOP, assert, runWithFailureShot, screenAuditor } from './lib/browser.mjs';

runWithFailureShot(scenario);

async function scenario(browser, ctx, expose) {
  const started = Date.now();
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  expose(page);
  const { check, screens, violations, problems } = screenAuditor(page);
  const heading = (text) => page.getByRole('heading', { level: 1, name: text }).waitFor();
  const base = new URL(ctx.base_url).origin;
  // The previews carry the sample person's open pixel ({{.Tracker}}, on the
  // phish server): the page's CSP must stop it inside the browser. Any other
  // outcome of a request to another host is a problem.
  const outside = [];
  const watch = (p) => p.on('request', (r) => { if (!r.url().startsWith(base + '/') && !/^(data|blob|about|chrome-error):/.test(r.url())) outside.push(r); });
  const leaked = async () => {
    for (const r of outside) await Promise.race([r.response().catch(() => null), new Promise((ok) => setTimeout(ok, 3000))]);
    // Playwright names a CSP refusal "csp" (Chromium: net::ERR_BLOCKED_BY_CSP).
    return outside.filter((r) => !/^csp$|ERR_BLOCKED_BY_CSP/.test(r.failure()?.errorText ?? ''))
      .map((r) => `${r.url()} (${r.failure()?.errorText ?? 'not refused'})`);
  };
  watch(page);
  // Requests from the sandboxed frames are not all reported as requests, so
  // the CSP's refusal of the open pixel is looked for where Chromium says it.
  const blockedPixels = [];
  page.on('console', (m) => { if (/Loading the image '[^']*\/track\?rid=[^']*' violates .*img-src/.test(m.text())) blockedPixels.push(m.text()); });
  const api = async (path) => {
    const r = await page.request.get(ctx.base_url + '/api/v1' + path);
    assert(r.ok(), `GET ${path} answered ${r.status()}: ${await r.text()}`);
    return r.json();
  };
  const results = page.getByTestId('library-results');
  const cardTitles = () => results.getByRole('heading', { level: 2 }).allInnerTexts();
  const count = page.getByTestId('library-count');
  // The cards shown are exactly the API's answer for the same filters, in its order.
  const sameAsApi = async (query, what) => {
    const want = (await api('/library/simulations' + query)).items.map((s) => s.title);
    assert(want.length > 0, `the API has no simulation for ${query}`);
    const same = await page.waitForFunction((titles) => {
      const shown = [...document.querySelectorAll('[data-testid="library-results"] > li h2')].map((h) => h.textContent.trim());
      return JSON.stringify(shown) === JSON.stringify(titles);
    }, want, { timeout: 10000 }).then(() => true, () => false);
    if (!same) assert(false, `${what}: the cards show ${JSON.stringify(await cardTitles())}, the API ${JSON.stringify(want)}`);
    const n = await count.innerText();
    assert(n.startsWith(`${want.length} simulation`), `${what}: the count says "${n}" for ${want.length}`);
    return want;
  };
  const query = () => Object.fromEntries(new URL(page.url()).searchParams);

  // A deep link: log in first, then the library.
  await page.goto(ctx.base_url + '/library');
  await page.getByLabel('Email').fill(ctx.email);
  await page.getByLabel('Password').fill(ctx.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await heading('Simulation library');
  const nav = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Simulation library' });
  assert((await nav.getAttribute('aria-current')) === 'page', 'the library is not the current page in the navigation');
  const all = await sameAsApi('', 'the whole library');
  assert(all.length >= 10, `only ${all.length} simulations are listed`);
  assert(/^\d+ simulations$/.test(await count.innerText()), `the count reads "${await count.innerText()}"`);
  await check('library');

  // Every card carries its NIST Phish Scale difficulty, as the API rates it.
  const rated = (await api('/library/simulations')).items;
  const badgesShown = await results.locator(':scope > li').evaluateAll((lis) => lis.map((li) => li.querySelector('[data-testid="difficulty-badge"]')?.getAttribute('data-difficulty') ?? null));
  assert(JSON.stringify(badgesShown) === JSON.stringify(rated.map((s) => s.difficulty)), `the difficulty badges ${JSON.stringify(badgesShown)} are not the API's ${JSON.stringify(rated.map((s) => s.difficulty))}`);
  assert(rated.every((s) => s.rating && s.rating.difficulty === s.difficulty), 'a simulation without a rating that matches its difficulty');
  // The Difficulty filter, kept in the address; its cards all wear that difficulty.
  const [level, levelLabel] = rated.some((s) => s.difficulty === 'moderately') ? ['moderately', 'Moderately difficult'] : ['very', 'Very difficult'];
  await page.getByLabel('Difficulty', { exact: true }).selectOption(level);
  await page.waitForURL((u) => u.searchParams.get('difficulty') === level);
  const ofLevel = await sameAsApi(`?difficulty=${level}`, 'the difficulty filter');
  assert(ofLevel.length === rated.filter((s) => s.difficulty === level).length, `the ${level} filter lists ${ofLevel.length} simulations`);
  const levelBadges = await results.getByTestId('difficulty-badge').allInnerTexts();
  assert(levelBadges.length === ofLevel.length && levelBadges.every((t) => t.trim() === levelLabel), `the ${level} filter shows the badges ${JSON.stringify(levelBadges)}`);
  await check('library-difficulty');
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await page.waitForURL((u) => u.search === '');
  assert((await page.getByLabel('Difficulty', { exact: true }).inputValue()) === '', 'Clear filters left the difficulty');

  // A search: the address keeps it; the cards are the API's answer.
  await page.getByLabel('Search', { exact: true }).fill('password');
  await page.waitForURL((u) => u.searchParams.get('q') === 'password');
  const searched = await sameAsApi('?q=password', 'the search');
  assert(searched.includes('Your password expires today'), `the search lacks "Your password expires today": ${searched}`);
  assert(/match/.test(await count.innerText()), 'the count does not say it counts matches');
  await check('library-search');

  // Nothing matches: the empty state, and a way out of it.
  await page.getByLabel('Search', { exact: true }).fill('zz-no-such-simulation-zz');
  await page.getByText('No simulation matches these filters').waitFor();
  await check('library-empty');
  await page.locator('.empty').getByRole('button', { name: 'Clear filters' }).click();
  await page.waitForURL((u) => u.search === '');
  assert((await page.getByLabel('Search', { exact: true }).inputValue()) === '', 'Clear filters left the search');
  await sameAsApi('', 'after clearing the filters');

  // Filters: category, language and channel, each kept in the address.
  await page.getByLabel('Category', { exact: true }).selectOption('credential-harvesting');
  await page.getByLabel('Language', { exact: true }).selectOption('es');
  await page.getByLabel('Channel', { exact: true }).selectOption('email');
  await page.waitForURL((u) => u.searchParams.get('channel') === 'email');
  const filtered = await sameAsApi('?category=credential-harvesting&language=es&channel=email', 'the filters');
  assert(JSON.stringify(query()) === JSON.stringify({ category: 'credential-harvesting', language: 'es', channel: 'email' }), `the address keeps ${JSON.stringify(query())}`);
  // A reload keeps them.
  await page.reload();
  await heading('Simulation library');
  await sameAsApi('?category=credential-harvesting&language=es&channel=email', 'the filters after a reload');
  for (const [label, value] of [['Category', 'credential-harvesting'], ['Language', 'es'], ['Channel', 'email'], ['Audience', ''], ['Difficulty', '']]) {
    assert((await page.getByLabel(label, { exact: true }).inputValue()) === value, `${label} reads "${await page.getByLabel(label, { exact: true }).inputValue()}" after a reload`);
  }
  await check('library-filtered');

  // One simulation, with a landing page.
  const detail = (await api('/library/simulations?category=credential-harvesting&language=es&channel=email')).items.find((s) => s.has_landing_page);
  assert(detail && filtered.includes(detail.title), 'no Spanish credential-harvesting email with a landing page to open');
  const full = await api(`/library/simulations/${detail.slug}`);
  await results.getByRole('link', { name: detail.title, exact: true }).click();
  await heading(detail.title);
  assert(new URL(page.url()).pathname === `/library/${detail.slug}`, `the simulation's address is ${page.url()}`);
  const meta = await page.getByTestId('simulation-meta').innerText();
  for (const want of ['Credential harvesting', 'Spanish', 'Email with a link', full.landing_page.title, ...full.tags]) {
    assert(meta.includes(want), `the simulation's details lack "${want}": ${meta}`);
  }
  assert((await page.getByTestId('preview-subject').innerText()) === full.preview.subject, 'the preview shows another subject');
  assert((await page.getByTestId('preview-from').innerText()) === full.preview.from, 'the preview shows another sender');
  // The message and the landing page are the simulation's own HTML: only in fully sandboxed frames.
  const mail = page.locator('iframe[title^="Email preview"]');
  assert((await mail.getAttribute('sandbox')) === '', 'the email preview frame is not fully sandboxed');
  // Each rendering has its own sample tracking id (rid).
  const sameRendering = (a, b) => (a ?? '').replace(/rid=[\w-]+/g, 'rid=') === (b ?? '').replace(/rid=[\w-]+/g, 'rid=');
  assert(sameRendering(await mail.getAttribute('srcdoc'), full.preview.html), 'the email preview frame does not show the preview');
  const shown = await page.frameLocator('iframe[title^="Email preview"]').locator('body').innerText();
  assert(shown.trim().length > 20, `the email preview is empty: ${shown}`);
  const landing = page.locator('iframe[title^="Landing page preview"]');
  assert((await landing.getAttribute('sandbox')) === '', 'the landing page frame is not fully sandboxed');
  assert(sameRendering(await landing.getAttribute('srcdoc'), full.preview.landing_html), 'the landing page frame does not show the landing page');
  assert((await page.locator('iframe:not([sandbox=""])').count()) === 0, 'a frame without sandbox=""');
  // Teaching material: red flags, cues by category, premise answers.
  assert((await page.getByTestId('red-flags').locator('li').count()) === full.red_flags.length, 'not every red flag is listed');
  // The cues are the rating's: the author's and those Phishdrill detected, each marked.
  const cues = full.rating?.cues ?? full.cues;
  await page.getByRole('heading', { level: 2, name: `Phish Scale cues (${cues.length})` }).waitFor();
  for (const [cat, label] of [['errors', 'Errors'], ['technical', 'Technical indicators'], ['visual', 'Visual presentation'], ['language', 'Language and content']]) {
    const n = cues.filter((c) => c.category === cat).length;
    await page.getByTestId('cues').getByRole('heading', { level: 3, name: `${label} (${n})` }).waitFor();
  }
  for (const [source, word] of [['detected', 'Detected'], ['author', 'Author']]) {
    const n = cues.filter((c) => c.source === source).length;
    const shownN = await page.getByTestId('cues').locator('.badge').filter({ hasText: new RegExp(`^${word}$`) }).count();
    assert(shownN === n, `${shownN} cues are marked ${word}, the rating has ${n}`);
  }
  // The rating: its difficulty, its reasons, and what campaigns observed.
  const ratingCard = page.getByTestId('rating');
  const ratedBadge = await ratingCard.getByTestId('difficulty-badge').innerText();
  assert(ratedBadge.trim() === full.rating.difficulty_label, `the rating reads "${ratedBadge}", the API "${full.rating.difficulty_label}"`);
  const reasons = await page.getByTestId('rating-reasons').locator('li').allInnerTexts();
  assert(JSON.stringify(reasons) === JSON.stringify(full.rating.reasons), `the reasons shown ${JSON.stringify(reasons)} are not the API's`);
  const observedText = await page.getByTestId('observed').innerText();
  assert(observedText.includes(`Sent ${full.observed.sent}, clicked ${full.observed.clicked}`), `the observed block reads: ${observedText}`);
  if (full.observed.verdict === 'too_few') assert(/Not enough results yet/.test(observedText), `too few results are not said: ${observedText}`);
  await ratingCard.scrollIntoViewIfNeeded();
  await check('library-rating');
  const premise = await page.getByTestId('premise').innerText();
  assert(/Mimics a workplace process/.test(premise) && new RegExp(full.premise.workplace_process, 'i').test(premise), `the premise answers are missing: ${premise}`);
  const pixelDeadline = Date.now() + 5000;
  while (!blockedPixels.length && Date.now() < pixelDeadline) await new Promise((ok) => setTimeout(ok, 100));
  assert(blockedPixels.length > 0, "the preview's open pixel was not stopped by the page's CSP (no img-src report)");
  // Frames below the fold are painted once scrolled to (for the screenshots).
  for (const f of [mail, landing]) await f.scrollIntoViewIfNeeded();
  await check('library-simulation');
  // The plain-text body, and back, with the keyboard.
  await page.getByRole('button', { name: 'Plain text' }).focus();
  await page.keyboard.press('Enter');
  assert(sameRendering((await page.getByTestId('preview-text').innerText()).trim(), full.preview.text.trim()), 'the plain-text view does not show the text body');
  assert((await page.getByRole('button', { name: 'Plain text' }).getAttribute('aria-pressed')) === 'true', 'the plain-text toggle is not pressed');
  await check('library-simulation-text');
  await page.getByRole('button', { name: 'HTML' }).click();
  await mail.waitFor();

  // Use it: a template (and its landing page) in the workspace; the template's page with a notice.
  await page.getByRole('button', { name: 'Use this simulation' }).click();
  await page.waitForURL((u) => /^\/templates\/\d+$/.test(u.pathname), { timeout: 10000 });
  const templateName = new RegExp(`^Library: ${detail.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\(\\d+\\))?$`);
  await page.getByRole('heading', { level: 1, name: templateName }).waitFor();
  const notice = page.getByRole('status').filter({ hasText: 'Added from the library.' });
  await notice.waitFor();
  assert((await notice.innerText()).includes(`your copies of “${detail.title}”`), `the notice reads: ${await notice.innerText()}`);
  const pageLink = notice.getByRole('link', { name: 'open the landing page' });
  assert(/^\/pages\/\d+$/.test(await pageLink.getAttribute('href')), 'the notice does not link to the new landing page');
  const templateId = Number(new URL(page.url()).pathname.split('/').pop());
  const template = await api(`/templates/${templateId}`);
  assert(templateName.test(template.name), `the new template is named ${template.name}`);
  assert(!/\{\{\s*\.Org(Name|Domain)\s*\}\}/.test(template.subject + template.from + template.html + template.text), 'the copy still carries {{.OrgName}} or {{.OrgDomain}}');
  assert((await page.getByLabel('Subject', { exact: true }).inputValue()) === template.subject, 'the template page shows another subject');
  // The copy renders without an error in the template editor's preview.
  await page.getByTestId('preview-status').getByText('Rendered by the server for the sample person').waitFor({ timeout: 10000 });
  await page.locator('iframe[title="Email preview"]').scrollIntoViewIfNeeded();
  await check('library-used');

  // An attachment lure lists its file.
  const withFile = (await api('/library/simulations?channel=attachment')).items[0];
  assert(withFile, 'the library has no attachment simulation');
  const attached = (await api(`/library/simulations/${withFile.slug}`)).attachments;
  await page.goto(ctx.base_url + `/library/${withFile.slug}`);
  await heading(withFile.title);
  const fileMeta = await page.getByTestId('simulation-meta').innerText();
  assert(attached.length && attached.every((a) => fileMeta.includes(a.name)), `the attachments are not listed: ${fileMeta}`);
  assert((await page.getByTestId('preview-attachments').innerText()).includes(attached[0].name), 'the preview does not name the attachment');

  // Another simulation used under a name of one's own that is taken: the
  // server's 409 is shown next to the name, what was typed stays, and so does the page.
  const other = (await api('/library/simulations?channel=callback')).items[0];
  assert(other, 'the library has no call-back simulation');
  await page.goto(ctx.base_url + '/library?channel=callback');
  await heading('Simulation library');
  await sameAsApi('?channel=callback', 'the call-back filter');
  await results.getByRole('link', { name: other.title, exact: true }).click();
  await heading(other.title);
  await page.getByLabel('Template name', { exact: true }).fill(template.name);
  await page.getByRole('button', { name: 'Use this simulation' }).click();
  const nameError = page.locator('.field-invalid').filter({ has: page.getByLabel('Template name', { exact: true }) }).locator('.field-error');
  await nameError.waitFor();
  assert(/already exists/.test(await nameError.innerText()), `the taken name's error reads: ${await nameError.innerText()}`);
  assert((await page.getByLabel('Template name', { exact: true }).getAttribute('aria-invalid')) === 'true', 'Template name is not marked invalid');
  assert((await page.getByLabel('Template name', { exact: true }).inputValue()) === template.name, 'the typed name was lost');
  assert(new URL(page.url()).pathname === `/library/${other.slug}`, 'a refused use left the page');
  await page.locator('iframe[title^="Email preview"]').scrollIntoViewIfNeeded();
  await check('library-use-name-taken');
  // The way back keeps the list's filter.
  await page.getByRole('link', { name: '← Simulation library' }).click();
  await heading('Simulation library');
  assert(new URL(page.url()).searchParams.get('channel') === 'callback', `the way back lost the filter: ${page.url()}`);
  assert((await page.getByLabel('Channel', { exact: true }).inputValue()) === 'callback', 'the Channel filter is not shown after the way back');

  // A bad filter in the address: the API's error next to its field.
  await page.goto(ctx.base_url + '/library?category=no-such-category');
  await heading('Simulation library');
  const catError = page.locator('.field-invalid').filter({ has: page.getByLabel('Category', { exact: true }) }).locator('.field-error');
  await catError.waitFor();
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await sameAsApi('', 'after clearing a bad filter');

  // A viewer: the library and its previews, but no copying.
  let viewer = 'skipped: no viewer in the context';
  if (ctx.viewer_email) {
    const vctx = await browser.newContext({ viewport: DESKTOP });
    const vpage = await vctx.newPage();
    expose(vpage);
    watch(vpage);
    const vcheck = screenAuditor(vpage);
    await vpage.goto(ctx.base_url + `/library/${detail.slug}`);
    await vpage.getByLabel('Email').fill(ctx.viewer_email);
    await vpage.getByLabel('Password').fill(ctx.viewer_password);
    await vpage.getByRole('button', { name: 'Log in' }).click();
    await vpage.getByRole('heading', { level: 1, name: detail.title }).waitFor();
    await vpage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Simulation library' }).waitFor();
    assert((await vpage.getByRole('button', { name: 'Use this simulation' }).count()) === 0, 'a viewer is offered "Use this simulation"');
    await vpage.getByText(/needs the operator role/).waitFor();
    await vpage.locator('iframe[title^="Email preview"]').scrollIntoViewIfNeeded();
    await vcheck.check('viewer-simulation');
    for (const [k, v] of Object.entries(vcheck.violations)) violations[k] = v;
    problems.push(...vcheck.problems);
    screens.push(...vcheck.screens.map((s) => `viewer:${s}`));
    await leaked(); // settled before the context goes
    await vctx.close();
    viewer = 'cannot use';
  }

  const out = await leaked();
  if (out.length) problems.push(`requests to other hosts: ${[...new Set(out)].slice(0, 5).join(', ')}`);
  await context.close();
  return { screens, violations, problems, viewer, simulations: all.length, seconds: (Date.now() - started) / 1000 };
}
