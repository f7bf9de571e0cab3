#!/usr/bin/env python3
"""Validates subject-protocol messages against docs/schemas (JSON Schema draft 2020-12).

  check_messages.py schemas SCHEMA_DIR
      every schema is a valid draft 2020-12 schema, and every op has a request and an answer schema
  check_messages.py doc SCHEMA_DIR DOC.md
      every message in the document's ```json blocks is valid (a line with "op" is a request; an
      answer is checked against the schema of the request with its id); every schema is used
  check_messages.py negative SCHEMA_DIR FILE.jsonl
      every line {"schema", "why", "problem", "message"} is REJECTED by its schema, with a problem
      reported at the JSON path `problem` (e.g. "attempts:"); every schema has one
  check_messages.py capture SCHEMA_DIR CAPTURE_DIR OP...
      every <pid>.requests.jsonl / <pid>.answers.jsonl pair (tests/support/capture_subject) is
      valid in both directions; each OP was seen at least once, request and answer
  check_messages.py probe SCHEMA_DIR PROBES.txt SUBJECT [ARGS...]
      sends each line of PROBES.txt (raw lines, valid requests or not) to SUBJECT, closes its
      stdin, and checks that every non-blank line got exactly one answer and every answer is valid

Exit 0 when everything holds; otherwise 1, with one line per problem on stderr.
"""
import glob
import json
import os
import re
import subprocess
import sys

import jsonschema

OPS = ["hello", "configure", "upload", "bucket", "metrics", "shutdown"]


def load_schemas(schema_dir):
    schemas = {}
    for path in sorted(glob.glob(os.path.join(schema_dir, "*.schema.json"))):
        name = os.path.basename(path)[: -len(".schema.json")]
        with open(path, encoding="utf-8") as f:
            schemas[name] = json.load(f)
    return schemas


def validator(schemas, name):
    return jsonschema.Draft202012Validator(schemas[name])


def problems_of(schemas, name, message):
    if name not in schemas:
        return [f"no schema {name}"]
    found = []
    for error in validator(schemas, name).iter_errors(message):
        errors = [error]
        if error.context:  # a oneOf: say why the closest branch failed (same "ok", fewest problems)
            branches = {}
            for e in error.context:
                branches.setdefault(e.relative_schema_path[0], []).append(e)
            errors = min(branches.values(),
                         key=lambda es: (any(list(e.path) == ["ok"] for e in es), len(es)))
        for e in errors:
            found.append(f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:300]}")
    return found


class Checker:
    """Pairs answers with their requests by id and validates both."""

    def __init__(self, schemas, allow_refused=False):
        self.schemas = schemas
        self.allow_refused = allow_refused
        self.ops_by_id = {}
        self.used = {}
        self.failures = []

    def fail(self, where, what):
        self.failures.append(f"{where}: {what}")

    def check(self, where, name, message):
        self.used[name] = self.used.get(name, 0) + 1
        for p in problems_of(self.schemas, name, message):
            self.fail(where, f"{name}: {p}")

    def request(self, where, message):
        """Checks a request. With allow_refused, a request that breaks its schema (or names an
        unknown op) is a deliberate one: its answer must then be a refusal."""
        op = message.get("op") if isinstance(message, dict) else None
        problems = problems_of(self.schemas, f"{op}.request", message) if op in OPS else ["no op"]
        if problems and self.allow_refused and isinstance(message.get("id"), str):
            self.ops_by_id[message["id"]] = "refused"
            return
        if op not in OPS:
            self.fail(where, f"not a request of a known op: {json.dumps(message)[:200]}")
            return
        self.check(where, f"{op}.request", message)
        self.ops_by_id[message.get("id")] = op

    def answer(self, where, message, sent_ids=None):
        if not isinstance(message, dict):
            self.fail(where, "an answer must be a JSON object")
            return
        answer_id = message.get("id")
        if answer_id is None:
            self.check(where, "refused.answer", message)
            return
        op = self.ops_by_id.get(answer_id)
        if op is None:
            if sent_ids is not None and answer_id in sent_ids:
                self.check(where, "refused.answer", message)  # an unknown op or a malformed one
            else:
                self.fail(where, f"answer to an id no request had: {answer_id!r}")
            return
        self.check(where, "refused.answer" if op == "refused" else f"{op}.answer", message)


def parse_line(where, line, checker):
    try:
        return json.loads(line)
    except json.JSONDecodeError as e:
        checker.fail(where, f"not JSON: {e}")
        return None


def cmd_schemas(schema_dir):
    schemas = load_schemas(schema_dir)
    failures = []
    for name, schema in schemas.items():
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as e:
            failures.append(f"{name}.schema.json: {e.message}")
        if schema.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
            failures.append(f"{name}.schema.json: $schema is not draft 2020-12")
    for op in OPS:
        for kind in ("request", "answer"):
            if f"{op}.{kind}" not in schemas:
                failures.append(f"{schema_dir}: no {op}.{kind}.schema.json")
    if "refused.answer" not in schemas:
        failures.append(f"{schema_dir}: no refused.answer.schema.json")
    print(f"{len(schemas)} schemas")
    return failures


def cmd_doc(schema_dir, doc):
    checker = Checker(load_schemas(schema_dir), allow_refused=True)
    with open(doc, encoding="utf-8") as f:
        lines = f.read().split("\n")
    in_block = False
    count = 0
    for number, line in enumerate(lines, 1):
        if line.startswith("```"):
            in_block = line.strip() == "```json"
            continue
        if not in_block or not line.strip():
            continue
        where = f"{doc}:{number}:1"
        message = parse_line(where, line, checker)
        if message is None:
            continue
        count += 1
        if isinstance(message, dict) and "op" in message:
            checker.request(where, message)
        else:
            checker.answer(where, message)
    for name in checker.schemas:
        if name not in checker.used:
            checker.fail(doc, f"no example of {name}")
    print(f"{count} messages in {doc}")
    return checker.failures


def cmd_negative(schema_dir, path):
    schemas = load_schemas(schema_dir)
    failures, seen = [], set()
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}:1"
            case = json.loads(line)
            name = case["schema"]
            seen.add(name)
            if name not in schemas:
                failures.append(f"{where}: no schema {name}")
            elif not (problems := problems_of(schemas, name, case["message"])):
                failures.append(f"{where}: {name} accepts a message it must reject ({case['why']})")
            elif not any(p.startswith(case["problem"]) for p in problems):
                failures.append(f"{where}: {name} rejects it, but not at {case['problem']!r} "
                                f"({case['why']}): {'; '.join(problems)}")
    for name in schemas:
        if name not in seen:
            failures.append(f"{path}: no negative example for {name}")
    print(f"{len(seen)} schemas have negative examples")
    return failures


def cmd_capture(schema_dir, capture_dir, required_ops):
    checker = Checker(load_schemas(schema_dir))
    pairs = sorted(glob.glob(os.path.join(capture_dir, "*.requests.jsonl")))
    if not pairs:
        return [f"{capture_dir}: no captured session"]
    lines = 0
    for requests_path in pairs:
        answers_path = requests_path[: -len(".requests.jsonl")] + ".answers.jsonl"
        checker.ops_by_id = {}
        with open(requests_path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                where = f"{requests_path}:{number}:1"
                message = parse_line(where, line, checker)
                if message is not None:
                    checker.request(where, message)
                lines += 1
        if not os.path.exists(answers_path):
            checker.fail(answers_path, "missing")
            continue
        with open(answers_path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                where = f"{answers_path}:{number}:1"
                message = parse_line(where, line, checker)
                if message is not None:
                    checker.answer(where, message)
                lines += 1
    for op in required_ops:
        for kind in ("request", "answer"):
            if f"{op}.{kind}" not in checker.used:
                checker.fail(capture_dir, f"the run sent or answered no {op}.{kind}")
    counts = ", ".join(f"{k} {v}" for k, v in sorted(checker.used.items()))
    print(f"{len(pairs)} sessions, {lines} lines: {counts}")
    return checker.failures


def cmd_probe(schema_dir, probes, subject):
    checker = Checker(load_schemas(schema_dir), allow_refused=True)
    with open(probes, encoding="utf-8") as f:
        sent = [line.rstrip("\n") for line in f]
    ids, expected = set(), 0
    for number, line in enumerate(sent, 1):
        if not line.strip():
            continue
        expected += 1
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(message, dict) and isinstance(message.get("id"), str):
            ids.add(message["id"])
            checker.request(f"{probes}:{number}:1", message)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ASYNC_UPLOAD_") and k not in ("MOONSHOT_API_KEY", "ZHIPUAI_API_KEY")}
    try:
        done = subprocess.run(subject, input="\n".join(sent) + "\n", capture_output=True,
                              text=True, timeout=60, env=env)
    except (OSError, subprocess.TimeoutExpired) as e:
        return [f"{subject[0]}: {e}"]
    if done.returncode != 0:
        checker.fail(subject[0], f"exited {done.returncode}: {done.stderr[-500:]}")
    answers = [a for a in done.stdout.split("\n") if a]
    if len(answers) != expected:
        checker.fail(probes, f"{expected} request lines, {len(answers)} answers")
    for number, line in enumerate(answers, 1):
        message = parse_line(f"answer {number}", line, checker)
        if message is not None:
            checker.answer(f"answer {number}", message, ids)
    print(f"{expected} lines sent, {len(answers)} answers: "
          + ", ".join(f"{k} {v}" for k, v in sorted(checker.used.items())))
    return checker.failures


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    mode, schema_dir, rest = argv[1], argv[2], argv[3:]
    if mode == "schemas":
        failures = cmd_schemas(schema_dir)
    elif mode == "doc" and len(rest) == 1:
        failures = cmd_doc(schema_dir, rest[0])
    elif mode == "negative" and len(rest) == 1:
        failures = cmd_negative(schema_dir, rest[0])
    elif mode == "capture" and rest:
        failures = cmd_capture(schema_dir, rest[0], rest[1:])
    elif mode == "probe" and len(rest) >= 2:
        failures = cmd_probe(schema_dir, rest[0], rest[1:])
    else:
        sys.stderr.write(__doc__)
        return 2
    for f in failures:
        sys.stderr.write(f + "\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
