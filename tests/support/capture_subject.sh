#!/bin/sh
# capture_subject.sh DIR SUBJECT [ARGS...]: runs SUBJECT as a subject-protocol subject and keeps a
# copy of the session: every line the runner sends in DIR/<pid>.requests.jsonl and every line the
# subject answers in DIR/<pid>.answers.jsonl (<pid> is this shell's, one pair per session).
# stderr passes through. For tests: `rollproof run ... --subject "sh capture_subject.sh DIR CMD"`.
set -eu
dir=$1
shift
tee "$dir/$$.requests.jsonl" | "$@" | tee "$dir/$$.answers.jsonl"
