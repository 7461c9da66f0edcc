"""North arrow and scale bar drawn over the 3D view (VTK 2D actors, no Qt).

Both are recomputed at the start of every render from the camera (no render of their own):

- the north arrow points where the project CRS's grid north (+Y) goes on screen at the focal
  point; looking straight along north it shows "N (away)" or "N (towards you)";
- the scale bar is a round length (1, 2 or 5 x 10^k m) of about 100 px at the focal point,
  exact in the orthographic projection; in perspective it holds at the focal point's depth
  only, and its label says so ("~5 m at the centre").
"""

from __future__ import annotations

import math

import numpy as np

#: Target length of the scale bar, pixels.
SCALE_PX = 100.0


def round_length(metres: float) -> float:
    """The largest 1, 2 or 5 x 10^k not above ``metres`` (> 0)."""
    if not metres > 0 or not math.isfinite(metres):
        return 0.0
    k = math.floor(math.log10(metres))
    for m in (5, 2, 1):
        if m * 10 ** k <= metres * (1 + 1e-9):
            return m * 10 ** k
    return 10 ** k


def format_length(metres: float) -> str:
    """``"500 m"``, ``"2 km"``, ``"20 cm"``."""
    if metres >= 1000:
        return f"{metres / 1000:g} km"
    if metres >= 1:
        return f"{metres:g} m"
    if metres >= 0.01:
        return f"{metres * 100:g} cm"
    return f"{metres * 1000:g} mm"


def scale_bar(metres_per_px: float, target_px: float = SCALE_PX) -> tuple[float, float]:
    """(length in metres, length in pixels) of the scale bar."""
    m = round_length(metres_per_px * target_px)
    return m, (m / metres_per_px if metres_per_px > 0 else 0.0)


def north_on_screen(renderer) -> tuple[float, float, float]:
    """(dx, dy) unit screen direction of grid north at the focal point and its screen share.

    The share is the projected length of a north step over its length (0: looking along north).
    """
    cam = renderer.GetActiveCamera()
    f = np.asarray(cam.GetFocalPoint(), dtype=np.float64)
    step = max(cam.GetDistance(), 1e-6) * 0.05

    def disp(p):
        renderer.SetWorldPoint(*p.tolist(), 1.0)
        renderer.WorldToDisplay()
        return np.asarray(renderer.GetDisplayPoint()[:2])

    a, b = disp(f), disp(f + [0.0, step, 0.0])
    c = disp(f + np.asarray(cam.GetViewUp()) * step)  # the same step across the screen, for scale
    v = b - a
    n = float(np.linalg.norm(v))
    ref = float(np.linalg.norm(c - a)) or 1.0
    if n < 1e-9:
        return 0.0, 0.0, 0.0
    return float(v[0] / n), float(v[1] / n), min(n / ref, 1.0)


class MapOverlays:
    """The north arrow (upper right) and the scale bar (lower right) of one renderer."""

    def __init__(self, renderer) -> None:
        from vtkmodules.vtkCommonCore import vtkPoints
        from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData

        self.renderer = renderer
        self.visible = True
        self.arrow_pts = vtkPoints()
        self.arrow_pts.SetNumberOfPoints(7)
        poly = vtkPolyData()
        poly.SetPoints(self.arrow_pts)
        cells = vtkCellArray()
        cells.InsertNextCell(3, [0, 1, 2])       # head
        cells.InsertNextCell(4, [3, 4, 5, 6])    # shaft
        poly.SetPolys(cells)
        self.arrow = self._actor2d(poly, (0.1, 0.1, 0.1))
        self.bar_pts = vtkPoints()
        self.bar_pts.SetNumberOfPoints(4)
        bpoly = vtkPolyData()
        bpoly.SetPoints(self.bar_pts)
        bcells = vtkCellArray()
        bcells.InsertNextCell(4, [0, 1, 2, 3])
        bpoly.SetPolys(bcells)
        self.bar = self._actor2d(bpoly, (0.1, 0.1, 0.1))
        self.n_label = self._text(16, bold=True)
        self.bar_label = self._text(13)
        self.bar_label.GetTextProperty().SetJustificationToRight()
        self.label = ""  # the scale bar's text, for tests
        self.north = (0.0, 1.0, 1.0)
        for a in (self.arrow, self.bar, self.n_label, self.bar_label):
            renderer.AddViewProp(a)
        self._observer = renderer.AddObserver("StartEvent", lambda _o, _e: self.update())

    @staticmethod
    def _actor2d(poly, color):
        from vtkmodules.vtkRenderingCore import vtkActor2D, vtkCoordinate, vtkPolyDataMapper2D

        coord = vtkCoordinate()
        coord.SetCoordinateSystemToDisplay()
        mapper = vtkPolyDataMapper2D()
        mapper.SetInputData(poly)
        mapper.SetTransformCoordinate(coord)
        actor = vtkActor2D()
        actor.SetMapper(mapper)
        actor.GetProperty().SetColor(*color)
        actor.SetPickable(False)
        return actor

    @staticmethod
    def _text(size: int, bold: bool = False):
        from vtkmodules.vtkRenderingCore import vtkTextActor

        t = vtkTextActor()
        p = t.GetTextProperty()
        p.SetFontSize(size)
        p.SetBold(bold)
        p.SetColor(0.1, 0.1, 0.1)
        p.SetJustificationToCentered()
        t.SetPickable(False)
        return t

    def set_visible(self, on: bool) -> None:
        self.visible = on
        for a in (self.arrow, self.bar, self.n_label, self.bar_label):
            a.SetVisibility(on)

    def update(self) -> None:
        """Recompute both from the camera (called at the start of each render)."""
        if not self.visible:
            return
        from citytwin.app.render.camera import metres_per_pixel

        w, h = self.renderer.GetSize()
        if w < 50 or h < 50:
            return
        # north arrow, centred at (cx, cy)
        dx, dy, share = north_on_screen(self.renderer)
        self.north = (dx, dy, share)
        cx, cy, length = w - 45.0, h - 60.0, 34.0
        if share < 0.15:  # looking (nearly) along north: a dot, and the label says which way
            away = self.renderer.GetActiveCamera().GetDirectionOfProjection()[1] > 0
            pts = [(cx - 4, cy - 4), (cx + 4, cy - 4), (cx, cy + 4)] + [(cx, cy)] * 4
            self.n_label.SetInput("N (away)" if away else "N (towards you)")
            label_at = (cx, cy + 10)
        else:
            half = length * max(share, 0.35) / 2
            ux, uy = dx, dy
            px, py = -uy, ux  # perpendicular
            tip = (cx + ux * half, cy + uy * half)
            base = (cx + ux * (half - 14), cy + uy * (half - 14))
            tail = (cx - ux * half, cy - uy * half)
            pts = [tip, (base[0] + px * 8, base[1] + py * 8), (base[0] - px * 8, base[1] - py * 8),
                   (base[0] + px * 2.5, base[1] + py * 2.5), (base[0] - px * 2.5, base[1] - py * 2.5),
                   (tail[0] - px * 2.5, tail[1] - py * 2.5), (tail[0] + px * 2.5, tail[1] + py * 2.5)]
            self.n_label.SetInput("N")
            label_at = (cx + ux * (half + 12), cy + uy * (half + 12) - 8)
        for i, (x, y) in enumerate(pts):
            self.arrow_pts.SetPoint(i, x, y, 0.0)
        self.arrow_pts.Modified()
        self.n_label.SetPosition(*label_at)
        # scale bar, right end at (w - 20, 20)
        metres, px = scale_bar(metres_per_pixel(self.renderer))
        x1, y0 = w - 20.0, 22.0
        x0 = x1 - px
        for i, (x, y) in enumerate([(x0, y0), (x1, y0), (x1, y0 + 5), (x0, y0 + 5)]):
            self.bar_pts.SetPoint(i, x, y, 0.0)
        self.bar_pts.Modified()
        parallel = self.renderer.GetActiveCamera().GetParallelProjection()
        self.label = format_length(metres) if parallel else f"~{format_length(metres)} at the centre"
        self.bar_label.SetInput(self.label)
        self.bar_label.SetPosition(x1, y0 + 9)
