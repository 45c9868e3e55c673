"""Small HTML builders for the report: escaping, tables, embedded figures, the page.

Everything the page needs is inside it: figures are ``data:`` URIs (SVG or
PNG, base64), the CSS is inline, there is no script and no web font, so
the file opens without a network and prints as it looks (print CSS).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MIME = {".svg": "image/svg+xml", ".png": "image/png"}


def esc(text: object) -> str:
    """HTML-escape any value's text."""
    return html.escape(str(text), quote=True)


@dataclass(frozen=True)
class Raw:
    """Cell content that is already HTML (not escaped again)."""

    html: str


@dataclass(frozen=True)
class Rowspan:
    """A cell spanning ``rows`` rows; the rows below give ``None`` in its column."""

    value: object
    rows: int


def _cell(value: object) -> str:
    return value.html if isinstance(value, Raw) else esc(value)


def table(
    headers: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    caption: str = "",
    numeric: Iterable[int] = (),
    group_headers: Sequence[tuple[str, int]] | None = None,
    classes: str = "",
    row_classes: Sequence[str] | None = None,
) -> str:
    """A table; ``numeric`` columns are right-aligned; ``group_headers`` is an optional
    first header row of (label, column span) pairs."""
    numeric = set(numeric)
    out = [f'<table class="{esc(classes)}">' if classes else "<table>"]
    if caption:
        out.append(f"<caption>{esc(caption)}</caption>")
    out.append("<thead>")
    if group_headers:
        cells = "".join(
            f'<th colspan="{span}" scope="colgroup">{esc(label)}</th>'
            if label
            else f'<th colspan="{span}" class="blank"></th>'
            for label, span in group_headers
        )
        out.append(f"<tr>{cells}</tr>")
    heads = "".join(
        f'<th scope="col" class="num">{_cell(h)}</th>'
        if i in numeric
        else f'<th scope="col">{_cell(h)}</th>'
        for i, h in enumerate(headers)
    )
    out.append(f"<tr>{heads}</tr></thead><tbody>")
    for r, row in enumerate(rows):
        cls = f' class="{esc(row_classes[r])}"' if row_classes and row_classes[r] else ""
        cells = "".join(_td(i, v, i in numeric) for i, v in enumerate(row) if v is not None)
        out.append(f"<tr{cls}>{cells}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _td(i: int, value: object, numeric: bool) -> str:
    attrs = ' class="num"' if numeric else ""
    if isinstance(value, Rowspan):
        attrs += f' rowspan="{value.rows}" class="group"'
        value = value.value
    return f"<td{attrs}>{_cell(value)}</td>"


def figure(data: bytes, suffix: str, caption: str, alt: str, wide: bool = False) -> str:
    """An embedded figure (``suffix`` '.svg' or '.png') with its caption."""
    uri = f"data:{MIME[suffix]};base64,{base64.b64encode(data).decode('ascii')}"
    cls = ' class="wide"' if wide else ""
    return (
        f'<figure{cls}><img src="{uri}" alt="{esc(alt)}">'
        f"<figcaption>{caption}</figcaption></figure>"
    )


def paragraph(text: str) -> str:
    """A paragraph of already-built HTML."""
    return f"<p>{text}</p>"


def note(text: str, kind: str = "note") -> str:
    """A boxed note (kind: note, warning, finding)."""
    return f'<div class="{esc(kind)}">{text}</div>'


def section(anchor: str, title: str, body: str, appendix: bool = False) -> str:
    """A top-level section; appendices (``appendix=True``) start on a new printed page
    and are not part of the main body (the print test counts the pages before them)."""
    cls = ' class="appendix"' if appendix else ""
    return f'<section id="{esc(anchor)}"{cls}><h2>{esc(title)}</h2>{body}</section>'


def page(
    lang: str,
    title: str,
    subtitle: str,
    toc: list[tuple[str, str]],
    body: str,
    contents: str = "Contents",
) -> str:
    """The whole self-contained document: the title block, a contents list (screen only)
    and the sections."""
    links = "".join(f'<li><a href="#{esc(a)}">{esc(t)}</a></li>' for a, t in toc)
    nav = f'<nav class="toc"><h2>{esc(contents)}</h2><ol>{links}</ol></nav>' if toc else ""
    return f"""<!DOCTYPE html>
<html lang="{esc(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<style>{CSS}</style>
</head>
<body>
<header class="title-block"><h1>{esc(title)}</h1><p class="subtitle">{subtitle}</p></header>
{nav}
<main>{body}</main>
</body>
</html>
"""


CSS = """
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #d9dce1; --accent: #d95f02;
        --band: #f5f6f8; }
* { box-sizing: border-box; }
body { font-family: Georgia, 'Times New Roman', serif; color: var(--ink); line-height: 1.5;
       max-width: 62rem; margin: 0 auto; padding: 1.5rem 1.5rem 4rem; font-size: 16px; }
h1, h2, h3, h4, nav, table, figcaption, .subtitle, .note, .warning, .finding {
       font-family: 'Helvetica Neue', Arial, sans-serif; }
h1 { font-size: 1.9rem; margin: 0 0 .3rem; }
h2 { font-size: 1.4rem; border-bottom: 2px solid var(--accent); padding-bottom: .2rem;
     margin-top: 2.5rem; }
h3 { font-size: 1.1rem; margin-top: 1.6rem; }
.subtitle { color: var(--muted); margin: 0; font-size: .92rem; }
nav.toc { background: var(--band); padding: .6rem 1.2rem; margin: 1.2rem 0; }
nav.toc h2 { font-size: 1rem; border: 0; margin: .2rem 0; }
nav.toc ol { margin: .2rem 0; }
table { border-collapse: collapse; margin: .8rem 0 1.2rem; font-size: .84rem; width: 100%; }
caption { text-align: left; font-weight: bold; padding: .3rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .25rem .45rem; vertical-align: top;
         text-align: left; }
thead th { background: var(--band); border-bottom: 2px solid #aab; }
th[scope=colgroup] { text-align: center; border-bottom: 1px solid #aab; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
th { overflow-wrap: break-word; hyphens: auto; }
tr.best td { font-weight: bold; }
tr.reference td { color: var(--muted); }
table code { font-family: Menlo, Consolas, monospace; font-size: .95em; }
table.compact { font-size: .76rem; }
span.regret { color: #a33; font-size: .85em; }
figure { margin: 1rem 0 1.6rem; }
figure img { max-width: 100%; height: auto; display: block; margin: 0 auto; }
figcaption { font-size: .85rem; color: var(--muted); margin-top: .3rem; }
.note, .warning, .finding { padding: .6rem .9rem; margin: 1rem 0; font-size: .92rem;
         border-left: 4px solid #8a9; background: #f3f7f4; }
.warning { border-left-color: #c60; background: #fdf5ec; }
.finding { border-left-color: var(--accent); background: #fff6ef; font-size: 1rem; }
code, pre { font-family: Menlo, Consolas, monospace; font-size: .88em; }
pre { background: var(--band); padding: .6rem .8rem; white-space: pre-wrap;
      word-break: break-all; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem;
          font-size: .88rem; }
dl.meta dt { font-weight: bold; font-family: 'Helvetica Neue', Arial, sans-serif; }
dl.meta dd { margin: 0; word-break: break-word; }
ul.stories li, ul.levers li { margin-bottom: .35rem; }
tr.first td { border-top: 1.5px solid #99a; }
td.group { vertical-align: top; }
@media screen and (min-width: 72rem) {
  nav.toc { position: fixed; left: 1rem; top: 1.5rem; width: 12rem; font-size: .8rem; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; line-height: 1.35; }
  h1 { font-size: 17pt; } h2 { font-size: 13pt; margin-top: 1.2rem; }
  h3 { font-size: 11pt; margin-top: .8rem; }
  .subtitle { font-size: 8pt; }
  table { font-size: 7.5pt; margin: .4rem 0 .6rem; }
  table.compact { font-size: 7pt; }
  th, td { padding: .1rem .25rem; }
  nav.toc { display: none; }
  .finding { font-size: 9pt; padding: .4rem .6rem; margin: .5rem 0; }
  .finding ul { margin: 0; padding-left: 1.1rem; }
  .finding ul ul { margin: .1rem 0; }
  .note, .warning { font-size: 8.5pt; padding: .3rem .6rem; margin: .4rem 0; }
  figure { margin: .4rem 0 .8rem; }
  figure img { max-height: 118mm; }
  section.appendix { break-before: page; }
  section.appendix + section.appendix { break-before: auto; }
  figure, .finding, .note, .warning, tr { break-inside: avoid; }
  h2, h3, caption { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  @page { size: A4; margin: 14mm 13mm; }
}
"""


def meta(items: Iterable[tuple[str, str]]) -> str:
    """A definition list of (label, already-escaped HTML value)."""
    return (
        '<dl class="meta">' + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in items) + "</dl>"
    )
