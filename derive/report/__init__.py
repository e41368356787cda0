"""The checked article as Markdown, LaTeX and PDF (templates shipped with the package)."""
