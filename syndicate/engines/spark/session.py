"""The Spark session: found or started once, with settings that keep answers exact.

pyspark and Java are optional: they are imported or looked for only here, and their absence
is an :class:`EngineUnavailableError` that says how to install them (the CLI turns it into a
message and exit code 2).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Mapping
from typing import Any

# Settings every syndicate session gets (the user's [engine.conf] may override the last three).
# UTC so that timestamps (naive = UTC in the contract) are bucketed the same as in polars;
# ANSI off so that 64-bit multiplication wraps like numpy's uint64 in the crowded-burst hash.
REQUIRED_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.ansi.enabled": "false",
}
# Local runs on small machines: few shuffle partitions (the default 200 costs seconds of
# scheduling for tables of a few million rows), adaptive execution on, no UI port.
DEFAULT_CONF = {
    "spark.sql.shuffle.partitions": "8",
    "spark.sql.adaptive.enabled": "true",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
}


# In local mode the JVM is the whole cluster, and Spark gives it 1 GB unless told otherwise: a
# run of the tenth marketplace at 100k accounts / 5.8M events failed with that after 277 s, one
# of 1M accounts after ~25 minutes (both ran with 6-8 GB). A JVM that syndicate starts itself in
# local mode gets this share of the machine's memory (or of its cgroup's limit) unless the user
# set the driver's memory somewhere: the rest is for the Python driver, which holds the
# accounts-sized tables and the reachable accounts' edges (2.3 GB at 1M accounts), and the OS.
LOCAL_JVM_MEMORY_SHARE = 0.5


def machine_memory_bytes() -> int | None:
    """Physical memory, or the cgroup's limit when lower (a container); None when unknown."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            with open(path) as handle:
                limit = handle.read().strip()
        except OSError:
            continue
        if limit.isdigit():
            total = min(total, int(limit))
    return total


def local_driver_memory(master: str, conf: Mapping[str, str], env: Mapping[str, str],
                        total_bytes: int | None) -> str | None:
    """``spark.driver.memory`` for a JVM syndicate starts in local mode (``"11g"``), or None to
    leave Spark's own: on a cluster master, under ``spark-submit`` (its JVM is already running:
    ``PYSPARK_GATEWAY_PORT``), when the user set the driver's memory (``[engine.conf]``,
    ``PYSPARK_SUBMIT_ARGS --driver-memory``, ``SPARK_DRIVER_MEMORY``, spark-defaults.conf), or
    when the share would not beat Spark's 1 GB."""
    if master and not master.startswith("local"):
        return None
    if "PYSPARK_GATEWAY_PORT" in env or "spark.driver.memory" in conf or env.get("SPARK_DRIVER_MEMORY"):
        return None
    if "--driver-memory" in env.get("PYSPARK_SUBMIT_ARGS", ""):
        return None
    conf_dir = env.get("SPARK_CONF_DIR") or (os.path.join(env["SPARK_HOME"], "conf") if env.get("SPARK_HOME") else None)
    if conf_dir:
        try:
            with open(os.path.join(conf_dir, "spark-defaults.conf")) as handle:
                if any(line.split()[:1] == ["spark.driver.memory"] for line in handle):
                    return None
        except OSError:
            pass
    if not total_bytes:
        return None
    gigabytes = int(total_bytes * LOCAL_JVM_MEMORY_SHARE // 2**30)
    return f"{gigabytes}g" if gigabytes > 1 else None


class EngineUnavailableError(RuntimeError):
    """The Spark engine was asked for and pyspark or Java is missing."""


# How Spark names running out of memory: the JVM's own error, and Spark's error classes for
# aggregation, sort and broadcast memory (SQLSTATE 82001).
_MEMORY_ERRORS = ("OutOfMemoryError", "OUT_OF_MEMORY", "SQLSTATE: 82001", "java heap space")


def spark_memory_advice(exc: BaseException) -> str | None:
    """What to do when ``exc`` is Spark (py4j / pyspark) running out of memory, else None.

    In local mode the JVM is the whole cluster and Spark's default gives it 1 GB: a run of a
    million accounts fails in an aggregation after ~25 minutes (measured; a JVM syndicate starts
    gets :data:`LOCAL_JVM_MEMORY_SHARE` of the machine now). The message names
    Spark's error class only, never the Java message's text (it may quote data)."""
    if not type(exc).__module__.startswith(("py4j", "pyspark")):
        return None
    text = str(exc)
    hit = next((m for m in _MEMORY_ERRORS if m.lower() in text.lower()), None)
    if hit is None:
        return None
    # Spark's error class ("[AGGREGATE_OUT_OF_MEMORY]") when it names one, else the marker found.
    kind = next((word.strip("[]") for word in text.split() if word.startswith("[") and word.endswith("]")
                 and "MEMORY" in word), hit)
    return (f"Spark ran out of memory ({kind}). In local mode the JVM is the whole cluster: "
            "syndicate gives a JVM it starts half of the machine's memory, Spark 1 GB when it "
            "was started otherwise; start it with more, e.g. "
            "PYSPARK_SUBMIT_ARGS=\"--driver-memory 8g pyspark-shell\" (8 GB ran 1M accounts / 21M "
            "events), or \"spark.driver.memory\" under [engine.conf] of the config; on a cluster, "
            "raise spark.executor.memory or spark.sql.shuffle.partitions.")


def require_pyspark() -> Any:
    """Import pyspark or raise :class:`EngineUnavailableError` saying how to install it."""
    try:
        import pyspark
    except ImportError:
        raise EngineUnavailableError(
            "the Spark engine needs pyspark, which is not installed. Install it with "
            "pip install 'syndicate[spark]' (or pip install 'pyspark>=3.5'), or run with "
            "--engine polars.") from None
    return pyspark


def java_available() -> bool:
    """A Java runtime Spark can start: JAVA_HOME/bin/java or java on the PATH."""
    home = os.environ.get("JAVA_HOME")
    if home and os.access(os.path.join(home, "bin", "java"), os.X_OK):
        return True
    return shutil.which("java") is not None


def require_java() -> None:
    if not java_available():
        raise EngineUnavailableError(
            "the Spark engine needs a Java runtime (Java 17 or 21) and none was found: install one "
            "(e.g. apt-get install openjdk-17-jre-headless) and put java on the PATH or set "
            "JAVA_HOME, or run with --engine polars.")


def spark_session(master: str = "", conf: Mapping[str, str] | None = None, *,
                  app_name: str = "syndicate") -> tuple[Any, float]:
    """The active Spark session (spark-submit, Databricks, a notebook) or a new one.

    Returns the session and the seconds it took to get it (JVM start-up on a new one).
    ``master`` empty: the launcher's master, else ``local[*]``.
    """
    require_pyspark()
    from pyspark.sql import SparkSession

    started = time.perf_counter()
    active = SparkSession.getActiveSession()
    if active is None:
        require_java()
        builder = SparkSession.builder.appName(app_name)
        if master:  # else spark-submit's --master, or pyspark's default local[*]
            builder = builder.master(master)
        memory = local_driver_memory(master, dict(conf or {}), os.environ, machine_memory_bytes())
        local = {"spark.driver.memory": memory} if memory else {}
        for key, value in {**DEFAULT_CONF, **local, **dict(conf or {}), **REQUIRED_CONF}.items():
            builder = builder.config(key, value)
        try:
            active = builder.getOrCreate()
        except Exception as exc:  # the JVM did not start: wrong Java, no memory, bad conf
            raise EngineUnavailableError(f"Spark did not start: {str(exc).splitlines()[0]}") from None
        active.sparkContext.setLogLevel("ERROR")
    else:
        for key, value in {**dict(conf or {}), **REQUIRED_CONF}.items():
            try:
                active.conf.set(key, value)
            except Exception:  # static settings of a running session cannot change
                pass
    return active, time.perf_counter() - started
