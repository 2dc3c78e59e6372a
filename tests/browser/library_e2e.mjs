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
// Packs: the Source filter (All / Shipped / Imported); a pack made here with
// the system's tar (a shipped simulation's folder copied under a new slug and
// title) imported through the file input, listed as Imported, exported again
// (the download is a tar.gz holding its folder) and removed after a
// confirmation; the library's copy exported from the templates list as a pack
// with its landing page and a folder name (one that is not a slug refused in
// the form); the campaign form's templates narrowed by difficulty; in the
// template editor, a detected cue type dismissed and restored. A viewer sees
// none of the pack controls.
//
// Context (PHISHDRILL_BROWSER_CONTEXT): base_url, email, password (an admin
// that needs no password change); viewer_email, viewer_password (a viewer that
// needs none either).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DESKTOP, assert, runWithFailureShot, screenAuditor } from './lib/browser.mjs';

const SIMULATIONS = fileURLToPath(new URL('../../content/simulations/', import.meta.url));
// The shipped simulation (with a landing page) the pack is made from.
const PACK_SOURCE = 'password-expires-today';

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

  // The Source filter, kept in the address: nothing is imported yet, so "Shipped" is the whole library.
  const sourceFilter = page.getByLabel('Source', { exact: true });
  const sourceOptions = await sourceFilter.locator('option').allInnerTexts();
  assert(JSON.stringify(sourceOptions) === JSON.stringify(['All', 'Shipped', 'Imported']), `the Source filter offers ${JSON.stringify(sourceOptions)}`);
  await sourceFilter.selectOption('shipped');
  await page.waitForURL((u) => u.searchParams.get('source') === 'shipped');
  const shippedOnly = await sameAsApi('?source=shipped', 'the shipped filter');
  assert(shippedOnly.length === all.length, `the shipped filter lists ${shippedOnly.length} of ${all.length} simulations before any import`);
  assert((await results.getByTestId('source-badge').count()) === 0, 'a shipped simulation is marked Imported');
  await check('library-source-shipped');
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await page.waitForURL((u) => u.search === '');
  assert((await sourceFilter.inputValue()) === '', 'Clear filters left the source');

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
  for (const [label, value] of [['Category', 'credential-harvesting'], ['Language', 'es'], ['Channel', 'email'], ['Audience', ''], ['Difficulty', ''], ['Source', '']]) {
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
  assert((await page.getByRole('button', { name: 'Remove', exact: true }).count()) === 0, 'a shipped simulation offers Remove');
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
  const copiedPageHref = await pageLink.getAttribute('href');
  assert(/^\/pages\/\d+$/.test(copiedPageHref), 'the notice does not link to the new landing page');
  const templateId = Number(new URL(page.url()).pathname.split('/').pop());
  const template = await api(`/templates/${templateId}`);
  assert(templateName.test(template.name), `the new template is named ${template.name}`);
  assert(!/\{\{\s*\.Org(Name|Domain)\s*\}\}/.test(template.subject + template.from + template.html + template.text), 'the copy still carries {{.OrgName}} or {{.OrgDomain}}');
  assert((await page.getByLabel('Subject', { exact: true }).inputValue()) === template.subject, 'the template page shows another subject');
  // The copy renders without an error in the template editor's preview.
  await page.getByTestId('preview-status').getByText('Rendered by the server for the sample person').waitFor({ timeout: 10000 });
  await page.locator('iframe[title="Email preview"]').scrollIntoViewIfNeeded();
  await check('library-used');

  // The Phish Scale card: the copy's dismissed cue types are listed; a detected
  // type dismissed leaves the next rating, and "Restore" counts it again.
  const dismissedCues = page.getByTestId('dismissed-cues');
  const wasDismissed = template.phish_scale?.dismissed ?? [];
  await dismissedCues.getByRole('heading', { name: `Dismissed cue types (${wasDismissed.length})` }).waitFor({ timeout: 10000 });
  assert((await dismissedCues.getByRole('button', { name: /^Restore / }).count()) === wasDismissed.length, 'not every dismissed cue type offers "Restore"');
  const rateRequest = (want) => page.waitForRequest((r) => {
    if (!r.url().endsWith('/api/v1/templates/rate')) return false;
    const dismissed = r.postDataJSON()?.template?.phish_scale?.dismissed;
    return Array.isArray(dismissed) && want(dismissed);
  }, { timeout: 10000 });
  const dismissButton = page.getByTestId('phish-scale-cues').getByRole('button', { name: /^Dismiss / }).first();
  await dismissButton.waitFor({ timeout: 10000 });
  const cueName = (await dismissButton.textContent()).replace(/^Dismiss\s*/, '').trim();
  const dismissing = rateRequest((d) => d.length === wasDismissed.length + 1);
  await dismissButton.click();
  const dismissedType = (await dismissing).postDataJSON().template.phish_scale.dismissed.find((t) => !wasDismissed.includes(t));
  assert(dismissedType, 'dismissing sent no new dismissed cue type');
  await dismissedCues.getByRole('heading', { name: `Dismissed cue types (${wasDismissed.length + 1})` }).waitFor();
  await dismissedCues.getByRole('listitem').filter({ hasText: cueName }).getByRole('button', { name: `Restore ${cueName}`, exact: true }).waitFor();
  await dismissedCues.scrollIntoViewIfNeeded();
  await check('template-cue-dismissed');
  const restoring = rateRequest((d) => !d.includes(dismissedType));
  await dismissedCues.getByRole('button', { name: `Restore ${cueName}`, exact: true }).click();
  const restoredRating = await (await (await restoring).response()).json();
  assert(restoredRating.cues.some((c) => c.type === dismissedType && c.source === 'detected'), `the rating after "Restore" does not count the detected ${dismissedType} cues again`);
  await dismissedCues.getByRole('heading', { name: `Dismissed cue types (${wasDismissed.length})` }).waitFor();

  // An attachment lure lists its file.
  const withFile = (await api('/library/simulations?channel=attachment')).items[0];
  assert(withFile, 'the library has no attachment simulation');
  const attached = (await api(`/library/simulations/${withFile.slug}`)).attachments;
  await page.goto(ctx.base_url + `/library/${withFile.slug}`);
  await heading(withFile.title);
  const fileMeta = await page.getByTestId('simulation-meta').innerText();
  assert(attached.length && attached.every((a) => fileMeta.includes(a.name)), `the attachments are not listed: ${fileMeta}`);
  assert((await page.getByTestId('preview-attachments').innerText()).includes(attached[0].name), 'the preview does not name the attachment');
  // ...and shows it as the person would open it, with their own link in it.
  const fileFrame = page.getByTitle(`Attachment preview: ${attached[0].name}`);
  await fileFrame.waitFor();
  const fileHtml = await fileFrame.getAttribute('srcdoc');
  assert(fileHtml.includes('?rid=') && !fileHtml.includes('{{'), 'the attachment preview is not filled for the person');
  await check('library-attachment-preview');

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

  // ---- Packs. A shipped simulation's folder under a new slug and title,
  // packed with the system's tar, imported through the file input.
  const stamp = Date.now().toString(36);
  const packSlug = `pack-test-${stamp}`;
  const work = mkdtempSync(path.join(os.tmpdir(), 'pd-pack-'));
  const packFile = path.join(work, `${packSlug}.tar.gz`);
  const toml = readFileSync(path.join(SIMULATIONS, PACK_SOURCE, 'simulation.toml'), 'utf8');
  const packTitle = `${/^title = "(.*)"$/m.exec(toml)[1]} (pack ${stamp})`;
  cpSync(path.join(SIMULATIONS, PACK_SOURCE), path.join(work, 'pack', packSlug), { recursive: true });
  const renamed = toml.replace(/^slug = ".*"$/m, `slug = "${packSlug}"`).replace(/^title = ".*"$/m, `title = "${packTitle}"`);
  assert(renamed.includes(`slug = "${packSlug}"`) && renamed.includes(`title = "${packTitle}"`), "the pack's simulation.toml was not renamed");
  writeFileSync(path.join(work, 'pack', packSlug, 'simulation.toml'), renamed);
  execFileSync('tar', ['-czf', packFile, '-C', path.join(work, 'pack'), '.']);
  const tarEntries = (file) => execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).split('\n').map((e) => e.replace(/^\.\//, ''));

  await page.goto(ctx.base_url + '/library');
  await heading('Simulation library');
  await page.getByLabel('Import pack', { exact: true }).setInputFiles(packFile);
  const importAnswer = page.getByTestId('pack-outcome').or(page.getByTestId('library-packs').getByRole('alert'));
  await importAnswer.first().waitFor({ timeout: 20000 });
  const refused = page.getByTestId('library-packs').getByRole('alert');
  if (await refused.count()) assert(false, `the pack was refused: ${await refused.first().innerText()}`);
  const outcomeRows = await page.getByTestId('pack-outcome').locator('tbody tr').allInnerTexts();
  assert(outcomeRows.length === 1 && outcomeRows[0].includes(packSlug) && outcomeRows[0].includes(packTitle) && /\bAdded\b/.test(outcomeRows[0]),
    `the import's outcome reads ${JSON.stringify(outcomeRows)}`);
  // The list is read again: the new simulation is there, marked Imported.
  const importedCard = results.locator(':scope > li').filter({ has: page.getByRole('link', { name: packTitle, exact: true }) });
  await importedCard.getByTestId('source-badge').filter({ hasText: 'Imported' }).waitFor({ timeout: 10000 });
  await importedCard.scrollIntoViewIfNeeded();
  await check('library-pack-imported');

  // Only the imported ones: the API's answer, with when it was imported.
  await page.getByLabel('Source', { exact: true }).selectOption('imported');
  await page.waitForURL((u) => u.searchParams.get('source') === 'imported');
  const importedOnly = await sameAsApi('?source=imported', 'the imported filter');
  assert(JSON.stringify(importedOnly) === JSON.stringify([packTitle]), `the imported filter lists ${JSON.stringify(importedOnly)}`);
  const importedSummary = (await api('/library/simulations?source=imported')).items[0];
  assert(importedSummary.source === 'imported' && importedSummary.imported_at > 0 && importedSummary.replaces_shipped === false,
    `the imported simulation is listed as ${JSON.stringify({ source: importedSummary.source, imported_at: importedSummary.imported_at, replaces_shipped: importedSummary.replaces_shipped })}`);
  await check('library-source-imported');

  // Exported again: the selected simulation, downloaded as a tar.gz holding its folder.
  await page.getByRole('checkbox', { name: `Select ${packTitle}`, exact: true }).check();
  await page.getByTestId('export-count').filter({ hasText: '1 simulation selected.' }).waitFor();
  const exportAnswer = page.waitForResponse((r) => r.url().endsWith('/api/v1/library/export') && r.request().method() === 'POST');
  const [packDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export selected' }).click()]);
  const exported = await exportAnswer;
  assert(exported.status() === 200, `the export answered ${exported.status()}`);
  assert(JSON.stringify(exported.request().postDataJSON()) === JSON.stringify({ simulations: [packSlug] }), `the export asked for ${exported.request().postData()}`);
  assert(/\.tar\.gz$/.test(packDownload.suggestedFilename()), `the pack downloads as ${packDownload.suggestedFilename()}`);
  const exportedFile = path.join(work, 'exported.tar.gz');
  await packDownload.saveAs(exportedFile);
  const exportedEntries = tarEntries(exportedFile);
  assert(exportedEntries.some((e) => e.endsWith(`${packSlug}/simulation.toml`)), `the exported pack lacks ${packSlug}/simulation.toml: ${exportedEntries.join(', ')}`);
  await page.getByRole('status').filter({ hasText: `Downloaded ${packDownload.suggestedFilename()}` }).waitFor();
  await check('library-pack-exported');

  // The imported simulation's page: its source and import date, and (for an admin) "Remove".
  await results.getByRole('link', { name: packTitle, exact: true }).click();
  await heading(packTitle);
  const sourceText = await page.getByTestId('simulation-source').innerText();
  const importYear = String(new Date(importedSummary.imported_at * 1000).getFullYear());
  assert(/Imported/.test(sourceText) && sourceText.includes(importYear), `the simulation's source reads "${sourceText}"`);
  await page.getByRole('button', { name: 'Remove', exact: true }).waitFor();
  await check('library-pack-simulation');

  // A template of this workspace as a pack (the library copy made above), with
  // its landing page and a folder name of one's own.
  const copiedPage = await api(copiedPageHref);
  await page.goto(ctx.base_url + '/templates');
  await heading('Email templates');
  const exportAsPack = page.getByRole('button', { name: 'Export as pack' });
  assert(await exportAsPack.isDisabled(), '"Export as pack" is offered with nothing selected');
  await page.getByRole('checkbox', { name: `Select ${template.name}`, exact: true }).check();
  await exportAsPack.click();
  const packForm = page.getByTestId('template-pack');
  const packRow = packForm.getByRole('group', { name: template.name, exact: true });
  await packRow.getByLabel('Landing page', { exact: true }).selectOption({ label: copiedPage.name });
  // A folder name that is not a slug: the server's refusal is shown in the form, and nothing is downloaded.
  await packRow.getByLabel('Folder name', { exact: true }).fill('Not a slug!');
  const refusal = page.waitForResponse((r) => r.url().endsWith('/api/v1/library/export'));
  await packForm.getByRole('button', { name: /^Download pack/ }).click();
  const refusedStatus = (await refusal).status();
  assert(refusedStatus === 422 || refusedStatus === 400, `a folder name that is not a slug answered ${refusedStatus}`);
  const refusedText = packForm.locator('.field-error, [role="alert"]').first();
  await refusedText.waitFor();
  assert((await refusedText.innerText()).trim().length > 0, 'the refusal is shown without a message');
  await check('template-pack-refused');
  const folderName = `exported-${stamp}`;
  await packRow.getByLabel('Folder name', { exact: true }).fill(folderName);
  const templateExport = page.waitForResponse((r) => r.url().endsWith('/api/v1/library/export'));
  const [templatePack] = await Promise.all([page.waitForEvent('download'), packForm.getByRole('button', { name: /^Download pack/ }).click()]);
  const templateExportBody = (await templateExport).request().postDataJSON();
  assert(JSON.stringify(templateExportBody) === JSON.stringify({ templates: [{ template_id: templateId, landing_page_id: copiedPage.id, slug: folderName }] }),
    `the template export asked for ${JSON.stringify(templateExportBody)}`);
  const templatePackFile = path.join(work, 'template.tar.gz');
  await templatePack.saveAs(templatePackFile);
  const templateEntries = tarEntries(templatePackFile);
  for (const want of ['simulation.toml', 'landing.html']) {
    assert(templateEntries.some((e) => e.endsWith(`${folderName}/${want}`)), `the template's pack lacks ${folderName}/${want}: ${templateEntries.join(', ')}`);
  }
  await packForm.getByRole('status').filter({ hasText: 'Downloaded' }).waitFor();
  await check('template-pack');

  // The campaign form's templates narrowed by Phish Scale difficulty: exactly
  // the API's templates of that difficulty, and one already chosen stays listed.
  const workspaceTemplates = (await api('/templates?limit=500')).items;
  const copyDifficulty = workspaceTemplates.find((t) => t.id === templateId)?.rating?.difficulty;
  assert(copyDifficulty, "the library's copy has no rated difficulty");
  await page.goto(ctx.base_url + '/campaigns/new');
  await heading('New campaign');
  const templateChoices = page.getByTestId('template-choices');
  const shownChoices = (n) => page.waitForFunction((want) => document.querySelectorAll('[data-testid="template-choices"] > li').length === want, n, { timeout: 5000 })
    .then(() => true, () => false);
  assert(await shownChoices(workspaceTemplates.length), 'the campaign form does not list every template');
  await page.getByLabel('Difficulty', { exact: true }).selectOption(copyDifficulty);
  const ofDifficulty = workspaceTemplates.filter((t) => t.rating?.difficulty === copyDifficulty).length;
  assert(await shownChoices(ofDifficulty), `the ${copyDifficulty} filter does not list exactly the ${ofDifficulty} templates of that difficulty`);
  const copyChoice = templateChoices.locator(':scope > li').filter({ hasText: template.name });
  await copyChoice.getByRole('checkbox').check();
  await check('campaign-difficulty');
  const otherDifficulty = ['very', 'moderately', 'moderately_to_least', 'least'].find((x) => x !== copyDifficulty);
  await page.getByLabel('Difficulty', { exact: true }).selectOption(otherDifficulty);
  const ofOther = workspaceTemplates.filter((t) => t.rating?.difficulty === otherDifficulty).length;
  assert(await shownChoices(ofOther + 1), `the ${otherDifficulty} filter does not list its ${ofOther} templates and the one chosen`);
  assert(await copyChoice.getByRole('checkbox').isChecked(), 'the chosen template is not listed (checked) under another difficulty');
  await page.getByLabel('Difficulty', { exact: true }).selectOption('');
  assert(await shownChoices(workspaceTemplates.length), '"Any" does not list every template again');

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
    // No pack controls: no import, no export, no selection, no removal.
    await vpage.goto(ctx.base_url + '/library');
    await vpage.getByTestId('library-results').waitFor();
    assert((await vpage.getByLabel('Import pack').count()) === 0, 'a viewer is offered "Import pack"');
    assert((await vpage.getByRole('button', { name: 'Export selected' }).count()) === 0, 'a viewer is offered "Export selected"');
    assert((await vpage.getByTestId('library-results').getByRole('checkbox').count()) === 0, 'a viewer is offered to select simulations');
    await vpage.goto(ctx.base_url + `/library/${packSlug}`);
    await vpage.getByRole('heading', { level: 1, name: packTitle }).waitFor();
    assert((await vpage.getByRole('button', { name: 'Remove', exact: true }).count()) === 0, 'a viewer is offered "Remove"');
    for (const [k, v] of Object.entries(vcheck.violations)) violations[k] = v;
    problems.push(...vcheck.problems);
    screens.push(...vcheck.screens.map((s) => `viewer:${s}`));
    await leaked(); // settled before the context goes
    await vctx.close();
    viewer = 'cannot use';
  }

  // Removing the imported simulation, after a confirmation: the list says so and the API no longer has it.
  await page.goto(ctx.base_url + `/library/${packSlug}`);
  await heading(packTitle);
  await page.getByRole('button', { name: 'Remove', exact: true }).click();
  const removeDialog = page.getByRole('dialog', { name: 'Remove this imported simulation?' });
  await removeDialog.waitFor();
  await check('library-pack-remove');
  await removeDialog.getByRole('button', { name: 'Remove simulation' }).click();
  await heading('Simulation library');
  await page.getByRole('status').filter({ hasText: `Removed “${packTitle}” from the library.` }).waitFor();
  const gone = await page.request.get(ctx.base_url + `/api/v1/library/simulations/${packSlug}`);
  assert(gone.status() === 404, `the removed simulation answers ${gone.status()}`);
  assert((await api('/library/simulations?source=imported')).items.length === 0, 'an imported simulation is left after "Remove"');
  await check('library-pack-removed');
  rmSync(work, { recursive: true, force: true });

  const out = await leaked();
  if (out.length) problems.push(`requests to other hosts: ${[...new Set(out)].slice(0, 5).join(', ')}`);
  await context.close();
  return { screens, violations, problems, viewer, simulations: all.length, pack: 'imported, exported, removed', seconds: (Date.now() - started) / 1000 };
}
