// The AWS SDK for JavaScript v3 (@aws-sdk/client-organizations) against orgd:
// an organization, OUs and accounts, the SDK's paginators with a page size of
// 1, and the names and Reasons of modeled errors. Run by compat/run.sh with
// `node --test`, against ORGD_ENDPOINT; every test starts from a reset server.
// A failure prints the last requests and the raw responses orgd sent.

import { beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

import {
  AccessDeniedException,
  ConstraintViolationException,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreateOrganizationalUnitCommand,
  DescribeAccountCommand,
  DescribeCreateAccountStatusCommand,
  DuplicateOrganizationalUnitException,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
  OrganizationsServiceException,
  paginateListAccounts,
  paginateListChildren,
} from "@aws-sdk/client-organizations";

const ENDPOINT = (process.env.ORGD_ENDPOINT ?? "").replace(/\/$/, "");
const MGMT = "111111111111";
const SDK_VERSION = createRequire(import.meta.url)("@aws-sdk/client-organizations/package.json").version;

if (!ENDPOINT) {
  throw new Error("ORGD_ENDPOINT is not set: run compat/run.sh ORGD_BINARY, or export it for a running orgd");
}

// The last exchanges with orgd, raw, for failure reports.
const exchanges = [];

function client(accountId = MGMT) {
  const c = new OrganizationsClient({
    endpoint: ENDPOINT,
    region: "us-east-1",
    credentials: { accessKeyId: accountId, secretAccessKey: "compat-secret-key" },
    maxAttempts: 1, // every answer of the server exactly as sent
  });
  // Inside the deserializer: keep a copy of the raw body before the SDK parses it.
  c.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const chunks = [];
      for await (const chunk of result.response.body) chunks.push(Buffer.from(chunk));
      const body = Buffer.concat(chunks);
      result.response.body = new Uint8Array(body);
      exchanges.push({
        caller: accountId,
        operation: context.commandName,
        request: args.request?.body,
        status: result.response.statusCode,
        response: body.toString("utf8").slice(0, 2000),
      });
      if (exchanges.length > 8) exchanges.shift();
      return result;
    },
    { step: "deserialize", priority: "low", name: "orgdCompatRecorder" },
  );
  return c;
}

async function reset() {
  const r = await fetch(`${ENDPOINT}/_orgd/reset`, { method: "POST" });
  assert.ok(r.ok, `reset failed: ${r.status}`);
}

// A test whose failure message carries the last requests and responses.
function scenario(name, fn) {
  test(name, async (t) => {
    try {
      await fn(t);
    } catch (err) {
      const trail = exchanges
        .map((e) => `  ${e.caller} ${e.operation} ${e.request ?? ""}\n    -> HTTP ${e.status} ${e.response}`)
        .join("\n");
      err.message = `${err.message}\n--- last exchanges with orgd ---\n${trail}`;
      throw err;
    }
  });
}

// The error a call fails with (it must fail).
async function failure(promise) {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail("the call succeeded but should have failed");
}

async function waitForAccount(c, requestId) {
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    const { CreateAccountStatus: s } = await c.send(
      new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: requestId }),
    );
    if (s.State !== "IN_PROGRESS") {
      assert.equal(s.State, "SUCCEEDED", JSON.stringify(s));
      return s.AccountId;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

async function collect(pages, key) {
  const items = [];
  let count = 0;
  for await (const page of pages) {
    count += 1;
    items.push(...page[key]);
  }
  return { items, pages: count };
}

beforeEach(async () => {
  exchanges.length = 0;
  await reset();
});

console.log(`@aws-sdk/client-organizations ${SDK_VERSION}, node ${process.version}, orgd at ${ENDPOINT}`);

scenario("organization, OUs and accounts through the paginators", async () => {
  const c = client();
  const { Organization: org } = await c.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
  assert.match(org.Id, /^o-[a-z0-9]{10,32}$/);
  assert.equal(org.MasterAccountId, MGMT);
  const { Roots: roots } = await c.send(new ListRootsCommand({}));
  assert.equal(roots.length, 1);
  const rootId = roots[0].Id;

  const { OrganizationalUnit: workloads } = await c.send(
    new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: "Workloads" }),
  );
  assert.match(workloads.Id, new RegExp(`^ou-${rootId.slice(2)}-[a-z0-9]{8,32}$`));
  const { OrganizationalUnit: prod } = await c.send(
    new CreateOrganizationalUnitCommand({ ParentId: workloads.Id, Name: "Prod" }),
  );

  const created = [];
  for (const name of ["alpha", "beta", "gamma"]) {
    const { CreateAccountStatus: started } = await c.send(
      new CreateAccountCommand({ AccountName: name, Email: `${name}@js.example.com` }),
    );
    assert.equal(started.State, "IN_PROGRESS");
    assert.match(started.Id, /^car-[a-z0-9]{8,32}$/);
    created.push(await waitForAccount(c, started.Id));
  }
  for (const id of created) assert.match(id, /^\d{12}$/);

  // paginateListAccounts with one account a page: 4 pages, 4 accounts.
  const accounts = await collect(paginateListAccounts({ client: c, pageSize: 1 }, {}), "Accounts");
  assert.equal(accounts.items.length, 4);
  assert.equal(accounts.pages, 4);
  assert.deepEqual(
    accounts.items.map((a) => a.Id).sort(),
    [MGMT, ...created].sort(),
  );
  for (const a of accounts.items) {
    assert.ok(a.JoinedTimestamp instanceof Date, "JoinedTimestamp is parsed as a Date");
    assert.equal(a.Status, "ACTIVE");
  }

  // Move two accounts down the tree, then walk it with paginateListChildren.
  await c.send(new MoveAccountCommand({ AccountId: created[0], SourceParentId: rootId, DestinationParentId: workloads.Id }));
  await c.send(new MoveAccountCommand({ AccountId: created[1], SourceParentId: rootId, DestinationParentId: prod.Id }));
  const children = async (parentId, childType) =>
    (await collect(paginateListChildren({ client: c, pageSize: 1 }, { ParentId: parentId, ChildType: childType }), "Children")).items;

  const rootAccounts = await children(rootId, "ACCOUNT");
  assert.deepEqual(rootAccounts.map((x) => x.Id).sort(), [MGMT, created[2]].sort());
  assert.ok(rootAccounts.every((x) => x.Type === "ACCOUNT"));
  assert.deepEqual((await children(rootId, "ORGANIZATIONAL_UNIT")).map((x) => x.Id), [workloads.Id]);
  assert.deepEqual((await children(workloads.Id, "ACCOUNT")).map((x) => x.Id), [created[0]]);
  assert.deepEqual((await children(workloads.Id, "ORGANIZATIONAL_UNIT")).map((x) => x.Id), [prod.Id]);
  assert.deepEqual((await children(prod.Id, "ACCOUNT")).map((x) => x.Id), [created[1]]);

  const { Account: moved } = await c.send(new DescribeAccountCommand({ AccountId: created[1] }));
  assert.equal(moved.Name, "beta");
  assert.equal(moved.JoinedMethod, "CREATED");
});

scenario("modeled errors carry their name and Reason", async () => {
  const c = client();
  await c.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
  const rootId = (await c.send(new ListRootsCommand({}))).Roots[0].Id;

  await c.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: "Sandbox" }));
  const duplicate = await failure(c.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: "Sandbox" })));
  assert.ok(duplicate instanceof DuplicateOrganizationalUnitException, `${duplicate.name}: ${duplicate.message}`);
  assert.equal(duplicate.name, "DuplicateOrganizationalUnitException");
  assert.equal(duplicate.$metadata.httpStatusCode, 400);
  assert.ok(duplicate.$metadata.requestId, "the error carries the request id");
  assert.equal(duplicate.$fault, "client");

  // Five levels of OUs below the root are allowed; the sixth is not.
  let parent = rootId;
  for (let level = 1; level <= 5; level += 1) {
    parent = (await c.send(new CreateOrganizationalUnitCommand({ ParentId: parent, Name: `level-${level}` })))
      .OrganizationalUnit.Id;
  }
  const tooDeep = await failure(c.send(new CreateOrganizationalUnitCommand({ ParentId: parent, Name: "level-6" })));
  assert.ok(tooDeep instanceof ConstraintViolationException, `${tooDeep.name}: ${tooDeep.message}`);
  assert.equal(tooDeep.name, "ConstraintViolationException");
  assert.equal(tooDeep.Reason, "OU_DEPTH_LIMIT_EXCEEDED");
  assert.ok(tooDeep instanceof OrganizationsServiceException);

  const missing = await failure(c.send(new DescribeAccountCommand({ AccountId: "444444444444" })));
  assert.equal(missing.name, "AccountNotFoundException");

  // A member account may not list the organization's accounts.
  const { CreateAccountStatus: started } = await c.send(
    new CreateAccountCommand({ AccountName: "member", Email: "member@js.example.com" }),
  );
  const member = client(await waitForAccount(c, started.Id));
  const denied = await failure(member.send(new ListRootsCommand({})));
  assert.ok(denied instanceof AccessDeniedException, `${denied.name}: ${denied.message}`);

  // An account in no organization.
  const outsider = await failure(client("999999999999").send(new ListRootsCommand({})));
  assert.equal(outsider.name, "AWSOrganizationsNotInUseException");
});
