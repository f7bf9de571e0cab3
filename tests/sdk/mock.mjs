// A rollproof-mock child process for the SDK tests: port 0, keys through a 0600 secrets file (never
// argv), stopped with SIGTERM. The binary is $ROLLPROOF_MOCK_BIN (set by ctest).
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const binary = process.env.ROLLPROOF_MOCK_BIN;

// Starts a mock of `provider` ("kimi" or "glm") accepting `keys`; resolves to
// { url, ledger(), putFaults(rules), stop() } once it printed its READY line.
export async function startMock(provider, keys) {
  if (!binary) throw new Error("ROLLPROOF_MOCK_BIN is not set (run these tests through ctest)");
  const dir = mkdtempSync(join(tmpdir(), "rollproof-sdk-"));
  const secrets = join(dir, "secrets");
  writeFileSync(secrets, keys.map((k) => `api_key=${k}\n`).join(""), { mode: 0o600 });
  const child = spawn(binary, ["--provider", provider, "--listen", "127.0.0.1:0", "--secrets-file", secrets], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      if (line.startsWith("READY ")) resolve(line.slice("READY ".length).trim());
    });
    child.on("exit", (code) => reject(new Error(`rollproof-mock exited with ${code} before READY`)));
  });
  return {
    url,
    async ledger() {
      const answer = await fetch(`${url}/_mock/ledger`);
      return answer.json();
    },
    async putFaults(rules) {
      const answer = await fetch(`${url}/_mock/faults`, { method: "PUT", body: JSON.stringify({ rules }) });
      if (answer.status !== 200) throw new Error(`PUT /_mock/faults: ${answer.status} ${await answer.text()}`);
    },
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// The ledger's entries for `method` and a path ending in `suffix`.
export function requestsTo(ledger, method, suffix) {
  const entries = Array.isArray(ledger) ? ledger : ledger.entries;
  return entries.filter((e) => e.method === method && e.path.endsWith(suffix));
}
