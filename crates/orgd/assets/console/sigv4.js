// AWS Signature Version 4 for the console's API calls, with the browser's WebCrypto.
//
// In orgd's default mode the signature is not verified (the access key id names the caller), but
// the Authorization header must still have SigV4's shape. In strict mode (--auth signed) it must be
// right: the console signs with the secret key typed in the page. WebCrypto exists only in a
// secure context (a page on localhost or 127.0.0.1, or over HTTPS); elsewhere the console sends a
// well-formed header with a placeholder signature, which only the default mode accepts.

const encoder = new TextEncoder();

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function sha256Hex(text) {
  return hex(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

async function hmac(key, text) {
  const raw = typeof key === "string" ? encoder.encode(key) : key;
  const k = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return crypto.subtle.sign("HMAC", k, encoder.encode(text));
}

/** Whether this page can compute real signatures (WebCrypto is there). */
export function canSign() {
  return Boolean(globalThis.isSecureContext && globalThis.crypto && crypto.subtle);
}

/** SigV4's basic time format, `yyyymmddThhmmssZ`. */
export function amzDate(date) {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/**
 * The headers that sign a `POST /` with `body`: `x-amz-date` and `authorization`.
 * `headers` are the other headers to sign (lower-case names); `host` is always signed.
 */
export async function signedHeaders({ accessKey, secretKey, region, service, host, headers, body, now }) {
  const stamp = amzDate(now || new Date());
  const day = stamp.slice(0, 8);
  const scope = `${day}/${region}/${service}/aws4_request`;
  const all = { ...headers, host, "x-amz-date": stamp };
  const names = Object.keys(all).sort();
  const signed = names.join(";");
  let signature = "0".repeat(64);
  if (canSign()) {
    const canonical = [
      "POST",
      "/",
      "",
      names.map((n) => `${n}:${String(all[n]).trim()}\n`).join(""),
      signed,
      await sha256Hex(body),
    ].join("\n");
    const toSign = ["AWS4-HMAC-SHA256", stamp, scope, await sha256Hex(canonical)].join("\n");
    let key = await hmac(`AWS4${secretKey}`, day);
    for (const part of [region, service, "aws4_request"]) key = await hmac(key, part);
    signature = hex(await hmac(key, toSign));
  }
  return {
    "x-amz-date": stamp,
    authorization: `AWS4-HMAC-SHA256 Credential=${accessKey}/${scope}, SignedHeaders=${signed}, Signature=${signature}`,
  };
}
