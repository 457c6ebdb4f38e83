"""Writing a case to disk: CSV, JSON, GraphML, the HTML page, and a zip of the folder."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import polars as pl

from syndicate.cases.case import Case
from syndicate.report.cluster_graph import dominant_kind
from syndicate.spreadsheets import write_safe_csv

# Fixed timestamp for zip entries: the same case gives the same zip bytes.
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)


def _graphml_type(dtype: pl.DataType) -> str:
    if dtype == pl.Boolean:
        return "boolean"
    if dtype.is_integer():
        return "long" if dtype in (pl.Int64, pl.UInt32, pl.UInt64) else "int"
    if dtype == pl.Float32:
        return "float"
    if dtype.is_float():
        return "double"
    return "string"


# Characters XML 1.0 forbids even when escaped (C0 controls but tab, LF, CR; U+FFFE, U+FFFF):
# an id holding one would make a file no parser reads, so it is drawn as U+FFFD.
_XML_INVALID = r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"


def _xml_text(expr: pl.Expr) -> pl.Expr:
    return (expr.str.replace_all(_XML_INVALID, "\ufffd")
            .str.replace_all("&", "&amp;", literal=True).str.replace_all("<", "&lt;", literal=True)
            .str.replace_all(">", "&gt;", literal=True).str.replace_all('"', "&quot;", literal=True)
            # XML parsers turn tabs and line breaks in attribute values into spaces: as references
            # they survive (an id with a tab stays that id).
            .str.replace_all("\t", "&#9;", literal=True).str.replace_all("\n", "&#10;", literal=True)
            .str.replace_all("\r", "&#13;", literal=True))


def _xml_attribute(text: str) -> str:
    """``text`` as the value of a double-quoted XML attribute."""
    return pl.select(_xml_text(pl.lit(str(text)))).item()


def _as_text(name: str, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.Datetime or dtype == pl.Date:
        return pl.col(name).dt.strftime("%Y-%m-%dT%H:%M:%S")
    if dtype == pl.Boolean:
        return pl.when(pl.col(name)).then(pl.lit("true")).otherwise(pl.lit("false"))
    return _xml_text(pl.col(name).cast(pl.String))


def _elements(frame: pl.DataFrame, *, tag: str, ids: list[str], keys: dict[str, str]) -> pl.Series:
    """One XML element per row: ``<node id=..>`` or ``<edge source=.. target=..>`` with a
    ``<data>`` child per non-null attribute (nulls are left out, as GraphML allows).
    ``keys`` maps each attribute column to its key id."""
    if tag == "node":
        opening = pl.concat_str([pl.lit('<node id="'), _xml_text(pl.col(ids[0]).cast(pl.String)), pl.lit('">')])
    else:
        opening = pl.concat_str([pl.lit('<edge source="'), _xml_text(pl.col(ids[0]).cast(pl.String)),
                                 pl.lit('" target="'), _xml_text(pl.col(ids[1]).cast(pl.String)), pl.lit('">')])
    data = [
        pl.when(pl.col(c).is_not_null() & (pl.col(c).is_not_nan() if d.is_float() else pl.lit(True)))
        .then(pl.concat_str([pl.lit(f'<data key="{keys[c]}">'), _as_text(c, d), pl.lit("</data>")]))
        .otherwise(pl.lit(""))
        for c, d in frame.schema.items() if c not in ids
    ]
    return frame.select(
        pl.concat_str([opening, *data, pl.lit(f"</{tag}>")], separator="").alias("xml"))["xml"]


def graphml_tables(case: Case) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Node and edge attribute tables of the case's GraphML.

    Nodes: ``id`` (the account), ``label`` = the account id (Gephi and yEd display a node by its
    ``label``), the member columns, with the 0/1 enforcement label as ``known_label``. Edges:
    the run's edge columns and ``kind``, the strongest evidence kind (``dominant_kind`` when a
    link kind is itself called "kind").
    """
    nodes = (case.members.rename({"label": "known_label"}, strict=False)
             .with_columns(pl.col("account_id").cast(pl.String).alias("label"))
             .rename({"account_id": "id"}))
    nodes = nodes.select("id", "label", pl.exclude("id", "label"))
    kind = "kind" if "kind" not in case.edges.columns else "dominant_kind"
    edges = case.edges.with_columns(dominant_kind(case.edges).alias(kind))
    return nodes, edges


def write_graphml(case: Case, path: Path) -> None:
    """The cluster as GraphML: member attributes on nodes, the run's edge columns and the
    dominant evidence kind on edges. Read by Gephi, yEd, Neo4j (apoc.import.graphml),
    ``networkx.read_graphml`` and igraph.

    Key ids are positional (``n0``, ``e3``: valid XML names whatever the column is called);
    attribute names and values are escaped, so a link kind such as ``wifi&bssid`` or ``a"<b``
    is just a name. Written with polars string expressions rather than
    ``networkx.write_graphml``, which takes about 25 s for a cluster of 2,000 accounts and
    240,000 links (this takes well under 1 s).
    """
    nodes, edges = graphml_tables(case)
    node_keys = {c: f"n{i}" for i, c in enumerate(c for c in nodes.columns if c != "id")}
    edge_keys = {c: f"e{i}" for i, c in enumerate(c for c in edges.columns if c not in ("account_a", "account_b"))}
    graph_data = {"cluster_id": case.cluster_id, "run_id": case.summary["run"]["run_id"],
                  "identifier_values": case.summary["identifier_values"]}
    with path.open("w", encoding="utf-8") as out:
        out.write(GRAPHML_HEAD)
        for i, name in enumerate(graph_data):
            out.write(f'<key id="g{i}" for="graph" attr.name="{name}" attr.type="string"/>\n')
        for target, keys, frame in (("node", node_keys, nodes), ("edge", edge_keys, edges)):
            for name, key in keys.items():
                out.write(f'<key id="{key}" for="{target}" attr.name="{_xml_attribute(name)}" '
                          f'attr.type="{_graphml_type(frame.schema[name])}"/>\n')
        out.write('<graph edgedefault="undirected">\n')
        for i, value in enumerate(graph_data.values()):
            out.write(f'<data key="g{i}">{_xml_attribute(value)}</data>\n')
        for frame, tag, ids, keys in ((nodes, "node", ["id"], node_keys),
                                      (edges, "edge", ["account_a", "account_b"], edge_keys)):
            if frame.height:
                out.write("\n".join(_elements(frame, tag=tag, ids=ids, keys=keys).to_list()))
                out.write("\n")
        out.write("</graph>\n</graphml>\n")


def write_case(case: Case, folder: Path, *, max_nodes: int = 150, seed: int = 0) -> Path:
    """Write every file of a case into ``folder`` (created; must not exist)."""
    from syndicate.cases.html import case_page

    folder.mkdir(parents=True)
    # Investigators open these in spreadsheets: formula-like cells are neutralised (OWASP).
    write_safe_csv(case.members, folder / "members.csv")
    write_safe_csv(case.edges, folder / "edges.csv")
    if case.evidence is not None:
        write_safe_csv(case.evidence.rows, folder / "evidence.csv")
        write_safe_csv(case.evidence.units, folder / "identifiers.csv")
    if case.events is not None:
        write_safe_csv(case.events, folder / "events.csv")
    (folder / "summary.json").write_text(json.dumps(case.summary, indent=2, sort_keys=False, default=str) + "\n")
    write_graphml(case, folder / "graph.graphml")
    (folder / "case.html").write_text(case_page(case, max_nodes=max_nodes, seed=seed), encoding="utf-8")
    return folder


def zip_folder(folder: Path, zip_path: Path) -> Path:
    """Zip ``folder`` (entries under ``folder.name/``) with fixed timestamps."""
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}", _ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())
    return zip_path


__all__ = ["write_case", "zip_folder", "write_graphml"]
