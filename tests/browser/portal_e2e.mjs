// The training portal as an employee uses it, in Chromium:
//   step "click":  opens the simulated phish's link (the teaching page).
//   step "portal": opens the personal link from the assignment email, reads
//   the lessons, takes the quiz with the keyboard (first with wrong
//   answerss, then right), opens the certificate, and tries to send the old
//   quiz form again. Every page is checked with axe-core at 390 px and
//   1280 px and photographed.
// Context: {step, url, desktop_ua, module_title, explanations[],
// answers and wrong_answers {question id: [choice indexes]}}.
import { checkAtBothWidths, newContext, run } from './lib/browser.mjs';

async function audit(page, name, report) {
  const result = await checkAtBothWidths(page, name);
  for (const width of ['desktop', 'phone']) {
    report.axe.push({ page: name, width, violations: result.violations[width] ?? [] });
  }
  report.sideways.push(...Object.entries(result.sideways).map(([w, px]) => `${name}@${w}: ${px}px`));
}

// Answers one question with the keyboard: focus each wanted choice and press Space.
async function answerWithKeyboard(page, questionId, indexes) {
  for (const index of indexes) {
    const input = page.locator(`input[name="q.${questionId}"][value="${index}"]`);
    await input.focus();
    await page.keyboard.press('Space');
  }
}

async function takeQuiz(page, answers) {
  for (const [id, indexes] of Object.entries(answers)) await answerWithKeyboard(page, id, indexes);
  const send = page.getByRole('button', { name: 'Send my answers' });
  await send.focus();
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

async function clickStep(browser, ctx) {
  const context = await newContext(browser, { userAgent: ctx.desktop_ua });
  const page = await context.newPage();
  const response = await page.goto(ctx.url);
  const report = { axe: [], sideways: [], status: response.status() };
  report.heading = await page.locator('h1').innerText();
  report.training_link = await page
    .getByRole('link', { name: 'Start your training' })
    .getAttribute('href');
  await audit(page, 'teaching-page', report);
  return report;
}

async function portalStep(browser, ctx) {
  const context = await newContext(browser, { userAgent: ctx.desktop_ua });
  const page = await context.newPage();
  const report = { axe: [], sideways: [], pages: [] };
  const visit = async (name) => {
    report.pages.push({ name, url: page.url(), heading: await page.locator('h1').innerText() });
    await audit(page, name, report);
  };

  await page.goto(ctx.url);
  // The first Tab reaches the skip link: keyboard users can jump to the content.
  await page.keyboard.press('Tab');
  report.first_focus = await page.evaluate(() => document.activeElement?.textContent ?? '');
  await visit('portal-home');

  await page.getByRole('link', { name: ctx.module_title }).first().click();
  await visit('module-overview');
  await page.getByRole('link', { name: 'Start the first lesson' }).click();
  for (let n = 1; ; n++) {
    await visit(`lesson-${n}`);
    const next = page.getByRole('link', { name: 'Next lesson' });
    if ((await next.count()) === 0) break;
    await next.click();
  }
  await page.getByRole('link', { name: 'Take the quiz' }).click();
  const quizHtml = await page.content();
  report.answers_in_quiz_page = ctx.explanations.filter((text) => quizHtml.includes(text)).length;
  await visit('quiz');
  const firstForm = page.url();

  // Wrong answers first (a wrong single choice for every question).
  await takeQuiz(page, ctx.wrong_answers);
  report.first_result = await page.locator('h1').innerText();
  await visit('quiz-result-fail');

  await page.getByRole('link', { name: 'Try the quiz again' }).click();
  await takeQuiz(page, ctx.answers);
  report.second_result = await page.locator('h1').innerText();
  report.second_status = await page.locator('[role=status]').innerText();
  await visit('quiz-result-pass');

  await page.getByRole('link', { name: 'View your certificate' }).first().click();
  report.certificate = await page.locator('.certificate').innerText();
  await visit('certificate');

  // Back to the quiz address after completing: refused with a clear page.
  const again = await page.goto(firstForm);
  report.reopen_status = again.status();
  report.reopen_heading = await page.locator('h1').innerText();
  await visit('quiz-after-completion');
  return report;
}

await run(async (browser, ctx) => (ctx.step === 'click' ? clickStep(browser, ctx) : portalStep(browser, ctx)));
