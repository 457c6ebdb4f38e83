"""Arguments and config are checked before any work: every problem listed, exit 2, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from syndicate.config import Config, ConfigError, check_config

TINY = Path(__file__).resolve().parent.parent / "fixtures" / "tiny"


def cli(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "syndicate", *map(str, args)], capture_output=True,
                          text=True, timeout=300, cwd=cwd)


def assert_user_error(proc: subprocess.CompletedProcess, *expected: str) -> None:
    assert proc.returncode == 2, f"exit {proc.returncode}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    for text in expected:
        assert text in proc.stderr, proc.stderr


@pytest.mark.parametrize("seed", ["-1", "4294967296"])
def test_run_seed_out_of_range_fails_before_any_work(tmp_path, seed):
    proc = cli("run", TINY, "--out", tmp_path / "run", "--quiet", "--seed", seed)
    assert_user_error(proc, f"--seed must be an int in [0, 4294967295]. Got {seed} instead.")
    assert not (tmp_path / "run").exists()


def test_generate_and_demo_reject_a_negative_seed(tmp_path):
    assert_user_error(cli("generate", tmp_path / "g", "--seed", "-1", "--accounts", "100"), "--seed must be")
    assert_user_error(cli("demo", "--workdir", tmp_path / "d", "--seed", "-1", "--accounts", "100"),
                      "--seed must be")
    assert not (tmp_path / "g").exists() and not (tmp_path / "d").exists()


def test_config_folder_and_non_utf8_config(tmp_path):
    (tmp_path / "folder").mkdir()
    assert_user_error(cli("run", TINY, "--out", tmp_path / "r", "--config", tmp_path / "folder"),
                      "is a folder; expected a TOML file")
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(b"seed = 1\n# caf\xe9\n")
    assert_user_error(cli("run", TINY, "--out", tmp_path / "r", "--config", bad),
                      "is not UTF-8 text (byte 0xe9 on line 2)")


def test_every_config_problem_is_reported_together(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("[lockstep]\nwindow_seconds = 1000000000000000000\nwindo = 3\n"
                    "[risk]\nlabel_prior_strength = inf\nlearning_rate = nan\n")
    proc = cli("run", TINY, "--out", tmp_path / "r", "--config", path, "--seed", "-1")
    assert_user_error(proc, "'lockstep.window_seconds' parameter must be an int in [1, 2592000]",
                      "unknown config key(s) lockstep.windo",
                      "'risk.label_prior_strength' parameter must be a finite number. Got inf",
                      "'risk.learning_rate' parameter must be a finite number. Got nan",
                      "--seed must be an int")
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("command", ["run", "generate", "export", "demo"])
def test_unwritable_output_is_refused_up_front(tmp_path, command):
    target = "/proc/syndicate-test/x"
    args = {"run": ("run", TINY, "--out", target),
            "generate": ("generate", target, "--accounts", "100"),
            "export": ("export", tmp_path / "no-run", "--top", "1", "--out", target),
            "demo": ("demo", "--workdir", target, "--accounts", "100")}[command]
    proc = cli(*args)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr


def test_a_folder_it_may_not_replace_is_refused_before_the_pipeline_loads(tmp_path):
    # The refusal comes before the pipeline's libraries are imported (a second and a half), and
    # the error is still the user's (exit 2, one message), with --out or --runs-root named.
    (tmp_path / "thesis").mkdir()
    (tmp_path / "thesis" / "chapter1.tex").write_text("years of work")
    code = ("import sys; from syndicate.cli import main; code = main(sys.argv[1:]); "
            "print('pipeline imported' if 'syndicate.pipeline' in sys.modules else 'pipeline not imported'); "
            "sys.exit(code)")
    proc = subprocess.run([sys.executable, "-c", code, "run", str(TINY), "--out", str(tmp_path / "thesis")],
                          capture_output=True, text=True, timeout=300)
    assert_user_error(proc, "syndicate only replaces its own previous run folders", "--out")
    assert "pipeline not imported" in proc.stdout
    proc = cli("run", TINY, "--runs-root", tmp_path, "--name", "thesis")
    assert_user_error(proc, "the run folder under --runs-root")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis"]


def test_every_user_error_class_is_found_where_its_module_says():
    import importlib

    from syndicate.cli import _USER_ERRORS, UserError, _user_errors

    for module, name in _USER_ERRORS:
        assert issubclass(getattr(importlib.import_module(module), name), Exception), (module, name)
    assert len(_user_errors()) == len(_USER_ERRORS) + 1 and _user_errors()[0] is UserError


def test_python_api_checks_a_config_built_in_code():
    bad = Config().replace(seed=-5)
    with pytest.raises(ConfigError, match=r"'seed' parameter must be an int in \[0, 4294967295\]"):
        check_config(bad)


def test_config_actions_are_normalised_like_the_data(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[lockstep]\nactions = [" Like", "like", "FOLLOW"]\n')
    assert Config.from_toml(path).lockstep.actions == ("like", "follow")
