// Zhipu's own Node SDK (zhipuai-sdk-nodejs-v4, pinned in package.json), unchanged, against the mock
// GLM. The SDK authenticates with a JWT signed by the key's secret, sent without "Bearer ".
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { ZhipuAI } from "zhipuai-sdk-nodejs-v4";
import { startMock, requestsTo } from "./mock.mjs";

const key = "sdkkeyid.sdksecret";
let mock;

before(async () => {
  mock = await startMock("glm", [key]);
});
after(async () => mock.stop());

function client(apiKey = key) {
  return new ZhipuAI({ apiKey, baseUrl: `${mock.url}/api/paas/v4`, cacheToken: false });
}

function blob(bytes) {
  return new Blob([Buffer.alloc(bytes, "a")], { type: "text/plain" });
}

test("createFiles uploads with the SDK's JWT, and the ledger records the form", async () => {
  const file = await client().createFiles({ file: blob(1000), purpose: "file-extract" });
  assert.equal(file.object, "file");
  assert.equal(file.bytes, 1000);
  assert.equal(file.purpose, "file-extract");
  const [entry] = requestsTo(await mock.ledger(), "POST", "/files").filter((e) => e.file_id === file.id);
  assert.equal(entry.status, 200);
  assert.equal(entry.auth, "jwt");
});

test("findFiles lists what was uploaded", async () => {
  const file = await client().createFiles({ file: blob(10), purpose: "file-extract" });
  const list = await client().findFiles({ purpose: "file-extract", limit: 100 });
  assert.equal(list.object, "list");
  assert.ok(list.data.some((f) => f.id === file.id));
});

test("a key the mock does not hold is refused with Zhipu's business code", async () => {
  // Unknown id: 1000. Known id signed with the wrong secret: 1004.
  await assert.rejects(client("nobody.secret").createFiles({ file: blob(1), purpose: "file-extract" }), (e) => {
    assert.equal(e.error?.code, "1000", JSON.stringify(e));
    return true;
  });
  await assert.rejects(client("sdkkeyid.wrong").createFiles({ file: blob(1), purpose: "file-extract" }), (e) => {
    assert.equal(e.error?.code, "1004", JSON.stringify(e));
    return true;
  });
});

test("file-extract refuses a file over 50 MB and takes one of exactly 50 MB", async () => {
  const limit = 50 * 1024 * 1024;
  await assert.rejects(client().createFiles({ file: blob(limit + 1), purpose: "file-extract" }), (e) => {
    assert.equal(e.error?.code, "1210", JSON.stringify(e).slice(0, 300));
    return true;
  });
  const file = await client().createFiles({ file: blob(limit), purpose: "file-extract" });
  assert.equal(file.bytes, limit);
});

test("a 429 reaches the caller as Zhipu's 1302 (the SDK does not retry), recorded once", async () => {
  await mock.putFaults([
    {
      name: "busy-once",
      match: { method: "POST", path: "*/files" },
      schedule: { first: 1 },
      action: { kind: "status", status: 429 },
    },
  ]);
  const before = requestsTo(await mock.ledger(), "POST", "/files").length;
  await assert.rejects(client().createFiles({ file: blob(5), purpose: "file-extract" }), (e) => {
    assert.equal(e.error?.code, "1302", JSON.stringify(e));
    return true;
  });
  const file = await client().createFiles({ file: blob(5), purpose: "file-extract" });
  const posts = requestsTo(await mock.ledger(), "POST", "/files").slice(before);
  assert.deepEqual(posts.map((e) => [e.status, e.fault]), [[429, "busy-once"], [200, null]]);
  assert.equal(posts[1].file_id, file.id);
  await mock.putFaults([]);
});
