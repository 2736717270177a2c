// The console's only way to read or change anything: orgd's AWS API (`POST /`, JSON 1.1), signed
// as the caller chosen in the page. orgd applies every rule to these calls as to any client's.

import { PAGE_SIZE } from "./model.js";
import { signedHeaders } from "./sigv4.js";

const TARGET_PREFIX = "AWSOrganizationsV20161128.";
/** The caller: an access key id (12 digits: that account), an optional secret, a region. */
export const caller = { accessKey: "", secretKey: "", region: "us-east-1" };

/** An API error in AWS's shape: the exception name, its message and, when given, the Reason. */
export class ApiError extends Error {
  constructor(status, type, message, reason) {
    super(message || type || `HTTP ${status}`);
    this.status = status;
    this.type = type;
    this.reason = reason;
  }
  toString() {
    return `${this.type || "Error"}${this.reason ? ` (${this.reason})` : ""}: ${this.message}`;
  }
}

/** Calls operation `op` with `input`; its output, or throws an `ApiError`. */
export async function call(op, input = {}) {
  const body = JSON.stringify(input);
  const headers = {
    "content-type": "application/x-amz-json-1.1",
    "x-amz-target": TARGET_PREFIX + op,
  };
  const auth = await signedHeaders({
    accessKey: caller.accessKey,
    secretKey: caller.secretKey,
    region: caller.region,
    service: "organizations",
    host: location.host,
    headers,
    body,
  });
  const response = await fetch("/", { method: "POST", headers: { ...headers, ...auth }, body });
  const text = await response.text();
  let data = {};
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError(response.status, "", text.slice(0, 200));
  }
  if (!response.ok) {
    const type = String(data.__type || "").split("#").pop();
    throw new ApiError(response.status, type, data.Message || data.message, data.Reason);
  }
  return data;
}

/** One page of a List operation: `{items, next}` (`next` is the NextToken, or undefined). */
export async function page(op, input, member, next) {
  const out = await call(op, { ...input, MaxResults: PAGE_SIZE, ...(next ? { NextToken: next } : {}) });
  return { items: out[member] || [], next: out.NextToken };
}

/** Every item of a List operation, up to `limit` (for short lists: tags, policies of a target). */
export async function all(op, input, member, limit = 1000) {
  const items = [];
  let next;
  do {
    const p = await page(op, input, member, next);
    items.push(...p.items);
    next = p.next;
  } while (next && items.length < limit);
  return items;
}

/**
 * `POST /_orgd/simulate`: `{status, data}`; `status` 404 means this orgd has no simulator.
 */
export async function simulate(request) {
  const response = await fetch("/_orgd/simulate", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(request),
  });
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = text;
  }
  return { status: response.status, data };
}
