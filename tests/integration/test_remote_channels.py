"""`cenv search` and `cenv create --dry-run` against channels served over HTTP on 127.0.0.1
(tests/servers/channel_server.py), with and without mirrors: the repodata cache (first fetch,
304, .zst first, .json fallback, TTL, offline, corrupt entries), fail-over across mirrors on
injected faults, redaction, proxies, and the .condarc files TUNA and Aliyun publish, used
unchanged.

Expected records come from the fixtures' repodata.json (Python's json), or from cenv run on
the same channel as a local folder: a channel must give the same records whichever way it
is reached. No timing is asserted; the only short timeout is that of the stall test.
"""

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from cenv_testing import CENV, FIXTURES, TUNA_CONDARC  # noqa: E402
from served_channels import RemoteTestCase, copy_channel, make_certificate, refused_url  # noqa: E402

PYTORCH = os.path.join(FIXTURES, "channels", "pytorch")
MAIN = os.path.join(FIXTURES, "channels", "conda-anaconda-main")
CHANNEL_1 = os.path.join(FIXTURES, "conda-cases", "channels", "channel-1")

ALIYUN_CONDARC = """channels:
  - defaults
show_channel_urls: true
default_channels:
  - http://mirrors.aliyun.com/anaconda/pkgs/main
  - http://mirrors.aliyun.com/anaconda/pkgs/r
  - http://mirrors.aliyun.com/anaconda/pkgs/msys2
custom_channels:
  conda-forge: http://mirrors.aliyun.com/anaconda/cloud
  msys2: http://mirrors.aliyun.com/anaconda/cloud
  bioconda: http://mirrors.aliyun.com/anaconda/cloud
  menpo: http://mirrors.aliyun.com/anaconda/cloud
  pytorch: http://mirrors.aliyun.com/anaconda/cloud
  simpleitk: http://mirrors.aliyun.com/anaconda/cloud
"""

EMPTY_REPODATA = '{"info": {"subdir": "%s"}, "packages": {}, "packages.conda": {}}'


def fixture_names(channel, subdir, name):
    with open(os.path.join(channel, subdir, "repodata.json"), encoding="utf-8") as f:
        data = json.load(f)
    records = dict(data.get("packages", {}))
    records.update(data.get("packages.conda", {}))
    return sorted(fn for fn, r in records.items() if r["name"] == name)


class RepodataCache(RemoteTestCase):
    def setUp(self):
        super().setUp()
        copy_channel(PYTORCH, os.path.join(self.served, "pytorch"), zst_subdirs=["linux-64"])
        self.http = self.server("http")
        self.channel = self.http.url("/pytorch")

    def paths(self, method="GET"):
        return [(r["path"], r["status"], "If-None-Match" in r) for r in self.http.requests()
                if r["method"] == method]

    def test_first_fetch_prefers_zst_then_revalidates_with_304(self):
        result, data = self.search("pytorch", "-c", self.channel)
        self.assert_ok(result)
        got = sorted(p["fn"] for p in data["result"]["pkgs"])
        self.assertEqual(got, fixture_names(PYTORCH, "linux-64", "pytorch"))
        for p in data["result"]["pkgs"]:
            self.assertEqual(p["channel"], self.channel)
            self.assertTrue(p["url"].startswith(self.channel + "/linux-64/"), p["url"])
        requests = sorted(self.paths())
        self.assertEqual(requests, sorted([
            ("/pytorch/linux-64/repodata.json.zst", 200, False),
            ("/pytorch/noarch/repodata.json.zst", 404, False),
            ("/pytorch/noarch/repodata.json", 200, False)]))
        origins = {r["subdir"]: (r["origin"], r["url"]) for r in data["repodata"]}
        self.assertEqual(origins["linux-64"], ("downloaded", self.channel + "/linux-64/repodata.json.zst"))
        self.assertEqual(origins["noarch"], ("downloaded", self.channel + "/noarch/repodata.json"))
        self.assertEqual(len(self.cache_files(".state.json")), 2)

        self.http.clear_log()
        result, again = self.search("pytorch", "-c", self.channel)
        self.assert_ok(result)
        self.assertEqual(sorted(p["fn"] for p in again["result"]["pkgs"]), got)
        # Conditional requests only, and noarch's missing .zst is not asked for again.
        self.assertEqual(sorted(self.paths()), sorted([
            ("/pytorch/linux-64/repodata.json.zst", 304, True),
            ("/pytorch/noarch/repodata.json", 304, True)]))
        self.assertEqual({r["origin"] for r in again["repodata"]}, {"not_modified"})

    def test_json_is_used_where_there_is_no_zst_and_a_changed_channel_is_fetched_again(self):
        os.remove(os.path.join(self.served, "pytorch", "linux-64", "repodata.json.zst"))
        result, data = self.search("pytorch-cuda", "-c", self.channel)
        self.assert_ok(result)
        self.assertEqual(sorted(p["fn"] for p in data["result"]["pkgs"]),
                         fixture_names(PYTORCH, "linux-64", "pytorch-cuda"))
        # The channel changes: a record is removed upstream.
        path = os.path.join(self.served, "pytorch", "linux-64", "repodata.json")
        with open(path, encoding="utf-8") as f:
            repodata = json.load(f)
        removed = fixture_names(PYTORCH, "linux-64", "pytorch-cuda")[0]
        repodata["packages"].pop(removed)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(repodata, f)
        self.http.clear_log()
        result, data = self.search("pytorch-cuda", "-c", self.channel)
        self.assert_ok(result)
        self.assertNotIn(removed, [p["fn"] for p in data["result"]["pkgs"]])
        self.assertIn(("/pytorch/linux-64/repodata.json", 200, True), self.paths())

    def test_ttl_and_max_age_avoid_requests(self):
        self.assert_ok(self.search("pytorch", "-c", self.channel)[0])
        self.http.clear_log()
        result, data = self.search("pytorch", "-c", self.channel,
                                   env={"CENV_LOCAL_REPODATA_TTL": "3600"})
        self.assert_ok(result)
        self.assertEqual(self.http.requests(), [])
        self.assertEqual({r["origin"] for r in data["repodata"]}, {"fresh"})
        # ttl 0: always asks.
        self.assert_ok(self.search("pytorch", "-c", self.channel, env={"CENV_LOCAL_REPODATA_TTL": "0"})[0])
        self.assertEqual(len(self.http.requests()), 2)

    def test_server_max_age_is_honoured_with_the_default_ttl(self):
        cached = self.server("cached", "--max-age", "3600")
        channel = cached.url("/pytorch")
        self.assert_ok(self.search("pytorch", "-c", channel)[0])
        cached.clear_log()
        result, data = self.search("pytorch", "-c", channel)
        self.assert_ok(result)
        self.assertEqual(cached.requests(), [])
        self.assertEqual({r["origin"] for r in data["repodata"]}, {"fresh"})

    def test_offline_and_unreachable_use_the_cache_with_a_warning(self):
        _, online = self.search("pytorch", "-c", self.channel)
        expected = sorted(p["fn"] for p in online["result"]["pkgs"])
        self.http.clear_log()
        result, data = self.search("pytorch", "-c", self.channel, "--offline")
        self.assert_ok(result)
        self.assertEqual(sorted(p["fn"] for p in data["result"]["pkgs"]), expected)
        self.assertEqual(self.http.requests(), [])
        self.assertIn("warning: offline: using the cached index of " + self.channel, result.stderr)
        self.http.stop()
        result, data = self.search("pytorch", "-c", self.channel)
        self.assert_ok(result)
        self.assertEqual(sorted(p["fn"] for p in data["result"]["pkgs"]), expected)
        self.assertIn("warning: no source of " + self.channel + "/linux-64 answered", result.stderr)
        self.assertEqual({r["origin"] for r in data["repodata"]}, {"stale"})

    def test_offline_without_a_cache_is_an_error(self):
        result = self.cenv("search", "pytorch", "-c", self.channel, "--offline")
        self.assert_fails(result, "offline: no cached index of " + self.channel)
        self.assertEqual(self.http.requests(), [])

    def test_unreachable_without_a_cache_is_an_error_naming_each_url(self):
        dead = refused_url("/pytorch")
        result = self.cenv("search", "pytorch", "-c", dead, "--platform", "linux-64")
        self.assert_fails(result, "cannot download", dead + "/linux-64/repodata.json.zst")
        self.assertIn("hint: check the network", result.stderr)
        self.assertEqual(self.cache_files(".json"), [])

    def test_a_damaged_cache_entry_is_fetched_again_not_parsed(self):
        _, data = self.search("pytorch", "-c", self.channel)
        expected = sorted(p["fn"] for p in data["result"]["pkgs"])
        env = {"CENV_LOCAL_REPODATA_TTL": "3600"}  # fresh: only damage makes it ask
        for damage in ("truncate", "state"):
            for path in self.cache_files(".json"):
                if damage == "truncate" and not path.endswith(".state.json"):
                    with open(path, "r+b") as f:
                        f.truncate(os.path.getsize(path) // 2)
                if damage == "state" and path.endswith(".state.json"):
                    with open(path, "w") as f:
                        f.write("{not json")
            self.http.clear_log()
            result, data = self.search("pytorch", "-c", self.channel, env=env)
            self.assert_ok(result)
            self.assertEqual(sorted(p["fn"] for p in data["result"]["pkgs"]), expected, damage)
            fetched = [r for r in self.http.requests() if r["status"] == 200]
            self.assertEqual(len(fetched), 2, (damage, self.http.requests()))
            self.assertFalse(any("If-None-Match" in r for r in fetched), damage)

    def test_a_malformed_index_is_dropped_from_the_cache(self):
        bad = os.path.join(self.served, "bad")
        copy_channel(CHANNEL_1, bad)
        path = os.path.join(bad, "linux-64", "repodata.json")
        with open(path, encoding="utf-8") as f:
            good_text = f.read()
        env = {"CENV_LOCAL_REPODATA_TTL": "3600"}  # fresh: only the drop makes it ask again
        for command in (("search", "numpy"), ("create", "-n", "t", "--dry-run", "numpy")):
            with self.subTest(command=command[0]):
                shutil.rmtree(self.root, ignore_errors=True)
                with open(path, "w", encoding="utf-8") as f:  # a whole object, a wrong field inside
                    f.write('{"packages": {"numpy-1.0-0.tar.bz2": {"name": "numpy", "version": 1}}}')
                result = self.cenv(*command, "-c", self.http.url("/bad"), "--platform", "linux-64", env=env)
                self.assert_fails(result, "numpy-1.0-0.tar.bz2")
                self.assertIn("cached copy was dropped", result.stderr)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(good_text)
                self.http.clear_log()
                result = self.cenv(*command, "-c", self.http.url("/bad"), "--platform", "linux-64", env=env)
                self.assert_ok(result)
                fetched = [r for r in self.http.requests() if r["path"].startswith("/bad/linux-64/")]
                self.assertTrue(any(r["status"] == 200 and "If-None-Match" not in r for r in fetched), fetched)

    def test_a_channel_without_the_subdirs_is_a_clear_error(self):
        result = self.cenv("search", "x", "-c", self.http.url("/nothing-here"), "--platform", "linux-64")
        self.assert_fails(result, "has no repodata for linux-64 or noarch")

    def test_two_processes_refreshing_the_same_cache_agree(self):
        # Slow answers make the two runs overlap.
        self.http.set_faults([{"path": "*/linux-64/*", "action": "trickle:65536:0.05"}])
        command = [CENV, "search", "--json", "--platform", "linux-64", "pytorch", "-c", self.channel]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CENV_", "CONDA_"))}
        env.update(self.env)
        runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                for _ in range(2)]
        outputs = [r.communicate(timeout=300) for r in runs]
        for run, (out, err) in zip(runs, outputs):
            self.assertEqual(run.returncode, 0, err)
        results = [sorted(p["fn"] for p in json.loads(out)["result"]["pkgs"]) for out, _ in outputs]
        self.assertEqual(results[0], results[1])
        self.assertEqual(results[0], fixture_names(PYTORCH, "linux-64", "pytorch"))
        for state_path in self.cache_files(".state.json"):
            with open(state_path) as f:
                state = json.load(f)
            self.assertEqual(state["size"], os.path.getsize(state_path[:-len(".state.json")] + ".json"))
        self.assertEqual(glob.glob(os.path.join(self.root, "pkgs", "cache", ".cenv-dl-*")), [])

    def test_create_dry_run_over_http_plans_as_with_the_local_folder(self):
        copy_channel(CHANNEL_1, os.path.join(self.served, "channel-1"))
        remote = self.cenv("create", "-n", "t", "--dry-run", "--json", "--platform", "linux-64",
                           "-c", self.http.url("/channel-1"), "numpy")
        local = self.cenv("create", "-n", "t", "--dry-run", "--json", "--platform", "linux-64",
                          "-c", CHANNEL_1, "numpy")
        self.assert_ok(remote)
        self.assert_ok(local)
        remote_link = json.loads(remote.stdout)["actions"]["LINK"]
        local_link = json.loads(local.stdout)["actions"]["LINK"]
        key = lambda e: (e["name"], e["version"], e["build_string"], e["md5"])  # noqa: E731
        self.assertEqual([key(e) for e in remote_link], [key(e) for e in local_link])
        for entry in remote_link:
            self.assertEqual(entry["channel"], self.http.url("/channel-1"))
        # The solver's binary cache keys on the cached repodata, as for local files.
        self.assertTrue(glob.glob(os.path.join(self.root, "pkgs", "cache", "*.solv")))
        again = self.cenv("create", "-n", "t", "--dry-run", "--json", "--platform", "linux-64",
                          "-c", self.http.url("/channel-1"), "numpy", env={"CENV_TIMINGS": "1"})
        self.assert_ok(again)
        self.assertIn("from the binary cache", again.stderr)


class Mirrors(RemoteTestCase):
    """Three mirrors in front of a canonical URL nothing answers on."""

    def setUp(self):
        super().setUp()
        copy_channel(PYTORCH, os.path.join(self.served, "pytorch"), zst_subdirs=["linux-64"])
        self.m = [self.server("m%d" % i) for i in (1, 2, 3)]
        self.canonical = refused_url("/pytorch")
        self.write_home(".cenvrc", "mirrors:\n  %s:\n%s" % (
            self.canonical, "".join("    - %s\n" % m.url("/pytorch") for m in self.m)))
        self.expected = fixture_names(PYTORCH, "linux-64", "pytorch")

    def search_ok(self, *extra):
        result, data = self.search("pytorch", "-c", self.canonical, *extra)
        self.assert_ok(result)
        self.assertEqual(sorted(p["fn"] for p in data["result"]["pkgs"]), self.expected)
        for p in data["result"]["pkgs"]:
            self.assertEqual(p["channel"], self.canonical)  # the identity, whichever mirror served
        return result, data

    def test_the_first_mirror_serves_and_the_others_are_not_asked(self):
        _, data = self.search_ok()
        self.assertTrue(all(r["url"].startswith(self.m[0].url()) for r in data["repodata"]))
        self.assertEqual(self.m[1].requests() + self.m[2].requests(), [])

    def test_faults_on_two_mirrors_fail_over_to_the_third(self):
        # Wrong bytes are caught in the .zst (its frame checksum); a plain repodata.json has
        # no checksum to be judged by, only its shape.
        for path, fault in (("*", "status:500"), ("*", "status:503"), ("*", "truncate:1000"),
                            ("*.zst", "corrupt"), ("*", "close")):
            with self.subTest(fault=fault):
                shutil.rmtree(self.root, ignore_errors=True)
                self.m[0].set_faults([{"path": path, "action": fault}])
                self.m[1].set_faults([{"path": "*", "action": "status:404"}])
                result, data = self.search_ok("-v")
                # linux-64 (with its .zst) meets the fault; noarch is small and has no .zst,
                # so m1 may serve it whole before it fails on linux-64.
                linux = [r for r in data["repodata"] if r["subdir"] == "linux-64"]
                self.assertEqual(len(linux), 1)
                self.assertTrue(linux[0]["url"].startswith(self.m[2].url()), linux[0])
                self.assertEqual([f["url"].split("/")[2] for f in linux[0]["failures"]][:2],
                                 [self.m[0].url().split("/")[2], self.m[1].url().split("/")[2]])
                self.assertIn("info: ", result.stderr)  # -v names the fail-over
                self.assertIn(self.m[2].url("/pytorch/linux-64/repodata.json.zst"), result.stderr)
                self.assertEqual(glob.glob(os.path.join(self.root, "pkgs", "cache", ".cenv-dl-*")), [])

    def test_a_stalled_mirror_times_out_and_the_next_serves(self):
        self.m[0].set_faults([{"path": "*", "action": "stall:120"}])
        result, data = self.search_stalled()
        kinds = {f["kind"] for r in data["repodata"] for f in r["failures"]}
        self.assertIn("timeout", kinds)
        self.assertTrue(all(r["url"].startswith(self.m[1].url()) for r in data["repodata"]))

    def search_stalled(self):
        result, data = self.search("pytorch", "-c", self.canonical,
                                   env={"CENV_REMOTE_READ_TIMEOUT_SECS": "2"})
        self.assert_ok(result)
        self.assertEqual(sorted(p["fn"] for p in data["result"]["pkgs"]), self.expected)
        return result, data

    def test_verbose_fail_over_golden(self):
        copy_channel(MAIN, os.path.join(self.served, "main"))
        canonical = refused_url("/main")
        self.write_home(".cenvrc", "mirrors:\n  %s:\n    - %s\n    - %s\n" % (
            canonical, self.m[0].url("/main"), self.m[1].url("/main")))
        self.m[0].set_faults([{"path": "*", "action": "status:503"}])
        # One subdir (noarch): one transfer, so the lines come in a fixed order.
        result = self.cenv("search", "affine", "-c", canonical, "--platform", "noarch", "-v")
        self.assert_ok(result)
        # The table's widths follow the URLs' (port) lengths: spaces and the rule are
        # normalised there.
        table = re.sub("─+", "─" * 8, re.sub(" +", " ", result.stdout))
        text = result.stderr + table
        for name, url in (("canonical", canonical), ("m1", self.m[0].url("/main")),
                          ("m2", self.m[1].url("/main"))):
            text = text.replace(url, "<%s>" % name)
        text = text.replace(self.m[0].url(), "<m1 host>")
        self.assert_golden("remote/fail_over_verbose.txt", text)

    def test_a_failing_mirror_is_avoided_for_the_rest_of_the_run(self):
        self.m[0].set_faults([{"path": "*", "action": "status:503"}])
        result, _ = self.search_ok()
        # One warning for the host, however many files it failed.
        self.assertEqual(result.stderr.count("warning: " + self.m[0].url()), 1, result.stderr)

    def test_mirror_only_never_asks_the_canonical_url(self):
        for m in self.m:
            m.set_faults([{"path": "*", "action": "status:404"}])
        result = self.cenv("search", "pytorch", "-c", self.canonical, "--mirror-only", "--platform", "linux-64")
        self.assert_fails(result, "has no repodata")
        self.assertNotIn(self.canonical + "/linux-64", result.stderr.split("hint:")[0])

    def test_every_mirror_serving_wrong_bytes_leaves_no_cache_entry(self):
        for m in self.m:
            m.set_faults([{"path": "*", "action": "truncate:10"}])
        result = self.cenv("search", "pytorch", "-c", self.canonical, "--platform", "linux-64")
        self.assert_fails(result, "cannot download")
        self.assertEqual(self.cache_files(".json"), [])
        self.assertEqual(glob.glob(os.path.join(self.root, "pkgs", "cache", ".cenv-dl-*")), [])

    def test_create_dry_run_through_mirrors_reports_the_mirror(self):
        copy_channel(CHANNEL_1, os.path.join(self.served, "channel-1"))
        canonical = refused_url("/channel-1")
        self.write_home(".cenvrc", "mirrors:\n  %s:\n    - %s\n" % (canonical, self.m[1].url("/channel-1")))
        result = self.cenv("create", "-n", "t", "--dry-run", "--json", "--platform", "linux-64",
                           "-c", canonical, "numpy")
        self.assert_ok(result)
        data = json.loads(result.stdout)
        for entry in data["actions"]["LINK"]:
            self.assertEqual(entry["channel"], canonical)
            self.assertTrue(entry["url"].startswith(canonical + "/"), entry["url"])
        self.assertTrue(all(r["url"].startswith(self.m[1].url()) for r in data["repodata"]))


class Redaction(RemoteTestCase):
    def test_tokens_and_passwords_appear_nowhere(self):
        token_dir = os.path.join(self.served, "t", "SECRET-TOKEN-123", "pytorch")
        copy_channel(PYTORCH, token_dir)
        server = self.server("s")
        dead = refused_url("").replace("http://", "http://alice:hunter2@")
        self.write_home(".cenvrc", "mirrors:\n  %s:\n    - %s\n" % (
            server.url("/t/SECRET-TOKEN-123/pytorch"), dead + "/t/SECRET-TOKEN-123/pytorch"))
        channel = server.url("/t/SECRET-TOKEN-123/pytorch")
        for args in (("--json",), ("-v",), ("-v", "--json")):
            result = self.cenv("search", "pytorch", "-c", channel, "--platform", "linux-64", *args)
            self.assert_ok(result)
            self.assertIn("<TOKEN>", result.stdout + result.stderr)
            self.assert_no_secret(result, "SECRET-TOKEN-123", "hunter2")
        # Errors too, and the cache's state files.
        server.stop()
        shutil.rmtree(self.root)
        result = self.cenv("search", "pytorch", "-c", channel, "--platform", "linux-64")
        self.assertEqual(result.returncode, 1)
        self.assert_no_secret(result, "SECRET-TOKEN-123", "hunter2")
        for path in glob.glob(os.path.join(self.root, "pkgs", "cache", "*")):
            with open(path, "rb") as f:
                self.assertNotIn(b"SECRET-TOKEN-123", f.read(), path)


class PublishedCondarc(RemoteTestCase):
    """The .condarc files mirrors publish, unchanged; only how to reach them is added in
    ~/.cenvrc (a proxy that serves the mirror's paths, and the CA bundle it signs with)."""

    def lay_out_mirror(self):
        anaconda = os.path.join(self.served, "anaconda")
        copy_channel(MAIN, os.path.join(anaconda, "pkgs", "main"))
        for name, subdir in (("main", "linux-64"), ("r", "linux-64"), ("r", "noarch"),
                             ("msys2", "linux-64"), ("msys2", "noarch")):
            os.makedirs(os.path.join(anaconda, "pkgs", name, subdir))
            with open(os.path.join(anaconda, "pkgs", name, subdir, "repodata.json"), "w") as f:
                f.write(EMPTY_REPODATA % subdir)
        copy_channel(PYTORCH, os.path.join(anaconda, "cloud", "pytorch"), zst_subdirs=["linux-64"])

    def check_pytorch_through_mirror(self, mirror_base):
        result, data = self.search("pytorch", "-c", "pytorch")
        self.assert_ok(result)
        self.assertEqual(sorted(p["fn"] for p in data["result"]["pkgs"]),
                         fixture_names(PYTORCH, "linux-64", "pytorch"))
        for p in data["result"]["pkgs"]:
            self.assertEqual(p["channel"], "https://conda.anaconda.org/pytorch")
        pytorch = [r for r in data["repodata"] if r["channel"] == "https://conda.anaconda.org/pytorch"]
        self.assertEqual(len(pytorch), 2)
        for r in pytorch:
            self.assertTrue(r["url"].startswith(mirror_base + "/cloud/pytorch/"), r)
        # `defaults` resolves to the mirror's pkgs/* and works too.
        result, data = self.search("*", "--override-channels", "-c", "defaults")
        self.assert_ok(result)
        self.assertTrue(data["result"]["pkgs"])
        for r in data["repodata"]:
            self.assertTrue(r["url"].startswith(mirror_base + "/pkgs/"), r)

    def test_aliyun_condarc_over_http(self):
        self.lay_out_mirror()
        proxy = self.server("proxy")
        self.write_home(".condarc", ALIYUN_CONDARC)
        self.write_home(".cenvrc", "proxy_servers:\n  http: %s\n" % proxy.url())
        self.check_pytorch_through_mirror("http://mirrors.aliyun.com/anaconda")
        self.assertTrue(all(r["Host"] == "mirrors.aliyun.com" for r in proxy.requests()))

    def test_tuna_condarc_over_https(self):
        self.lay_out_mirror()
        cert, key = make_certificate(self.work, "mirrors.tuna.tsinghua.edu.cn")
        proxy = self.server("proxy", "--connect-tls", cert, key)
        self.write_home(".condarc", TUNA_CONDARC)
        self.write_home(".cenvrc", "proxy_servers:\n  https: %s\nssl_verify: %s\n" % (proxy.url(), cert))
        self.check_pytorch_through_mirror("https://mirrors.tuna.tsinghua.edu.cn/anaconda")
        gets = [r for r in proxy.requests() if r["method"] == "GET"]
        self.assertTrue(gets)
        self.assertTrue(all(r["Host"] == "mirrors.tuna.tsinghua.edu.cn" for r in gets), gets)
        self.assertTrue(all(r["User-Agent"].startswith("cenv/") for r in gets))

    def test_tuna_condarc_with_an_untrusted_certificate_names_host_and_ca_bundle(self):
        self.lay_out_mirror()
        cert, key = make_certificate(self.work, "mirrors.tuna.tsinghua.edu.cn")
        proxy = self.server("proxy", "--connect-tls", cert, key)
        self.write_home(".condarc", TUNA_CONDARC)
        self.write_home(".cenvrc", "proxy_servers:\n  https: %s\nremote_max_retries: 0\n" % proxy.url())
        result = self.cenv("search", "pytorch", "-c", "pytorch", "--platform", "linux-64")
        self.assert_fails(result, "mirrors.tuna.tsinghua.edu.cn", "CA")
        self.assertIn("ssl_verify", result.stderr)


if __name__ == "__main__":
    unittest.main()
