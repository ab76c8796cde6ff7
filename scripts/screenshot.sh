#!/usr/bin/env bash
# Screenshot of the live dashboard for the README: run it in a tmux pane
# (120x40), capture the pane with its colors, turn the ANSI into HTML (aha)
# and render that to PNG with headless Chromium.
#
#   scripts/screenshot.sh                       # dashboard on test:///default -> docs/dashboard.png
#   scripts/screenshot.sh --real [OUT.png]      # the README's picture: a real `up` on qemu:///system,
#                                               # 2-3 TCG VMs, load mid, a snapshot taken with `s`
#   scripts/screenshot.sh OUT.png -- CMD ...    # any command, e.g. -- dist/virtscale up --load high
# Env: VST_SHOT_WAIT (seconds before the capture, default 8), VST_SHOT_UNTIL
# (capture as soon as the screen matches this grep -E pattern, after
# VST_SHOT_SETTLE more seconds), VST_SHOT_KEYS
# (tmux key names sent just before the capture, e.g. "j j"), VST_SHOT_QUIT_WAIT
# (seconds to let the program quit after q, default 60: `up` removes its VMs).
# Needs: tmux, aha, chromium (apt-get install -y --no-install-recommends tmux aha chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
real=0
if [[ ${1:-} == "--real" ]]; then real=1; shift; fi
out=${1:-docs/dashboard.png}
[[ $# -gt 0 ]] && shift
if [[ ${1:-} == "--" ]]; then shift; fi
work=$(mktemp -d /tmp/vst-shot.XXXXXX)
chmod 755 "$work" # libvirt writes the snapshot file in here
session="vst-shot-$$-$RANDOM"
cleanup() {
  if tmux has-session -t "$session" 2>/dev/null; then
    tmux send-keys -t "$session" q 2>/dev/null || true
    for _ in $(seq 1 "${VST_SHOT_QUIT_WAIT:-60}"); do
      [[ $(tmux display -p -t "$session" '#{pane_dead}' 2>/dev/null || echo 1) == 1 ]] && break
      sleep 1
    done
    tmux kill-session -t "$session" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
if [[ $real == 1 ]]; then
  # Own VM names, ports and snapshot directory (removed with $work); a small work scale so TCG guests keep up.
  cat > "$work/config.json" <<JSON
{ "auto_scaler_domain_prefix": "vst-shot-$$", "vm": { "port_base": 35600, "work_scale": 20, "snapshot_dir": "$work/snaps" },
  "scaler": { "min": 2, "max": 3 } }
JSON
  set -- "$root/node_modules/.bin/bun" src/main.ts up -c qemu:///system --config "$work/config.json" --load mid --listen 127.0.0.1:35594
  : "${VST_SHOT_WAIT:=240}" "${VST_SHOT_UNTIL:=[2-9] VMs · [2-9] serving}" "${VST_SHOT_SETTLE:=45}" "${VST_SHOT_KEYS:=j s}"
fi
if [[ $# -eq 0 ]]; then set -- "$root/node_modules/.bin/bun" tui/dev.tsx -c test:///default; fi
for tool in tmux aha chromium; do
  command -v "$tool" >/dev/null || { echo "screenshot: $tool not found (apt-get install -y --no-install-recommends $tool)" >&2; exit 1; }
done

cols=120 rows=40

# remain-on-exit keeps the pane readable if the program fails early; CI unset so Ink draws live frames.
tmux new-session -d -s "$session" -x "$cols" -y "$rows" -c "$root" "env -u CI TERM=xterm-256color $(printf '%q ' "$@")"
tmux set-option -t "$session" remain-on-exit on >/dev/null
# Wait VST_SHOT_WAIT seconds, or less when the screen shows VST_SHOT_UNTIL (a grep -E pattern, e.g. "[2-9] serving").
for _ in $(seq 1 "${VST_SHOT_WAIT:-8}"); do
  sleep 1
  if [[ -n ${VST_SHOT_UNTIL:-} ]] && tmux capture-pane -p -t "$session" | grep -Eq -- "$VST_SHOT_UNTIL"; then
    sleep "${VST_SHOT_SETTLE:-3}"
    break
  fi
done
if [[ -n ${VST_SHOT_KEYS:-} ]]; then
  # shellcheck disable=SC2086
  tmux send-keys -t "$session" $VST_SHOT_KEYS
  sleep 1
fi
tmux capture-pane -e -p -t "$session" > "$work/screen.ansi"

{
  cat <<'HTML'
<!doctype html><html><head><meta charset="utf-8"><style>
html,body{margin:0;background:#1d1f21;}
pre{margin:0;padding:14px 16px;color:#c5c8c6;font:15px/1.0 "DejaVu Sans Mono",monospace;white-space:pre;}
.c{display:inline-block;width:1ch;overflow:hidden;vertical-align:top;text-align:center}
</style></head><body><pre>
HTML
  # Braille (the chart) and the few arrows DejaVu Sans Mono lacks come from a proportional
  # fallback font: put each in a box exactly one column wide so the columns stay aligned.
  aha --no-header --black < "$work/screen.ansi" | perl -CSD -pe 's/([\x{2800}-\x{28FF}\x{27F0}-\x{27FF}])/<span class="c">$1<\/span>/g'

  echo '</pre></body></html>'
} > "$work/screen.html"

# Size the window to the text: DejaVu Sans Mono at 15px is ~9.04 px per column, 15 px per row (line-height 1.0... plus box chars).
width=$(( cols * 904 / 100 + 36 ))
height=$(( rows * 15 + 40 ))
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --hide-scrollbars --user-data-dir="$work/chrome" --force-device-scale-factor=1 \
  --window-size="$width,$height" --screenshot="$work/shot.png" "file://$work/screen.html" >/dev/null 2>&1
mkdir -p "$(dirname "$out")"
cp "$work/shot.png" "$out"
echo "screenshot: $out (${width}x${height}) from: $*" >&2
