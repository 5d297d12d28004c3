"""Templates -> strings: the README's generated part, the case and framework pages, the checklist.

Jinja2 loads only when this package is imported, that is when `mlsd render` or
`mlsd checklist` runs, so `mlsd validate` starts without it.
"""
