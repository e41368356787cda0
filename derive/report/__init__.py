"""The checked article as Markdown, LaTeX and PDF (templates in the repository's templates/)."""
