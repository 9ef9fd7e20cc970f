#!/usr/bin/env bash
# A newcomer's first minute, driven through tmux as a person would: `opsplanner demo` opens,
# a task is ticked, the review decides everything and closes the day, `q` quits, and the
# shell gets its terminal back. Prints the screens it saw; exits non-zero on a surprise.
set -euo pipefail
opsplanner=${OPSPLANNER:-opsplanner}
session="opsplanner-walkthrough-$$"
data=$(mktemp -d)
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$data"' EXIT

screen() { tmux capture-pane -p -t "$session"; }
wait_for() {  # wait_for TEXT [SECONDS]
  for _ in $(seq 1 $(( ${2:-20} * 10 ))); do
    if screen | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  echo "walkthrough: never saw '$1'; the screen was:" >&2
  screen >&2
  return 1
}

tmux new-session -d -s "$session" -x 100 -y 32 \
  "OPSPLANNER_DATA_DIR=$data OPSPLANNER_NOW=2026-11-23T02:00:00+00:00 $opsplanner demo; echo WALKTHROUGH-EXIT=\$?; sleep 30"
wait_for "space Done" 30
wait_for "0/38 done"
echo "--- today, opened"; screen | head -n 12

tmux send-keys -t "$session" Down  # the second task: the first has checks to explain first
sleep 0.3
tmux send-keys -t "$session" space
wait_for "1/38 done"
echo "--- a task ticked"; screen | head -n 3

tmux send-keys -t "$session" r
wait_for "Review of"
for _ in $(seq 1 80); do  # carry each with the first reason offered ("no time")
  if screen | grep -qF " 0 undecided"; then break; fi
  tmux send-keys -t "$session" c
  wait_for "Why carry" 20
  sleep 0.3  # the dialog takes the keys once it has focus
  tmux send-keys -t "$session" Tab
  sleep 0.2
  tmux send-keys -t "$session" Enter
  for _ in $(seq 1 50); do  # until the prompt has closed
    if ! screen | grep -qF "Why carry"; then break; fi
    sleep 0.1
  done
  if screen | grep -qF "Why carry"; then tmux send-keys -t "$session" Escape; sleep 0.3; fi
done
wait_for "0 undecided"
tmux send-keys -t "$session" x
wait_for "closed"
echo "--- after the review"; screen | head -n 3

tmux send-keys -t "$session" q
wait_for "WALKTHROUGH-EXIT=0"
if screen | grep -qF "space Done"; then
  echo "walkthrough: the app's screen is still showing after exit" >&2; exit 1
fi
echo "--- after quitting"; screen | grep -v '^$' | tail -n 3
echo "walkthrough: ok"
