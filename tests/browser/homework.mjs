// The homework form in a real browser: Debian's Chromium, driven by playwright-core.
//
//   node tests/browser/homework.mjs <homework.html> <answers-out.yaml>
//
// Opens the generated form from its file:// URL and, through the page as a person would:
// shows and hides a conditional question by changing the role, answers every question
// (radio buttons, checkboxes, numbers and text typed into the boxes), ticks "Keep private
// from joint reports" on one answer, reloads the page and checks every answer and that
// mark survived, checks the "Copy answers" fallback when the clipboard is
// unavailable, the notice when local storage is blocked, the warning for a blank required
// question and the print view, then clicks "Save my answers" and writes the downloaded
// file to <answers-out.yaml>. Any request other than the page's own file, any console
// error (a Content-Security-Policy violation among them) and any script error fails it.
// tests/browser.rs runs it and scores the downloaded file with `mend report`.
//
// Exits 0 when everything held, 1 with "homework.mjs: FAIL: ..." otherwise, 2 on bad usage.

import { resolve } from "node:path";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.MEND_CHROMIUM || "/usr/bin/chromium";
// As in the machine notes: no background connections, no first-run work, no updates.
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const HIDDEN = Symbol("hidden");
// Answered with the keyboard alone (focus the first option, Space), not with the mouse.
const KEYBOARD = (value) => ({ keyboard: value });

// What to answer, per questionnaire. Every item of the questionnaire must be named here:
// with a value (an option's value, a list of them for a checklist, a number or a text)
// or HIDDEN for an item the chosen role hides. `detour` is a role chosen first, with an
// answer given while it holds, to show that questions appear and disappear live and that
// answers to questions hidden later are not saved. `keepPrivate` is an answered question
// marked "Keep private from joint reports": the saved file must say `private: [<id>]`.
// tests/browser.rs checks the scores these answers lead to, and that `mend compare`
// leaves the private answer out of a joint report.
const PLANS = {
  communication: {
    fileName: "communication-alex.yaml",
    detour: { role: "broke", shown: ["ss_stay_broke"], hidden: ["ss_ask_hurt"], answer: ["ss_stay_broke", 1] },
    role: { role: "hurt", shown: ["ss_ask_hurt"], hidden: ["ss_stay_broke"] },
    keepPrivate: "hm_defend",
    answers: {
      role: "hurt",
      ss_safe_feelings: 4,
      ss_held_back: "rarely",
      ss_taken_seriously: 3,
      ss_fight: "sometimes",
      ss_ask_hurt: 5,
      ss_stay_broke: HIDDEN,
      li_let_finish: "often",
      li_planning_reply: "sometimes",
      li_reflect: "rarely",
      li_open_q: "often",
      li_assume: "rarely",
      li_felt_heard: 2,
      li_partner_interrupt: "skip",
      hm_put_down: "never",
      hm_ask_need: "sometimes",
      hm_defend: "often",
      hm_own_part: "sometimes",
      hm_shut_down: "rarely",
      hm_open_body: "often",
      hm_eye_roll: "rarely",
      op_plans: "very_often",
      op_feelings: "sometimes",
      op_kept_back: "never",
      op_partner_plans: 4,
      op_found_out: 2,
      op_hard_words: 4,
      tt_times: 3,
      tt_regular: "yes",
      tt_dropped: "no",
      afraid: KEYBOARD("no"),
      notes: 'We talk best on walks.\nSunday\'s talk: "hard" <b>but</b> good & #1 - fine',
    },
  },
  mini: {
    fileName: "mini-sam.yaml",
    detour: { role: "hurt", shown: [], hidden: ["e"] },
    role: { role: "broke", shown: ["e"], hidden: [] },
    keepPrivate: "c",
    answers: {
      role: "broke",
      a: 4,
      b: 2,
      c: "often",
      f: "rarely",
      d: 2.5,
      e: 5,
      causes: ["lies", "debt"],
      afraid: KEYBOARD("no"),
      notes: "Nothing else: thanks.",
    },
  },
};

class Failure extends Error {}
function check(condition, message) {
  if (!condition) throw new Failure(message);
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

const [htmlArg, outArg] = process.argv.slice(2);
if (!htmlArg || !outArg) {
  console.error("usage: node tests/browser/homework.mjs <homework.html> <answers-out.yaml>");
  process.exit(2);
}
const pageUrl = pathToFileURL(resolve(htmlArg)).href;
const outPath = resolve(outArg);

const problems = []; // requests that left the page, console errors, script errors
function watch(context) {
  // Anything but the page itself is refused, then reported: nothing may leave the page.
  context.on("request", (request) => {
    if (request.url() !== pageUrl) problems.push(`a request to ${request.url()}`);
  });
  context.route(
    (url) => url.href !== pageUrl,
    (route) => route.abort("blockedbyclient"),
  );
  context.on("page", (page) => {
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`a console error: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`a script error: ${error.message}`));
  });
}

const step = (text) => console.log(`homework.mjs: ${text}`);

async function visible(page, id) {
  return page.locator(`#item-${id}`).isVisible();
}

async function optionInput(page, id, value) {
  const input = page.locator(`#item-${id} input[value="${String(value).replace(/"/g, '\\"')}"]`);
  check((await input.count()) === 1, `question ${id} has no option with the value ${JSON.stringify(value)}`);
  return input;
}

// Clicks the option's label (so the label must be tied to its input).
async function pick(page, id, value) {
  const input = await optionInput(page, id, value);
  const inputId = await input.getAttribute("id");
  const label = page.locator(`label[for="${inputId}"]`);
  check((await label.count()) === 1, `the option ${JSON.stringify(value)} of ${id} has no <label for>`);
  await label.click();
  check(await input.isChecked(), `clicking "${(await label.innerText()).trim()}" did not select it (${id})`);
}

async function answer(page, item, planned) {
  const { id, type } = item;
  check(await visible(page, id), `question ${id} should be shown before it is answered`);
  if (planned && typeof planned === "object" && "keyboard" in planned) {
    // Keyboard only: focus the first option, Space picks it, arrow keys move the choice.
    const inputs = page.locator(`#item-${id} .opt input`);
    const values = await inputs.evaluateAll((all) => all.map((i) => i.value));
    const steps = values.indexOf(String(planned.keyboard));
    check(steps >= 0, `question ${id} has no option ${planned.keyboard}`);
    await inputs.first().focus();
    await page.keyboard.press("Space");
    for (let i = 0; i < steps; i++) await page.keyboard.press("ArrowDown");
    check(await inputs.nth(steps).isChecked(), `the keyboard (Space, then ArrowDown ${steps} times) did not select ${planned.keyboard} (${id})`);
    return;
  }
  if (type === "multi") {
    check(Array.isArray(planned), `the plan for checklist ${id} must be a list`);
    for (const v of planned) await pick(page, id, v);
  } else if (type === "number" || type === "text") {
    const box = page.locator(`#q-${id}`);
    check((await page.locator(`label[for="q-${id}"]`).count()) === 1, `the box of ${id} has no <label for>`);
    await box.click();
    await box.pressSequentially(String(planned));
    await box.blur();
    check((await box.inputValue()) === String(planned), `typing into ${id} gave ${JSON.stringify(await box.inputValue())}`);
  } else {
    await pick(page, id, planned);
  }
}

function plannedValue(planned) {
  return planned && typeof planned === "object" && "keyboard" in planned ? planned.keyboard : planned;
}

// The form, read back from the page's controls (not from storage): what a person sees.
// `private`: the "Keep private from joint reports" box (null where there is none).
async function formState(page) {
  return page.evaluate(() =>
    MEND.items.map((item) => {
      const box = document.getElementById("item-" + item.id);
      const inputs = Array.from(box.querySelectorAll("input, textarea")).filter((i) => !i.hasAttribute("data-private"));
      let value;
      if (item.type === "number" || item.type === "text") value = inputs[0].value;
      else value = inputs.filter((i) => i.checked).map((i) => i.value);
      const keep = box.querySelector("input[data-private]");
      return { id: item.id, shown: !box.hidden, value, private: keep ? keep.checked : null };
    }),
  );
}

// An item's "Keep private from joint reports" box, found by its role and accessible name
// (hidden ones too: a question hidden for now has its box all the same).
function keepPrivateBox(page, id) {
  return page.locator(`#item-${id}`).getByRole("checkbox", { name: /^Keep private from joint reports/, includeHidden: true });
}

async function progressText(page) {
  return (await page.locator("#progress-text").innerText()).trim();
}

async function run() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    const context = await browser.newContext({ acceptDownloads: true });
    watch(context);
    context.setDefaultTimeout(15000);
    const page = await context.newPage();
    await page.goto(pageUrl);
    step(`opened ${pageUrl}`);

    const meta = await page.evaluate(() => ({ q: MEND.questionnaire, items: MEND.items, fileName: MEND.fileName }));
    const plan = PLANS[meta.q.id];
    check(plan, `no answers planned for the questionnaire ${meta.q.id} (known: ${Object.keys(PLANS).join(", ")})`);
    const ids = meta.items.map((i) => i.id);
    const unplanned = ids.filter((id) => !(id in plan.answers));
    check(unplanned.length === 0, `the plan does not answer ${unplanned.join(", ")}`);
    const unknown = Object.keys(plan.answers).filter((id) => !ids.includes(id));
    check(unknown.length === 0, `the plan answers questions the form does not have: ${unknown.join(", ")}`);
    check(meta.fileName === plan.fileName, `the answers file is named ${meta.fileName}, expected ${plan.fileName}`);

    // What the page shows before anything is answered.
    const heading = (await page.locator("h1").innerText()).trim();
    check(heading === meta.q.title, `the page's heading is ${JSON.stringify(heading)}`);
    for (const button of ["Save my answers", "Copy answers"]) {
      check(await page.getByRole("button", { name: button }).isVisible(), `no visible "${button}" button`);
    }
    const conditional = [...plan.detour.shown, ...plan.role.shown];
    for (const id of conditional) {
      check(!(await visible(page, id)), `question ${id} is shown before its condition holds`);
    }
    const before = await progressText(page);
    check(/^0 of \d+ answered$/.test(before), `the progress reads ${JSON.stringify(before)} at the start`);
    step(`nothing answered yet: "${before}"; ${conditional.join(", ")} hidden`);

    // Conditional questions, live: a detour through another role, then the planned one.
    for (const [which, r] of [["detour", plan.detour], ["role", plan.role]]) {
      await pick(page, "role", r.role);
      for (const id of r.shown) check(await visible(page, id), `with role ${r.role}, question ${id} should be shown`);
      for (const id of r.hidden) check(!(await visible(page, id)), `with role ${r.role}, question ${id} should be hidden`);
      if (r.answer) await answer(page, meta.items.find((i) => i.id === r.answer[0]), r.answer[1]);
      step(`${which}: role ${r.role} shows [${r.shown}] and hides [${r.hidden}]`);
    }

    // Every other question, in order.
    let shown = 0;
    for (const item of meta.items) {
      const planned = plan.answers[item.id];
      if (planned === HIDDEN) {
        check(!(await visible(page, item.id)), `question ${item.id} should be hidden with the answers given`);
        continue;
      }
      shown++;
      if (item.id === "role") continue;
      await answer(page, item, planned);
    }
    const progress = await progressText(page);
    check(progress === `${shown} of ${shown} answered`, `the progress reads ${JSON.stringify(progress)}, expected "${shown} of ${shown} answered"`);
    const value = await page.locator("#progress").evaluate((p) => [p.value, p.max]);
    check(same(value, [shown, shown]), `the progress bar is at ${value[0]} of ${value[1]}`);
    step(`answered all ${shown} questions shown: "${progress}"`);

    // "Keep private from joint reports": on every question but the role item (`role` in
    // both plans), a checkbox with its own label; ticking it changes no answer.
    check((await page.locator("#private-help").isVisible()) && /Keep private from joint reports/.test(await page.locator("#private-help").innerText()), "no visible explanation of \"Keep private\" above the questions");
    for (const item of meta.items) {
      const boxes = await keepPrivateBox(page, item.id).count();
      check(boxes === (item.id === "role" ? 0 : 1), `question ${item.id} has ${boxes} "Keep private" box(es)`);
    }
    check(plan.answers[plan.keepPrivate] !== HIDDEN, `the plan keeps the hidden question ${plan.keepPrivate} private`);
    const keepBox = keepPrivateBox(page, plan.keepPrivate);
    check(!(await keepBox.isChecked()), `${plan.keepPrivate} is marked private before it was ticked`);
    await page.locator(`label[for="q-${plan.keepPrivate}-private"]`).click();
    check(await keepBox.isChecked(), `clicking its label did not tick "Keep private" on ${plan.keepPrivate}`);
    check((await progressText(page)) === progress, `ticking "Keep private" changed the progress to ${await progressText(page)}`);
    step(`every question but the role has a "Keep private" box; ticked it on ${plan.keepPrivate}`);

    // Closing and reopening loses nothing.
    const filled = await formState(page);
    await page.reload();
    const restored = await formState(page);
    for (let i = 0; i < filled.length; i++) {
      check(same(filled[i], restored[i]), `after a reload, question ${filled[i].id} is ${JSON.stringify(restored[i])}, was ${JSON.stringify(filled[i])}`);
    }
    check((await progressText(page)) === progress, `after a reload the progress reads ${await progressText(page)}`);
    const keptPrivate = restored.filter((r) => r.private).map((r) => r.id);
    check(same(keptPrivate, [plan.keepPrivate]), `after a reload, the questions marked private are ${JSON.stringify(keptPrivate)}, expected ${JSON.stringify([plan.keepPrivate])}`);
    check(/Welcome back/.test(await page.locator("#status").innerText()), "no welcome-back message after a reload");
    for (const [id, planned] of Object.entries(plan.answers)) {
      if (planned === HIDDEN) continue;
      const v = plannedValue(planned);
      const got = restored.find((r) => r.id === id).value;
      const want = Array.isArray(v) ? v.map(String) : typeof got === "string" ? String(v) : [String(v)];
      check(same(got, want), `after a reload, question ${id} holds ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    }
    step(`reloaded: every answer is still there, and ${plan.keepPrivate} is still marked private`);

    // The print view: every question (conditional ones too), no buttons, no progress bar.
    await page.emulateMedia({ media: "print" });
    for (const id of ids) check(await visible(page, id), `question ${id} is missing from the printed page`);
    check(!(await page.locator("#save").isVisible()), "the Save button is printed");
    check(!(await page.locator(".progress").isVisible()), "the progress bar is printed");
    check(!(await keepBox.isVisible()) && !(await page.locator("#private-help").isVisible()), "the \"Keep private\" box or its explanation is printed");
    await page.emulateMedia({ media: "screen" });
    step("print view shows every question and hides the buttons and the \"Keep private\" boxes");

    // Save: the file the person would send to the therapist.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Save my answers" }).click()]);
    check(download.suggestedFilename() === plan.fileName, `the download is named ${download.suggestedFilename()}`);
    await download.saveAs(outPath);
    const saved = readFileSync(outPath, "utf8");
    check(saved.includes(`questionnaire: ${JSON.stringify(meta.q.id)}`), `the saved file does not name the questionnaire:\n${saved}`);
    for (const [id, planned] of Object.entries(plan.answers)) {
      if (planned === HIDDEN) check(!new RegExp(`^  ${id}:`, "m").test(saved), `the saved file has the hidden question ${id}:\n${saved}`);
      else check(new RegExp(`^  ${id}: \\S`, "m").test(saved), `the saved file has no answer to ${id}:\n${saved}`);
    }
    const privateLine = `private: ${JSON.stringify([plan.keepPrivate])}`;
    check(saved.split("\n").filter((l) => l.startsWith("private:")).join("\n") === privateLine, `the saved file does not say ${privateLine}:\n${saved}`);
    const status = await page.locator("#finish-status").innerText();
    check(status.includes(plan.fileName) && !/required/.test(status), `after saving, the page says ${JSON.stringify(status)}`);
    step(`saved ${download.suggestedFilename()} to ${outPath}`);

    // Copy, where the page cannot use the clipboard: the text to copy by hand, selected.
    const noClipboard = await context.newPage();
    await noClipboard.addInitScript(() => Object.defineProperty(Navigator.prototype, "clipboard", { get: () => undefined, configurable: true }));
    await noClipboard.goto(pageUrl);
    check(await noClipboard.locator("#copy-box").isHidden(), "the copy box is shown before Copy is clicked");
    await noClipboard.getByRole("button", { name: "Copy answers" }).click();
    check(await noClipboard.locator("#copy-box").isVisible(), "without a clipboard, Copy does not show the answers to copy by hand");
    const copy = await noClipboard.locator("#copy-text").evaluate((t) => ({
      text: t.value,
      readOnly: t.readOnly,
      focused: document.activeElement === t,
      selected: t.selectionEnd - t.selectionStart,
    }));
    check(copy.text === saved, `the text offered for copying differs from the saved file:\n${copy.text}`);
    check(copy.readOnly && copy.focused && copy.selected === copy.text.length, `the copy box is not read-only, focused and selected: ${JSON.stringify(copy)}`);
    await noClipboard.close();
    step("Copy without a clipboard shows the same text, selected, in a read-only box");

    // A fresh browser profile where local storage is blocked: a gentle notice, and the
    // form still works; saving with the required question blank warns but still saves.
    const blocked = await browser.newContext({ acceptDownloads: true });
    watch(blocked);
    await blocked.addInitScript(() =>
      Object.defineProperty(window, "localStorage", {
        get() {
          throw new DOMException("blocked", "SecurityError");
        },
      }),
    );
    const blank = await blocked.newPage();
    await blank.goto(pageUrl);
    const notice = await blank.locator("#status").innerText();
    check(/not keeping a copy/.test(notice), `with local storage blocked, the page says ${JSON.stringify(notice)}`);
    const required = meta.items.filter((i) => i.required).map((i) => i.id);
    if (required.length > 0) {
      const [late] = await Promise.all([blank.waitForEvent("download"), blank.getByRole("button", { name: "Save my answers" }).click()]);
      const warning = await blank.locator("#finish-status").innerText();
      check(/required and still blank/.test(warning), `saving with ${required[0]} blank gave no warning: ${JSON.stringify(warning)}`);
      check(late.suggestedFilename() === plan.fileName, "saving with a blank required question did not download the file");
      step("with storage blocked: a notice; with a required question blank: a warning, and the file is still saved");
    }
    await blocked.close();
    await context.close();
  } finally {
    await browser.close();
  }
  check(problems.length === 0, `the page made ${problems.length} problem(s):\n  ${problems.join("\n  ")}`);
  step("no request left the page, no console or script errors");
}

try {
  await run();
  step("PASS");
} catch (e) {
  console.error(`homework.mjs: FAIL: ${e instanceof Failure ? e.message : e && e.stack ? e.stack : e}`);
  process.exit(1);
}
