"""Quadrature that cannot miss what the integrand shows: feature breakpoints, a scan
for other bumps, geometric pieces out to infinite ends, and divergence tests.

The integrand is any function of one mpmath number; the features (centre, width)
come from the caller, who reads them off the expression: the peak of every exp(q)
with q polynomial in the variable, every zero of a polynomial under a power, a log,
an absolute value or a sign (poles, near-poles, kinks), and the bumps of every random
function of a polynomial argument (see :func:`derive.check.numeric._feature_finders`).
"""

from __future__ import annotations

import mpmath


class Undefined(Exception):
    """A value that is not a number: a divergent integral or series, infinity, 1/0."""


class Divergent(Undefined):
    """An integral or a series that diverges, whatever the point: the claim has no value."""


#: Scan nodes per piece, and the growth of the geometric pieces of an infinite range.
SCAN_NODES = 12
GEOMETRIC = 4
TAIL_PIECES = 3
#: A tail (or an endpoint piece) shrinking slower than this ratio per piece diverges.
DIVERGENT_RATIO = mpmath.mpf("0.7")


def _quad(f, a, b, degree: int = 6):
    """mpmath's tanh-sinh quadrature of one piece: (value, error estimate). Its nodes
    crowd at the ends of the piece, where the breakpoints put the features. The degree
    is capped: a piece that does not settle by then is reported by its error."""
    if a == b:
        return mpmath.mpf(0), mpmath.mpf(0)
    return mpmath.quad(f, [a, b], error=True, maxdegree=degree)


def _scan(f, a, b):
    """Breakpoints around narrow bumps that a uniform scan of the piece shows: a scan
    node where |f| is at least twice its neighbours' is fenced in by them."""
    step = (b - a) / (SCAN_NODES + 1)
    nodes = [a + step * k for k in range(1, SCAN_NODES + 1)]
    values = []
    with mpmath.workdps(15):
        for x in nodes:
            try:
                values.append(abs(f(x)))
            except (ZeroDivisionError, ValueError, OverflowError, TypeError):
                values.append(None)
    found = []
    for k in range(1, len(nodes) - 1):
        left, here, right = values[k - 1], values[k], values[k + 1]
        if None in (left, here, right) or not mpmath.isfinite(here):
            continue
        if here > 2 * left and here > 2 * right:
            found += [nodes[k - 1], nodes[k], nodes[k + 1]]
    return found


def _breakpoints(a, b, features):
    """The pieces of [a, b]: 0, the features (centre and centre ± 8 width: tanh-sinh
    crowds its nodes at the ends of a piece, so at the centre), and geometric pieces
    out to the infinite ends."""
    points = {mpmath.mpf(0)}
    extent = max([mpmath.mpf(1)] + [abs(x) for x in (a, b) if mpmath.isfinite(x)])
    for centre, width in features:
        if not (mpmath.isfinite(centre) and mpmath.isfinite(width)):
            continue
        points.add(centre)
        extent = max(extent, abs(centre) + 8 * width)
        if width > 0:
            points.update((centre - 8 * width, centre + 8 * width))
    tail = [extent * GEOMETRIC ** j for j in range(TAIL_PIECES + 1)]
    if mpmath.isinf(b):
        points.update(tail)
    if mpmath.isinf(a):
        points.update(-x for x in tail)
    inside = sorted(p for p in points if a < p < b)
    return [a, *inside, b], tail[-1]


def integrate(f, a, b, features, shown: str):
    """∫_a^b f, split where the integrand has features so that none is missed.

    Guarantees: a feature that the expression shows (see the module docstring)
    is resolved whatever its width (a Gaussian exp(-10^6 (t-3)^2) of width 7e-4, a
    near-pole 1/((t-c)^2 + 1e-10)): its centre and centre ± 8 width are breakpoints,
    and tanh-sinh crowds its nodes at a piece's ends. Any other bump of half-width
    at least the scan step of its piece, (piece length)/13, has a scan node above
    half its peak, and is fenced in by breakpoints at the neighbouring nodes;
    narrower ones that the expression does not show can be missed. Infinite ranges
    are cut into geometric pieces beyond the features' extent R (R·4^j, j = 0..3)
    and a tail beyond: the contributions of the last pieces must shrink, or the
    integral diverges. A piece
    that does not converge is tested the same way toward its endpoints, so that
    1/sqrt(t) on (0, 1) is accepted and 1/t is reported as divergent.

    Returns (value, error estimate); raises :class:`Undefined` on divergence.
    """
    if not all(mpmath.im(x) == 0 for x in (a, b) if not mpmath.isinf(x)):
        raise ValueError("an integral with complex limits")
    a, b = (mpmath.re(x) if not mpmath.isinf(x) else x for x in (a, b))
    if a > b:
        value, error = integrate(f, b, a, features, shown)
        return -value, error
    real = [(c, w) for c, w in features
            if mpmath.isfinite(c) and mpmath.isfinite(w) and a <= c <= b]
    points, reach = _breakpoints(a, b, real)
    _probe_tails(f, points, reach, shown)
    finite = [(p, q) for p, q in zip(points, points[1:]) if mpmath.isfinite(p - q)]
    extra = [x for p, q in finite for x in _scan(f, p, q)]
    if extra:
        points = sorted(set(points) | set(extra), key=lambda x: x)
    total, error, pieces = mpmath.mpf(0), mpmath.mpf(0), []
    for p, q in zip(points, points[1:]):
        value, err = _quad(f, p, q)
        pieces.append((p, q, value, err))
        total += value
        error += err
    _check_tails(pieces, total, reach, shown)
    for p, q, value, err in pieces:
        if err > mpmath.mpf(10) ** (-mpmath.mp.dps // 2) * (abs(value) + abs(total)):
            _check_endpoints(f, p, q, shown)
    return total, error


def _shrinks(contributions, total) -> bool:
    """Whether the last contributions of a sequence of pieces shrink geometrically."""
    last, before = abs(contributions[-1]), abs(contributions[-2])
    negligible = mpmath.mpf(10) ** (-mpmath.mp.dps) * (abs(total) + 1)
    return last <= negligible or last <= DIVERGENT_RATIO * before


def _check_tails(pieces, total, reach, shown: str) -> None:
    """An infinite range converges only if its geometric pieces' contributions shrink,
    and the tail beyond them is no larger than they let it be."""
    core = mpmath.fsum(value for p, q, value, _ in pieces if mpmath.isfinite(q - p))
    for sign in (1, -1):
        tails = [(value, err) for p, q, value, err in pieces
                 if mpmath.isinf(q if sign > 0 else p)]
        outer = [value for p, q, value, _ in pieces
                 if mpmath.isfinite(q - p) and sign * p >= 0 and sign * q >= 0
                 and max(abs(p), abs(q)) <= reach
                 and min(abs(p), abs(q)) >= reach / GEOMETRIC ** 2]
        if not tails or len(outer) < 2:
            continue
        ordered = outer if sign > 0 else outer[::-1]
        (tail, error), = tails
        allowed = 10 * abs(ordered[-1]) + mpmath.mpf(10) ** (-mpmath.mp.dps) * (abs(core) + 1)
        if not mpmath.isfinite(tail) or error > allowed or \
                (not _shrinks(ordered, core) and abs(tail) > allowed / 10):
            raise Divergent(f"the integral {shown} diverges (its tail does not shrink)")


def _probe_tails(f, points, reach, shown: str) -> None:
    """Before the full quadrature: a growing tail (exp(+t^2), t^2, 1) diverges, and a
    cheap low-degree look at the outer pieces shows it. A bump in the outer pieces is
    told apart by the tail beyond them, which is then small."""
    pieces = list(zip(points, points[1:]))
    for end in (pieces[0], pieces[-1]):
        if mpmath.isfinite(end[1] - end[0]):
            continue
        sign = 1 if mpmath.isinf(end[1]) else -1
        near, far = (abs(_quad(f, *sorted((sign * x, sign * y)), degree=3)[0])
                     for x, y in ((reach / GEOMETRIC ** 2, reach / GEOMETRIC),
                                  (reach / GEOMETRIC, reach)))
        tail = abs(_quad(f, *end, degree=3)[0])
        if not (mpmath.isfinite(far) and mpmath.isfinite(tail)) or \
                (far > 2 * near and tail > far):
            raise Divergent(f"the integral {shown} diverges (its tail grows)")


def _check_endpoints(f, p, q, shown: str) -> None:
    """A piece that did not converge: its contributions toward each end must shrink."""
    length = q - p
    for end, direction in ((p, 1), (q, -1)):
        contributions = []
        for j in range(1, 6):
            near, far = length * GEOMETRIC ** -(j + 1), length * GEOMETRIC ** -j
            a, b = sorted((end + direction * near, end + direction * far))
            contributions.append(_quad(f, a, b, degree=4)[0])
        if not _shrinks(contributions, mpmath.fsum(contributions)):
            raise Divergent(f"the integral {shown} diverges near {mpmath.nstr(end, 6)}")
