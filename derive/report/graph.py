"""The dependency graph of the conclusion: which equations it rests on, each coloured by
its verdict, drawn the same way in Mermaid (Markdown), TikZ (PDF) and SVG (HTML).

The layout is computed here, once, so that the three drawings agree (Sugiyama's
layered drawing, kept small): each equation's rank is the longest path to it from the
equations that rest on nothing, an equation used only later then moved down to just
above its first use; an edge across several ranks gets a waypoint in each; the order
within a rank starts from the article's order and is improved by the barycentre
heuristic, keeping whichever order crosses fewest edges; and the points are placed
across as near their neighbours as their order allows, so long edges run straight.
Mermaid lays out a flowchart itself; it is given the nodes rank by rank in that order.

Only tags (letters, digits and ``' . - *``, as the loader allows) and fixed names from
this module reach the drawings, and each is escaped for its output all the same.

>>> graph = dependency_graph(result)                     # doctest: +SKIP
>>> print(mermaid(graph).splitlines()[1])                # doctest: +SKIP
flowchart TB
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable
from xml.sax.saxutils import escape as xml_escape

from markupsafe import Markup

from derive.check.verdict import DerivationResult
from derive.document.model import rested_on
from derive.report.diff import counterpart
from derive.report.filters import MARKS, tex_escape, tex_tag, verdict_words
from derive.report.i18n import N_

#: The verdict colours of the LaTeX preamble (templates/article.tex.j2).
COLOURS = {
    "ProvedColor": "1A7F37",
    "NumericColor": "0969DA",
    "AssumedColor": "6E7781",
    "FailedColor": "CF222E",
    "ExpectedColor": "BC4C00",
    "UndecidedColor": "8250DF",
}
#: How many times the barycentre heuristic sweeps down and up the ranks.
SWEEPS = 4


@dataclass(frozen=True)
class Node:
    """One equation of the graph: its tag, verdict, role, and place in the layout.

    ``role`` is ``conclusion``, ``erratum`` (kept as printed, not rested on),
    ``correction`` (a step that corrects an erratum) or ``step``."""

    tag: str
    mark: str
    role: str
    rank: int
    order: int
    x: float = 0.0   # across, in units of the spacing between neighbours

    @property
    def colour(self) -> str:
        """The LaTeX colour name of the node's verdict."""
        return MARKS.get(self.mark, ("", "", "UndecidedColor"))[2]

    @property
    def css_class(self) -> str:
        """The node's verdict as a class name: ``ProvedColor`` -> ``proved``."""
        return self.colour.removesuffix("Color").lower()


@dataclass(frozen=True)
class Edge:
    """``source`` -> ``target``: ``target`` rests on ``source``, or (``corrects``)
    ``target`` corrects the erratum ``source``; an edge across several ranks bends at
    ``via``, one point in each rank between, where the layout kept room for it."""

    source: str
    target: str
    corrects: bool = False
    via: tuple[tuple[float, float], ...] = ()   # (x, rank) of the bends in between


@dataclass(frozen=True)
class Graph:
    """What the conclusion rests on, laid out: nodes by rank and order, and edges."""

    conclusion: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    #: Translates the legend's words into the report's language.
    gettext: Callable[[str], str] = str

    def node(self, tag: str) -> Node:
        return next(n for n in self.nodes if n.tag == tag)

    @property
    def ranks(self) -> list[list[Node]]:
        """The nodes rank by rank, each rank in its order."""
        count = 1 + max((n.rank for n in self.nodes), default=-1)
        return [sorted((n for n in self.nodes if n.rank == r), key=lambda n: n.order)
                for r in range(count)]

    @property
    def legend(self) -> list[tuple[str, str]]:
        """The verdicts the graph shows, as (colour name, words), in the badges' order."""
        shown = {n.mark for n in self.nodes}
        return [(MARKS[m][2], self.gettext(verdict_words(m))) for m in MARKS if m in shown] + \
               [("UndecidedColor", self.gettext(verdict_words(m)))
                for m in sorted(shown - set(MARKS))]


#: The title of the graph's legend.
LEGEND_TITLE = N_("verdicts")


# -- which equations ----------------------------------------------------------------

def _rested_on(result: DerivationResult) -> list[str]:
    """The conclusion and every step it rests on, through premises, in the file's order."""
    wanted = rested_on([result.conclusion], {r.step.tag: r.step for r in result.steps})
    return [r.step.tag for r in result.steps if r.step.tag in wanted]


def _edges(result: DerivationResult, tags: list[str]) -> list[Edge]:
    """Premise -> step for the steps shown; erratum -> correction, for each erratum whose
    correction is shown (to the corrections that redo the erratum itself, if any)."""
    steps = {r.step.tag: r.step for r in result.steps}
    shown = set(tags)
    edges = [Edge(p, t) for t in tags for p in steps[t].premises if p in shown]
    for tag in tags:
        erratum = steps[tag].corrects
        if erratum in steps and steps[erratum].expect_failure is not None:
            corrections = [t for t in tags if steps[t].corrects == erratum]
            redo = [t for t in corrections
                    if counterpart(steps[t], result.document, erratum).tag == erratum]
            if tag in (redo or corrections):
                edges.append(Edge(erratum, tag, corrects=True))
    return edges


def _role(result: DerivationResult, tag: str) -> str:
    """What an equation is to the graph: the conclusion, an erratum, a correction, a step."""
    step = result.result(tag).step
    if tag == result.conclusion:
        return "conclusion"
    if step.expect_failure is not None:
        return "erratum"
    return "correction" if step.corrects else "step"


# -- the layout ------------------------------------------------------------------------

def _ranks(tags: list[str], edges: list[Edge]) -> dict[str, int]:
    """Each node's rank: the longest path to it from a node with no incoming edge; then
    each node with successors moved down to just above the nearest of them, so that an
    equation used late (a definition, a given) is drawn where it is used."""
    incoming = {t: [e.source for e in edges if e.target == t] for t in tags}
    outgoing = {t: [e.target for e in edges if e.source == t] for t in tags}
    rank: dict[str, int] = {}

    def visit(tag: str, path: frozenset) -> int:
        if tag not in rank:
            if tag in path:   # premises are earlier steps, so this cannot happen
                raise ValueError(f"cycle through ({tag})")
            rank[tag] = 1 + max((visit(s, path | {tag}) for s in incoming[tag]), default=-1)
        return rank[tag]
    for tag in tags:
        visit(tag, frozenset())
    for tag in sorted(tags, key=lambda t: -rank[t]):   # successors first
        if outgoing[tag]:
            rank[tag] = min(rank[t] for t in outgoing[tag]) - 1
    return rank


def _chains(edges: list[Edge], rank: dict[str, int]) -> list[list[str]]:
    """Each edge as the chain of points it passes, one per rank: its ends, and between
    them waypoints named ``:edge:rank`` (no tag holds a colon)."""
    return [[e.source] + [f":{i}:{r}" for r in range(rank[e.source] + 1, rank[e.target])]
            + [e.target] for i, e in enumerate(edges)]


def _crossings(layers: list[list[str]], links: list[tuple[str, str]]) -> int:
    """How many pairs of links between the same two neighbouring ranks cross."""
    place = {p: (r, i) for r, layer in enumerate(layers) for i, p in enumerate(layer)}
    by_rank: dict[int, list[tuple[int, int]]] = {}
    for a, b in links:
        by_rank.setdefault(place[a][0], []).append((place[a][1], place[b][1]))
    count = 0
    for pairs in by_rank.values():
        for i, (a, b) in enumerate(pairs):
            count += sum(1 for c, d in pairs[i + 1:] if (a - c) * (b - d) < 0)
    return count


def _sweep(layers: list[list[str]], links: list[tuple[str, str]], downward: bool,
           first: dict[str, int]) -> list[list[str]]:
    """One pass of the barycentre heuristic: each rank ordered by the mean place of its
    neighbours in the rank before it (above going down, below going up)."""
    layers = [list(layer) for layer in layers]
    near: dict[str, list[str]] = {}
    for a, b in links:
        near.setdefault(b if downward else a, []).append(a if downward else b)
    order = range(1, len(layers)) if downward else range(len(layers) - 2, -1, -1)
    for r in order:
        before = layers[r - 1] if downward else layers[r + 1]
        place = {p: i - (len(before) - 1) / 2 for i, p in enumerate(before)}
        own = {p: i - (len(layers[r]) - 1) / 2 for i, p in enumerate(layers[r])}

        def centre(point: str) -> float:
            places = [place[n] for n in near.get(point, ()) if n in place]
            return sum(places) / len(places) if places else own[point]
        layers[r].sort(key=lambda p: (centre(p), first[p]))
    return layers


def _layout(tags: list[str], edges: list[Edge]) -> tuple[dict, list]:
    """Where each point goes: (rank, order, x) of every node and waypoint, ranks by
    :func:`_ranks`, orders by the article's order improved by barycentre sweeps (the
    fewest crossings win, the earliest on a tie); and the chain of each edge."""
    rank = _ranks(tags, edges)
    chains = _chains(edges, rank)
    for chain in chains:
        for r, point in enumerate(chain[1:-1], start=rank[chain[0]] + 1):
            rank[point] = r
    index = {t: i for i, t in enumerate(tags)}
    first = {p: (index[p] if p in index else index[chains[int(p.split(":")[1])][0]] + 0.5)
             for p in rank}
    layers = [sorted((p for p in rank if rank[p] == r), key=lambda p: first[p])
              for r in range(1 + max(rank.values()))]
    links = [(a, b) for chain in chains for a, b in zip(chain, chain[1:])]
    best, fewest = layers, _crossings(layers, links)
    for sweep in range(2 * SWEEPS):
        layers = _sweep(layers, links, sweep % 2 == 0, first)
        crossings = _crossings(layers, links)
        if crossings < fewest:
            best, fewest = layers, crossings
    x = _coordinates(best, links)
    place = {p: (r, i, x[p]) for r, layer in enumerate(best) for i, p in enumerate(layer)}
    return place, chains


def _coordinates(layers: list[list[str]], links: list[tuple[str, str]]) -> dict[str, float]:
    """Where each point goes across: each rank in turn, going down and up, as near the
    mean of its neighbours in the rank before as its order and a unit gap allow, so that
    long edges run straight; the leftmost point at 0."""
    widest = max(len(layer) for layer in layers)
    x = {p: i + (widest - len(layer)) / 2 for layer in layers for i, p in enumerate(layer)}
    for sweep in range(2 * SWEEPS):
        downward = sweep % 2 == 0
        near: dict[str, list[str]] = {}
        for a, b in links:
            near.setdefault(b if downward else a, []).append(a if downward else b)
        for layer in (layers[1:] if downward else layers[-2::-1]):
            wanted = [sum(x[n] for n in near[p]) / len(near[p]) if p in near else x[p]
                      for p in layer]
            x.update(zip(layer, _pack(wanted)))
    left = min(x.values())
    return {p: round(v - left, 2) for p, v in x.items()}


def _pack(wanted: list[float]) -> list[float]:
    """The positions nearest ``wanted`` (least squares) that keep their order at least a
    unit apart: pool adjacent violators on ``wanted[i] - i``."""
    blocks: list[list[float]] = []   # [mean, count]
    for i, w in enumerate(wanted):
        blocks.append([w - i, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            (m1, c1), (m2, c2) = blocks.pop(-2), blocks.pop()
            blocks.append([(m1 * c1 + m2 * c2) / (c1 + c2), c1 + c2])
    levels = [m for m, c in blocks for _ in range(c)]
    return [level + i for i, level in enumerate(levels)]


def dependency_graph(result: DerivationResult) -> Graph:
    """The equations the conclusion rests on, the errata their corrections replace, and
    the edges between them, laid out in ranks."""
    tags = _rested_on(result)
    steps = {r.step.tag: r.step for r in result.steps}
    errata = [e for t in tags if (e := steps[t].corrects) in steps and e not in tags
              and steps[e].expect_failure is not None]
    tags = [r.step.tag for r in result.steps if r.step.tag in set(tags) | set(errata)]
    if not tags:
        return Graph(result.conclusion, (), ())
    edges = _edges(result, tags)
    place, chains = _layout(tags, edges)
    nodes = tuple(Node(t, result.result(t).mark, _role(result, t), *place[t]) for t in tags)
    edges = [Edge(e.source, e.target, e.corrects,
                  tuple((place[p][2], float(place[p][0])) for p in chain[1:-1]))
             for e, chain in zip(edges, chains)]
    return Graph(result.conclusion, nodes, tuple(edges))


# -- Mermaid -------------------------------------------------------------------------

def _mermaid_text(text: str) -> str:
    """Text for a quoted Mermaid label: anything but letters, digits and plain
    punctuation as an entity code (``#34;``), so no quote or markup gets in."""
    return re.sub(r"[^A-Za-z0-9 ().,'*+-]", lambda m: f"#{ord(m.group(0))};", text)


def _ids(graph: Graph) -> dict[str, str]:
    return {n.tag: f"n{i}" for i, n in enumerate(graph.nodes)}


def mermaid(graph: Graph) -> str:
    """The graph as a fenced Mermaid flowchart for GitHub: nodes rank by rank, each with
    its verdict's class; an erratum dashed, the conclusion bold; a legend beside."""
    ids = _ids(graph)
    lines = ["```mermaid", "flowchart TB"]
    for colour, hex_ in COLOURS.items():
        name = colour.removesuffix("Color").lower()
        lines.append(f"  classDef {name} fill:#{hex_},stroke:#{hex_},color:#ffffff")
    for layer in graph.ranks:
        for n in layer:
            lines.append(f'  {ids[n.tag]}["({_mermaid_text(n.tag)})"]:::{n.css_class}')
    for e in graph.edges:
        arrow = "-.->" if e.corrects else "-->"
        lines.append(f"  {ids[e.source]} {arrow} {ids[e.target]}")
    for n in graph.nodes:
        if n.role == "erratum":
            lines.append(f"  style {ids[n.tag]} stroke:#000000,stroke-width:2px,"
                         "stroke-dasharray:5 3")
        elif n.role == "conclusion":
            lines.append(f"  style {ids[n.tag]} stroke:#000000,stroke-width:3px")
    if graph.legend:
        lines.append(f'  subgraph legend["{_mermaid_text(graph.gettext(LEGEND_TITLE))}"]')
        for i, (colour, words) in enumerate(graph.legend):
            name = colour.removesuffix("Color").lower()
            lines.append(f'    legend{i}["{_mermaid_text(words)}"]:::{name}')
        lines.append("  end")
    lines.append("```")
    return "\n".join(lines) + "\n"


# -- TikZ ----------------------------------------------------------------------------

#: Centimetres between ranks and between neighbours in a rank.
TIKZ_RANK, TIKZ_ORDER = 0.95, 1.5


def _place(graph: Graph) -> dict[str, tuple[float, float]]:
    """Each node's centre in units of the spacing: x across, y its rank."""
    return {n.tag: (n.x, float(n.rank)) for n in graph.nodes}


def tikz(graph: Graph) -> str:
    """The graph as a tikzpicture with the layout's coordinates; tags through
    :func:`tex_tag`, colours the preamble's names."""
    place = _place(graph)
    ids = _ids(graph)
    out = [r"\begin{tikzpicture}[x=%.2fcm,y=-%.2fcm," % (TIKZ_ORDER, TIKZ_RANK),
           r"  eq/.style={rounded corners=2pt,inner sep=3pt,text=white,font=\small\sffamily},",
           r"  rests/.style={->,>=stealth,thick,rounded corners=8pt,draw=NoteColor},",
           r"  fixes/.style={->,>=stealth,thick,rounded corners=8pt,dashed,draw=ExpectedColor}]"]
    for n in graph.nodes:
        x, y = place[n.tag]
        extra = {"erratum": ",draw=black,dashed,thick", "conclusion": ",draw=black,very thick"}
        out.append(rf"\node[eq,fill={n.colour}{extra.get(n.role, '')}] ({ids[n.tag]}) "
                   rf"at ({x:.2f},{y:.2f}) {{({tex_tag(n.tag)})}};")
    for e in graph.edges:
        style = "fixes" if e.corrects else "rests"
        bends = "".join(f" -- ({x:.2f},{y:.2f})" for x, y in e.via)
        out.append(rf"\draw[{style}] ({ids[e.source]}){bends} -- ({ids[e.target]});")
    if graph.legend:   # above the nodes, so that no verdict's words follow a tag
        left = min(x for x, _ in place.values())
        items = [rf"\textcolor{{{c}}}{{\rule{{0.8em}}{{0.8em}}}}\ {tex_escape(w)}"
                 for c, w in graph.legend]
        out.append(rf"\node[anchor=west,font=\footnotesize] at ({left - 0.3:.2f},-1.00) "
                   "{" + r"\quad ".join(items) + "};")
    out.append(r"\end{tikzpicture}")
    return "\n".join(out) + "\n"


# -- SVG -----------------------------------------------------------------------------

#: Pixels: node size, spacing between ranks and neighbours, margin, the legend's height.
SVG_NODE_W, SVG_NODE_H, SVG_RANK, SVG_ORDER, SVG_MARGIN, SVG_LEGEND = 56, 24, 48, 76, 12, 28


def _legend_step(words: str) -> int:
    """Pixels from one legend entry to the next: the square, a gap, the words."""
    return 24 + 7 * len(words)


def _svg_point(graph: Graph, point: tuple[float, float], left: float) -> tuple[float, float]:
    """A point of the layout (x, rank) in the SVG's pixels."""
    x, y = point
    top = SVG_MARGIN + (SVG_LEGEND if graph.legend else 0)
    return (SVG_MARGIN + SVG_NODE_W / 2 + (x - left) * SVG_ORDER,
            top + SVG_NODE_H / 2 + y * SVG_RANK)


def _attribute(text: str) -> str:
    """Text escaped for an XML attribute in double quotes."""
    return xml_escape(text, {'"': "&quot;"})


def svg(graph: Graph) -> str:
    """The graph as an inline SVG with the layout's coordinates, text escaped; each node
    a ``<g>`` with ``data-tag`` and its verdict's class, for the HTML page."""
    place = _place(graph)
    if not place:
        return '<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"></svg>\n'
    xs = [x for x, _ in place.values()]
    left = min(xs)
    legend_width = sum(_legend_step(words) for _, words in graph.legend)
    width = int(max((max(xs) - left) * SVG_ORDER + SVG_NODE_W, legend_width)) + 2 * SVG_MARGIN
    ranks = 1 + max(int(y) for _, y in place.values())
    height = ranks * SVG_RANK + 2 * SVG_MARGIN + (SVG_LEGEND if graph.legend else 0)

    def centre(tag: str) -> tuple[float, float]:
        return _svg_point(graph, place[tag], left)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="derive-graph" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="How the conclusion ({_attribute(graph.conclusion)}) is reached">',
           '<defs><marker id="derive-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
           'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
           '<path d="M 0 0 L 10 5 L 0 10 z" fill="#57606A"/></marker></defs>']
    for e in graph.edges:
        (x1, y1), (x2, y2) = centre(e.source), centre(e.target)
        points = [(x1, y1 + SVG_NODE_H / 2)] + [_svg_point(graph, p, left) for p in e.via] \
            + [(x2, y2 - SVG_NODE_H / 2)]
        dash = ' stroke-dasharray="5 3"' if e.corrects else ""
        colour = COLOURS["ExpectedColor"] if e.corrects else "57606A"
        out.append('<polyline points="' + " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
                   + f'" fill="none" stroke="#{colour}" stroke-width="1.5"{dash} '
                   'marker-end="url(#derive-arrow)"/>')
    for n in graph.nodes:
        x, y = centre(n.tag)
        stroke = {"erratum": ' stroke="#000000" stroke-width="2" stroke-dasharray="5 3"',
                  "conclusion": ' stroke="#000000" stroke-width="3"'}.get(n.role, "")
        out.append(f'<g class="node {n.css_class}" data-tag="{_attribute(n.tag)}">'
                   f'<rect x="{x - SVG_NODE_W / 2:.1f}" y="{y - SVG_NODE_H / 2:.1f}" '
                   f'width="{SVG_NODE_W}" height="{SVG_NODE_H}" rx="4" '
                   f'fill="#{COLOURS[n.colour]}"{stroke}/>'
                   f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" fill="#ffffff" '
                   f'font-family="sans-serif" font-size="12">({xml_escape(n.tag)})</text></g>')
    x, y = SVG_MARGIN, SVG_MARGIN + 6   # above the nodes, as in the PDF
    for colour, words in graph.legend:
        out.append(f'<rect x="{x}" y="{y - 6:.1f}" width="12" height="12" '
                   f'fill="#{COLOURS[colour]}"/><text x="{x + 16}" y="{y + 4:.1f}" '
                   f'font-family="sans-serif" font-size="11">{xml_escape(words)}</text>')
        x += _legend_step(words)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def html_graph(graph: Graph) -> Markup:
    """The SVG as page markup: :func:`svg` writes only its own elements, numbers, tags
    and legend words, each escaped, so autoescaping must leave it as it is."""
    return Markup(svg(graph))


FILTERS = {"mermaid": mermaid, "tikz": tikz, "svg": svg, "html_graph": html_graph}
