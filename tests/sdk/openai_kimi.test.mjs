// The official OpenAI Node SDK (openai, pinned in package.json), unchanged, against the mock Kimi:
// what a team pointing its OpenAI client at a Kimi base URL sees.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import OpenAI, { toFile } from "openai";
import { startMock, requestsTo } from "./mock.mjs";

const key = "sk-sdk-test-kimi";
let mock;
let client;

before(async () => {
  mock = await startMock("kimi", [key]);
  client = new OpenAI({ apiKey: key, baseURL: `${mock.url}/v1`, maxRetries: 2 });
});
after(async () => mock.stop());

async function upload(name, text) {
  return client.files.create({ file: await toFile(Buffer.from(text), name), purpose: "file-extract" });
}

test("files.create returns Kimi's file object", async () => {
  const file = await upload("report.txt", "quarterly numbers");
  assert.match(file.id, /^[a-z0-9]{20}$/);
  assert.equal(file.object, "file");
  assert.equal(file.bytes, "quarterly numbers".length);
  assert.equal(file.filename, "report.txt");
  assert.equal(file.purpose, "file-extract");
  assert.equal(file.status, "ok");
});

test("files.list auto-paginates over every uploaded file", async () => {
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push((await upload(`page-${i}.txt`, `page ${i}`)).id);
  const listed = [];
  for await (const file of client.files.list()) listed.push(file.id);
  for (const id of ids) assert.ok(listed.includes(id), `${id} listed`);
  const page = await client.files.list();
  assert.equal(page.hasNextPage(), false);
});

test("files.retrieve, files.content and files.delete round-trip one file", async () => {
  const file = await upload("notes.md", "# heading\nbody text");
  const again = await client.files.retrieve(file.id);
  assert.equal(again.id, file.id);
  assert.equal(again.bytes, file.bytes);
  const content = await client.files.content(file.id);
  assert.equal(content.status, 200);
  const extracted = await content.json();
  assert.equal(extracted.content, "# heading\nbody text");
  assert.equal(extracted.filename, "notes.md");
  const deleted = await client.files.delete(file.id);
  assert.deepEqual({ id: deleted.id, deleted: deleted.deleted }, { id: file.id, deleted: true });
  await assert.rejects(client.files.retrieve(file.id), OpenAI.NotFoundError);
});

test("a wrong key is the SDK's AuthenticationError", async () => {
  const stranger = new OpenAI({ apiKey: "sk-not-held", baseURL: `${mock.url}/v1`, maxRetries: 0 });
  await assert.rejects(stranger.files.list(), (error) => {
    assert.ok(error instanceof OpenAI.AuthenticationError, String(error));
    assert.equal(error.status, 401);
    assert.equal(error.error?.type, "invalid_authentication_error");
    return true;
  });
});

test("a 429 with Retry-After is retried by the SDK, and the ledger shows both attempts", async () => {
  await mock.putFaults([
    {
      name: "rate-once",
      match: { method: "POST", path: "*/files" },
      schedule: { first: 1 },
      action: { kind: "status", status: 429, headers: { "Retry-After": "1" } },
    },
  ]);
  const before = requestsTo(await mock.ledger(), "POST", "/v1/files").length;
  const started = Date.now();
  const file = await upload("retried.txt", "second time lucky");
  assert.ok(Date.now() - started >= 900, "the SDK waited for Retry-After");
  const posts = requestsTo(await mock.ledger(), "POST", "/v1/files").slice(before);
  assert.deepEqual(posts.map((e) => [e.status, e.fault]), [[429, "rate-once"], [200, null]]);
  assert.equal(posts[1].file_id, file.id);
  assert.equal(posts[1].auth, "bearer_key");
  await mock.putFaults([]);
});

test("a connection reset mid-upload is retried by the SDK; the ledger shows the lost attempt", async () => {
  await mock.putFaults([
    {
      name: "reset-once",
      match: { method: "POST", path: "*/files" },
      schedule: { first: 1 },
      action: { kind: "reset", after_bytes: 0 },
    },
  ]);
  const before = requestsTo(await mock.ledger(), "POST", "/v1/files").length;
  const file = await upload("reset.txt", "sent twice");
  const posts = requestsTo(await mock.ledger(), "POST", "/v1/files").slice(before);
  assert.deepEqual(posts.map((e) => [e.status, e.fault]), [[0, "reset-once"], [200, null]]);
  assert.equal(posts[1].file_id, file.id);
  const listed = [];
  for await (const f of client.files.list()) listed.push(f.filename);
  assert.equal(listed.filter((n) => n === "reset.txt").length, 1, "the lost attempt stored nothing");
  await mock.putFaults([]);
});
