"""Quadrature that cannot miss what the integrand shows: feature breakpoints, a scan
for other bumps, geometric pieces out to infinite ends, and divergence tests.

The integrand is any function of one mpmath number; the features (centre, width)
come from the caller, who reads them off the expression: the peak of every exp(q)
with q polynomial in the variable, every zero of a polynomial under a power, a log,
an absolute value or a sign (poles, near-poles, kinks), and the bumps of every random
function of a polynomial argument (see :func:`derive.check.numeric._feature_finders`).
"""

from __future__ import annotations

from typing import NamedTuple

import mpmath


class Undefined(Exception):
    """A value that is not a number: a divergent integral or series, infinity, 1/0."""


class Divergent(Undefined):
    """An integral or a series that diverges, whatever the point: the claim has no value."""


class Unresolved(Exception):
    """The evidence at this point is not robust either way (a tail still growing at the
    scale probed that may turn, contributions shrinking too slowly to tell): the point
    says nothing, and is neither a divergence nor a value."""


class Quadrature(NamedTuple):
    """An integral's value, its error (the quadrature's estimate and the round-off of
    the pieces summed) and its size (the sum of the pieces' absolute values: a value
    far smaller than that is cancellation, known only to the size's precision)."""

    value: object
    error: object
    size: object


#: Scan nodes per piece, and the growth of the geometric pieces of an infinite range.
SCAN_NODES = 12
GEOMETRIC = 4
TAIL_PIECES = 3
#: Contributions shrinking by this ratio per piece converge; those that do not shrink at
#: all diverge; in between, the point is unresolved.
DIVERGENT_RATIO = mpmath.mpf("0.7")
#: Geometric pieces probed beyond the reach of a tail that grows, before it is said to
#: diverge (4^12: some 10^7 times farther out), and levels probed toward an endpoint.
FAR_PIECES = 12
ENDPOINT_LEVELS = 40


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
    """The pieces of [a, b]: 0, the features inside (centre and centre ± 8 width:
    tanh-sinh crowds its nodes at the ends of a piece, so at the centre), pieces graded
    toward a feature just outside, and geometric pieces out to the infinite ends."""
    points = {mpmath.mpf(0)}
    extent = max([mpmath.mpf(1)] + [abs(x) for x in (a, b) if mpmath.isfinite(x)])
    for centre, width in (f for f in features if a <= f[0] <= b):
        if not (mpmath.isfinite(centre) and mpmath.isfinite(width)):
            continue
        points.add(centre)
        extent = max(extent, abs(centre) + 8 * width)
        if width > 0:
            points.update((centre - 8 * width, centre + 8 * width))
    for end, direction in ((a, 1), (b, -1)):
        points.update(_graded(end, direction, a, b, features))
    tail = [extent * GEOMETRIC ** j for j in range(TAIL_PIECES + 1)]
    if mpmath.isinf(b):
        points.update(tail)
    if mpmath.isinf(a):
        points.update(-x for x in tail)
    inside = sorted(p for p in points if a < p < b)
    return [a, *inside, b], tail[-1]


def _graded(end, direction, a, b, features):
    """Breakpoints at end + d 4^j toward the inside, for every feature (a pole, a peak)
    just beyond a finite end at distance d, far closer than the range is long: the
    integrand varies on the scale d there (1/r^2 from r = 10^-8)."""
    if not mpmath.isfinite(end):
        return []
    found = []
    for centre, width in features:
        if not (mpmath.isfinite(centre) and mpmath.isfinite(width)) or \
                direction * (end - centre) <= 0:
            continue
        distance = direction * (end - centre) + width
        span = min(b - a, max(1, abs(end)), 10 ** 8 * distance)
        step = distance
        while 0 < step < span:
            found.append(end + direction * step)
            step *= GEOMETRIC
    return found


def integrate(f, a, b, features, shown: str, degree: int = 6):
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

    ``degree`` caps the tanh-sinh degree of each piece: a difference that is the
    cap's truncation shrinks when it rises, a real one does not.

    Returns a :class:`Quadrature`; raises :class:`Divergent` on divergence, and
    :class:`Unresolved` when the evidence at this point is not robust either way.
    """
    if not all(mpmath.im(x) == 0 for x in (a, b) if not mpmath.isinf(x)):
        raise ValueError("an integral with complex limits")
    a, b = (mpmath.re(x) if not mpmath.isinf(x) else x for x in (a, b))
    if a > b:
        value, error, size = integrate(f, b, a, features, shown, degree)
        return Quadrature(-value, error, size)
    finite = [(c, w) for c, w in features if mpmath.isfinite(c) and mpmath.isfinite(w)]
    points, reach = _breakpoints(a, b, finite)
    _probe_tails(f, points, reach, shown)
    finite = [(p, q) for p, q in zip(points, points[1:]) if mpmath.isfinite(p - q)]
    extra = [x for p, q in finite for x in _scan(f, p, q)]
    if extra:
        points = sorted(set(points) | set(extra), key=lambda x: x)
    total, error, size, pieces = mpmath.mpf(0), mpmath.mpf(0), mpmath.mpf(0), []
    for p, q in zip(points, points[1:]):
        value, err = _quad(f, p, q, degree)
        pieces.append((p, q, value, err))
        total += value
        error += err
        size += abs(value)
    _check_tails(pieces, total, reach, shown)
    for p, q, value, err in pieces:
        if mpmath.isfinite(q - p) and \
                err > mpmath.mpf(10) ** (-mpmath.mp.dps // 2) * (abs(value) + abs(total)):
            _check_endpoints(f, p, q, shown)
    # each piece is known to the working precision of its own size, not of the total's
    error += size * mpmath.mpf(10) ** (2 - mpmath.mp.dps)
    return Quadrature(total, error, size)


def _shrinks(contributions, total) -> bool:
    """Whether the last contributions of a sequence of pieces shrink geometrically."""
    last, before = abs(contributions[-1]), abs(contributions[-2])
    negligible = mpmath.mpf(10) ** (-mpmath.mp.dps) * (abs(total) + 1)
    return last <= negligible or last <= DIVERGENT_RATIO * before


def _steady(contributions) -> bool:
    """Whether the last contributions do not shrink at all (1/t: log 4 per piece):
    robust evidence of divergence, where a slow shrink (t^(a-1) with a = 10^-9) is none."""
    last, before = abs(contributions[-1]), abs(contributions[-2])
    return not mpmath.isfinite(last) or \
        last >= before * (1 - mpmath.mpf(10) ** (-(mpmath.mp.dps // 2)))


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
        if not mpmath.isfinite(tail) or \
                (not _shrinks(ordered, core) and abs(tail) > allowed / 10 and _steady(ordered)):
            raise Divergent(f"the integral {shown} diverges (its tail does not shrink)")
        if error > allowed or (not _shrinks(ordered, core) and abs(tail) > allowed / 10):
            raise Unresolved(f"the tail of the integral {shown} shrinks too slowly to tell "
                             "at some points")


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
            _probe_far(f, sign, reach, far, shown)


def _probe_far(f, sign, reach, last, shown: str) -> None:
    """A tail that grows at the reach of the features: it diverges if it keeps growing
    (or overflows) over FAR_PIECES more geometric pieces; a growth that turns is a bump
    farther out than the features show, which this point cannot resolve."""
    if mpmath.isfinite(last):
        for j in range(1, FAR_PIECES + 1):
            low, high = reach * GEOMETRIC ** (j - 1), reach * GEOMETRIC ** j
            piece = abs(_quad(f, *sorted((sign * low, sign * high)), degree=3)[0])
            if mpmath.isfinite(piece) and piece < last:
                raise Unresolved(f"the integrand of {shown} grows far beyond the scale its "
                                 "features show at some points")
            if not mpmath.isfinite(piece):
                break
            last = piece
    raise Divergent(f"the integral {shown} diverges (its tail grows)")


def _check_endpoints(f, p, q, shown: str) -> None:
    """A piece that did not converge: its contributions toward each end must shrink.
    They are followed down to the resolution of the numbers near the end (a singular
    point just beyond it shows only that close); contributions that still do not shrink
    there diverge, ones that shrink too slowly to tell leave the point unresolved."""
    length = q - p
    for end, direction in ((p, 1), (q, -1)):
        floor = abs(end) * mpmath.mpf(10) ** (-(mpmath.mp.dps // 2))
        contributions = []
        for j in range(1, ENDPOINT_LEVELS + 1):
            near, far = length * GEOMETRIC ** -(j + 1), length * GEOMETRIC ** -j
            a, b = sorted((end + direction * near, end + direction * far))
            contributions.append(_quad(f, a, b, degree=4)[0])
            if j >= 5 and (near < floor or _shrinks(contributions[-3:-1], 0)
                           and _shrinks(contributions, mpmath.fsum(contributions))):
                break
        if _shrinks(contributions, mpmath.fsum(contributions)):
            continue
        if _steady(contributions):
            raise Divergent(f"the integral {shown} diverges near {mpmath.nstr(end, 6)}")
        raise Unresolved(f"the integral {shown} converges too slowly near "
                         f"{mpmath.nstr(end, 6)} to tell at some points")
