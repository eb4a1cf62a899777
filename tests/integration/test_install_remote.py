"""`cenv create` installing from channels served over HTTP on 127.0.0.1
(tests/servers/channel_server.py): package archives come through the downloader, mirrors
first, verified against the record's sha256, and fail over to the next URL on a fault; the
installed record keeps the channel's own URL whichever mirror served it; --offline installs
from the package cache only.
"""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from cenv_testing import FIXTURES  # noqa: E402
from fixture_channel import make_channel  # noqa: E402
from served_channels import RemoteTestCase  # noqa: E402

FORMAT_REPO = os.path.join(FIXTURES, "packages", "conda-format-repo", "linux-64")
ZLIB = "zlib-1.2.11-h7b6447c_3"


class InstallFromHttp(RemoteTestCase):
    def setUp(self):
        super().setUp()
        make_channel(os.path.join(self.served, "chan"),
                     [os.path.join(FORMAT_REPO, ZLIB + ".conda")],
                     {ZLIB + ".conda": {"depends": []}})
        self.prefix = os.path.join(self.work, "env")

    def create(self, channel, *extra):
        return self.cenv("create", "-p", self.prefix, "-y", "--json", "-c", channel,
                         "--override-channels", "--platform", "linux-64", *extra, "zlib")

    def archive_requests(self, server):
        return [r for r in server.requests() if r["path"].endswith(ZLIB + ".conda")]

    def assert_zlib_installed(self, canonical):
        lib = os.path.join(self.prefix, "lib", "libz.so.1.2.11")
        self.assertTrue(os.path.isfile(lib))
        with open(os.path.join(self.prefix, "conda-meta", ZLIB + ".json")) as f:
            record = json.load(f)
        self.assertEqual(record["channel"], canonical)
        self.assertEqual(record["url"], canonical + "/linux-64/" + ZLIB + ".conda")

    def test_installs_from_an_http_channel(self):
        origin = self.server("origin")
        canonical = origin.url("/chan")
        result = self.create(canonical)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual([d["name"] for d in json.loads(result.stdout)["actions"]["LINK"]],
                         ["zlib"])
        self.assertEqual(len(self.archive_requests(origin)), 1)
        self.assert_zlib_installed(canonical)

    def test_a_corrupt_mirror_fails_over_and_the_record_keeps_the_channel_url(self):
        origin = self.server("origin")
        mirror = self.server("mirror")
        canonical = origin.url("/chan")
        self.write_home(".cenvrc", "mirrors:\n  %s:\n    - %s\n" % (canonical, mirror.url("/chan")))
        mirror.set_faults([{"path": "*.conda", "action": "corrupt"}])
        result = self.create(canonical)
        self.assertEqual(result.returncode, 0, result.stderr)
        # The mirror served the index and was asked for the archive first; its wrong bytes
        # sent the download to the channel's own URL.
        self.assertEqual(len(self.archive_requests(mirror)), 1)
        self.assertEqual(len(self.archive_requests(origin)), 1)
        self.assert_zlib_installed(canonical)

    def test_mirror_only_never_asks_the_channel(self):
        origin = self.server("origin")
        mirror = self.server("mirror")
        canonical = origin.url("/chan")
        self.write_home(".cenvrc", "mirror_only: true\nmirrors:\n  %s:\n    - %s\n"
                        % (canonical, mirror.url("/chan")))
        result = self.create(canonical)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(origin.requests(), [])
        self.assertEqual(len(self.archive_requests(mirror)), 1)
        self.assert_zlib_installed(canonical)

    def test_a_failed_download_changes_nothing(self):
        origin = self.server("origin")
        origin.set_faults([{"path": "*.conda", "action": "status:404"}])
        result = self.create(origin.url("/chan"))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn(ZLIB, result.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.prefix, "conda-meta")))

    def test_offline_installs_from_the_package_cache_only(self):
        origin = self.server("origin")
        canonical = origin.url("/chan")
        self.assertEqual(self.create(canonical).returncode, 0)
        other = os.path.join(self.work, "env2")
        origin.clear_log()
        result = self.cenv("create", "-p", other, "-y", "-c", canonical, "--override-channels",
                           "--platform", "linux-64", "--offline", "zlib")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(origin.requests(), [])
        self.assertTrue(os.path.isfile(os.path.join(other, "lib", "libz.so.1.2.11")))
        # A package the cache lacks is refused offline, naming it.
        result = self.cenv("clean", "--all")
        self.assertEqual(result.returncode, 0, result.stderr)
        result = self.cenv("create", "-p", os.path.join(self.work, "env3"), "-y", "-c",
                           canonical, "--override-channels", "--platform", "linux-64",
                           "--offline", "zlib")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("offline: " + ZLIB, result.stderr)


if __name__ == "__main__":
    unittest.main()
