"""The cluster risk model: XGBoost on cluster features, saved as XGBoost JSON + metadata.

Never pickled: ``save`` writes ``model.json`` (the booster, XGBoost's own JSON format) and
``metadata.json`` (feature names, parameters, training fingerprints, metrics).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl
import xgboost as xgb

import syndicate

if TYPE_CHECKING:
    from syndicate.config import RiskConfig

MODEL_FILE = "model.json"
METADATA_FILE = "metadata.json"
# The metadata's finest clock (seconds) of the events the model was trained on, where they had
# events: a model that learnt from co-action within seconds sees none of it on data recorded to
# the day (``pipeline.model_clock_warning``). Models saved before it existed lack it.
CLOCK_KEY = "events_clock_seconds"
# The account model lives beside the cluster model in the same folder, under this prefix.
ACCOUNT_PREFIX = "account_"
# Below this many rows one XGBoost thread is faster than two (measured 0.34 s vs 6.9 s for
# 200 rounds on 180 clusters; thread sync dominates small trees).
SINGLE_THREAD_ROWS = 100_000
# Models trained at once when each trains on one thread: the machine's two cores. XGBoost
# releases the GIL, and on tens of thousands of rows two single-threaded fits beat one
# two-threaded fit (thread synchronisation dominates small trees).
FIT_WORKERS = 2
# Rows scored at once: a float32 block of 256k rows of ~40 features is ~40 MB, not the table's copy.
PREDICT_ROWS = 1 << 18


class ModelFileError(ValueError):
    """A saved model folder is missing, incomplete or does not match the features."""


class RiskModel:
    """Gradient-boosted trees that score a cluster's probability of being a syndicate.

    Parameters are keyword-only; fitted attributes end in ``_``.

    Examples
    --------
    >>> X = pl.DataFrame({"size": [2.0, 40.0] * 10, "young_30d_share": [0.0, 1.0] * 10})
    >>> model = RiskModel(n_estimators=5, seed=0).fit(X, np.array([0, 1] * 10))
    >>> model.predict_proba(X).shape
    (20,)
    """

    def __init__(self, *, n_estimators: int = 200, max_depth: int = 4, learning_rate: float = 0.05,
                 seed: int = 0, n_threads: int | None = None, max_bin: int | None = None):
        self.n_estimators = n_estimators
        self.max_depth = max_depth
        self.learning_rate = learning_rate
        self.seed = seed
        self.n_threads = n_threads
        # Histogram bins per feature (None: XGBoost's 256); fewer bins train faster on large tables.
        self.max_bin = max_bin

    def _params(self, n_rows: int) -> dict[str, Any]:
        threads = self.n_threads or (1 if n_rows < SINGLE_THREAD_ROWS else 2)
        return {
            "objective": "binary:logistic",
            "eval_metric": "logloss",
            "tree_method": "hist",
            "max_depth": self.max_depth,
            "eta": self.learning_rate,
            # Few labelled clusters: keep leaves from fitting single clusters.
            "min_child_weight": 1.0,
            "subsample": 0.9,
            "colsample_bytree": 0.9,
            "seed": self.seed,
            "nthread": threads,
            **({"max_bin": self.max_bin} if self.max_bin is not None else {}),
        }

    def fit(self, X: pl.DataFrame, y: np.ndarray, *, sample_weight: np.ndarray | None = None) -> "RiskModel":
        dtrain = xgb.DMatrix(_matrix(X), label=np.asarray(y, dtype=np.float32),
                             weight=sample_weight, feature_names=list(X.columns))
        return self.fit_matrix(dtrain)

    def fit_matrix(self, dtrain: xgb.DMatrix) -> "RiskModel":
        """Fit on a prepared (Quantile)DMatrix with feature names and labels: for callers that
        bin a table once and train several models on parts of it (cross-validation)."""
        y = dtrain.get_label()
        self.feature_names_ = list(dtrain.feature_names)
        self.booster_ = xgb.train(self._params(dtrain.num_row()), dtrain, num_boost_round=self.n_estimators)
        params = {"n_estimators": self.n_estimators, "max_depth": self.max_depth,
                  "learning_rate": self.learning_rate, "seed": self.seed}
        if self.max_bin is not None:
            params["max_bin"] = self.max_bin
        self.metadata_: dict[str, Any] = {
            "syndicate_version": syndicate.__version__,
            "xgboost_version": xgb.__version__,
            "features": self.feature_names_,
            "params": params,
            "n_train": int(len(y)),
            "n_positive": int(np.sum(y)),
        }
        return self

    def _dmatrix(self, X: pl.DataFrame) -> xgb.DMatrix:
        self.booster_.set_param({"nthread": self.n_threads or (1 if X.height < SINGLE_THREAD_ROWS else 2)})
        missing = [f for f in self.feature_names_ if f not in X.columns]
        if missing:
            raise ModelFileError(
                f"the model needs feature(s) the data does not have: {', '.join(missing[:5])}"
            )
        return xgb.DMatrix(_matrix(X.select(self.feature_names_)), feature_names=self.feature_names_)

    def predict_proba(self, X: pl.DataFrame) -> np.ndarray:
        """Probability that each cluster (row of ``X``) is a syndicate."""
        if X.height == 0:  # a run without clusters: XGBoost would warn of an empty dataset
            return np.zeros(0)
        return self.booster_.predict(self._dmatrix(X)).astype(np.float64)

    def predict_matrix(self, data: np.ndarray) -> np.ndarray:
        """:meth:`predict_proba` of a float32 matrix whose columns are ``feature_names_``, in
        place (no DMatrix copy of the rows)."""
        self.booster_.set_param({"nthread": self.n_threads or (1 if len(data) < SINGLE_THREAD_ROWS else 2)})
        return self.booster_.inplace_predict(data, validate_features=False).astype(np.float64)

    def contributions(self, X: pl.DataFrame, *, exact: bool = False) -> np.ndarray:
        """Per-feature contributions (log-odds) with the bias in the last column.

        By default the path-based approximation (Saabas), which orders features like exact
        TreeSHAP for the purpose of reasons at a fraction of the cost (35k clusters: 50 s
        exact vs ~1 s approximate); ``exact=True`` gives TreeSHAP values.
        """
        if X.height == 0:
            return np.zeros((0, X.width + 1))
        return self.booster_.predict(self._dmatrix(X), pred_contribs=True, approx_contribs=not exact)

    def save(self, directory: str | Path, *, extra_metadata: dict[str, Any] | None = None,
             prefix: str = "") -> Path:
        """Write ``{prefix}model.json`` and ``{prefix}metadata.json`` into ``directory``
        (``prefix=ACCOUNT_PREFIX`` for the account model beside the cluster model)."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.booster_.save_model(directory / (prefix + MODEL_FILE))
        metadata = dict(self.metadata_) | (extra_metadata or {})
        (directory / (prefix + METADATA_FILE)).write_text(json.dumps(metadata, indent=2, sort_keys=True, default=str))
        return directory

    @classmethod
    def load(cls, directory: str | Path, *, prefix: str = "") -> "RiskModel":
        directory = Path(directory)
        if directory.is_file() and directory.suffix == ".json":
            directory = directory.parent
        model_path, meta_path = directory / (prefix + MODEL_FILE), directory / (prefix + METADATA_FILE)
        for path in (model_path, meta_path):
            if not path.is_file():
                raise ModelFileError(f"model folder {directory} has no {path.name}")
        try:
            metadata = json.loads(meta_path.read_text())
        except json.JSONDecodeError as exc:
            raise ModelFileError(f"{meta_path} is not valid JSON: {exc}") from None
        if not isinstance(metadata, dict) or not isinstance(metadata.get("features"), list):
            raise ModelFileError(f"{meta_path} has no 'features' list (not a syndicate model folder?)")
        params = metadata.get("params", {})
        model = cls(**{k: params[k] for k in ("n_estimators", "max_depth", "learning_rate", "seed", "max_bin")
                       if k in params})
        booster = xgb.Booster()
        try:
            booster.load_model(model_path)
        except xgb.core.XGBoostError as exc:
            raise ModelFileError(f"{model_path} is not an XGBoost JSON model: {exc}") from None
        model.booster_ = booster
        model.feature_names_ = list(metadata["features"])
        model.metadata_ = metadata
        return model


def load_models(directory: str | Path) -> tuple["RiskModel | None", "RiskModel | None"]:
    """(cluster model, account model) of a model folder; either may be absent, not both."""
    directory = Path(directory)
    if directory.is_file() and directory.suffix == ".json":
        directory = directory.parent
    cluster = RiskModel.load(directory) if (directory / MODEL_FILE).is_file() else None
    account = (RiskModel.load(directory, prefix=ACCOUNT_PREFIX)
               if (directory / (ACCOUNT_PREFIX + MODEL_FILE)).is_file() else None)
    if cluster is None and account is None:
        raise ModelFileError(f"model folder {directory} has no {MODEL_FILE} (cluster model) "
                             f"nor {ACCOUNT_PREFIX + MODEL_FILE} (account model)")
    return cluster, account


def balanced_weights(y: np.ndarray) -> np.ndarray:
    """Row weights that give each class of ``y`` (0 / 1) half the total: bad accounts are a
    few percent of any platform's."""
    y = np.asarray(y)
    pos = max(int(y.sum()), 1)
    return np.where(y == 1, len(y) / (2 * pos), len(y) / (2 * max(len(y) - pos, 1)))


def account_model(config: "RiskConfig", seed: int) -> RiskModel:
    """An unfitted account model with ``config``'s settings, on one thread (fits run
    ``FIT_WORKERS`` at a time)."""
    return RiskModel(n_estimators=config.account_n_estimators, max_depth=config.max_depth,
                     learning_rate=config.account_learning_rate, max_bin=config.account_max_bin,
                     seed=seed, n_threads=1)


def predict_blocks(model: RiskModel, X: pl.DataFrame) -> np.ndarray:
    """``model``'s score of every row of ``X`` (columns its features), ``PREDICT_ROWS`` rows
    at a time: the float32 copy of a block, not of the table."""
    out = np.empty(X.height)
    for lo in range(0, X.height, PREDICT_ROWS):
        out[lo:lo + PREDICT_ROWS] = model.predict_matrix(_matrix(X.slice(lo, PREDICT_ROWS)))
    return out


def _matrix(X: pl.DataFrame) -> np.ndarray:
    """float32 rows for XGBoost; an infinite value (or one beyond float32) is missing, as null is."""
    data = X.select(pl.all().cast(pl.Float32)).to_numpy()
    infinite = np.isinf(data)
    # A new array only then: polars may hand out a read-only view of its own memory.
    return np.where(infinite, np.float32(np.nan), data) if infinite.any() else data
