"""What a newcomer reads first: the help texts, the result lines, the demo's last lines."""

import polars as pl
import pytest

from syndicate.cli import build_parser, main
from syndicate.pipeline import top_clusters_text


def _subcommands():
    return next(a for a in build_parser()._actions if a.dest == "command").choices


def test_top_level_help_is_plain_text_with_first_steps_and_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out

    assert "``" not in text and ":func:" not in text  # no reStructuredText
    assert "syndicate demo" in text and "exit codes:" in text
    assert all(len(line) <= 100 for line in text.splitlines())


@pytest.mark.parametrize("name", ["run", "report", "generate", "demo", "train", "evaluate", "export"])
def test_every_option_has_help_and_says_its_default(name):
    parser = _subcommands()[name]
    for action in parser._actions:
        if action.dest == "help":
            continue
        assert action.help, f"{name} {action.option_strings or action.dest} has no help text"
        if action.option_strings and action.default is not None and action.default is not False:
            shown = parser._get_formatter()._get_help_string(action)
            assert "(default: " in shown, f"{name} {action.option_strings[-1]} does not show its default"


def test_evaluate_help_names_the_false_positives_file():
    assert "false_positives.csv" in _subcommands()["evaluate"].format_help()


def test_result_lines_are_wrapped():
    clusters = pl.DataFrame({
        "cluster_id": ["C0123456789ab"], "size": [391], "risk_score": [0.88], "rank": [1],
        "archetype": ["engagement_farm"],
        "reasons": [["engagement farm: 100% of member links are lockstep co-action (31 shared bursts per "
                     "linked pair), and a great deal more that would run far past the edge of a terminal",
                     "45 members confirmed bad before; 2 members confirmed good before"]],
    })
    text = top_clusters_text(clusters, width=100)

    assert all(len(line) <= 100 for line in text.splitlines())
    assert "engagement farm" in text.splitlines()[1] and text.count("\n        - ") == 2


@pytest.mark.slow
def test_demo_says_where_everything_is(tmp_path, capsys):
    work = tmp_path / "demo"

    assert main(["demo", "--accounts", "2000", "--workdir", str(work), "--cases", "1", "--quiet"]) == 0
    out = capsys.readouterr().out

    report = work / "run" / "report.html"
    assert f"report      {report}" in out and report.is_file()
    assert (work / "run" / "evaluation" / "false_positives.csv").is_file() or "evaluation" in out
    assert len(list((work / "cases").glob("*/case.html"))) == 1
    assert 'class="case" href="../cases/' in report.read_text()
    # A second demo into the same folder replaces its own case bundles.
    assert main(["demo", "--accounts", "2000", "--workdir", str(work), "--cases", "1", "--quiet"]) == 0


def test_the_command_imports_igraph_without_matplotlib_and_matplotlib_still_works_after():
    """``syndicate run`` imports igraph with matplotlib held back (0.6 s of start-up): igraph's
    Leiden works, matplotlib was not loaded by it, and importing matplotlib later works."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from syndicate.cli import _import_igraph_without_plotting\n"
        "_import_igraph_without_plotting()\n"
        "assert 'igraph' in sys.modules and 'matplotlib' not in sys.modules\n"
        "import numpy as np\n"
        "from syndicate.cluster.community import leiden_cpm\n"
        "labels = leiden_cpm(np.array([0, 1, 2, 3]), np.array([1, 2, 0, 4]), np.ones(4), np.ones(5),"
        " resolution=0.1)\n"
        "assert labels[0] == labels[1] == labels[2]\n"
        "import matplotlib.pyplot as plt\n"
        "plt.figure()\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
