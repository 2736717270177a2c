// The orgd console: the organization tree (lazy and paged), the details of a root, OU or account,
// policies and their targets, effective policies, handshakes, delegated administrators, trusted
// services and the policy simulator. Every read and change goes through api.js, as the caller
// chosen in the header.

import { ApiError, all, call, caller, page, simulate } from "./api.js";
import { badge, facts, fill, h, prettyJson, table, when } from "./dom.js";
import { EFFECTIVE_POLICY_TYPES, POLICY_TYPES } from "./model.js";
import { canSign } from "./sigv4.js";

/** The access key sent when the caller field is empty: not 12 digits, so orgd's default account. */
const DEFAULT_KEY = "ORGDCONSOLEDEFAULT";
const STORAGE_KEY = "orgd-console-caller";

const view = document.getElementById("view");
const summary = document.getElementById("org-summary");
const toast = document.getElementById("toast");

/** What the console knows of the organization as the caller sees it. */
const ctx = { org: null, root: null, known: new Map() };
/** Timings a user (and the browser test) can read: milliseconds since navigation start. */
const timings = (window.consoleTimings = {});

// ---------------------------------------------------------------------------------------------
// Messages

let toastTimer;
function notify(text, kind = "info") {
  fill(toast, text);
  toast.className = `toast toast-${kind}`;
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (toast.hidden = true), kind === "error" ? 12000 : 5000);
}

function errorBox(err) {
  return h("p", { class: "error", role: "alert" }, String(err));
}

/** Runs a change; reports it, and returns whether it succeeded. */
async function change(label, fn) {
  try {
    await fn();
    notify(`${label}: done`);
    return true;
  } catch (e) {
    notify(`${label} failed: ${e}`, "error");
    return false;
  }
}

function kindOf(id) {
  if (/^\d{12}$/.test(id)) return "account";
  if (/^r-/.test(id)) return "root";
  if (/^ou-/.test(id)) return "ou";
  return "unknown";
}

function section(title, ...body) {
  return h("section", { class: "card" }, h("h3", {}, title), ...body);
}

/** A small form: `fields` are input attributes; `onsubmit` gets the values in order. */
function form(name, fields, button, onsubmit) {
  const inputs = fields.map((f) => h("input", { required: true, ...f }));
  const el = h(
    "form",
    {
      class: "inline",
      name,
      onsubmit: async (ev) => {
        ev.preventDefault();
        const submit = el.querySelector("button");
        submit.disabled = true;
        try {
          await onsubmit(...inputs.map((i) => i.value.trim()));
        } finally {
          submit.disabled = false;
        }
      },
    },
    inputs.map((i) => h("label", {}, i.getAttribute("aria-label") || "", i)),
    h("button", { type: "submit" }, button),
  );
  return el;
}

/**
 * A paged table of a List operation: the first page now, then "Show more" for each next page.
 * `columns` are header texts; `row(item)` returns the cells.
 */
function pagedTable(op, input, member, columns, row, attrs = {}) {
  const tbody = h("tbody");
  const more = h("button", { class: "more", hidden: true }, "Show more");
  const status = h("p", { class: "muted" }, "Loading…");
  let next;
  let count = 0;
  const load = async () => {
    more.disabled = true;
    try {
      const p = await page(op, input, member, next);
      next = p.next;
      count += p.items.length;
      for (const item of p.items) tbody.append(h("tr", {}, row(item).map((c) => h("td", {}, c))));
      fill(status, count === 0 ? "None." : `${count} shown${next ? "" : " (all)"}`);
      more.hidden = !next;
    } catch (e) {
      fill(status, errorBox(e));
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener("click", load);
  load();
  return h(
    "div",
    { class: "paged" },
    h("table", attrs, h("thead", {}, h("tr", {}, columns.map((c) => h("th", {}, c)))), tbody),
    status,
    more,
  );
}

// ---------------------------------------------------------------------------------------------
// The caller

function loadCaller() {
  try {
    Object.assign(caller, JSON.parse(localStorage.getItem(STORAGE_KEY) || "{}"));
  } catch {
    /* a damaged entry: start from the defaults */
  }
  caller.secretKey = sessionStorage.getItem(`${STORAGE_KEY}-secret`) || "";
}

function callerAccount() {
  return /^\d{12}$/.test(caller.accessKey) ? caller.accessKey : "";
}

function setupCallerForm() {
  const key = document.getElementById("caller-key");
  const secret = document.getElementById("caller-secret");
  const region = document.getElementById("caller-region");
  key.value = caller.accessKey === DEFAULT_KEY ? "" : caller.accessKey;
  secret.value = caller.secretKey;
  region.value = caller.region;
  document.getElementById("caller-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    caller.accessKey = key.value.trim() || DEFAULT_KEY;
    caller.secretKey = secret.value;
    caller.region = region.value.trim() || "us-east-1";
    localStorage.setItem(
      STORAGE_KEY,
      JSON.stringify({ accessKey: caller.accessKey, region: caller.region }),
    );
    sessionStorage.setItem(`${STORAGE_KEY}-secret`, caller.secretKey);
    if (caller.secretKey && !canSign()) {
      notify(
        "This page is not a secure context (open it on localhost or over HTTPS): it cannot sign, so only orgd's default auth mode will accept its calls.",
        "error",
      );
    }
    ctx.org = null;
    route();
  });
}

// ---------------------------------------------------------------------------------------------
// The organization

async function loadOrg() {
  const { Organization } = await call("DescribeOrganization");
  const roots = await all("ListRoots", {}, "Roots");
  ctx.org = Organization;
  ctx.root = roots[0] || null;
  fill(
    summary,
    h("span", {}, "Organization ", h("code", {}, Organization.Id)),
    h("span", {}, "management ", h("code", {}, Organization.MasterAccountId)),
    h("span", {}, `${Organization.FeatureSet} features`),
    h("span", {}, "caller ", h("code", { id: "caller-account" }, callerAccount() || "default account")),
  );
}

function enabledTypes() {
  return (ctx.root?.PolicyTypes || []).filter((t) => t.Status === "ENABLED").map((t) => t.Type);
}

// ---- the tree ---------------------------------------------------------------------------------

let tree;
let details;
let detailsGeneration = 0;

function renderOrgView(selected) {
  tree = h("ul", { class: "tree", role: "tree", "aria-label": "Organization tree" });
  details = h("div", { class: "details", id: "details" });
  const open = form(
    "open-target",
    [{ name: "target", placeholder: "account, OU or root id", "aria-label": "Open by id" }],
    "Open",
    (id) => select(id, kindOf(id)),
  );
  fill(
    view,
    h(
      "div",
      { class: "split" },
      h("div", { class: "pane tree-pane" }, open, tree, h("datalist", { id: "known-parents" })),
      details,
    ),
  );
  if (!ctx.root) {
    fill(tree, h("li", { class: "muted" }, "No root."));
    return;
  }
  const root = node("root", ctx.root);
  tree.append(root);
  expand(root).then(() => {
    if (timings.firstTree === undefined) timings.firstTree = Math.round(performance.now());
    document.body.dataset.treeReady = "true";
  });
  select(selected || ctx.root.Id, kindOf(selected || ctx.root.Id), { quiet: true });
}

function remember(id, name, kind) {
  ctx.known.set(id, { name, kind });
  if (kind !== "account") {
    const list = document.getElementById("known-parents");
    if (list && !list.querySelector(`option[value="${CSS.escape(id)}"]`)) {
      list.append(h("option", { value: id }, name));
    }
  }
}

/** A tree item for a root, OU (`item` from the List or Describe operations) or account. */
function node(kind, item) {
  const id = item.Id;
  const label = kind === "root" ? item.Name || "Root" : item.Name;
  remember(id, label, kind);
  const li = h("li", {
    class: `node node-${kind}`,
    role: "treeitem",
    dataset: { id, kind },
  });
  const children = h("ul", { class: "children", role: "group", hidden: true });
  const toggle =
    kind === "account"
      ? h("span", { class: "toggle-space" })
      : h(
          "button",
          {
            class: "toggle",
            "aria-expanded": "false",
            title: `Open ${label}`,
            onclick: () => (children.hidden ? expand(li) : collapse(li)),
          },
          "▸",
        );
  const state = item.State || item.Status;
  li.append(
    h(
      "div",
      { class: "row" },
      toggle,
      h("button", { class: "name", onclick: () => select(id, kind) }, label),
      h("span", { class: "id" }, id),
      kind === "account" && state ? badge(state) : null,
    ),
    children,
  );
  li.children_ = children;
  li.paging = fresh();
  return li;
}

function fresh() {
  return { loaded: false, ouNext: undefined, accNext: undefined, ousDone: false, accsDone: false };
}

function collapse(li) {
  li.children_.hidden = true;
  li.querySelector(":scope > .row > .toggle").setAttribute("aria-expanded", "false");
  li.querySelector(":scope > .row > .toggle").textContent = "▸";
}

async function expand(li) {
  li.children_.hidden = false;
  const t = li.querySelector(":scope > .row > .toggle");
  t.setAttribute("aria-expanded", "true");
  t.textContent = "▾";
  if (!li.paging.loaded) await loadChildren(li);
}

/**
 * Loads the next page of a node's children: on the first call, the first page of its OUs and the
 * first page of its accounts; then the next page of OUs while there are more, then of accounts.
 */
async function loadChildren(li) {
  const id = li.dataset.id;
  const p = li.paging;
  const ul = li.children_;
  const started = performance.now();
  let more = ul.querySelector(":scope > .more-item");
  if (!more) {
    more = h(
      "li",
      { class: "more-item" },
      h("button", { class: "more", onclick: () => loadChildren(li) }, "Show more"),
    );
    ul.append(more);
  }
  more.querySelector("button").disabled = true;
  li.classList.add("loading");
  const first = !p.loaded;
  try {
    const [ous, accounts] = await Promise.all([
      !p.ousDone
        ? page("ListOrganizationalUnitsForParent", { ParentId: id }, "OrganizationalUnits", p.ouNext)
        : null,
      !p.accsDone && (first || p.ousDone)
        ? page("ListAccountsForParent", { ParentId: id }, "Accounts", p.accNext)
        : null,
    ]);
    const firstAccount = ul.querySelector(":scope > .node-account") || more;
    if (ous) {
      for (const ou of ous.items) ul.insertBefore(node("ou", ou), firstAccount);
      p.ouNext = ous.next;
      p.ousDone = !ous.next;
    }
    if (accounts) {
      for (const a of accounts.items) ul.insertBefore(node("account", a), more);
      p.accNext = accounts.next;
      p.accsDone = !accounts.next;
    }
    p.loaded = true;
    ul.querySelector(":scope > .empty")?.remove();
    if (!ul.querySelector(":scope > .node")) {
      ul.insertBefore(h("li", { class: "empty muted" }, "No OUs or accounts."), more);
    }
    more.hidden = p.ousDone && p.accsDone;
    li.dataset.loadMs = String(Math.round(performance.now() - started));
    li.dataset.shown = String(ul.querySelectorAll(":scope > .node").length);
  } catch (e) {
    ul.insertBefore(h("li", { class: "error" }, String(e)), more);
  } finally {
    more.querySelector("button").disabled = false;
    li.classList.remove("loading");
  }
}

/** Reloads the children of every shown node `id` (after a change below it). */
async function reload(id) {
  for (const li of tree?.querySelectorAll(`li.node[data-id="${CSS.escape(id)}"]`) || []) {
    li.children_.replaceChildren();
    li.paging = fresh();
    if (!li.children_.hidden) await loadChildren(li);
  }
}

/** Removes the shown nodes of `id` (an account that moved away). */
function forget(id) {
  for (const li of tree?.querySelectorAll(`li.node[data-id="${CSS.escape(id)}"]`) || []) li.remove();
}

function rename(id, name) {
  for (const b of tree?.querySelectorAll(`li.node[data-id="${CSS.escape(id)}"] > .row > .name`) || []) {
    b.textContent = name;
  }
}

// ---- details ----------------------------------------------------------------------------------

function select(id, kind, { quiet = false } = {}) {
  for (const r of tree?.querySelectorAll(".row.selected") || []) r.classList.remove("selected");
  for (const r of tree?.querySelectorAll(`li.node[data-id="${CSS.escape(id)}"] > .row`) || []) {
    r.classList.add("selected");
  }
  if (!quiet) history.replaceState(null, "", `#/org/${encodeURIComponent(id)}`);
  showDetails(id, kind);
}

function link(id) {
  return h("button", { class: "link", onclick: () => select(id, kindOf(id)) }, id);
}

async function showDetails(id, kind) {
  const generation = ++detailsGeneration;
  delete details.dataset.target;
  fill(details, h("p", { class: "muted" }, `Loading ${id}…`));
  const parts = [];
  try {
    if (kind === "account") parts.push(...(await accountDetails(id)));
    else if (kind === "ou") parts.push(...(await ouDetails(id)));
    else if (kind === "root") parts.push(...rootDetails(id));
    else throw new Error(`${id} is not an account, OU or root id`);
  } catch (e) {
    if (generation === detailsGeneration) fill(details, errorBox(e));
    return;
  }
  if (generation !== detailsGeneration) return;
  parts.push(section("Tags", tagsOf(id)));
  parts.push(section("Policies", policiesOf(id)));
  if (kind === "account") parts.push(section("Effective policies", effectiveOf(id)));
  fill(details, ...parts);
  details.dataset.target = id;
}

async function parentOf(id) {
  const parents = await all("ListParents", { ChildId: id }, "Parents");
  return parents[0]?.Id;
}

async function accountDetails(id) {
  const [{ Account: a }, parent] = await Promise.all([
    call("DescribeAccount", { AccountId: id }),
    parentOf(id),
  ]);
  const state = a.State || a.Status;
  const move = form(
    "move-account",
    [
      {
        name: "destination",
        list: "known-parents",
        placeholder: "OU or root id",
        "aria-label": "Move to",
      },
    ],
    "Move",
    async (dest) => {
      const moved = await change(`Move ${id} to ${dest}`, () =>
        call("MoveAccount", { AccountId: id, SourceParentId: parent, DestinationParentId: dest }),
      );
      if (moved) {
        forget(id);
        await reload(dest);
        select(id, "account");
      }
    },
  );
  return [
    h("h2", {}, a.Name, " ", badge(state)),
    facts([
      ["Account id", h("code", {}, a.Id)],
      ["ARN", h("code", {}, a.Arn)],
      ["Email", a.Email],
      ["State", state],
      ["Joined", `${a.JoinedMethod || ""} ${when(a.JoinedTimestamp)}`.trim()],
      ["Parent", parent ? link(parent) : ""],
    ]),
    section("Move", move),
  ];
}

async function ouDetails(id) {
  const [{ OrganizationalUnit: ou }, parent] = await Promise.all([
    call("DescribeOrganizationalUnit", { OrganizationalUnitId: id }),
    parentOf(id),
  ]);
  return [
    h("h2", {}, ou.Name),
    facts([
      ["OU id", h("code", {}, ou.Id)],
      ["ARN", h("code", {}, ou.Arn)],
      ["Parent", parent ? link(parent) : ""],
    ]),
    section(
      "Change",
      form(
        "rename-ou",
        [{ name: "name", value: ou.Name, "aria-label": "New name" }],
        "Rename",
        async (name) => {
          if (await change(`Rename ${id}`, () => call("UpdateOrganizationalUnit", { OrganizationalUnitId: id, Name: name }))) {
            rename(id, name);
            select(id, "ou");
          }
        },
      ),
      createOuForm(id),
    ),
  ];
}

function rootDetails(id) {
  const r = ctx.root && ctx.root.Id === id ? ctx.root : { Id: id };
  return [
    h("h2", {}, r.Name || "Root"),
    facts([
      ["Root id", h("code", {}, r.Id)],
      ["ARN", r.Arn ? h("code", {}, r.Arn) : ""],
      ["Organization", ctx.org ? h("code", {}, ctx.org.Id) : ""],
      ["Management account", ctx.org ? link(ctx.org.MasterAccountId) : ""],
    ]),
    section(
      "Policy types",
      table(
        ["Type", "Status"],
        POLICY_TYPES.map((t) => {
          const s = (r.PolicyTypes || []).find((p) => p.Type === t);
          return [t, s ? badge(s.Status) : h("span", { class: "muted" }, "not enabled")];
        }),
        { class: "policy-types" },
      ),
    ),
    section("Change", createOuForm(id)),
  ];
}

function createOuForm(parent) {
  return form(
    "create-ou",
    [{ name: "name", placeholder: "name", "aria-label": "New OU" }],
    "Create OU",
    async (name) => {
      if (await change(`Create OU ${name}`, () => call("CreateOrganizationalUnit", { ParentId: parent, Name: name }))) {
        const li = tree?.querySelector(`li.node[data-id="${CSS.escape(parent)}"]`);
        if (li && li.children_.hidden) await expand(li);
        await reload(parent);
      }
    },
  );
}

function tagsOf(id) {
  return pagedTable("ListTagsForResource", { ResourceId: id }, "Tags", ["Key", "Value"], (t) => [
    t.Key,
    t.Value,
  ], { class: "tags" });
}

/** The policies attached to a target, per enabled type, with detach buttons and an attach form. */
function policiesOf(target) {
  const box = h("div", { class: "policies" });
  const types = enabledTypes();
  if (types.length === 0) {
    fill(box, h("p", { class: "muted" }, "No policy type is enabled in the root."));
    return box;
  }
  for (const type of types) {
    const body = h("div", {}, h("p", { class: "muted" }, "Loading…"));
    box.append(h("div", { class: "policy-type", dataset: { type } }, h("h4", {}, type), body));
    attachedPolicies(target, type, body);
  }
  return box;
}

async function attachedPolicies(target, type, body) {
  try {
    const [attached, available] = await Promise.all([
      all("ListPoliciesForTarget", { TargetId: target, Filter: type }, "Policies"),
      all("ListPolicies", { Filter: type }, "Policies"),
    ]);
    const ids = new Set(attached.map((p) => p.Id));
    const rows = attached.map((p) => [
      h("button", { class: "link", onclick: () => go(`#/policies/${type}/${p.Id}`) }, p.Name),
      h("code", {}, p.Id),
      h(
        "button",
        {
          class: "detach",
          onclick: async () => {
            if (await change(`Detach ${p.Name}`, () => call("DetachPolicy", { PolicyId: p.Id, TargetId: target }))) {
              attachedPolicies(target, type, body);
            }
          },
        },
        "Detach",
      ),
    ]);
    const choices = available.filter((p) => !ids.has(p.Id));
    const select = h(
      "select",
      { name: "policy", "aria-label": `Attach a ${type}` },
      choices.map((p) => h("option", { value: p.Id }, `${p.Name} (${p.Id})`)),
    );
    const attach = h(
      "form",
      {
        class: "inline attach",
        onsubmit: async (ev) => {
          ev.preventDefault();
          const id = select.value;
          if (id && (await change(`Attach ${id}`, () => call("AttachPolicy", { PolicyId: id, TargetId: target })))) {
            attachedPolicies(target, type, body);
          }
        },
      },
      select,
      h("button", { type: "submit", disabled: choices.length === 0 }, "Attach"),
    );
    fill(
      body,
      rows.length ? table(["Name", "Id", ""], rows, { class: "attached" }) : h("p", { class: "muted" }, "None attached."),
      attach,
    );
  } catch (e) {
    fill(body, errorBox(e));
  }
}

/** The effective policy of an account, for each enabled management policy type. */
function effectiveOf(account) {
  const box = h("div", {});
  const types = enabledTypes().filter((t) => EFFECTIVE_POLICY_TYPES.includes(t));
  if (types.length === 0) {
    fill(box, h("p", { class: "muted" }, "No management policy type is enabled."));
    return box;
  }
  for (const type of types) {
    const body = h("div", {}, h("p", { class: "muted" }, "Loading…"));
    box.append(h("div", { class: "effective", dataset: { type } }, h("h4", {}, type), body));
    call("DescribeEffectivePolicy", { PolicyType: type, TargetId: account })
      .then(({ EffectivePolicy: e }) =>
        fill(body, h("p", { class: "muted" }, `updated ${when(e.LastUpdatedTimestamp)}`), h("pre", {}, prettyJson(e.PolicyContent))),
      )
      .catch((e) =>
        fill(
          body,
          e instanceof ApiError && e.type === "EffectivePolicyNotFoundException"
            ? h("p", { class: "muted" }, "No policy of this type applies.")
            : errorBox(e),
        ),
      );
  }
  return box;
}

// ---------------------------------------------------------------------------------------------
// Policies

function renderPolicies(type, policyId) {
  type = POLICY_TYPES.includes(type) ? type : enabledTypes()[0] || POLICY_TYPES[0];
  const enabled = new Set(enabledTypes());
  const picker = h(
    "select",
    {
      name: "type",
      "aria-label": "Policy type",
      onchange: () => go(`#/policies/${picker.value}`),
    },
    POLICY_TYPES.map((t) =>
      h("option", { value: t, selected: t === type }, `${t}${enabled.has(t) ? "" : " (not enabled)"}`),
    ),
  );
  const right = h("div", { class: "details" }, h("p", { class: "muted" }, "Pick a policy."));
  const list = pagedTable("ListPolicies", { Filter: type }, "Policies", ["Name", "Id", "AWS managed"], (p) => [
    h("button", { class: "link", onclick: () => go(`#/policies/${type}/${p.Id}`) }, p.Name),
    h("code", {}, p.Id),
    p.AwsManaged ? "yes" : "no",
  ], { class: "policy-list" });
  fill(view, h("div", { class: "split" }, h("div", { class: "pane" }, h("label", {}, "Type ", picker), list), right));
  if (policyId) policyDetails(policyId, right);
}

async function policyDetails(id, box) {
  fill(box, h("p", { class: "muted" }, `Loading ${id}…`));
  try {
    const { Policy } = await call("DescribePolicy", { PolicyId: id });
    const s = Policy.PolicySummary;
    const attach = form(
      "attach-target",
      [{ name: "target", list: "known-parents", placeholder: "root, OU or account id", "aria-label": "Attach to" }],
      "Attach",
      async (target) => {
        if (await change(`Attach ${s.Name} to ${target}`, () => call("AttachPolicy", { PolicyId: id, TargetId: target }))) {
          policyDetails(id, box);
        }
      },
    );
    fill(
      box,
      h("h2", {}, s.Name),
      facts([
        ["Policy id", h("code", {}, s.Id)],
        ["ARN", h("code", {}, s.Arn)],
        ["Type", s.Type],
        ["Description", s.Description],
        ["AWS managed", s.AwsManaged ? "yes" : "no"],
      ]),
      section(
        "Targets",
        pagedTable("ListTargetsForPolicy", { PolicyId: id }, "Targets", ["Name", "Target", "Type", ""], (t) => [
          t.Name,
          h("button", { class: "link", onclick: () => go(`#/org/${t.TargetId}`) }, t.TargetId),
          t.Type,
          h(
            "button",
            {
              class: "detach",
              onclick: async () => {
                if (await change(`Detach from ${t.TargetId}`, () => call("DetachPolicy", { PolicyId: id, TargetId: t.TargetId }))) {
                  policyDetails(id, box);
                }
              },
            },
            "Detach",
          ),
        ], { class: "targets" }),
        attach,
      ),
      section("Content", h("pre", { class: "content" }, prettyJson(Policy.Content))),
    );
  } catch (e) {
    fill(box, errorBox(e));
  }
}

// ---------------------------------------------------------------------------------------------
// Handshakes, delegated administrators, trusted services

function parties(hs) {
  return (hs.Parties || []).map((p) => `${p.Type} ${p.Id}`).join(", ");
}

function handshakeRow(hs) {
  return [
    h("code", {}, hs.Id),
    hs.Action,
    badge(hs.State),
    parties(hs),
    when(hs.RequestedTimestamp),
    when(hs.ExpirationTimestamp),
  ];
}

const HANDSHAKE_COLUMNS = ["Id", "Action", "State", "Parties", "Requested", "Expires"];

function renderHandshakes() {
  fill(
    view,
    section(
      "Handshakes of the organization",
      pagedTable("ListHandshakesForOrganization", {}, "Handshakes", HANDSHAKE_COLUMNS, handshakeRow, { class: "handshakes" }),
    ),
    section(
      "Handshakes received by the caller",
      pagedTable("ListHandshakesForAccount", {}, "Handshakes", HANDSHAKE_COLUMNS, handshakeRow),
    ),
  );
}

function renderDelegated() {
  fill(
    view,
    section(
      "Delegated administrators",
      pagedTable(
        "ListDelegatedAdministrators",
        {},
        "DelegatedAdministrators",
        ["Account", "Name", "Email", "State", "Delegated", "Services"],
        (d) => {
          const services = h("span", { class: "muted" }, "…");
          all("ListDelegatedServicesForAccount", { AccountId: d.Id }, "DelegatedServices")
            .then((s) => fill(services, s.map((x) => x.ServicePrincipal).join(", ") || "none"))
            .catch((e) => fill(services, String(e)));
          const open = h("button", { class: "link", onclick: () => go(`#/org/${d.Id}`) }, d.Id);
          return [open, d.Name, d.Email, badge(d.State || d.Status), when(d.DelegationEnabledDate), services];
        },
        { class: "delegated" },
      ),
    ),
  );
}

function renderServices() {
  fill(
    view,
    section(
      "Trusted services",
      pagedTable(
        "ListAWSServiceAccessForOrganization",
        {},
        "EnabledServicePrincipals",
        ["Service principal", "Enabled"],
        (s) => [s.ServicePrincipal, when(s.DateEnabled)],
        { class: "services" },
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// The policy simulator

function renderSimulator() {
  const out = h("div", { class: "sim-result", "aria-live": "polite" });
  const account = h("input", { name: "account_id", required: true, value: callerAccount(), placeholder: "12-digit account id" });
  const action = h("input", { name: "action", required: true, value: "s3:GetObject" });
  const resource = h("input", { name: "resource", required: true, value: "*" });
  const context = h("textarea", { name: "context", rows: 4 }, "{}");
  const submit = async (ev) => {
    ev.preventDefault();
    let ctxValue;
    try {
      ctxValue = JSON.parse(context.value || "{}");
    } catch (e) {
      fill(out, errorBox(`The context is not JSON: ${e.message}`));
      return;
    }
    fill(out, h("p", { class: "muted" }, "Asking…"));
    try {
      const { status, data } = await simulate({
        account_id: account.value.trim(),
        action: action.value.trim(),
        resource: resource.value.trim(),
        context: ctxValue,
      });
      if (status === 404) {
        fill(
          out,
          h(
            "p",
            { class: "notice", role: "status" },
            "This orgd has no policy simulator: POST /_orgd/simulate answered 404. It arrives with a later version of orgd; the rest of the console works without it.",
          ),
        );
      } else if (status >= 200 && status < 300 && data && data.decision) {
        fill(
          out,
          h("p", {}, "Decision: ", badge(data.decision)),
          h("h4", {}, "Policies in effect and deciding statements"),
          h("pre", {}, prettyJson(data.policies ?? [])),
        );
      } else {
        fill(out, errorBox(`HTTP ${status}: ${typeof data === "string" ? data : prettyJson(data)}`));
      }
    } catch (e) {
      fill(out, errorBox(e));
    }
  };
  fill(
    view,
    section(
      "Policy simulator",
      h("p", { class: "muted" }, "Would this action by that account on that resource be allowed by the SCPs and RCPs in effect?"),
      h(
        "form",
        { class: "stacked", name: "simulate", onsubmit: submit },
        h("label", {}, "Account id", account),
        h("label", {}, "Action", action),
        h("label", {}, "Resource", resource),
        h("label", {}, "Context (JSON: condition keys and values)", context),
        h("button", { type: "submit" }, "Simulate"),
      ),
      out,
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Routing

function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

const VIEWS = {
  org: (rest) => renderOrgView(rest[0] ? decodeURIComponent(rest[0]) : undefined),
  policies: (rest) => renderPolicies(rest[0], rest[1]),
  handshakes: renderHandshakes,
  delegated: renderDelegated,
  services: renderServices,
  simulator: renderSimulator,
};

async function route() {
  const [name, ...rest] = (location.hash.replace(/^#\/?/, "") || "org").split("/");
  const show = VIEWS[name] ? name : "org";
  for (const a of document.querySelectorAll("nav a")) {
    a.classList.toggle("active", a.getAttribute("href") === `#/${show}`);
  }
  delete document.body.dataset.treeReady;
  if (show !== "simulator" && !ctx.org) {
    fill(view, h("p", { class: "muted" }, "Loading the organization…"));
    try {
      await loadOrg();
    } catch (e) {
      fill(summary, "");
      fill(
        view,
        errorBox(e),
        h("p", { class: "muted" }, `The caller is ${callerAccount() || "orgd's default account"}; pick another caller above.`),
      );
      return;
    }
  }
  VIEWS[show](rest);
}

loadCaller();
if (!caller.accessKey) caller.accessKey = DEFAULT_KEY;
setupCallerForm();
window.addEventListener("hashchange", route);
route();
