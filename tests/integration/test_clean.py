"""`cenv clean`: what the package cache holds, removed by kind, with the space freed."""

import json
import os
import shutil
import tempfile
import unittest

from cenv_testing import CenvTestCase, FIXTURES, run_cenv

ZLIB = os.path.join(FIXTURES, "packages/conda-format-repo/linux-64/zlib-1.2.11-h7b6447c_3.conda")


class CleanTest(CenvTestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="cenv-clean-")
        self.addCleanup(shutil.rmtree, self.root)
        self.pkgs = os.path.join(self.root, "pkgs")
        os.makedirs(os.path.join(self.pkgs, "zlib-1.2.11-h7b6447c_3", "info"))
        with open(os.path.join(self.pkgs, "zlib-1.2.11-h7b6447c_3", "info", "index.json"), "w") as f:
            f.write('{"name": "zlib"}')
        shutil.copyfile(ZLIB, os.path.join(self.pkgs, os.path.basename(ZLIB)))
        open(os.path.join(self.pkgs, "zlib-1.2.11-h7b6447c_3.lock"), "w").close()
        os.makedirs(os.path.join(self.pkgs, ".cenv-tmp-zlib-1.2.11-h7b6447c_3-Ab12Cd"))
        with open(os.path.join(self.pkgs, "urls.txt"), "w") as f:
            f.write("https://example.org/linux-64/zlib-1.2.11-h7b6447c_3.conda\n")
        self.env = {"CENV_ROOT_PREFIX": self.root}

    def clean_json(self, *flags):
        result = run_cenv("clean", "--json", *flags, env=self.env)
        self.assert_ok(result)
        return json.loads(result.stdout)

    def test_dry_run_lists_without_removing(self):
        out = self.clean_json("--all", "--dry-run")
        kinds = sorted(item["kind"] for item in out["removed"])
        self.assertEqual(kinds, ["extracted", "lock", "partial", "tarball"])
        self.assertTrue(out["dry_run"])
        self.assertEqual(out["bytes_freed"], os.path.getsize(ZLIB) + len('{"name": "zlib"}'))
        self.assertEqual(len(os.listdir(self.pkgs)), 5)

    def test_dry_run_text(self):
        result = run_cenv("clean", "--all", "--dry-run", env=self.env)
        self.assert_ok(result)
        self.assert_golden("clean/all_dry_run.txt", result.stdout.replace(self.root, "<root>"))

    def test_tarballs_only(self):
        out = self.clean_json("--tarballs")
        self.assertEqual([item["kind"] for item in out["removed"]], ["tarball"])
        self.assertEqual(out["bytes_freed"], os.path.getsize(ZLIB))
        self.assertFalse(os.path.exists(os.path.join(self.pkgs, os.path.basename(ZLIB))))
        self.assertTrue(os.path.isdir(os.path.join(self.pkgs, "zlib-1.2.11-h7b6447c_3")))

    def test_all_leaves_urls_txt(self):
        result = run_cenv("clean", "--all", env=self.env)
        self.assert_ok(result)
        self.assertIn("Removed 4 items, freed ", result.stdout)
        self.assertEqual(os.listdir(self.pkgs), ["urls.txt"])

    def test_nothing_chosen_is_an_error(self):
        self.assert_fails(run_cenv("clean", env=self.env), "nothing to clean")

    def test_missing_cache_is_empty(self):
        shutil.rmtree(self.pkgs)
        out = self.clean_json("--all")
        self.assertEqual(out["removed"], [])
        self.assertEqual(out["bytes_freed"], 0)


if __name__ == "__main__":
    unittest.main()
