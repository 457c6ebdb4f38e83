"""Shared fixtures: generated marketplaces (made once per test session) and a CLI runner."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import settings

# Property tests draw the same examples on every run (reproducible, like every other seed here).
settings.register_profile("syndicate", derandomize=True, deadline=None)
settings.load_profile("syndicate")

# The masking key (syndicate.masking) is created under XDG_CONFIG_HOME on first use: tests get
# their own (subprocesses inherit it) instead of writing one into the user's home.
if not os.environ.get("SYNDICATE_MASK_KEY"):
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="syndicate-tests-config-")
    atexit.register(shutil.rmtree, os.environ["XDG_CONFIG_HOME"], ignore_errors=True)


TINY = Path(__file__).resolve().parent.parent / "fixtures" / "tiny"


def copy_tiny(folder: Path) -> Path:
    """A fresh copy of the hand-made ``fixtures/tiny`` dataset in ``folder`` (tests may spoil it)."""
    folder.mkdir(parents=True)
    for path in TINY.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def run_cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``python -m syndicate ARGS`` in a subprocess, as a user would."""
    proc = subprocess.run([sys.executable, "-m", "syndicate", *map(str, args)],
                          capture_output=True, text=True, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"syndicate {' '.join(map(str, args))} exited {proc.returncode}:\n{proc.stderr}")
    return proc


BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def generate_data(script: str, data: Path, *, accounts: int, seed: int) -> Path:
    """A marketplace from ``benchmarks/SCRIPT`` written to ``data``."""
    subprocess.run([sys.executable, str(BENCHMARKS / script), str(data), "--accounts", str(accounts),
                    "--seed", str(seed)], check=True, capture_output=True, timeout=600)
    return data


def generate_and_run(script: str, base: Path, *, accounts: int = 20_000, seed: int = 1) -> tuple[Path, Path]:
    """A marketplace from ``benchmarks/SCRIPT`` in ``base/data`` and `syndicate run` on it in
    ``base/run`` (default settings): ``(data, run)``."""
    data = generate_data(script, base / "data", accounts=accounts, seed=seed)
    run_cli("run", data, "--out", base / "run", "--quiet")
    return data, base / "run"


def without_labels(data: Path, out: Path) -> Path:
    """``out``, a folder of links to ``data``'s tables but its labels (any format): the same
    marketplace as a team without a labels table has it."""
    out.mkdir()
    for table in data.iterdir():
        if not table.name.startswith("labels."):
            (out / table.name).symlink_to(table)
    return out


def assert_benign_hardly_flagged(ev, share: float, **own_share: float) -> None:
    """Every benign look-alike kind of ``evaluate_planted``'s result has at most ``share`` of
    its accounts flagged, or the share ``own_share`` names for its kind (which must be one)."""
    assert set(own_share) <= set(ev.metrics["benign_flagged_by_kind"]), (own_share, ev.metrics["benign_flagged_by_kind"])
    for kind, counts in ev.metrics["benign_flagged_by_kind"].items():
        assert counts["flagged"] <= own_share.get(kind, share) * counts["accounts"], (kind, counts)


def evaluate_planted(data: Path, run: Path):
    """``syndicate.evaluate.evaluate`` of a run against ``data/truth.parquet``, top K = every
    planted bad group, accounts scored from ``accounts.parquet``."""
    from syndicate.evaluate import evaluate

    truth = pl.read_parquet(data / "truth.parquet")
    k = truth.filter(pl.col("is_bad") & pl.col("group_id").is_not_null())["group_id"].n_unique()
    return evaluate(*(pl.read_parquet(run / f) for f in ("members.parquet", "clusters.parquet")), truth, top_k=k,
                    accounts=pl.read_parquet(run / "accounts.parquet"))


@pytest.fixture(scope="session")
def marketplace_20k(tmp_path_factory) -> Path:
    """A 20,000-account marketplace written by `syndicate generate` (seed 1)."""
    out = tmp_path_factory.mktemp("market") / "data"
    run_cli("generate", out, "--accounts", 20_000, "--seed", 1)
    return out


@pytest.fixture(scope="session")
def run_20k(marketplace_20k, tmp_path_factory) -> Path:
    """`syndicate run` on the 20k marketplace."""
    out = tmp_path_factory.mktemp("runs") / "run"
    run_cli("run", marketplace_20k, "--out", out, "--quiet")
    return out


def rare_config(folder: Path) -> Path:
    """A config turning the review-ring detector on (``[lockstep] rare_enabled``; on by default,
    but left out above ``rare_max_events``), for the runs whose review rings are checked."""
    path = Path(folder) / "rare.toml"
    path.write_text("[lockstep]\nrare_enabled = true\n")
    return path


def read_truth(data_dir: Path) -> pl.DataFrame:
    return pl.read_parquet(data_dir / "truth.parquet")


def slow_farm_tables(seed: int = 3, n_organic: int = 2000, n_workers: int = 40, n_jobs: int = 40,
                     spread_s: int = 3000) -> tuple[dict[str, pl.DataFrame], set[str]]:
    """Accounts and events of organic users on Zipf-popular targets over a month, and a farm
    whose jobs each use 20-40% of its workers spread over ``spread_s`` seconds (50 minutes by
    default: its workers rarely meet within two minutes) on targets of their own; no
    identifiers. Returns the tables and the farm's account ids."""
    from datetime import datetime

    import numpy as np

    rng = np.random.default_rng(seed)
    t0, day, n = int(datetime(2026, 3, 1).timestamp()), 86_400, n_organic + n_workers
    popularity = 1.0 / np.arange(1, 2001) ** 1.1
    account = np.repeat(np.arange(n), rng.integers(5, 50, n))
    parts = [(account, rng.choice(2000, size=len(account), p=popularity / popularity.sum()),
              t0 + rng.integers(0, 30 * day, len(account)))]
    for job in range(n_jobs):
        crew = n_organic + np.flatnonzero(rng.random(n_workers) < rng.uniform(0.2, 0.4))
        start = t0 + rng.integers(0, 30 * day)
        parts.append((crew, np.full(len(crew), 10_000 + job), start + rng.integers(0, spread_s, len(crew))))
    account, target, second = (np.concatenate(x) for x in zip(*parts))
    us = pl.Datetime("us")
    events = pl.DataFrame({"account_id": [f"u{a:05d}" for a in account], "action": "follow",
                           "target_id": [f"t{t}" for t in target], "ts": pl.Series(second * 1_000_000).cast(us)})
    accounts = pl.DataFrame({"account_id": [f"u{a:05d}" for a in range(n)],
                             "created_at": pl.Series((t0 - rng.integers(30, 2000, n) * day) * 1_000_000).cast(us)})
    return {"accounts": accounts, "events": events}, {f"u{a:05d}" for a in range(n_organic, n)}
