"""How much memory a local Spark JVM that syndicate starts gets (no Java needed: the decision
alone; tests/test_spark_engine.py checks a real JVM got it)."""

from __future__ import annotations

from syndicate.engines.spark.session import local_driver_memory

GB = 2**30


def test_a_local_jvm_gets_half_the_machine_unless_the_user_said_otherwise(tmp_path):
    assert local_driver_memory("", {}, {}, 23 * GB) == "11g"  # pyspark's default master: local[*]
    assert local_driver_memory("local[2]", {}, {}, 8 * GB) == "4g"
    # The user's own setting, wherever it is, stands.
    assert local_driver_memory("local[2]", {"spark.driver.memory": "2g"}, {}, 23 * GB) is None
    assert local_driver_memory("", {}, {"PYSPARK_SUBMIT_ARGS": "--driver-memory 6g pyspark-shell"}, 23 * GB) is None
    assert local_driver_memory("", {}, {"SPARK_DRIVER_MEMORY": "6g"}, 23 * GB) is None
    (tmp_path / "spark-defaults.conf").write_text("spark.executor.cores 2\nspark.driver.memory   5g\n")
    assert local_driver_memory("", {}, {"SPARK_CONF_DIR": str(tmp_path)}, 23 * GB) is None
    (tmp_path / "spark-defaults.conf").write_text("spark.executor.cores 2\n")
    assert local_driver_memory("", {}, {"SPARK_CONF_DIR": str(tmp_path)}, 23 * GB) == "11g"
    # A cluster's master, a JVM spark-submit already started, a small or unknown machine: Spark's own.
    assert local_driver_memory("yarn", {}, {}, 23 * GB) is None
    assert local_driver_memory("spark://head:7077", {}, {}, 23 * GB) is None
    assert local_driver_memory("", {}, {"PYSPARK_GATEWAY_PORT": "41234"}, 23 * GB) is None
    assert local_driver_memory("", {}, {}, 3 * GB) is None
    assert local_driver_memory("", {}, {}, None) is None
