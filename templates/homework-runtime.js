// mend's runtime for the homework form: minijinja's rules for conditions (truth, ordering,
// `in`), so that questions appear and disappear as they would in mend, and the writer of
// the answers file. Conditions are translated to JavaScript by mend (src/jsexpr.rs); they
// only ever read the answers through M.get.
const M = (() => {
  const HIGH = "\u{10FFFF}";
  const has = (o, k) => o !== null && typeof o === "object" && Object.prototype.hasOwnProperty.call(o, k);
  const get = (o, k) => (Array.isArray(o) && typeof k === "number" ? o[k] : has(o, k) ? o[k] : undefined);
  function t(v) {
    if (v === undefined || v === null || v === false) return false;
    if (typeof v === "number") return v !== 0;
    if (typeof v === "string" || Array.isArray(v)) return v.length > 0;
    if (typeof v === "object") return Object.keys(v).length > 0;
    return true;
  }
  // minijinja orders undefined < none < numbers (and booleans) < text < lists < maps.
  function kind(v) {
    if (v === undefined) return 0;
    if (v === null) return 1;
    if (typeof v === "number" || typeof v === "boolean") return 3;
    if (typeof v === "string") return 4;
    if (Array.isArray(v)) return 5;
    return 6;
  }
  function text(a, b) {
    const x = Array.from(a), y = Array.from(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
  }
  function order(a, b) {
    const ka = kind(a), kb = kind(b);
    if (ka !== kb) return ka < kb ? -1 : 1;
    if (ka === 3) return Number(a) < Number(b) ? -1 : Number(a) > Number(b) ? 1 : 0;
    if (ka === 4) return text(a, b);
    if (ka === 5) {
      for (let i = 0; i < Math.min(a.length, b.length); i++) {
        const d = order(a[i], b[i]);
        if (d !== 0) return d;
      }
      return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
    }
    return 0;
  }
  const eq = (a, b) => kind(a) === kind(b) && order(a, b) === 0;
  function cmp(op, a, b) {
    switch (op) {
      case "eq": return eq(a, b);
      case "ne": return !eq(a, b);
      case "lt": return order(a, b) < 0;
      case "lte": return order(a, b) <= 0;
      case "gt": return order(a, b) > 0;
      case "gte": return order(a, b) >= 0;
    }
    return false;
  }
  function isin(x, c) {
    if (typeof c === "string") return typeof x === "string" && c.includes(x);
    if (Array.isArray(c)) return c.some((v) => eq(v, x));
    if (c !== null && typeof c === "object") return typeof x === "string" && has(c, x);
    return false;
  }
  function test(name, v) {
    switch (name) {
      case "defined": return v !== undefined;
      case "undefined": return v === undefined;
      case "none": return v === null;
      case "number": return typeof v === "number";
      case "string": return typeof v === "string";
      case "true": return v === true;
      case "false": return v === false;
    }
    return false;
  }
  function len(v) {
    if (typeof v === "string") return Array.from(v).length;
    if (Array.isArray(v)) return v.length;
    if (v !== null && typeof v === "object") return Object.keys(v).length;
    return undefined;
  }
  const neg = (v) => (typeof v === "number" ? -v : undefined);
  function arith(op, a, b) {
    if (typeof a !== "number" || typeof b !== "number") return undefined;
    switch (op) {
      case "+": return a + b;
      case "-": return a - b;
      case "*": return a * b;
      case "/": return a / b;
    }
    return undefined;
  }
  return { HIGH, get, t, cmp, isin, test, len, neg, arith };
})();

// The form's data and behaviour, built from DATA and CONDITIONS written by mend.
function mendForm(DATA, CONDITIONS) {
  const option = (item, v) => item.options.find((o) => o.value === v);
  const missing = (item, v) => { const o = option(item, v); return o !== undefined && o.missing === true; };
  function answered(item, v) {
    if (v === undefined || v === null) return false;
    switch (item.type) {
      case "text": return typeof v === "string" && v.trim() !== "";
      case "number": return typeof v === "number" && Number.isFinite(v);
      case "multi": return Array.isArray(v) && v.length > 0 && !v.some((x) => missing(item, x));
      default: return option(item, v) !== undefined && !missing(item, v);
    }
  }
  // Like mend: in order, each item sees the answers of earlier visible items; a condition
  // holds only if it holds with missing numbers taken both lowest and highest.
  function visibility(answers) {
    const low = Object.create(null);
    const shown = {};
    for (const item of DATA.items) {
      const high = Object.assign(Object.create(null), low);
      for (const other of DATA.items) if (other.numeric && !(other.id in low)) high[other.id] = M.HIGH;
      const holds = (c) => { try { return M.t(c(low)) && M.t(c(high)); } catch (e) { return false; } };
      shown[item.id] = (CONDITIONS[item.id] || []).every(holds);
      const v = answers[item.id];
      if (shown[item.id] && answered(item, v)) low[item.id] = v;
    }
    return shown;
  }
  function today() {
    const d = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }
  const blank = (v) => v === undefined || v === null || (typeof v === "string" && v.trim() === "") || (Array.isArray(v) && v.length === 0);
  const oneLine = (s) => String(s).replace(/[\r\n\u2028\u2029]+/g, " ");
  // JSON values are valid YAML; ids are plain lower-case names. `keepPrivate` lists the
  // questions whose answers the person keeps out of joint reports.
  function toYaml(answers, keepPrivate = []) {
    const shown = visibility(answers);
    const q = DATA.questionnaire;
    const lines = [
      `# Answers to "${oneLine(q.title)}", saved from the homework form.`,
      `# To score them: mend report ${q.id} <this file>`,
      `questionnaire: ${JSON.stringify(q.id)}`,
      `version: ${JSON.stringify(q.version)}`,
      `respondent: ${JSON.stringify(DATA.respondent)}`,
      `date: ${today()}`,
      "answers:",
    ];
    for (const item of DATA.items) {
      if (!shown[item.id]) continue;
      const v = answers[item.id];
      lines.push(blank(v) ? `  ${item.id}:` : `  ${item.id}: ${JSON.stringify(v)}`);
    }
    const kept = DATA.items.filter((i) => shown[i.id] && keepPrivate.includes(i.id)).map((i) => i.id);
    if (kept.length > 0) lines.push(`private: ${JSON.stringify(kept)}`);
    return lines.join("\n") + "\n";
  }
  return Object.freeze({ ...DATA, visibility, toYaml });
}
