"""The dependency graph of the conclusion: the equations it rests on and the edges
between them, one layout, and three drawings (Mermaid, TikZ, SVG) that each hold
every node, coloured by its verdict."""

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from derive.report.graph import (COLOURS, Edge, _layout, _mermaid_text, dependency_graph,
                                 mermaid, svg, tikz)
from derive.report.render import render_latex, render_markdown

#: What (17) rests on, through premises, and the erratum whose correction it uses.
MSE_NODES = {"1", "2", "3", "4", "5", "6'", "7'", "8'", "8", "9", "10", "11", "12", "13",
             "14", "15", "16", "17"}
#: A folder node_modules with the npm packages mermaid and jsdom, for the real parser.
MERMAID_MODULES = os.environ.get("DERIVE_MERMAID_MODULES", "")


def test_why_mse_graph_holds_what_the_conclusion_rests_on(mse_result):
    graph = dependency_graph(mse_result)
    assert {n.tag for n in graph.nodes} == MSE_NODES   # not (6) or (7): nothing uses them
    edges = {(e.source, e.target) for e in graph.edges if not e.corrects}
    assert {("16", "17"), ("2", "16"), ("15", "16"), ("14", "15"), ("13", "14"),
            ("3", "14"), ("4", "14"), ("8'", "13"), ("11", "13"), ("12", "13"),
            ("7'", "8'"), ("6'", "7'"), ("5", "6'"), ("1", "2")} <= edges
    for e in graph.edges:
        if not e.corrects:
            assert e.source in mse_result.document.step(e.target).premises
    assert [(e.source, e.target) for e in graph.edges if e.corrects] == [("8", "8'")]


def test_nodes_carry_their_verdict_and_role(mse_result):
    graph = dependency_graph(mse_result)
    for n in graph.nodes:
        assert n.mark == mse_result.result(n.tag).mark
    assert graph.node("8").role == "erratum" and graph.node("8").colour == "ExpectedColor"
    assert graph.node("17").role == "conclusion"
    assert graph.node("7'").role == "correction"
    assert graph.node("9").colour == "NumericColor" and graph.node("1").colour == "AssumedColor"
    assert [words for _, words in graph.legend] == [
        "proved", "checked numerically", "assumed", "erratum"]


def test_layout_is_layered(mse_result):
    """Every edge goes down the ranks and bends once in each rank it crosses, at a place
    of its own; the conclusion is alone at the bottom."""
    graph = dependency_graph(mse_result)
    rank = {n.tag: n.rank for n in graph.nodes}
    taken = {(n.rank, n.x) for n in graph.nodes}
    for e in graph.edges:
        assert rank[e.target] > rank[e.source]
        assert [r for _, r in e.via] == list(range(rank[e.source] + 1, rank[e.target]))
        for x, r in e.via:
            assert (r, x) not in taken
            taken.add((r, x))
    assert graph.ranks[-1] == [graph.node("17")]
    assert rank["2"] == rank["16"] - 1   # a premise drawn just above where it is used
    assert dependency_graph(mse_result) == graph   # deterministic


def test_barycentre_removes_a_crossing():
    """In the article's order (c before d) the edges a->d and b->c cross; reordered, not."""
    place, _ = _layout(["a", "b", "c", "d"], [Edge("a", "d"), Edge("b", "c")])
    assert place["a"][:2] == (0, 0) and place["b"][:2] == (0, 1)
    assert place["d"][:2] == (1, 0) and place["c"][:2] == (1, 1)


def test_mermaid_structure(mse_result):
    graph = dependency_graph(mse_result)
    text = mermaid(graph)
    lines = text.splitlines()
    assert lines[0] == "```mermaid" and lines[1] == "flowchart TB" and lines[-1] == "```"
    declared = {node: tag for node, tag, _ in
                re.findall(r'^  (n\d+)\["\(([^"]*)\)"\]:::(\w+)$', text, re.M)}
    assert sorted(declared.values()) == sorted(MSE_NODES)
    ids = {tag: node for node, tag in declared.items()}
    assert f"  {ids['16']} --> {ids['17']}" in lines
    corrected = ids["8'"]
    assert f"  {ids['8']} -.-> {corrected}" in lines
    assert f"  style {ids['8']} stroke:#000000,stroke-width:2px,stroke-dasharray:5 3" in lines
    # the nodes are declared rank by rank, in the layout's order, which Mermaid follows
    assert list(ids) == [n.tag for rank in graph.ranks for n in rank]
    for name in ("proved", "numeric", "assumed", "expected"):
        assert f"classDef {name} fill:#" in text
    classes = dict(re.findall(r'^  n\d+\["\(([^"]*)\)"\]:::(\w+)$', text, re.M))
    assert classes["17"] == "proved" and classes["9"] == "numeric" and classes["8"] == "expected"


def test_mermaid_labels_are_quoted_and_escaped():
    assert _mermaid_text("8'") == "8'"
    escaped = _mermaid_text('a"]b<c>%%{init}')
    assert not set(escaped) & set('"[]<>%{}')
    assert escaped.startswith("a#34;#93;b#60;c#62;")


@pytest.mark.skipif(not MERMAID_MODULES or shutil.which("node") is None,
                    reason="set DERIVE_MERMAID_MODULES to a node_modules folder with the "
                           "npm packages mermaid and jsdom to check with Mermaid's parser")
def test_mermaid_parses_with_mermaids_own_parser(mse_result, tmp_path):
    script = tmp_path / "parse.mjs"
    script.write_text(MERMAID_PARSE)
    body = "\n".join(mermaid(dependency_graph(mse_result)).splitlines()[1:-1])
    for text, ok in ((body, True), (body.replace('"]', "", 1), False)):
        done = subprocess.run(["node", str(script), MERMAID_MODULES], input=text,
                              capture_output=True, text=True, timeout=300)
        assert (done.returncode == 0) is ok, done.stdout + done.stderr


MERMAID_PARSE = """
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";
const modules = process.argv[2];
const { JSDOM } = createRequire(modules + "/")("jsdom");
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window; globalThis.document = dom.window.document;
const pkg = JSON.parse(readFileSync(modules + "/mermaid/package.json", "utf8"));
const { default: mermaid } = await import(pathToFileURL(modules + "/mermaid/" + pkg.module).href);
try { await mermaid.parse(readFileSync(0, "utf8")); console.log("OK"); }
catch (e) { console.log("ERROR " + e.message); process.exit(1); }
"""


def test_tikz_has_every_node_at_its_place(mse_result):
    graph = dependency_graph(mse_result)
    text = tikz(graph)
    assert text.startswith(r"\begin{tikzpicture}") and text.rstrip().endswith(r"\end{tikzpicture}")
    nodes = re.findall(r"\\node\[eq,fill=(\w+)[^\]]*\] \((n\d+)\) at \(([-\d.]+),([-\d.]+)\) "
                       r"\{\((.*?)\)\};", text)
    assert {tag.replace(r"\ensuremath{'}", "'") for *_, tag in nodes} == MSE_NODES
    for colour, _, x, y, tag in nodes:
        n = graph.node(tag.replace(r"\ensuremath{'}", "'"))
        assert colour == n.colour and (float(x), float(y)) == (round(n.x, 2), float(n.rank))
    assert text.count(r"\draw[") == len(graph.edges)
    assert "%" not in text and "#" not in text


def test_svg_parses_with_every_node(mse_result):
    graph = dependency_graph(mse_result)
    root = ET.fromstring(svg(graph))
    ns = {"s": "http://www.w3.org/2000/svg"}
    groups = root.findall("s:g", ns)
    assert {g.get("data-tag") for g in groups} == MSE_NODES
    for g in groups:
        n = graph.node(g.get("data-tag"))
        assert g.find("s:rect", ns).get("fill") == "#" + COLOURS[n.colour]
        assert g.find("s:text", ns).text == f"({n.tag})"
    assert len(root.findall("s:polyline", ns)) == len(graph.edges)


def test_reports_show_the_graph_in_the_conclusion(mse_result):
    markdown = render_markdown(mse_result, labels="en", today="2026-01-01")
    section = markdown[markdown.index("## Verification"):]
    assert "### How the conclusion is reached" in section and "```mermaid" in section
    latex = render_latex(mse_result, labels="en", today="2026-01-01")
    section = latex[latex.index(r"\section*{Verification}"):]
    assert r"\subsection*{How the conclusion is reached}" in section
    assert r"\begin{tikzpicture}" in section and r"\usepackage{tikz}" in latex


def test_points_keep_their_order_a_unit_apart():
    from derive.report.graph import _pack
    assert _pack([0.0, 0.0, 0.0]) == [-1.0, 0.0, 1.0]   # as near 0 as a unit gap allows
    assert _pack([0.0, 5.0]) == [0.0, 5.0]              # already apart: where wanted
    assert _pack([3.0, 0.0]) == [1.0, 2.0]              # the order kept


def test_svg_is_wide_enough_for_its_legend(mse_result):
    root = ET.fromstring(svg(dependency_graph(mse_result)))
    width = float(root.get("width"))
    ns = {"s": "http://www.w3.org/2000/svg"}
    words = [t for t in root.findall("s:text", ns)]
    assert words and all(float(t.get("x")) + 7 * len(t.text) <= width for t in words)
