"""`cenv mirror test` against mirrors served on 127.0.0.1: results in order (answered first),
failures with their reason, a stall cut at --timeout, and --use writing the presets that
answered (a preset reached through an HTTP proxy that serves its paths)."""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from served_channels import RemoteTestCase, refused_url  # noqa: E402

INDEX = "/anaconda/pkgs/main/noarch/repodata.json"


class MirrorTest(RemoteTestCase):
    def setUp(self):
        super().setUp()
        os.makedirs(os.path.join(self.served, "anaconda", "pkgs", "main", "noarch"))
        with open(os.path.join(self.served, INDEX.lstrip("/")), "wb") as f:
            f.write(b"{" + b" " * 400000 + b"}")

    def test_results_are_ordered_and_failures_say_why(self):
        good = self.server("good")
        stalled = self.server("stalled")
        stalled.set_faults([{"path": "*", "action": "stall:120"}])
        dead = refused_url(INDEX)
        result = self.cenv("mirror", "test", dead, stalled.url(INDEX), good.url(INDEX),
                           "--timeout", "2", "--json")
        self.assert_ok(result)
        data = json.loads(result.stdout)
        self.assertEqual([r["name"] for r in data], [good.url(INDEX), dead, stalled.url(INDEX)])
        self.assertTrue(data[0]["ok"])
        self.assertEqual(data[0]["bytes"], 256 * 1024)
        self.assertGreater(data[0]["bytes_per_second"], 0)
        self.assertEqual(good.requests()[0]["Range"], "bytes=0-262143")
        self.assertFalse(data[1]["ok"])
        self.assertTrue(data[1]["error"])
        self.assertFalse(data[2]["ok"])
        self.assertIn("timed out", data[2]["error"].lower())

    def test_nothing_answering_fails(self):
        result = self.cenv("mirror", "test", refused_url(INDEX), "--timeout", "2")
        self.assert_fails(result, "no mirror answered")

    def test_human_table_names_the_order_to_use(self):
        proxy = self.server("proxy")
        self.write_home(".cenvrc", "proxy_servers:\n  http: %s\n" % proxy.url())
        result = self.cenv("mirror", "test", "aliyun", "--timeout", "10")
        self.assert_ok(result)
        self.assertIn(" 1 aliyun", result.stdout)
        self.assertIn("cenv config mirror use aliyun", result.stdout)

    def test_use_writes_the_presets_that_answered(self):
        proxy = self.server("proxy")
        self.write_home(".cenvrc", "# mine\nproxy_servers:\n  http: %s\n" % proxy.url())
        # aliyun (http, through the proxy) answers; bfsu (https, no proxy for it) cannot.
        result = self.cenv("mirror", "test", "bfsu", "aliyun", "--use", "--timeout", "5",
                           env={"https_proxy": refused_url()})
        self.assert_ok(result)
        with open(os.path.join(self.home, ".cenvrc"), encoding="utf-8") as f:
            rc = f.read()
        self.assertTrue(rc.startswith("# mine\n"))
        self.assertIn("http://mirrors.aliyun.com/anaconda/pkgs/main", rc)
        self.assertNotIn("bfsu", rc)
        self.assertTrue(all(r["Host"] == "mirrors.aliyun.com" for r in proxy.requests()))

    def test_use_takes_presets_only(self):
        result = self.cenv("mirror", "test", "--use", refused_url(INDEX))
        self.assert_fails(result, "--use takes preset names only")

    def test_unknown_preset_lists_the_known_ones(self):
        result = self.cenv("mirror", "test", "nosuchmirror")
        self.assert_fails(result, "nosuchmirror")
        self.assertIn("tuna", result.stderr)


if __name__ == "__main__":
    unittest.main()
