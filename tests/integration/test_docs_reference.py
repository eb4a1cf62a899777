"""The reference pages against the real binary.

docs/en/commands.md and docs/zh-CN/commands.md: every command `cenv --help` lists, and every
subcommand below it (walked through each `COMMAND --help`), has a section headed with its
command line (`cenv env config vars set`), and that section mentions each of the command's
flags, long and short (for activate and deactivate also those the shell hook hands to
`cenv shell activate`, read from tab completion). A section may hand its flags over to
another section of the same page by linking to it (`[solving options](#solving-options)`):
the linked section counts as part of it. Headings that name no real command are reported
too (stale pages).

docs/en/config.md and docs/zh-CN/config.md: every setting `cenv config list --json` knows
has a row in the settings table, which names its CENV_ variable unless it is a map and
shows its default.

docs/en and docs/zh-CN hold the same pages.
"""

import json
import os
import re
import unittest

from cenv_testing import run_cenv

DOCS = os.environ.get("CENV_DOCS_DIR", os.path.join(os.path.dirname(__file__), "../../docs"))
LANGUAGES = ("en", "zh-CN")

# ---------------------------------------------------------------------------------------------
# CLI11's help output

# A section title: "Options:", "Subcommands:", "Positionals:", an option group's name. The
# "Usage: cenv ..." line has text after its colon and is not one.
_SECTION = re.compile(r"^(\S[^:]*):\s*$")
# An entry of a section is indented by exactly two spaces; wrapped descriptions by far more.
_ENTRY = re.compile(r"^  (\S+)")
_FLAG_LIST = re.compile(r"^-{1,2}[A-Za-z0-9][\w-]*(?:,-{1,2}[A-Za-z0-9][\w-]*)*$")
_HELP_FLAGS = {"-h", "--help"}


def parse_help(text):
    """(subcommands, options) of one `--help` text: the subcommand names in order, and for
    each option the list of its names (["-n", "--name"]), --help left out."""
    subcommands, options = [], []
    section, holds_options = None, False
    for line in text.splitlines():
        if not line.strip():
            section = None
            continue
        title = _SECTION.match(line)
        if title:
            section, holds_options = title.group(1), None
            continue
        entry = _ENTRY.match(line)
        if section is None or entry is None:
            continue
        word = entry.group(1)
        if section == "Subcommands":
            subcommands.append(word)
            continue
        # "Options" or an option group's title: a section whose first entry is a flag. A
        # footer's "Examples:" starts with a command line and is skipped whole.
        if holds_options is None:
            holds_options = section != "Positionals" and _FLAG_LIST.match(word) is not None
        if holds_options and _FLAG_LIST.match(word):
            names = [n for n in word.split(",") if n not in _HELP_FLAGS]
            if names:
                options.append(names)
    return subcommands, options


def walk_commands():
    """{path: [option names, ...]} for `cenv` ("") and every command below it, found by
    running `cenv [PATH] --help` recursively."""
    commands = {}
    pending = [()]
    while pending:
        path = pending.pop()
        result = run_cenv(*path, "--help")
        if result.returncode != 0:
            raise AssertionError(f"cenv {' '.join(path)} --help failed:\n{result.stderr}")
        subcommands, options = parse_help(result.stdout)
        commands[" ".join(path)] = options
        pending.extend(path + (sub,) for sub in subcommands)
    return commands


def completion_flags(path):
    """The flags the shells' tab completion offers after `cenv PATH` (the hidden `cenv shell
    complete`, which reads them from the command-line parser itself), --help left out."""
    result = run_cenv("shell", "complete", "cenv", *path.split(), "-")
    if result.returncode != 0:
        raise AssertionError(f"cenv shell complete cenv {path} - failed:\n{result.stderr}")
    return set(result.stdout.split()) - _HELP_FLAGS


def documented_commands():
    """walk_commands(), plus the flags only the shell hook takes (`cenv activate --stack`:
    the hook hands activate and deactivate to `cenv shell activate`, whose flags they take)."""
    commands = walk_commands()
    for path, options in commands.items():
        known = {flag for names in options for flag in names}
        options.extend([flag] for flag in sorted(completion_flags(path) - known))
    return commands


# ---------------------------------------------------------------------------------------------
# Markdown pages

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_ANCHOR_LINK = re.compile(r"\]\(#([^)\s]+)\)")


def slug(heading):
    """The anchor GitHub gives a heading: lower case, punctuation dropped (letters of any
    script, digits, '_' and '-' stay), spaces become '-'."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def sections(markdown):
    """[(level, title, text)] for each heading outside fenced code; text runs to the next
    heading of the same or a higher level."""
    lines = markdown.splitlines()
    headings = []
    fenced = False
    for i, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        match = None if fenced else _HEADING.match(line)
        if match:
            headings.append((i, len(match.group(1)), match.group(2)))
    result = []
    for n, (i, level, title) in enumerate(headings):
        end = len(lines)
        for j, other_level, _ in headings[n + 1:]:
            if other_level <= level:
                end = j
                break
        result.append((level, title, "\n".join(lines[i + 1:end])))
    return result


def command_title(title):
    """The command line a heading names (`cenv env list`), or None."""
    plain = title.replace("`", "").strip()
    return plain if re.fullmatch(r"cenv(?: [a-z][\w-]*)*", plain) else None


def mentions(text, flag):
    """Whether `flag` appears in `text` as itself, not as part of a longer flag or word."""
    return re.search(r"(?<![\w-])" + re.escape(flag) + r"(?![\w-])", text) is not None


def reference_problems(markdown, commands):
    """What the page `markdown` lacks for `commands` ({path: [[names], ...]}), one line each:
    missing sections, flags a section does not mention, links to anchors that do not
    exist, sections that name no command."""
    parsed = sections(markdown)
    by_anchor = {slug(title): text for _, title, text in parsed}
    by_command = {}
    for _, title, text in parsed:
        line = command_title(title)
        if line is not None:
            by_command[line] = text
    problems = []
    for path, options in sorted(commands.items()):
        line = f"cenv {path}".strip()
        if line not in by_command:
            problems.append(f"no section headed `{line}`")
            continue
        text, seen, queue = "", set(), [by_command[line]]
        while queue:
            part = queue.pop()
            text += "\n" + part
            for anchor in _ANCHOR_LINK.findall(part):
                if anchor not in by_anchor:
                    problems.append(f"`{line}`: link to #{anchor}, which no heading has")
                elif anchor not in seen:
                    seen.add(anchor)
                    queue.append(by_anchor[anchor])
        for names in options:
            for flag in names:
                if not mentions(text, flag):
                    problems.append(f"`{line}`: {flag} is not documented")
    known = {f"cenv {path}".strip() for path in commands}
    problems.extend(f"section `{line}` names no command of cenv --help"
                    for line in sorted(by_command) if line not in known)
    return problems


def read_doc(language, name):
    with open(os.path.join(DOCS, language, name), encoding="utf-8") as f:
        return f.read()


# ---------------------------------------------------------------------------------------------

class HelpParserTest(unittest.TestCase):
    """The parser on CLI11's layout: wrapped descriptions, Excludes/Needs, footers."""

    SAMPLE = """Do a thing
Usage: cenv thing [OPTIONS] [specs...] SUBCOMMAND

Positionals:
  specs TEXT ...              Package specs

Options:
  -h,--help                   Print this help message and exit
  -n,--name TEXT Excludes: --prefix
                              Environment name
  --json Excludes: --explicit Print JSON
  --md5 Needs: --explicit Excludes: --sha256
                              With --explicit: add each package's md5
  -q                          Quiet

Subcommands:
  list                        List them
  remove-key                  Remove a key

Examples:
  cenv thing -n x
  --not-an-option in a footer
"""

    def test_reads_options_and_subcommands(self):
        subcommands, options = parse_help(self.SAMPLE)
        self.assertEqual(subcommands, ["list", "remove-key"])
        self.assertEqual(options, [["-n", "--name"], ["--json"], ["--md5"], ["-q"]])

    def test_made_up_flag_and_command_are_reported(self):
        doc = "# x\n\n### `cenv thing`\n\n`-n, --name` and `--json-lines`, `-q`.\n"
        commands = {"thing": [["-n", "--name"], ["--json"], ["-q"]], "thing list": []}
        problems = reference_problems(doc, commands)
        self.assertIn("`cenv thing`: --json is not documented", problems)
        self.assertIn("no section headed `cenv thing list`", problems)
        self.assertEqual(len(problems), 2, problems)

    def test_linked_section_counts_and_broken_links_are_reported(self):
        doc = ("### `cenv a`\n\nSee [shared](#shared-options).\n\n### `cenv b`\n\n[x](#nowhere)\n"
               "`--json`\n\n### `cenv gone`\n\n## Shared options\n\n`--json`\n")
        problems = reference_problems(doc, {"a": [["--json"]], "b": [["--json"]]})
        self.assertEqual(problems, ["`cenv b`: link to #nowhere, which no heading has",
                                    "section `cenv gone` names no command of cenv --help"])

    def test_slug_keeps_chinese(self):
        self.assertEqual(slug("create、install、update 共用的选项"), "createinstallupdate-共用的选项")
        self.assertEqual(slug("`cenv env config vars set`"), "cenv-env-config-vars-set")


class CommandReferenceTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.from_help = walk_commands()
        cls.commands = documented_commands()

    def test_help_agrees_with_the_parser(self):
        # Guards the help parser: a change in CLI11's layout must not make this test vacuous.
        # Tab completion reads the flags from the parser's own objects; --help must show the
        # same ones (activate and deactivate show theirs in words: the hook handles them).
        for path, options in self.from_help.items():
            if path in ("activate", "deactivate"):
                continue
            with self.subTest(command=path):
                self.assertEqual({flag for names in options for flag in names},
                                 completion_flags(path))

    def test_the_walk_finds_the_whole_command_line(self):
        for path in ("", "create", "env config vars set", "config mirror use", "mirror test",
                     "shell init", "doctor"):
            self.assertIn(path, self.commands)
        self.assertGreaterEqual(len(self.commands), 40)
        flags = {flag for options in self.commands.values() for names in options for flag in names}
        self.assertGreaterEqual(len(flags), 50)
        for flag in ("--json", "--dry-run", "-n", "--name", "--version", "--channel-priority"):
            self.assertIn(flag, flags)
        self.assertIn(["--stack"], self.commands["activate"])

    def test_every_command_and_flag_is_documented(self):
        for language in LANGUAGES:
            with self.subTest(language=language):
                problems = reference_problems(read_doc(language, "commands.md"), self.commands)
                self.assertEqual(problems, [], f"docs/{language}/commands.md:\n" + "\n".join(problems))


class GuideTest(unittest.TestCase):
    def test_both_languages_have_the_same_pages(self):
        pages = {language: sorted(f for f in os.listdir(os.path.join(DOCS, language))
                                  if f.endswith(".md")) for language in LANGUAGES}
        self.assertIn("commands.md", pages["en"])
        self.assertEqual(pages["en"], pages["zh-CN"])


class SettingsReferenceTest(unittest.TestCase):
    _ROW = re.compile(r"^\|\s*`([a-z0-9_]+)`", re.MULTILINE)

    def test_every_setting_has_a_row(self):
        result = run_cenv("config", "list", "--json",
                          env={"HOME": "/nonexistent", "CENV_ROOT_PREFIX": "/nonexistent/root"})
        self.assertEqual(result.returncode, 0, result.stderr)
        settings = json.loads(result.stdout)
        self.assertGreaterEqual(len(settings), 20)
        for language in LANGUAGES:
            with self.subTest(language=language):
                doc = read_doc(language, "config.md")
                # The innermost section that holds the table.
                tables = [s for s in sections(doc) if "| `channel_alias`" in s[2]]
                self.assertTrue(tables, "a section holds the settings table")
                rows = {}
                for line in max(tables, key=lambda s: s[0])[2].splitlines():
                    row = self._ROW.match(line)
                    if row:
                        rows[row.group(1)] = line
                missing = sorted(set(settings) - set(rows))
                self.assertEqual(missing, [], f"docs/{language}/config.md lacks rows for these")
                unknown = sorted(set(rows) - set(settings))
                self.assertEqual(unknown, [], f"docs/{language}/config.md has rows cenv does not know")
                for key, value in settings.items():
                    if not isinstance(value, dict):
                        self.assertIn(f"CENV_{key.upper()}", rows[key], key)
                    default = self.default_text(value)
                    if default:
                        self.assertIn(f"`{default}`", rows[key], f"{key}'s default")

    @staticmethod
    def default_text(value):
        """A scalar default as the table writes it (`true`, `9.15`, `60`, `strict`); None for
        lists, maps and empty strings, whose defaults the table words."""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return f"{value:g}"
        return value if isinstance(value, str) and value else None


if __name__ == "__main__":
    unittest.main()
