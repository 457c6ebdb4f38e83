"""The README cannot drift from the code: its config block is the defaults, the settings its
prose names carry their default values, and its command lines use options that exist."""

import re
import tomllib
from pathlib import Path

import pytest

from syndicate.cli import build_parser
from syndicate.config import Config

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
DEFAULTS = Config().to_dict()


def _section(title: str) -> str:
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def _leaves(mapping, prefix=()):
    for key, value in mapping.items():
        if isinstance(value, dict) and not (prefix and prefix[-1] in ("identity",) and key.startswith("kind_")):
            yield from _leaves(value, (*prefix, key))
        else:
            yield (*prefix, key), value


def _default(path):
    value = DEFAULTS
    for key in path:
        value = value[key]
    return value


def test_config_block_is_the_defaults():
    block = re.search(r"```toml\n(.*?)```", _section("Configuration"), re.S).group(1)
    example = tomllib.loads(block)

    assert Config.from_dict(example) == Config()  # copying the example changes nothing
    for path, value in _leaves(example):
        assert value == _default(path), f"README sets {'.'.join(path)} = {value!r}; the default is {_default(path)!r}"


def _setting_paths() -> dict[str, tuple[str, ...]]:
    """Leaf setting name -> its path in the config, for names that occur once."""
    seen: dict[str, list[tuple[str, ...]]] = {}
    for path, _ in _leaves(DEFAULTS):
        seen.setdefault(path[-1], []).append(path)
    return {name: paths[0] for name, paths in seen.items() if len(paths) == 1}


def test_settings_named_in_the_prose_carry_their_defaults():
    paths = _setting_paths()
    mentions = re.findall(r"`(\w+)` \(([\d,.]+)\)", README)
    checked = [(name, number) for name, number in mentions if name in paths]

    assert len(checked) >= 8, checked  # the prose names its settings this way
    for name, number in checked:
        assert float(number.replace(",", "")) == pytest.approx(_default(paths[name])), (
            f"README says `{name}` ({number}); the default is {_default(paths[name])}")


def test_command_lines_use_options_that_exist():
    block = re.search(r"```bash\n(syndicate generate.*?)```", _section("Command line"), re.S).group(1)
    sub = next(a for a in build_parser()._actions if a.dest == "command").choices
    for line in block.splitlines():
        command = line.split()[1]
        known = {o for action in sub[command]._actions for o in action.option_strings}
        used = set(re.findall(r"(--[a-z][a-z-]*)", line.split("#")[0]))
        assert used <= known, f"syndicate {command}: {sorted(used - known)} unknown"


def test_first_contact_facts_are_documented():
    for fact in ("demo-output/run/report.html", ".venv/bin/syndicate", "creation.parquet", "75",
                 "false_positives.csv", "parameters"):
        assert fact in README, fact
    airflow = _section("Scheduled cluster reports")
    assert "skip_on_exit_code=3)" not in airflow.replace("`skip_on_exit_code=3` marks", "")
