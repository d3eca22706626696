#!/usr/bin/env bash
# Regenerates the XFOIL 6.99 reference fixtures in test/fixtures/xfoil/ (one JSON file per case, an
# index.json manifest, a few boundary-layer dumps) and copies the wind-tunnel reference data into
# test/fixtures/reference/.
#
#   scripts/make-xfoil-fixtures.sh            # everything
#   scripts/make-xfoil-fixtures.sh naca2412   # only cases whose id contains "naca2412" (index.json is
#                                             # rebuilt from all fixture files present)
#
# Environment: FOILOPT_SHARED (default: the shared/ folder beside the checkout), XFOIL_POLAR (default
# $FOILOPT_SHARED/tools/xfoil-polar), UIUC_DIR (default $FOILOPT_SHARED/data/uiuc-airfoils; the .dat
# files used are copied into test/fixtures/xfoil/airfoils/ so that XFOIL and our solver read
# byte-identical coordinates), REFERENCE_DIR (default $FOILOPT_SHARED/data/reference), TIMING_RUNS (default 3: each case is run that many times, the points
# must be identical, the fastest wall time is recorded).
#
# Every case is `xfoil-polar AIRFOIL --re RE --mach M --ncrit N --xtr-top XT --xtr-bot XB
# --alpha SPEC --panels 160 --iter 200`: XFOIL repanels with PANE (160 nodes), sweeps alpha in the
# order given with warm starts, and writes only converged points to its polar accumulation file.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
SHARED="${FOILOPT_SHARED:-$ROOT/../shared}"
XFOIL_POLAR="${XFOIL_POLAR:-$SHARED/tools/xfoil-polar}"
UIUC_DIR="${UIUC_DIR:-$SHARED/data/uiuc-airfoils}"
REFERENCE_DIR="${REFERENCE_DIR:-$SHARED/data/reference}"
TIMING_RUNS="${TIMING_RUNS:-3}"
FILTER="${1:-}"
OUT=test/fixtures/xfoil
FOILS=$OUT/airfoils
BL=$OUT/bl
mkdir -p "$OUT" "$FOILS" "$BL" test/fixtures/reference

XFOIL_VERSION="XFOIL 6.99 ($(dpkg-query -W -f='Debian package xfoil ${Version}' xfoil 2>/dev/null || echo 'version unknown'))"
DATE="$(date -u +%Y-%m-%d)"

# --- coordinates: byte-exact copies of the UIUC files used --------------------------------------
for f in e387 sd7037 s1223 clarky dae11; do
  if [ -f "$UIUC_DIR/$f.dat" ]; then cp "$UIUC_DIR/$f.dat" "$FOILS/$f.dat"; fi
  [ -f "$FOILS/$f.dat" ] || { echo "missing $FOILS/$f.dat (set UIUC_DIR)" >&2; exit 1; }
done

# --- wind-tunnel reference data ---------------------------------------------------------------
if [ -d "$REFERENCE_DIR" ]; then
  cp "$REFERENCE_DIR"/*.json test/fixtures/reference/
  cp "$REFERENCE_DIR"/README.md test/fixtures/reference/README.upstream.md
fi

# write_fixture ID NAME AIRFOIL_ARG OUR_AIRFOIL TAGS COMMAND RUN_FILES...
# Merges the JSON lines of the runs into one fixture file (points of the first run; fastest time).
write_fixture() {
  python3 - "$@" <<'PY'
import json, os, sys
case_id, name, xf_arg, ours, tags, command, *runs = sys.argv[1:]
args = command.split()
def opt(flag, default):
    return float(args[args.index(flag) + 1]) if flag in args else default
parsed = []
for path in runs:
    pts, summ = [], None
    for line in open(path):
        line = line.strip()
        if not line.startswith("{"):
            continue
        o = json.loads(line)
        if "summary" in o:
            summ = o
        else:
            pts.append(o)
    if summ is None:
        sys.exit("no summary line in %s" % path)
    parsed.append((pts, summ))
points, summary = parsed[0]
for pts, _ in parsed[1:]:
    if pts != points:
        sys.stderr.write("warning: %s: XFOIL points differ between timing runs\n" % case_id)
seconds = [s["seconds"] for _, s in parsed]
best = min(seconds)
conv = summary["summary"]["converged"]
alpha_spec = args[args.index("--alpha") + 1]
fixture = {
    "id": case_id,
    "airfoil": name,
    "xfoilAirfoil": xf_arg,
    "airfoilSpec": ours,
    "re": opt("--re", None),
    "mach": opt("--mach", 0.0),
    "nCrit": opt("--ncrit", 9.0),
    "xtrTop": opt("--xtr-top", 1.0),
    "xtrBot": opt("--xtr-bot", 1.0),
    "alpha": alpha_spec,
    "panels": int(opt("--panels", 160)),
    "xfoilIterations": int(opt("--iter", 200)),
    "tags": [t for t in tags.split(",") if t],
    "command": command,
    "xfoilVersion": os.environ["XFOIL_VERSION"],
    "date": os.environ["DATE"],
    "points": [
        {"alpha": p["alpha"], "cl": p["cl"], "cd": p["cd"], "cdp": p["cdp"],
         "cdf": round(p["cd"] - p["cdp"], 6), "cm": p["cm"],
         "xtrTop": p["xtr_top"], "xtrBot": p["xtr_bot"]}
        for p in points
    ],
    "summary": {
        "requested": summary["summary"]["requested"],
        "converged": conv,
        "seconds": best,
        "secondsAllRuns": seconds,
        "msPerConvergedPoint": round(1000 * best / conv, 2) if conv else None,
    },
}
with open("test/fixtures/xfoil/%s.json" % case_id, "w") as f:
    json.dump(fixture, f, indent=1)
    f.write("\n")
print("%-36s %3d/%-3d converged  %7.3f s  %6.1f ms/pt" % (
    case_id, conv, fixture["summary"]["requested"], best,
    fixture["summary"]["msPerConvergedPoint"] or float("nan")))
PY
}
export XFOIL_VERSION DATE

# run_case ID NAME AIRFOIL_ARG OUR_AIRFOIL RE MACH NCRIT XTR_TOP XTR_BOT ALPHA TAGS
run_case() {
  local id=$1 name=$2 xf=$3 ours=$4 re=$5 mach=$6 ncrit=$7 xt=$8 xb=$9 alpha=${10} tags=${11}
  if [ -n "$FILTER" ] && [[ "$id" != *"$FILTER"* ]]; then return 0; fi
  local cmd="xfoil-polar $xf --re $re --mach $mach --ncrit $ncrit --xtr-top $xt --xtr-bot $xb --alpha $alpha --panels 160 --iter 200"
  local tmp; tmp=$(mktemp -d)
  local runs=()
  for ((k = 0; k < TIMING_RUNS; k++)); do
    # shellcheck disable=SC2086
    "$XFOIL_POLAR" ${cmd#xfoil-polar } > "$tmp/run$k.jsonl"
    runs+=("$tmp/run$k.jsonl")
  done
  write_fixture "$id" "$name" "$xf" "$ours" "$tags" "$cmd" "${runs[@]}"
  rm -rf "$tmp"
}

# bl_dump ID AIRFOIL_ARG RE ALPHA_SWEEP "INDEX:ALPHA ..."
# Reruns a matrix sweep with --bl (so the dumped state is the one reached by the same warm-start
# sequence) and keeps XFOIL's DUMP (bl) and CPWR (cp) files of the selected sweep indices.
bl_dump() {
  local id=$1 xf=$2 re=$3 alpha=$4 picks=$5
  if [ -n "$FILTER" ] && [[ "$id" != *"$FILTER"* ]]; then return 0; fi
  local tmp; tmp=$(mktemp -d)
  "$XFOIL_POLAR" "$xf" --re "$re" --mach 0 --ncrit 9 --xtr-top 1 --xtr-bot 1 --alpha "$alpha" \
    --panels 160 --iter 200 --bl "$tmp/bl" > "$tmp/polar.jsonl"
  for pick in $picks; do
    local idx=${pick%%:*} al=${pick##*:}
    if ! grep -q "\"alpha\": $al.0," "$tmp/polar.jsonl"; then
      echo "warning: $id alpha $al did not converge in XFOIL; no dump kept" >&2; continue
    fi
    cp "$tmp/bl/bl_$(printf %03d "$idx").txt" "$BL/${id}_a${al}.bl.txt"
    cp "$tmp/bl/cp_$(printf %03d "$idx").txt" "$BL/${id}_a${al}.cp.txt"
    echo "bl dump: $BL/${id}_a${al}.{bl,cp}.txt"
  done
  rm -rf "$tmp"
}

SWEEP=-4:12:1
F=test/fixtures/xfoil/airfoils

# --- validation matrix: free transition, Ncrit 9, M 0, alpha -4..12 step 1 ---------------------
for re in 5e5 1e6 3e6; do
  run_case naca0012_re$re "NACA 0012" NACA0012 naca0012 $re 0 9 1 1 $SWEEP matrix
  run_case naca2412_re$re "NACA 2412" NACA2412 naca2412 $re 0 9 1 1 $SWEEP matrix
  run_case naca4412_re$re "NACA 4412" NACA4412 naca4412 $re 0 9 1 1 $SWEEP matrix
done
for re in 1e5 5e5 1e6 3e6; do
  run_case e387_re$re "E387" $F/e387.dat $F/e387.dat $re 0 9 1 1 $SWEEP matrix
  run_case sd7037_re$re "SD7037" $F/sd7037.dat $F/sd7037.dat $re 0 9 1 1 $SWEEP matrix
  run_case s1223_re$re "S1223" $F/s1223.dat $F/s1223.dat $re 0 9 1 1 $SWEEP matrix
done
for re in 5e5 1e6 3e6; do
  run_case clarky_re$re "Clark Y" $F/clarky.dat $F/clarky.dat $re 0 9 1 1 $SWEEP matrix
  run_case dae11_re$re "DAE-11" $F/dae11.dat $F/dae11.dat $re 0 9 1 1 $SWEEP matrix
done
# compressibility (Karman-Tsien) and forced transition
run_case naca2412_re1e6_m0.3 "NACA 2412" NACA2412 naca2412 1e6 0.3 9 1 1 $SWEEP matrix
run_case naca0012_re1e6_xtr0.05 "NACA 0012" NACA0012 naca0012 1e6 0 9 0.05 0.05 $SWEEP matrix
run_case naca0012_re6e6_xtr0.05 "NACA 0012" NACA0012 naca0012 6e6 0 9 0.05 0.05 $SWEEP matrix

# --- XFOIL at the wind-tunnel conditions (test/fixtures/reference/) ----------------------------
# E387, NASA LTPT (McGhee 1988): Re 1e5, free transition, Ncrit 9, measured alpha -3..12.
run_case ref_e387_re1e5 "E387" $F/e387.dat $F/e387.dat 1e5 0 9 1 1 -3:12.5:0.5 reference
# NACA 0012, Ladson 1988: Re 6e6, M 0.15, grit trip near the LE -> xtr 0.05 both sides; measured alpha
# -4..18, but XFOIL (200 iterations) fails from alpha 14 on at ~6 s per failed point, so the sweep stops at 14.
run_case ref_naca0012_re6e6_m0.15 "NACA 0012" NACA0012 naca0012 6e6 0.15 9 0.05 0.05 -4:14:0.5 reference

# --- boundary-layer dumps for debugging (sweep index:alpha of the -4:12:1 sweep) ----------------
bl_dump naca2412_re1e6 NACA2412 1e6 $SWEEP "4:0 8:4"
bl_dump e387_re1e5 $F/e387.dat 1e5 $SWEEP "8:4"
bl_dump s1223_re3e6 $F/s1223.dat 3e6 $SWEEP "12:8"

# --- manifest -----------------------------------------------------------------------------------
python3 - <<'PY'
import glob, json, os
cases = []
for path in sorted(glob.glob("test/fixtures/xfoil/*.json")):
    if path.endswith("index.json"):
        continue
    d = json.load(open(path))
    s = d["summary"]
    cases.append({"id": d["id"], "file": os.path.basename(path), "airfoil": d["airfoil"], "re": d["re"],
                  "mach": d["mach"], "nCrit": d["nCrit"], "xtrTop": d["xtrTop"], "xtrBot": d["xtrBot"],
                  "alpha": d["alpha"], "tags": d["tags"], "requested": s["requested"],
                  "converged": s["converged"], "seconds": s["seconds"],
                  "msPerConvergedPoint": s["msPerConvergedPoint"]})
bl = sorted(os.path.basename(p) for p in glob.glob("test/fixtures/xfoil/bl/*.txt"))
json.dump({"xfoilVersion": os.environ["XFOIL_VERSION"], "cases": cases, "blDumps": bl},
          open("test/fixtures/xfoil/index.json", "w"), indent=1)
tot = sum(c["seconds"] for c in cases); n = sum(c["converged"] for c in cases)
print("index.json: %d cases, %d converged points, %.2f s, %.1f ms/pt overall" % (len(cases), n, tot, 1000 * tot / max(n, 1)))
PY
du -sh "$OUT"
