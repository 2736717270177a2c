// A few DOM helpers: the console builds its page with these, no framework.

/**
 * `h("div", {class: "x", onclick: f}, child, ...)`: an element. Attributes named `on...` become
 * event listeners; `null`, `undefined` and `false` children are skipped; strings become text.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** An epoch-seconds timestamp (the JSON 1.1 wire form) as readable UTC text. */
export function when(seconds) {
  if (seconds === undefined || seconds === null) return "";
  return new Date(seconds * 1000).toISOString().replace("T", " ").replace(/\.\d{3}Z$/, " UTC");
}

/** A definition list of `[label, value]` pairs, skipping empty values. */
export function facts(pairs) {
  return h(
    "dl",
    { class: "facts" },
    pairs
      .filter(([, v]) => v !== undefined && v !== null && v !== "")
      .map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]),
  );
}

/** A table with a header row; `rows` are arrays of cells (nodes or text). */
export function table(headers, rows, attrs = {}) {
  return h(
    "table",
    attrs,
    h("thead", {}, h("tr", {}, headers.map((t) => h("th", {}, t)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c))))),
  );
}

/** A status badge (`ACTIVE`, `SUSPENDED`, `OPEN`, ...). */
export function badge(text) {
  return h("span", { class: `badge badge-${String(text).toLowerCase()}` }, text);
}

/** Pretty-prints a JSON text (a policy's content), or returns it as is. */
export function prettyJson(text) {
  try {
    return JSON.stringify(typeof text === "string" ? JSON.parse(text) : text, null, 2);
  } catch {
    return String(text);
  }
}
