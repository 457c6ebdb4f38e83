"""Command line: ``syndicate run | generate | demo | ...``.

Each command is a small function that parses arguments and calls the library. User mistakes
(bad input data, bad config, missing run folder) print a clear message and exit with code 2,
without a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from syndicate import __version__

USER_ERROR_EXIT = 2

# name -> (help, add_arguments, handler); commands register themselves below.
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = {}


def command(name: str, help: str):
    def register(pair):
        add, handle = pair
        COMMANDS[name] = (help, add, handle)
        return pair
    return register


def _load_config(path: str | None, seed: int | None):
    from syndicate.config import Config

    config = Config.from_toml(path) if path else Config()
    return config.replace(seed=seed) if seed is not None else config


# --- run -----------------------------------------------------------------------------------

def _add_run(p: argparse.ArgumentParser) -> None:
    p.add_argument("data_dir", help="folder with accounts, signals, events, labels, links tables")
    p.add_argument("--out", required=True, help="run folder to write (replaced atomically)")
    p.add_argument("--config", help="TOML config file")
    p.add_argument("--model", help="saved model folder (model.json + metadata.json) to score with")
    p.add_argument("--seed", type=int, help="override the config seed")
    p.add_argument("--quiet", action="store_true", help="no progress lines")


def _run(args: argparse.Namespace) -> int:
    from syndicate.pipeline import run_to_folder, top_clusters_text

    config = _load_config(args.config, args.seed)
    result = run_to_folder(args.data_dir, args.out, config=config, model_dir=args.model, quiet=args.quiet)
    if not args.quiet:
        print(top_clusters_text(result.clusters))
        print(f"\nwrote {args.out}: {result.clusters.height} clusters, {result.members.height} accounts")
    return 0


command("run", "run the pipeline on a data folder and write a run folder")((_add_run, _run))


# --- generate ------------------------------------------------------------------------------

def _add_generate(p: argparse.ArgumentParser) -> None:
    p.add_argument("out_dir", help="folder to write the marketplace tables (and truth.parquet)")
    p.add_argument("--accounts", type=int, default=20_000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--format", choices=("parquet", "csv"), default="parquet")


def _generate(args: argparse.Namespace) -> int:
    from syndicate.io import write_tables
    from syndicate.synthetic import generate_marketplace

    if args.accounts < 100:
        raise UserError(f"--accounts must be at least 100. Got {args.accounts} instead.")
    tables = generate_marketplace(args.accounts, seed=args.seed)
    write_tables(tables, args.out_dir, fmt=args.format)
    counts = ", ".join(f"{k} {v.height:,}" for k, v in tables.items())
    print(f"wrote {args.out_dir}: {counts}")
    return 0


command("generate", "write a generated marketplace with planted syndicates")((_add_generate, _generate))


# --- demo ----------------------------------------------------------------------------------

def _add_demo(p: argparse.ArgumentParser) -> None:
    p.add_argument("--accounts", type=int, default=20_000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--workdir", default="demo-output", help="where the data and run folders go")
    p.add_argument("--top", type=int, default=15)
    p.add_argument("--quiet", action="store_true")


def _demo(args: argparse.Namespace) -> int:
    from syndicate.io import write_tables
    from syndicate.pipeline import run_to_folder, top_clusters_text
    from syndicate.progress import Progress
    from syndicate.synthetic import generate_marketplace

    work = Path(args.workdir)
    data_dir, run_dir = work / "data", work / "run"
    progress = Progress(quiet=args.quiet)
    with progress.stage(f"generate {args.accounts:,} accounts"):
        tables = generate_marketplace(args.accounts, seed=args.seed)
        write_tables(tables, data_dir, fmt="parquet")
    config = _load_config(None, args.seed)
    result = run_to_folder(data_dir, run_dir, config=config, quiet=args.quiet)
    print(top_clusters_text(result.clusters, args.top))
    print(f"\ndata: {data_dir}\nrun:  {run_dir}")
    return 0


command("demo", "generate a marketplace, run the pipeline, print the top clusters")((_add_demo, _demo))


# --- entry point ---------------------------------------------------------------------------

class UserError(ValueError):
    """A mistake in how the command was called."""


def _user_errors() -> tuple[type[BaseException], ...]:
    from syndicate.config import ConfigError
    from syndicate.contract import ContractError
    from syndicate.risk.model import ModelFileError
    from syndicate.runs import RunFolderError

    return (UserError, ConfigError, ContractError, ModelFileError, RunFolderError, FileExistsError)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="syndicate", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"syndicate {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, add, handle) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        add(p)
        p.set_defaults(handler=handle)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except _user_errors() as exc:
        name = type(exc).__name__
        print(f"syndicate {args.command}: error ({name}):\n{exc}", file=sys.stderr)
        print("nothing was written.", file=sys.stderr)
        return USER_ERROR_EXIT


if __name__ == "__main__":
    sys.exit(main())
