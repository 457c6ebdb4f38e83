"""The analyst's API: the stages of ``syndicate run`` as plain functions, polars frames in and out.

Everything here is a thin, documented wrapper over the modules the command line uses, so a
notebook and a scheduled run compute the same thing. The names are re-exported lazily from
the package, so ``import syndicate`` stays light::

    import syndicate
    tables = syndicate.generate_marketplace(5_000, seed=1)
    dataset = syndicate.load_dataset(tables)
    links = syndicate.build_links(dataset)
    members = syndicate.find_clusters(links, dataset)
    features = syndicate.cluster_features(dataset, members, links)
    clusters = syndicate.score_clusters(features)

or all stages at once, written to a run folder: ``syndicate.run("data", out_dir="run")``.
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import numpy as np
import polars as pl

from syndicate.config import Config

if TYPE_CHECKING:  # heavy or circular at import time; only for signatures
    from syndicate.cases.case import Case
    from syndicate.contract import Dataset
    from syndicate.evaluate import Evaluation
    from syndicate.pipeline import Links, RunResult
    from syndicate.risk.model import RiskModel
    from syndicate.risk.train import TrainingResult
    from syndicate.strategies import Strategy



# --- data ----------------------------------------------------------------------------------

def generate_marketplace(n_accounts: int, *, seed: int = 0) -> dict[str, pl.DataFrame]:
    """A synthetic marketplace with planted syndicates and benign look-alikes.

    Returns the contract tables (``accounts``, ``signals``, ``events``, ``labels``) and
    ``truth`` (``account_id, group_id, group_kind, is_bad``), the answer key.

    Examples
    --------
    >>> tables = generate_marketplace(2_000, seed=1)
    >>> sorted(tables)
    ['accounts', 'events', 'labels', 'signals', 'truth']
    """
    from syndicate.synthetic import generate_marketplace as generate

    return generate(n_accounts, seed=seed)


def write_tables(tables: Mapping[str, pl.DataFrame], out_dir: str | Path, *, fmt: str = "parquet") -> Path:
    """Write each frame as ``NAME.parquet`` (or ``.csv``) into the folder ``out_dir``, as a
    data folder of its own: a new or empty folder, or one written so before (by this or by
    ``syndicate generate``), which is replaced whole. Any other folder (a run folder, a folder
    holding files of yours) raises ``syndicate.runs.OutputPathError`` and nothing is written."""
    from syndicate.io import write_generated

    return write_generated({name: frame.collect() if isinstance(frame, pl.LazyFrame) else frame
                            for name, frame in tables.items()}, out_dir, fmt=fmt,
                           about={"written_by": "syndicate.write_tables"}, who="syndicate.write_tables")


def load_dataset(source: str | Path | Mapping[str, pl.DataFrame] | "Dataset", *,
                 placeholder_values: Sequence[str] = ()) -> "Dataset":
    """A validated dataset from a data folder or from a dict of frames.

    Parameters
    ----------
    source : str, Path, dict of str to polars.DataFrame, or Dataset
        A folder of ``NAME.parquet`` / ``NAME.csv`` tables, or the tables themselves
        (extra entries such as ``truth`` are ignored). A Dataset is returned as it is, less the
        signal rows of ``placeholder_values`` when given.
    placeholder_values : signal values that stand for no identifier on this platform, left out
        beside the ones every run leaves out (``[identity] placeholder_values``; the stages below
        pass their config's).

    Returns
    -------
    syndicate.contract.Dataset
        ``accounts``, ``signals``, ``events``, ``labels``, ``links`` (None when absent).

    Raises
    ------
    syndicate.contract.ContractError
        Listing every problem in every table.
    """
    from syndicate.contract import TABLES, Dataset, validate, with_placeholder_values
    from syndicate.io import load_dataset as load

    if isinstance(placeholder_values, str):
        raise TypeError("placeholder_values must be a list of values, not one string. "
                        f"Got {placeholder_values!r} instead.")
    if isinstance(source, Dataset):  # validated already: the values are left out now
        return with_placeholder_values(source, tuple(placeholder_values))
    if isinstance(source, Mapping):
        import difflib

        for name in source:  # extras such as truth are fine; a misspelt table would be lost unsaid
            if name not in TABLES and (near := difflib.get_close_matches(str(name), TABLES, n=1, cutoff=0.75)):
                warnings.warn(f"table {name!r} is no table of the data contract and is left out "
                              f"(did you mean {near[0]!r}?)", UserWarning, stacklevel=2)
        return validate({name: frame for name, frame in source.items() if name in TABLES},
                        placeholder_values=tuple(placeholder_values))
    dataset = load(source, placeholder_values=tuple(placeholder_values))
    from syndicate.io import unread_files_warning

    if (said := unread_files_warning(source)) is not None:  # a misspelt file would be lost unsaid
        warnings.warn(said, UserWarning, stacklevel=2)
    return dataset


def _dataset(source, config: Config) -> "Dataset":
    """:func:`load_dataset` with ``config``'s placeholder values."""
    return load_dataset(source, placeholder_values=config.identity.placeholder_values)


# --- stages --------------------------------------------------------------------------------

def _checked(config: Config | None) -> Config:
    """``config`` (the defaults when None), checked as ``run`` checks it: a bad value is a
    ``ConfigError`` naming the setting before any work, not an error deep in a library."""
    from syndicate.config import check_config

    config = Config() if config is None else config
    check_config(config)
    return config


def build_links(dataset: "Dataset", *, config: Config | None = None) -> "Links":
    """The link stage: weighted account–account edges with per-kind evidence.

    Returns
    -------
    syndicate.pipeline.Links
        ``edges`` (``account_a < account_b``, ``weight``, one evidence column per kind),
        ``hubs`` (identifier values shared too widely to link anyone) and ``info``.
    """
    from syndicate.pipeline import link

    config = _checked(config)
    return link(_dataset(dataset, config), config)


def find_clusters(links: "Links | pl.DataFrame", dataset: "Dataset | str | Path | None" = None, *,
                  config: Config | None = None) -> pl.DataFrame:
    """The cluster stage: candidate syndicates as ``account_id, cluster_id, found_by, component``
    (singletons left out; ``found_by`` says which methods found the cluster: graph, coaction,
    slow_coaction, hdbscan; ``component`` is the cluster's cross-validation unit as the run's cluster stage
    made it, which `cluster_features` and `score_accounts` keep so that their folds are the run's).

    Parameters
    ----------
    links : Links or polars.DataFrame
        The result of `build_links`, or an edge table.
    dataset : Dataset, data folder or dict of frames, optional
        With events, HDBSCAN behaviour clusters are added as in ``syndicate run``; without it,
        only the link graph is clustered.
    """
    from syndicate.pipeline import Links, cluster

    if not isinstance(links, (Links, pl.DataFrame)):
        raise TypeError("find_clusters takes the link stage's result first, then the dataset: "
                        f"find_clusters(build_links(dataset), dataset). Got {type(links).__name__} instead.")
    edges = links if isinstance(links, pl.DataFrame) else links.edges
    config = _checked(config)
    dataset = _dataset(dataset, config) if dataset is not None else None
    members, meta = cluster(edges, config, dataset=dataset,
                            links=None if isinstance(links, pl.DataFrame) else links)
    return members.join(meta.select("cluster_id", "found_by", "component"), on="cluster_id")


def _cluster_meta(members: pl.DataFrame, links: "Links", config: Config) -> pl.DataFrame:
    """``cluster_id, component, found_by`` of ``members``: the units `find_clusters` handed on
    (a cluster without one, added by hand, is a unit of its own), or for a members table without
    an integer ``component`` (a run folder's) the units rebuilt from the link graph
    (``pipeline.fold_units_of``: takeover groups joined as the run joins them, but not the review
    rings the cluster stage put back together, so folds, and the out-of-fold scores, may differ
    from the run's)."""
    from syndicate.pipeline import cluster_meta, fold_units_of

    if "component" not in members.columns or not members.schema["component"].is_integer():
        return cluster_meta(members.drop("component", strict=False), fold_units_of(links.edges, config, links=links))
    return cluster_meta(members)


def cluster_features(dataset: "Dataset", members: pl.DataFrame, links: "Links", *,
                     config: Config | None = None) -> pl.DataFrame:
    """The features stage: one row per cluster, sorted by ``cluster_id``.

    Besides the features the frame has ``component``, which groups the cross-validation folds:
    the cluster's unit as `find_clusters` gave it (the connected component of the strong link
    graph the cluster comes from, or its part when the cluster stage split it, joined with
    others for a takeover group or a review ring; negative for a cluster of behaviour alone).
    The clusters the slow co-action pass found get ``slow_coaction_targets`` (what their names
    say) only when ``members`` carries their ``found_by`` (`find_clusters` gives it; a run
    folder's ``members.parquet`` does not: join ``found_by`` from its ``clusters.parquet``).
    """
    from syndicate.pipeline import features as features_stage

    config = _checked(config)
    dataset = _dataset(dataset, config)
    members = _same_accounts(dataset, links, members)
    meta = _cluster_meta(members, links, config)
    features = features_stage(dataset, links, members.select("account_id", "cluster_id"), config, meta=meta)
    return features.join(meta, on="cluster_id", how="left")


def _same_accounts(dataset: "Dataset", links: "Links", members: pl.DataFrame) -> pl.DataFrame:
    """``members`` with text ids (as the dataset's), or ``ValueError`` when ``links`` or
    ``members`` were made from another dataset's accounts (an IndexError or a join's dtype
    error deep in the features otherwise)."""
    index = getattr(links, "index", None)
    if index is not None and not index.ids.equals(ours := dataset.account_index.ids):
        only_links = index.ids.filter(~index.ids.is_in(ours.implode()))
        only_here = ours.filter(~ours.is_in(index.ids.implode()))
        raise ValueError(f"links were built from another dataset: {len(index):,} accounts there, "
                         f"{len(ours):,} in this one ({len(only_links):,} only there, such as "
                         f"{_some(only_links)}; {len(only_here):,} only here, such as {_some(only_here)}); "
                         "build_links(dataset) again")
    if isinstance(members, pl.LazyFrame):
        members = members.collect()
    if "account_id" not in members.columns or "cluster_id" not in members.columns:
        raise ValueError("members must be find_clusters' table (account_id, cluster_id, ...). "
                         f"Got columns {', '.join(members.columns)} instead.")
    members = members.with_columns(pl.col("account_id").cast(pl.String))
    stray = members.join(dataset.accounts.select("account_id"), on="account_id", how="anti")["account_id"]
    if len(stray):
        raise ValueError(f"{len(stray):,} member(s) are not accounts of this dataset (such as "
                         f"{_some(stray)}): members of another dataset's clusters?")
    return members


# Columns only cluster_features' table has (a members table has cluster_id too).
FEATURE_KEYS = ("cluster_id", "size", "n_known_bad")


def _table_of(frame: Any, name: str, stage: str, columns: tuple[str, ...]) -> pl.DataFrame:
    """``frame`` when it is the table ``stage`` returns (it holds ``columns``), else a
    ``ValueError`` naming the stage (a members table given for features, say)."""
    if isinstance(frame, pl.LazyFrame):
        frame = frame.collect()
    if not isinstance(frame, pl.DataFrame) or (lacking := [c for c in columns if c not in frame.columns]):
        got = (f"columns {', '.join(frame.columns)}" if isinstance(frame, pl.DataFrame)
               else type(frame).__name__)
        raise ValueError(f"{name} must be the table {stage}() returns (with {', '.join(columns)}). Got {got} instead.")
    return frame


def _some(ids: pl.Series) -> str:
    return ", ".join(map(repr, ids.head(3).to_list())) or "none"


def fit_risk_model(features: pl.DataFrame, *, config: Config | None = None) -> "TrainingResult":
    """Cross-validate and fit the risk model on the labelled clusters of ``features``.

    Folds are grouped by ``dataset`` × ``component`` when those columns are there. To train on
    several datasets, stack their `cluster_features` with a ``dataset`` column, or use
    `train_risk_model`.

    Returns
    -------
    syndicate.risk.train.TrainingResult
        ``model`` (fitted on every labelled cluster), ``metrics`` (out-of-fold AUC, average
        precision, … overall and per fold), ``predictions`` (out-of-fold score of each
        labelled cluster) and ``importance`` (mean absolute contribution per feature).

    Raises
    ------
    syndicate.risk.train.TrainingError
        When there are too few labelled clusters of either class.
    """
    from syndicate.risk.train import fit_risk_model as fit

    config = _checked(config)
    return fit(_table_of(features, "features", "cluster_features", FEATURE_KEYS),
               config=config.risk, seed=config.seed)


def train_risk_model(datasets: Any, *, config: Config | None = None) -> "TrainingResult":
    """`fit_risk_model` on the clusters of one or more datasets: a folder, a table dict or a
    Dataset, or a sequence of them (or a dict of them by name).

    This is ``syndicate train`` without writing the model; save it with
    ``result.model.save(folder)``.
    """
    from syndicate.contract import Dataset
    from syndicate.risk.train import train_risk_model as train

    config = _checked(config)
    if isinstance(datasets, (str, Path, Dataset)) or (isinstance(datasets, Mapping) and "accounts" in datasets):
        datasets = [datasets]  # one folder, one table dict or one Dataset
    if isinstance(datasets, Mapping):
        named = {str(name): _dataset(d, config) for name, d in datasets.items()}
    else:
        datasets = list(datasets)
        names = [Path(d).name if isinstance(d, (str, Path)) else f"dataset_{i}" for i, d in enumerate(datasets, start=1)]
        if len(set(names)) < len(names):  # two folders of one name (a/data, b/data): their paths
            names = [str(d) if isinstance(d, (str, Path)) else name for d, name in zip(datasets, names)]
        named = {name: _dataset(d, config) for name, d in zip(names, datasets)}
    return train(named, config=config)


def score_clusters(features: pl.DataFrame, *, model: "RiskModel | None" = None,
                   config: Config | None = None, dataset: "Dataset | None" = None) -> pl.DataFrame:
    """The rank stage: risk score, reasons, archetype and rank of every cluster.

    Without ``model``, the model is trained out-of-fold on the clusters' own labels (or the
    unsupervised scorecard is used when there are too few), exactly as ``syndicate run`` does.
    A run then moves each cluster's risk towards its members' behaviour in the accounts stage
    (risk/pseudo_labels.py; with labels, by the label-free view of risk/accounts.py):
    `score_accounts` with ``with_clusters=True`` returns the clusters table as the run writes it.
    ``dataset`` (the one the features come from) gives the clock its events were recorded with:
    recorded to the day, lockstep does not tell a farm from a ring, and the names say so as the
    run's do (without it, a clock of seconds, or ``[lockstep] clock_seconds``, is assumed); a
    ``model`` trained on events recorded more finely warns (``UserWarning``) as ``run`` does.

    Returns
    -------
    polars.DataFrame
        The ``clusters`` table of a run folder, sorted by rank.
    """
    from syndicate.pipeline import model_clock_warning, rank

    features = _table_of(features, "features", "cluster_features", FEATURE_KEYS)

    meta = features.select(
        "cluster_id",
        pl.col("component") if "component" in features.columns else pl.int_range(pl.len()).alias("component"),
        pl.col("found_by") if "found_by" in features.columns else pl.lit("graph").alias("found_by"),
    )
    config = _checked(config)
    clock = (_events_clock(_dataset(dataset, config), config) if dataset is not None
             else max(1, config.lockstep.clock_seconds))
    if (said := model_clock_warning((model,), clock, config)) is not None:
        warnings.warn(said, UserWarning, stacklevel=2)
    clusters, _ = rank(features.drop("component", "found_by", strict=False), meta, config, model=model,
                       clock_s=clock)
    return clusters


def score_accounts(dataset: "Dataset", links: "Links", members: pl.DataFrame, clusters: pl.DataFrame, *,
                   model: "RiskModel | None" = None, config: Config | None = None,
                   with_clusters: bool = False) -> "pl.DataFrame | tuple[pl.DataFrame, pl.DataFrame]":
    """The accounts stage: every input account once, with its risk, rank, source and reasons.

    ``clusters`` is the result of `score_clusters`. Without ``model`` (a saved account model),
    the account model is trained out of fold on the dataset's labels, or the account
    scorecard scores accounts when there are too few, exactly as ``syndicate run`` does.
    Without any labels the clusters' scores move towards their members' behaviour first
    (risk/pseudo_labels.py) and members inherit the moved scores; with labels that train the
    account model, by the model a run without labels would train (risk/accounts.py
    ``with_label_free_view``, which also moves the members' own scores); ``with_clusters`` also
    returns the clusters table with them (its archetypes, reasons and ranks follow). A clusters
    table that carries the move already (a run's) is not moved again. The folds follow
    ``members``' ``component`` (`find_clusters`); a run folder's members have none, and the
    units rebuilt from ``links`` may fold some accounts otherwise than the run did.

    Returns
    -------
    polars.DataFrame, or (accounts, clusters) with ``with_clusters``
        The ``accounts`` table of a run folder, sorted by rank.
    """
    from syndicate.pipeline import score_accounts as stage

    config = _checked(config)
    dataset = _dataset(dataset, config)
    members = _same_accounts(dataset, links, members)
    clusters = _table_of(clusters, "clusters", "score_clusters", ("cluster_id", "risk_score", "model_score"))
    meta = _cluster_meta(members, links, config)
    members = members.select("account_id", "cluster_id")
    scored = stage(dataset, links, members, clusters, meta, config, model=model)
    if with_clusters:
        return scored.frame, _moved_clusters(clusters, scored.clusters, meta, dataset, config)
    return scored.frame


def _moved_clusters(clusters: pl.DataFrame, members_scored: pl.DataFrame | None, meta: pl.DataFrame,
                    dataset: "Dataset", config: Config) -> pl.DataFrame:
    """`score_clusters`' table with the accounts stage's moved scores, named as the run names it.

    The run writes each cluster's reasons for its moved risk, from the contributions of the
    model that scored it, which the table does not hold: a cluster the move took across 0.5 is
    explained in its new direction. They come from scoring the table's features again (out of
    fold with the same folds and seed: the same scores, checked). A table that does not give its
    own scores again (scored by a given model, or edited) is named by ``pipeline.renamed``: the
    archetype follows the moved risk, the other reasons stay those of the risk before the move."""
    from syndicate.features.clusters import LOOKALIKE_FEATURES
    from syndicate.pipeline import name_and_rank, renamed, score
    from syndicate.risk.pseudo_labels import MEMBER_SCORE, STAND_IN

    if members_scored is None:
        return clusters
    # What the rank stage added to the features (pipeline.score, name_and_rank) and the units.
    added = {"risk_score", "model_score", "score_source", *LOOKALIKE_FEATURES, "archetype", "reasons", "rank",
             MEMBER_SCORE, STAND_IN, "found_by", "component"}
    features = clusters.select([c for c in clusters.columns if c not in added])
    units = meta.select("cluster_id", "component", "found_by")
    if "found_by" in clusters.columns:  # the table's (a run folder's members carry none)
        units = units.drop("found_by").join(clusters.select("cluster_id", "found_by"), on="cluster_id", how="left")
    scored, scores = score(features, units, config)
    given = clusters.sort("cluster_id")
    same = scored.height == given.height and all(
        scored[c].equals(given[c]) for c in ("cluster_id", "risk_score", "model_score"))
    clock = _events_clock(dataset, config)
    if not same:
        return renamed(clusters, members_scored, config, clock_s=clock)
    return name_and_rank(scored, scores, config, members_scored=members_scored, clock_s=clock).select(clusters.columns)


def _events_clock(dataset: "Dataset", config: Config) -> int:
    """The clock the events were recorded with, in seconds (as the polars engine reads it: at
    least ``config.lockstep.clock_seconds``)."""
    from syndicate.features.timing import table_clock_s

    return table_clock_s(dataset.events, at_least=config.lockstep.clock_seconds) or 1


def run(data: str | Path | Mapping[str, pl.DataFrame] | "Dataset", *, out_dir: str | Path | None = None,
        config: Config | None = None, model: "RiskModel | str | Path | None" = None,
        quiet: bool = True) -> "RunResult":
    """Every stage at once, as ``syndicate run``.

    Parameters
    ----------
    data : folder, dict of frames, or Dataset
        The input. To write a run folder (``out_dir``), give a data folder: the run records
        its files' fingerprints, and case exports read evidence from it.
    out_dir : str or Path, optional
        Run folder to write (atomically).
    config : Config, optional
    model : RiskModel or folder, optional
        A trained model (see `train_risk_model`, ``syndicate train``) to score with.
    quiet : bool
        No progress lines.

    Returns
    -------
    syndicate.pipeline.RunResult
        ``members``, ``clusters``, ``edges``, ``hubs``, ``manifest`` and ``model`` (the model
        trained in the run, or the one given).
    """
    from syndicate.pipeline import run as run_frames
    from syndicate.pipeline import run_to_folder
    from syndicate.progress import Progress
    from syndicate.risk.model import load_models

    config = _checked(config)
    is_folder = isinstance(model, (str, Path))
    cluster_model, account_model = load_models(model) if is_folder else (model, None)
    if out_dir is None:
        result = run_frames(_dataset(data, config), config=config, model=cluster_model, progress=Progress(quiet=quiet),
                            account_model=account_model)
    elif not isinstance(data, (str, Path)):
        raise TypeError("To write a run folder, 'data' must be a data folder (write the tables with "
                        f"syndicate.write_tables first). Got {type(data).__name__} instead.")
    elif model is None or is_folder:
        result = run_to_folder(data, out_dir, config=config, model_dir=model, quiet=quiet, option="out_dir")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            model.save(tmp)
            result = run_to_folder(data, out_dir, config=config, model_dir=tmp, quiet=quiet, option="out_dir")
    # The models that scored the clusters and accounts, for explain_cluster (the run folder
    # keeps only models trained in the run).
    result.model = result.model or cluster_model
    result.account_model = result.account_model or account_model
    return result


def load_run(run_dir: str | Path) -> "RunResult":
    """A finished run folder as a RunResult (``hubs`` empty: they are in the manifest).

    Raises
    ------
    syndicate.runs.RunFolderError
        When the folder is missing or incomplete.
    """
    from syndicate.pipeline import RunResult
    from syndicate.risk.model import RiskModel
    from syndicate.runs import read_run_folder

    tables, manifest = read_run_folder(run_dir)
    model_dir = Path(run_dir) / "model"
    model = RiskModel.load(model_dir) if (model_dir / "model.json").is_file() else None
    hubs = pl.DataFrame(schema={"kind": pl.String, "value": pl.String, "n_accounts": pl.UInt32})
    account_model = (RiskModel.load(model_dir, prefix="account_")
                     if (model_dir / "account_model.json").is_file() else None)
    return RunResult(members=tables["members"], clusters=tables["clusters"], edges=tables["edges"],
                     hubs=hubs, manifest=manifest, model=model, accounts=tables.get("accounts"),
                     account_model=account_model, run_dir=Path(run_dir).expanduser().resolve())


# --- one cluster ---------------------------------------------------------------------------

def _run_of(run: "RunResult | str | Path") -> "RunResult":
    from syndicate.pipeline import RunResult

    if isinstance(run, (str, Path)):
        return load_run(run)
    if not isinstance(run, RunResult):
        raise TypeError("run must be a RunResult (syndicate.run, syndicate.load_run) or a run folder. "
                        f"Got {type(run).__name__} instead.")
    return run


def _cluster_row(clusters: pl.DataFrame, cluster_id: str) -> pl.DataFrame:
    if not isinstance(cluster_id, str):  # a rank or a row number, compared with text ids
        first = clusters.sort("rank")["cluster_id"].head(1).to_list() if "rank" in clusters.columns else []
        raise TypeError(f"cluster_id must be a cluster's id (text{' such as ' + repr(first[0]) if first else ''}), "
                        f"not a rank or row number. Got {type(cluster_id).__name__} {cluster_id!r} instead.")
    row = clusters.filter(pl.col("cluster_id") == cluster_id)
    if row.height != 1:
        raise KeyError(f"no cluster {cluster_id!r} in this run; the top-ranked are: "
                       f"{', '.join(clusters.sort('rank')['cluster_id'].head(5).to_list())}")
    return row


def explain_cluster(run: "RunResult | str | Path", cluster_id: str, *,
                    model: "RiskModel | None" = None) -> pl.DataFrame:
    """Why a cluster scores as it does: each feature's value and contribution, largest first.

    Contributions are SHAP values (log-odds) of ``model``, else of the run's model, else the
    scorecard indicators when the run was scored without labels. With a model trained in the
    run, the contributions come from the model fitted on all labelled clusters, while the
    cluster's score itself is out-of-fold: the two can differ a little for labelled clusters.

    Returns
    -------
    polars.DataFrame
        ``feature, value, contribution, reason`` (the feature in words, with this cluster's numbers;
        a value on the benign side of the run's typical cluster is stated as a comparison).
        Scored by the scorecard (a run without labels), ``value`` is null: each of its
        indicators combines several features, whose numbers the reason gives.

    Raises
    ------
    ValueError
        When the run was scored by a saved model it does not hold and ``model`` is not given.
    """
    from syndicate.risk.reasons import explain_feature, typical_values
    from syndicate.risk.unsupervised import scorecard

    run = _run_of(run)
    row = _cluster_row(run.clusters, cluster_id)
    unsupervised = row["score_source"][0] == "unsupervised" if "score_source" in row.columns else False
    if model is None and not unsupervised:
        model = run.model
        if model is None:
            raise ValueError(f"cluster {cluster_id!r} was scored by a saved model that this run does not "
                             "hold; pass it as model=RiskModel.load(model_folder)")
    if model is not None:
        names = list(model.feature_names_)
        contributions = model.contributions(row)[0, :-1]
        values = [row[n][0] for n in names]
    else:
        _, names, terms = scorecard(row)
        contributions = terms[0]
        values = [None] * len(names)
    record = row.row(0, named=True)
    typical = typical_values(run.clusters, names)
    contributions = np.round(np.asarray(contributions, dtype=np.float64), 6)
    frame = pl.DataFrame({
        "feature": names,
        "value": pl.Series([None if v is None else float(v) for v in values], dtype=pl.Float64),
        "contribution": contributions,
        "reason": pl.Series([explain_feature(n, record, float(c), typical.get(n))[0] or _no_evidence(n)
                             for n, c in zip(names, contributions)], dtype=pl.String),
    })
    return frame.sort(pl.col("contribution").abs(), descending=True)


def _no_evidence(feature: str) -> str | None:
    """The reason of a takeover indicator, whose sentence reports leave out when no member was
    taken in a wave (None for any other feature: an unknown value is no absent evidence)."""
    if feature.startswith("takeover_wave"):
        return "no member was taken over in a wave of strangers' logins"
    return None


def cluster_members(run: "RunResult | str | Path", cluster_id: str) -> pl.DataFrame:
    """``account_id, cluster_id`` of one cluster's members."""
    run = _run_of(run)
    _cluster_row(run.clusters, cluster_id)
    return run.members.filter(pl.col("cluster_id") == cluster_id).sort("account_id")


def draw_cluster(run: "RunResult | str | Path", cluster_id: str, *, labels: pl.DataFrame | None = None,
                 ax=None, max_nodes: int = 150, seed: int = 0):
    """A picture of one cluster: accounts as nodes (coloured by ``labels`` when given), links
    coloured by their strongest evidence kind.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from syndicate.report.cluster_graph import draw_cluster_graph

    run = _run_of(run)
    row = _cluster_row(run.clusters, cluster_id).row(0, named=True)
    members = cluster_members(run, cluster_id).select("account_id")
    if labels is not None:
        members = members.join(labels.select("account_id", "label"), on="account_id", how="left")
    ids = members["account_id"].implode()
    edges = run.edges.filter(pl.col("account_a").is_in(ids) & pl.col("account_b").is_in(ids))
    title = f"{cluster_id}: rank {row['rank']}, risk {row['risk_score']:.2f}, {row['archetype']}"
    return draw_cluster_graph(members, edges, ax=ax, max_nodes=max_nodes, seed=seed, title=title)


def investigate(run_dir: str | Path, cluster_id: str, *, reveal: bool = False) -> "Case":
    """Everything an investigator gets about one cluster of a run folder, in memory.

    The same content as the case bundle of `export_case`: ``summary`` (dict), ``members``
    (facts, label, role, activity), ``edges``, ``evidence`` (``rows``: who shares what;
    ``units``: each identifier value or lockstep burst that binds members) and ``events``.
    Identifier values are masked unless ``reveal``. Evidence needs the run's data folder.
    """
    from syndicate.cases.case import build_case, run_info
    from syndicate.contract import ContractError
    from syndicate.runs import read_run_folder

    tables, manifest = read_run_folder(run_dir)
    _cluster_row(tables["clusters"], cluster_id)
    data_dir = (manifest.get("inputs") or {}).get("data_dir")
    dataset, note = None, None
    if data_dir and Path(data_dir).is_dir():
        try:
            from syndicate.io import load_dataset as load_folder
            from syndicate.cases import _run_as_of, _run_placeholder_values

            dataset = load_folder(data_dir, as_of=_run_as_of(manifest),
                                  placeholder_values=_run_placeholder_values(manifest))
        except ContractError as exc:
            note = f"the run's input data {data_dir} can no longer be read: {str(exc).splitlines()[0]}"
    else:
        note = f"the run's input data ({data_dir or 'not recorded'}) is no longer available"
    return build_case(cluster_id, tables=tables, run=run_info(run_dir, manifest), dataset=dataset,
                      reveal=reveal, inputs_note=note)


def draw_timeline(case: "Case"):
    """Account creation and member activity per day of an `investigate` case (a Figure)."""
    from syndicate.cases.html import timeline_figure

    return timeline_figure(case.members, case.events)


def export_case(run_dir: str | Path, cluster_id: str | Sequence[str], *, out_dir: str | Path,
                reveal: bool = False) -> list[Path]:
    """Write the investigator case bundle(s) of one or more clusters into ``out_dir`` (new or empty).

    Each case is a folder (``case.html``, CSVs, ``graph.graphml``, ``summary.json``) and a zip.
    Identifier values are masked unless ``reveal``.

    Returns
    -------
    list of Path
        The case folders.
    """
    from syndicate.cases import export_cases

    ids = [cluster_id] if isinstance(cluster_id, str) else list(cluster_id)
    return export_cases(run_dir, cluster_ids=ids, out_dir=out_dir, reveal=reveal)


# --- evaluation ----------------------------------------------------------------------------

def read_truth(path: str | Path) -> pl.DataFrame:
    """A truth table (``account_id, is_bad`` [, ``group_id, group_kind``]) from parquet or CSV."""
    from syndicate.evaluate import read_truth as read

    return read(path)


def evaluate_run(run: "RunResult | str | Path", truth: pl.DataFrame | str | Path, *,
                 threshold: float | None = None, top_k: int | None = None,
                 strategies: "Sequence[Strategy] | None" = None,
                 labels: pl.DataFrame | None = None) -> "Evaluation":
    """Precision, recall and average precision of a run against ``truth``.

    Parameters
    ----------
    run : RunResult or run folder
    truth : polars.DataFrame or path
        ``account_id, is_bad`` and optionally ``group_id, group_kind``.
    threshold : float, optional
        Clusters with ``risk_score >= threshold`` are flagged (default: the run's
        ``risk.high_risk_threshold``).
    top_k : int, optional
        K of top-K precision (default: the number of planted bad groups).
    strategies : sequence of Strategy, optional
        Enforcement strategies to report on (default ``DEFAULT_STRATEGIES``).
    labels : polars.DataFrame, optional
        The run's input labels, to list the known-good accounts each strategy hits.

    Returns
    -------
    syndicate.evaluate.Evaluation
        ``metrics`` (as in ``evaluation.json``), ``accounts``, ``clusters``, ``groups``,
        ``strategies``, ``false_positives``; ``summary()`` and ``plot_pr_curve()``.
    """
    from syndicate.evaluate import evaluate, evaluate_run as evaluate_folder
    from syndicate.strategies import DEFAULT_STRATEGIES

    strategies = DEFAULT_STRATEGIES if strategies is None else strategies
    truth = read_truth(truth) if isinstance(truth, (str, Path)) else truth
    if isinstance(run, (str, Path)):
        evaluation = evaluate_folder(run, truth, threshold=threshold, top_k=top_k, strategies=strategies)
    else:
        if threshold is None:
            threshold = run.manifest.get("config", {}).get("risk", {}).get("high_risk_threshold")
        evaluation = evaluate(run.members, run.clusters, truth, threshold=threshold, top_k=top_k,
                              strategies=strategies, labels=labels, accounts=run.accounts)
        evaluation.run_dir = run.run_dir  # a run in memory only: None
    for line in evaluation.warnings:  # shown in a notebook; also the first lines of summary()
        warnings.warn(line, UserWarning, stacklevel=2)
    return evaluation


def evaluate_strategies(run: "RunResult | str | Path", strategies: "Sequence[Strategy] | None" = None, *,
                        truth: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per strategy: clusters and accounts actioned, known-good accounts hit and, with
    ``truth``, precision, recall and benign accounts hit. See `syndicate.strategies`."""
    from syndicate.evaluate import normalise_truth
    from syndicate.strategies import DEFAULT_STRATEGIES
    from syndicate.strategies import evaluate_strategies as evaluate

    run = _run_of(run)
    truth = normalise_truth(truth) if truth is not None else None
    return evaluate(run.members, run.clusters, DEFAULT_STRATEGIES if strategies is None else strategies,
                    truth=truth, accounts=run.accounts)


def strategy_hits(run: "RunResult | str | Path", strategy: "Strategy", *, labels: pl.DataFrame | None = None,
                  truth: pl.DataFrame | None = None) -> pl.DataFrame:
    """Every account one strategy actions, with its input ``label`` and (with truth) ``is_bad``:
    filter ``label == 0`` or ``~is_bad`` for its false positives."""
    from syndicate.evaluate import normalise_truth
    from syndicate.strategies import DEFAULT_STRATEGIES, Strategy
    from syndicate.strategies import strategy_hits as hits

    if not isinstance(strategy, Strategy):
        names = ", ".join(repr(s.name) for s in DEFAULT_STRATEGIES)
        raise TypeError(f"strategy must be a Strategy (syndicate.DEFAULT_STRATEGIES: {names}; "
                        f"syndicate.read_strategies). Got {type(strategy).__name__} {strategy!r} instead.")
    run = _run_of(run)
    truth = normalise_truth(truth) if truth is not None else None
    return hits(strategy, run.members, run.clusters, labels=labels, truth=truth, accounts=run.accounts)


__all__ = [
    "generate_marketplace", "write_tables", "load_dataset",
    "build_links", "find_clusters", "cluster_features", "fit_risk_model", "train_risk_model",
    "score_clusters", "score_accounts", "run", "load_run",
    "explain_cluster", "cluster_members", "draw_cluster", "investigate", "draw_timeline", "export_case",
    "read_truth", "evaluate_run", "evaluate_strategies", "strategy_hits",
]
