"""Demo hero illustrations for the patient articles, drawn with Pillow.

The pictures are deliberately text free (better for accessibility and
translation) and fully deterministic.  Everything is laid out in a fixed
1200 x 675 "design space", rendered at twice the requested size and then
downscaled with LANCZOS for smooth, anti-aliased edges.
"""

from __future__ import annotations

import io
import itertools
import math
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter

ILLUSTRATIONS = ("fracture", "balloon", "recovery")

DESIGN_W = 1200
DESIGN_H = 675
SUPERSAMPLE = 2

# Palette -------------------------------------------------------------------
BG_TOP = (244, 249, 251)
BG_BOTTOM = (226, 239, 243)
BACKDROP = (214, 233, 238)
BACKDROP_2 = (222, 238, 236)

BONE = (252, 249, 243)
BONE_INNER = (243, 236, 224)
BONE_BACK = (236, 230, 219)
BONE_LINE = (120, 146, 160)

DISC = (128, 190, 198)
DISC_LINE = (84, 150, 160)

ACCENT = (246, 170, 128)
ACCENT_INNER = (250, 196, 162)
ACCENT_LINE = (214, 110, 70)
ACCENT_GLOW = (247, 150, 100)

BALLOON = (64, 146, 190)
BALLOON_LIGHT = (150, 203, 230)
BALLOON_LINE = (38, 104, 146)

METAL = (150, 166, 178)
METAL_LIGHT = (226, 233, 238)
METAL_LINE = (92, 110, 124)
HANDLE = (58, 146, 160)
HANDLE_LINE = (34, 100, 114)

CEMENT = (255, 254, 250)
CEMENT_DOT_1 = (178, 192, 202)
CEMENT_DOT_2 = (226, 205, 176)
HEALED_LINE = (54, 150, 140)
HEALED_GLOW = (110, 196, 182)

PERSON = (44, 130, 146)
PERSON_FAR = (138, 196, 204)
PERSON_DARK = (30, 106, 122)
SHADOW = (190, 214, 221)

Point = tuple[float, float]


# Small vector helpers ------------------------------------------------------
def _add(a: Point, b: Point) -> Point:
    return (a[0] + b[0], a[1] + b[1])


def _sub(a: Point, b: Point) -> Point:
    return (a[0] - b[0], a[1] - b[1])


def _mul(a: Point, k: float) -> Point:
    return (a[0] * k, a[1] * k)


def _lerp(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _length(a: Point) -> float:
    return math.hypot(a[0], a[1])


def _unit(a: Point) -> Point:
    length = _length(a) or 1.0
    return (a[0] / length, a[1] / length)


def _normal_up(u: Point) -> Point:
    """Perpendicular of ``u`` pointing "up" on screen (y grows downwards)."""
    return (u[1], -u[0])


def _rounded(points: list[Point], radius: float, steps: int = 10) -> list[Point]:
    """Round every corner of a closed polygon with a quadratic fillet."""
    out: list[Point] = []
    n = len(points)
    for i in range(n):
        prev_pt, cur, next_pt = points[i - 1], points[i], points[(i + 1) % n]
        to_prev = _sub(prev_pt, cur)
        to_next = _sub(next_pt, cur)
        r = min(radius, _length(to_prev) / 2, _length(to_next) / 2)
        p1 = _add(cur, _mul(_unit(to_prev), r))
        p2 = _add(cur, _mul(_unit(to_next), r))
        for s in range(steps + 1):
            t = s / steps
            a = _lerp(p1, cur, t)
            b = _lerp(cur, p2, t)
            out.append(_lerp(a, b, t))
    return out


def _ellipse_points(
    center: Point, rx: float, ry: float, u: Point, steps: int = 72
) -> list[Point]:
    """Points of an ellipse whose ``rx`` axis is aligned with unit vector u."""
    n = _normal_up(u)
    pts = []
    for i in range(steps):
        a = 2 * math.pi * i / steps
        pts.append(
            _add(center, _add(_mul(u, rx * math.cos(a)), _mul(n, ry * math.sin(a))))
        )
    return pts


# Canvas --------------------------------------------------------------------
class _Canvas:
    """Supersampled RGBA canvas that accepts design-space coordinates."""

    def __init__(self, width: int, height: int) -> None:
        self.out_size = (width, height)
        self.w = width * SUPERSAMPLE
        self.h = height * SUPERSAMPLE
        self.k = min(self.w / DESIGN_W, self.h / DESIGN_H)
        self.ox = (self.w - DESIGN_W * self.k) / 2
        self.oy = (self.h - DESIGN_H * self.k) / 2
        self.img = Image.new("RGBA", (self.w, self.h), BG_TOP + (255,))
        self.draw = ImageDraw.Draw(self.img)

    # coordinate mapping
    def p(self, pt: Point) -> Point:
        return (self.ox + pt[0] * self.k, self.oy + pt[1] * self.k)

    def ps(self, pts: list[Point]) -> list[Point]:
        return [self.p(pt) for pt in pts]

    def s(self, v: float) -> float:
        return v * self.k

    # primitives
    def background(self) -> None:
        top, bottom = BG_TOP, BG_BOTTOM
        for y in range(self.h):
            t = y / max(1, self.h - 1)
            color = tuple(round(top[i] + (bottom[i] - top[i]) * t) for i in range(3))
            self.draw.line([(0, y), (self.w, y)], fill=color + (255,))

    def polygon(
        self,
        pts: list[Point],
        fill: tuple[int, ...] | None,
        outline: tuple[int, ...] | None = None,
        width: float = 0,
    ) -> None:
        mapped = self.ps(pts)
        if fill is not None:
            self.draw.polygon(mapped, fill=fill)
        if outline is not None and width > 0:
            w = max(1, round(self.s(width)))
            self.draw.line(mapped + mapped[:2], fill=outline, width=w, joint="curve")

    def circle(
        self,
        center: Point,
        radius: float,
        fill: tuple[int, ...] | None,
        outline: tuple[int, ...] | None = None,
        width: float = 0,
    ) -> None:
        cx, cy = self.p(center)
        r = self.s(radius)
        self.draw.ellipse(
            [cx - r, cy - r, cx + r, cy + r],
            fill=fill,
            outline=outline,
            width=max(0, round(self.s(width))),
        )

    def stroke(
        self, pts: list[Point], color: tuple[int, ...], width: float, caps: bool = True
    ) -> None:
        mapped = self.ps(pts)
        w = self.s(width)
        self.draw.line(mapped, fill=color, width=max(1, round(w)), joint="curve")
        if caps:
            r = w / 2
            for x, y in (mapped[0], mapped[-1]):
                self.draw.ellipse([x - r, y - r, x + r, y + r], fill=color)

    def soft_shape(
        self,
        pts: list[Point],
        color: tuple[int, int, int],
        alpha: int,
        blur: float,
    ) -> None:
        """Composite a blurred, translucent polygon (glow or shadow)."""
        layer = Image.new("L", (self.w, self.h), 0)
        ImageDraw.Draw(layer).polygon(self.ps(pts), fill=alpha)
        layer = layer.filter(ImageFilter.GaussianBlur(self.s(blur)))
        solid = Image.new("RGBA", (self.w, self.h), color + (255,))
        solid.putalpha(layer)
        self.img.alpha_composite(solid)
        self.draw = ImageDraw.Draw(self.img)

    def png(self) -> bytes:
        img = self.img.convert("RGB").resize(self.out_size, Image.Resampling.LANCZOS)
        img = img.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=0)
        buf = io.BytesIO()
        img.save(buf, format="PNG", optimize=True)
        return buf.getvalue()


# Spine model ---------------------------------------------------------------
VERT_DEPTH = 150.0
VERT_HEIGHT = 80.0
DISC_HEIGHT = 24.0


@dataclass
class _Vertebra:
    bf: Point  # bottom front corner
    bb: Point  # bottom back corner
    tb: Point  # top back corner
    tf: Point  # top front corner
    u: Point  # bottom endplate direction (front -> back)
    n: Point  # "up" direction of the bottom endplate
    hb: float  # back wall height

    def shifted(self, d: Point) -> _Vertebra:
        return _Vertebra(
            _add(self.bf, d),
            _add(self.bb, d),
            _add(self.tb, d),
            _add(self.tf, d),
            self.u,
            self.n,
            self.hb,
        )

    def rotated(self, angle: float) -> _Vertebra:
        """Rotate about the origin; positive angles turn clockwise on screen."""
        c, s_ = math.cos(angle), math.sin(angle)

        def r(pt: Point) -> Point:
            return (pt[0] * c - pt[1] * s_, pt[0] * s_ + pt[1] * c)

        return _Vertebra(
            r(self.bf),
            r(self.bb),
            r(self.tb),
            r(self.tf),
            r(self.u),
            r(self.n),
            self.hb,
        )

    def local(self, x: float, y: float) -> Point:
        """Point ``x`` along the endplate from the front, ``y`` up from it."""
        return _add(self.bf, _add(_mul(self.u, x), _mul(self.n, y)))

    def body_outline(self) -> list[Point]:
        # Slightly waisted front and back walls, like a real vertebral body.
        front_mid = _add(_lerp(self.bf, self.tf, 0.5), _mul(self.u, 5))
        back_mid = _add(_lerp(self.bb, self.tb, 0.5), _mul(self.u, -3))
        return _rounded([self.bf, self.bb, back_mid, self.tb, self.tf, front_mid], 16)

    def body_inner(self, inset: float) -> list[Point]:
        top_u = _unit(_sub(self.tb, self.tf))
        top_n = _normal_up(top_u)
        pts = [
            _add(self.bf, _add(_mul(self.u, inset), _mul(self.n, inset))),
            _add(self.bb, _add(_mul(self.u, -inset), _mul(self.n, inset))),
            _add(self.tb, _add(_mul(top_u, -inset), _mul(top_n, -inset))),
            _add(self.tf, _add(_mul(top_u, inset), _mul(top_n, -inset))),
        ]
        return _rounded(pts, 11)

    def posterior(self) -> list[Point]:
        """Pedicle, articular processes and spinous process (side view)."""
        d, h = VERT_DEPTH, self.hb
        shape = [
            (0.00, 0.42),
            (0.22, 0.40),
            (0.27, 0.12),
            (0.31, -0.18),
            (0.40, -0.22),
            (0.47, 0.04),
            (0.62, 0.04),
            (1.04, -0.26),
            (1.13, -0.21),
            (1.09, -0.02),
            (0.68, 0.48),
            (0.50, 0.76),
            (0.43, 1.10),
            (0.34, 1.08),
            (0.27, 0.84),
            (0.00, 0.84),
        ]
        pts = [self.local(VERT_DEPTH - 6 + x * d, y * h) for x, y in shape]
        return _rounded(pts, 14)

    def center(self) -> Point:
        return _mul(_add(_add(self.bf, self.bb), _add(self.tb, self.tf)), 0.25)


def _build_spine(
    center: Point, middle_front_ratio: float, lean: float = 0.0
) -> tuple[list[_Vertebra], list[list[Point]]]:
    """Stack five vertebrae bottom-up; the middle one may be wedge shaped.

    Returns the vertebrae (bottom to top) and the disc outlines.
    """
    d, h, t = VERT_DEPTH, VERT_HEIGHT, DISC_HEIGHT
    hf_mid = h * middle_front_ratio
    hb_mid = h * 0.98
    u = (1.0, 0.0)
    n = _normal_up(u)
    base_mid: Point = (0.0, 0.0)
    vertebrae: list[_Vertebra] = []
    for level in range(5):
        hf, hb = (hf_mid, hb_mid) if level == 2 else (h, h)
        bf = _add(base_mid, _mul(u, -d / 2))
        bb = _add(base_mid, _mul(u, d / 2))
        tf = _add(bf, _mul(n, hf))
        tb = _add(bb, _mul(n, hb))
        vertebrae.append(_Vertebra(bf, bb, tb, tf, u, n, hb))
        top_u = _unit(_sub(tb, tf))
        top_n = _normal_up(top_u)
        top_mid = _lerp(tf, tb, 0.5)
        # Next body's bottom endplate, with a slight natural curve.
        curve = -0.03
        c, s_ = math.cos(curve), math.sin(curve)
        u = _unit((top_u[0] * c - top_u[1] * s_, top_u[0] * s_ + top_u[1] * c))
        n = _normal_up(u)
        base_mid = _add(top_mid, _mul(top_n, t))

    # Rotate the column so its overall axis (bottom to top body) is upright,
    # with a slight forward lean, then centre the bodies on ``center``.
    axis = _sub(vertebrae[-1].center(), vertebrae[0].center())
    rot = -math.atan2(axis[0], -axis[1]) - lean
    vertebrae = [v.rotated(rot) for v in vertebrae]
    xs = [pt[0] for v in vertebrae for pt in (v.bf, v.bb, v.tb, v.tf)]
    ys = [pt[1] for v in vertebrae for pt in (v.bf, v.bb, v.tb, v.tf)]
    shift = (
        center[0] - (min(xs) + max(xs)) / 2,
        center[1] - (min(ys) + max(ys)) / 2,
    )
    vertebrae = [v.shifted(shift) for v in vertebrae]

    discs = []
    for lower, upper in itertools.pairwise(vertebrae):
        overlap = 8
        lo_u = _unit(_sub(lower.tb, lower.tf))
        lo_n = _normal_up(lo_u)
        a = _add(lower.tf, _add(_mul(lo_u, 6), _mul(lo_n, -overlap)))
        b = _add(lower.tb, _add(_mul(lo_u, -10), _mul(lo_n, -overlap)))
        c_ = _add(upper.bb, _add(_mul(upper.u, -10), _mul(upper.n, overlap)))
        d_ = _add(upper.bf, _add(_mul(upper.u, 6), _mul(upper.n, overlap)))
        front_bulge = _add(_lerp(a, d_, 0.5), _mul(lo_u, -7))
        back_bulge = _add(_lerp(b, c_, 0.5), _mul(lo_u, 4))
        discs.append(_rounded([a, b, back_bulge, c_, d_, front_bulge], 10))
    return vertebrae, discs


def _draw_spine(
    cv: _Canvas,
    vertebrae: list[_Vertebra],
    discs: list[list[Point]],
    middle_fill: tuple[int, int, int] | None = None,
    middle_inner: tuple[int, int, int] | None = None,
    middle_line: tuple[int, int, int] | None = None,
) -> None:
    for v in vertebrae:
        cv.polygon(v.posterior(), BONE_BACK, BONE_LINE, 3)
    for disc in discs:
        cv.polygon(disc, DISC, DISC_LINE, 3)
    for i, v in enumerate(vertebrae):
        fill, inner, line = BONE, BONE_INNER, BONE_LINE
        if i == 2:
            fill = middle_fill or fill
            inner = middle_inner or inner
            line = middle_line or line
        cv.polygon(v.body_outline(), fill, line, 3.5)
        if inner is not None:
            cv.polygon(v.body_inner(11), inner)


def _backdrop(
    cv: _Canvas, center: Point, radius: float, color: tuple[int, int, int]
) -> None:
    cv.circle(center, radius, color)


# Individual illustrations -------------------------------------------------
SPINE_CENTER_Y = 340.0


def _draw_fracture(cv: _Canvas) -> None:
    center = (560.0, SPINE_CENTER_Y)
    _backdrop(cv, (600, 338), 290, BACKDROP)
    vertebrae, discs = _build_spine(center, 0.45)
    mid = vertebrae[2]
    cv.soft_shape(_ellipse_points(mid.center(), 150, 95, mid.u), ACCENT_GLOW, 120, 28)
    _draw_spine(cv, vertebrae, discs, ACCENT, ACCENT_INNER, ACCENT_LINE)
    # A fine fracture line running in from the collapsed front of the body.
    crack = [
        mid.local(14, 21),
        mid.local(36, 27),
        mid.local(48, 20),
        mid.local(70, 31),
        mid.local(86, 27),
    ]
    cv.stroke(crack, ACCENT_LINE, 3.5)


def _arrow(
    cv: _Canvas, start: Point, end: Point, color: tuple[int, int, int], width: float
) -> None:
    """Short arrow with a rounded chevron head."""
    direction = _unit(_sub(end, start))
    side = _normal_up(direction)
    head = 13.0
    left = _add(end, _add(_mul(direction, -head), _mul(side, head * 0.85)))
    right = _add(end, _add(_mul(direction, -head), _mul(side, -head * 0.85)))
    cv.stroke([start, end], color, width)
    cv.stroke([left, end, right], color, width)


def _draw_balloon(cv: _Canvas) -> None:
    center = (500.0, SPINE_CENTER_Y)
    _backdrop(cv, (560, 338), 290, BACKDROP)
    vertebrae, discs = _build_spine(center, 0.7)
    mid = vertebrae[2]
    cv.soft_shape(_ellipse_points(mid.center(), 150, 95, mid.u), ACCENT_GLOW, 90, 28)
    _draw_spine(cv, vertebrae, discs, ACCENT, ACCENT_INNER, ACCENT_LINE)

    # Inflated balloon inside the body.
    bc = mid.local(70, mid.hb * 0.45)
    cv.polygon(_ellipse_points(bc, 52, 26, mid.u), BALLOON, BALLOON_LINE, 3)
    glint = _add(bc, _add(_mul(mid.u, -18), _mul(mid.n, 10)))
    cv.polygon(_ellipse_points(glint, 17, 5.5, mid.u), BALLOON_LIGHT)

    # Instrument: hollow tube from behind, through the pedicle, into the body.
    tip = _add(bc, _mul(mid.u, 46))
    direction = _unit(_add(_mul(mid.u, 1.0), _mul(mid.n, 0.62)))
    end = _add(tip, _mul(direction, 300))
    cv.stroke([tip, end], METAL_LINE, 20, caps=False)
    cv.stroke([tip, end], METAL, 15, caps=False)
    cv.stroke([_add(tip, _mul(direction, 2)), end], METAL_LIGHT, 6, caps=False)
    # Cylindrical grip at the outer end.
    side = _normal_up(direction)
    grip_start = _add(end, _mul(direction, -4))
    grip_end = _add(end, _mul(direction, 78))
    grip = [
        _add(grip_start, _mul(side, 19)),
        _add(grip_end, _mul(side, 19)),
        _add(grip_end, _mul(side, -19)),
        _add(grip_start, _mul(side, -19)),
    ]
    cv.polygon(_rounded(grip, 12), HANDLE, HANDLE_LINE, 2.5)
    for t in (24, 40, 56):
        ring = _add(grip_start, _mul(direction, t))
        cv.stroke(
            [_add(ring, _mul(side, 12)), _add(ring, _mul(side, -12))],
            HANDLE_LINE,
            3,
        )

    # Arrows at the front: the balloon pushes the endplates apart.
    front_mid = _lerp(mid.bf, mid.tf, 0.5)
    base = _add(front_mid, _mul(mid.u, -46))
    _arrow(cv, _add(base, _mul(mid.n, 14)), _add(base, _mul(mid.n, 58)), ACCENT_LINE, 5)
    _arrow(
        cv, _add(base, _mul(mid.n, -14)), _add(base, _mul(mid.n, -58)), ACCENT_LINE, 5
    )


def _draw_recovery(cv: _Canvas) -> None:
    center = (420.0, SPINE_CENTER_Y)
    _backdrop(cv, (450, 338), 290, BACKDROP)
    _backdrop(cv, (840, 370), 200, BACKDROP_2)
    vertebrae, discs = _build_spine(center, 0.98)
    mid = vertebrae[2]
    cv.soft_shape(_ellipse_points(mid.center(), 150, 95, mid.u), HEALED_GLOW, 90, 28)
    _draw_spine(cv, vertebrae, discs, CEMENT, CEMENT, HEALED_LINE)

    # Stippled cement: a jittered grid of small dots inside the body.
    rng = random.Random(7)  # noqa: S311 -- a fixed pattern, not a secret
    step = 10.5
    inset = 15.0
    y = inset
    row = 0
    while y <= mid.hb - inset:
        x = inset + (step / 2 if row % 2 else 0)
        while x <= VERT_DEPTH - inset:
            jx = rng.uniform(-2.5, 2.5)
            jy = rng.uniform(-2.5, 2.5)
            color = CEMENT_DOT_2 if rng.random() < 0.25 else CEMENT_DOT_1
            cv.circle(mid.local(x + jx, y + jy), rng.uniform(2.2, 3.2), color)
            x += step
        y += step * 0.87
        row += 1

    _draw_person(cv, (830.0, 560.0))


def _draw_person(cv: _Canvas, feet: Point) -> None:
    """Abstract person walking upright to the right; ``feet`` is ground point."""
    x0, gy = feet
    cv.soft_shape(_ellipse_points((x0, gy + 10), 90, 11, (1, 0)), SHADOW, 255, 6)

    hip = (x0 - 2, gy - 150)
    shoulder = (x0 + 8, gy - 262)
    head = (x0 + 16, gy - 316)

    # Far limbs (lighter): back leg and forward-swinging arm.
    cv.stroke(
        [hip, (x0 - 30, gy - 80), (x0 - 60, gy - 14), (x0 - 40, gy - 2)],
        PERSON_FAR,
        28,
    )
    cv.stroke(
        [shoulder, (x0 + 42, gy - 200), (x0 + 78, gy - 168)],
        PERSON_FAR,
        22,
    )
    # Near leg (forward), torso, then the near arm swinging back.
    cv.stroke(
        [hip, (x0 + 26, gy - 82), (x0 + 40, gy - 10), (x0 + 64, gy - 2)],
        PERSON,
        30,
    )
    cv.stroke([(shoulder[0], shoulder[1] + 4), (hip[0], hip[1] - 4)], PERSON, 56)
    elbow, hand = (x0 - 30, gy - 198), (x0 - 54, gy - 158)
    arm_top = (shoulder[0] - 2, shoulder[1] + 6)
    # Thin background-coloured rim separates the arm from the torso.
    cv.stroke([_lerp(arm_top, elbow, 0.45), elbow, hand], BACKDROP_2, 32)
    cv.stroke([arm_top, elbow, hand], PERSON_DARK, 22)
    cv.circle(head, 29, PERSON)


_DRAWERS = {
    "fracture": _draw_fracture,
    "balloon": _draw_balloon,
    "recovery": _draw_recovery,
}


def draw_illustration(name: str, width: int = 1200, height: int = 675) -> bytes:
    """Return a PNG (bytes) of the named demo illustration, drawn with Pillow."""
    if name not in ILLUSTRATIONS:
        raise ValueError(
            f"Unknown illustration {name!r}; expected one of {ILLUSTRATIONS}"
        )
    if width <= 0 or height <= 0:
        raise ValueError("width and height must be positive")
    canvas = _Canvas(width, height)
    canvas.background()
    _DRAWERS[name](canvas)
    return canvas.png()
