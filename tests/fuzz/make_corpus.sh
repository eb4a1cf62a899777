#!/usr/bin/env bash
# Seeds the fuzz corpora from real data: version strings, conda's match-spec vectors and
# small real repodata files. Usage: make_corpus.sh OUT_DIR
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
fixtures=${CENV_FIXTURES_DIR:-$root/../shared/fixtures}
out=$1
mkdir -p "$out/version_fuzz" "$out/match_spec_fuzz" "$out/repodata_fuzz"
python3 - "$fixtures" "$out" <<'PY'
import json, os, sys
fixtures, out = sys.argv[1], sys.argv[2]
def put(folder, i, text):
    with open(os.path.join(out, folder, f"seed{i:05d}"), "w", encoding="utf-8") as f:
        f.write(text)
with open(os.path.join(fixtures, "versions", "versions.txt"), encoding="utf-8") as f:
    versions = [l.strip() for l in f if l.strip()]
for i, v in enumerate(versions[::97]):
    put("version_fuzz", i, v)
cases = json.load(open(os.path.join(fixtures, "conda-cases", "version_order.json")))
for i, c in enumerate(cases["spec_matches"]):
    put("version_fuzz", 10000 + i, c["spec"])
ms = json.load(open(os.path.join(fixtures, "conda-cases", "matchspec.json")))
specs = {c["spec"] for key in ("canonical", "match", "invalid", "valid") for c in ms[key]}
for i, s in enumerate(sorted(specs)):
    put("match_spec_fuzz", i, s)
small = ["channels/conda-conda-test/noarch/repodata.json",
         "channels/conda-conda-test/linux-64/repodata.json",
         "channels/conda-base-url-channel/linux-64/repodata.json",
         "packages/mamba-channel-b/noarch/repodata.json"]
for i, rel in enumerate(small):
    with open(os.path.join(fixtures, rel), encoding="utf-8") as f:
        put("repodata_fuzz", i, f.read())
PY
